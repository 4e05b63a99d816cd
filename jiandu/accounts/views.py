"""Login, logout and password change. Login failures look the same for unknown users, wrong
passwords, disabled and locked accounts (SECURITY.md)."""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.hashers import make_password
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiandu.core.errors import ActionError

from . import actions
from .forms import LoginForm, PasswordChangeForm
from .middleware import SESSION_EPOCH_KEY
from .models import User

_DUMMY_HASH = make_password("timing-equaliser-not-a-password")


def _safe_next(request, default="core:home"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def login_view(request):
    form = LoginForm(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"].strip()
        password = form.cleaned_data["password"]
        user = User.objects.filter(username__iexact=username).first()
        ok = False
        if user is None:
            # Spend the same time as a real check so timing does not reveal unknown users.
            _check_dummy(password)
        elif user.is_active and not user.is_locked() and user.check_password(password):
            ok = True
        if ok:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            request.session[SESSION_EPOCH_KEY] = user.session_epoch
            actions.register_login_success(user=user)
            return redirect(_safe_next(request))
        actions.register_login_failure(username=username)
        error = _("Login failed: wrong username or password, or the account is locked or disabled.")
    elif request.GET.get("expired"):
        error = _("Your session ended. Please log in again.")
    return render(request, "accounts/login.html", {"form": form, "error": error, "next": request.GET.get("next", "")}, status=200)


def _check_dummy(password):
    from django.contrib.auth.hashers import check_password

    check_password(password, _DUMMY_HASH)


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        actions.record_logout(user=request.user)
    logout(request)
    return redirect("accounts:login")


@login_required
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = actions.change_password(
                actor=request.user, user=request.user, old_password=form.cleaned_data["old_password"], new_password=form.cleaned_data["new_password"]
            )
        except ActionError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            # Every other session ended; this one continues under the new epoch.
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            request.session[SESSION_EPOCH_KEY] = user.session_epoch
            messages.success(request, _("Password changed. Every other session of yours has ended."))
            return redirect("core:home")
    return render(request, "accounts/password_change.html", {"form": form})
