"""Login (password, then the authenticator code where set up), logout, password change, two-factor
set-up, one's own account page and personal API tokens.

A failed login looks the same — status, page and (through one password-hash check on every path)
time — for an unknown user, a wrong password, a disabled and a locked account (SECURITY.md).
Between the password and the code the session is not logged in: it only remembers, for a few
minutes, whose code it waits for; every other page still asks for a login.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jiandu.core.errors import ActionError
from jiandu.core.middleware import client_ip

from . import access, actions, policy, queries, ratelimit, totp
from .forms import CodeForm, LoginForm, PasswordChangeForm, TokenForm
from .models import ApiToken, User

PENDING_KEY = "jiandu_pending_login"
BACKEND = "django.contrib.auth.backends.ModelBackend"
# Wrong codes allowed for one accepted password before the password must be typed again.
PENDING_MAX_CODE_TRIES = 3


def _failed_message():
    return _("Login failed: wrong username or password, the account is disabled, or it had too many failed logins and must wait a few minutes.")


def _safe_next(request, target=None, default="core:home"):
    target = target if target is not None else (request.POST.get("next") or request.GET.get("next"))
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse(default)


def _login_page(request, form, error=None, status=200, username="", challenge_refused=False):
    """The login page; with the challenge question when this address or username failed often."""
    question = None
    if challenge_refused or ratelimit.challenge_needed(client_ip(request), username):
        question = ratelimit.new_challenge(request.session)
    next_url = request.POST.get("next", request.GET.get("next", ""))
    context = {"form": form, "error": error, "next": next_url, "question": question, "challenge_refused": challenge_refused}
    return render(request, "accounts/login.html", context, status=status)


def _rate_limited(request, form, username=""):
    actions.record_login_rate_limited(username=username)
    seconds = ratelimit.wait_seconds(client_ip(request))
    message = _("Too many failed logins from your network address. Try again in %(n)d seconds.") % {"n": max(1, seconds)}
    return _login_page(request, form, message, status=429, username=username)


def _count_failure(request, username: str) -> None:
    ratelimit.count_failure(client_ip(request), username)
    ratelimit.count_device_failure(request)


def _known_device(request, user_or_username) -> bool:
    user = user_or_username
    if isinstance(user_or_username, str):
        user = User.objects.filter(username__iexact=user_or_username).first() if user_or_username else None
    return ratelimit.known_device_of(request, user)


def _complete_login(request, user, *, second_factor: bool):
    request.session.pop(PENDING_KEY, None)
    login(request, user, backend=BACKEND)  # a new session key (no fixation)
    actions.register_login_success(user=user, second_factor=second_factor)
    ratelimit.forget_device_failures(request)
    response = redirect(_safe_next(request, request.session.pop("_login_next", None)))
    # This browser is now a known device of this account: its owner's correct password and code are
    # never held up by the delays others cause by failing on purpose.
    response.set_cookie(
        ratelimit.DEVICE_COOKIE,
        ratelimit.device_cookie_value(user, ratelimit.read_device(request)),
        max_age=ratelimit.DEVICE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


@never_cache
def login_view(request):
    if request.method == "GET" and request.user.is_authenticated:
        return redirect(_safe_next(request))
    form = LoginForm(request.POST or None)
    if request.method != "POST":
        error = _("Your session ended. Please log in again.") if request.GET.get("expired") else None
        return _login_page(request, form, error)
    if not form.is_valid():
        return _login_page(request, form)
    username = form.cleaned_data["username"].strip()
    ip = client_ip(request)
    known = _known_device(request, username)
    if not known and ratelimit.is_limited(ip):
        return _rate_limited(request, form, username)
    if not known and ratelimit.challenge_needed(ip, username) and not ratelimit.challenge_passed(request.session, request.POST.get("answer", "")):
        # Answered before the password is looked at; a wrong answer is not a failed login.
        message = _("Answer the question below: too many failed logins came from your network or for this username.")
        return _login_page(request, form, message, username=username, challenge_refused=True)
    request.session.pop(ratelimit.CHALLENGE_KEY, None)
    result = actions.check_password_login(username=username, password=form.cleaned_data["password"], known_device=known)
    if result.user is None:
        _count_failure(request, username)
        return _login_page(request, form, _failed_message(), username=username)
    if result.needs_second_factor:
        if request.user.is_authenticated:
            logout(request)
        request.session.cycle_key()
        request.session[PENDING_KEY] = {"user": result.user.pk, "at": int(time.time()), "tries": 0, "next": _safe_next(request)}
        return redirect("accounts:login_verify")
    request.session["_login_next"] = _safe_next(request)
    return _complete_login(request, result.user, second_factor=False)


@never_cache
def login_verify(request):
    """The second login step: the code from the authenticator app."""
    pending = request.session.get(PENDING_KEY)
    if not pending or int(time.time()) - pending.get("at", 0) > policy.PENDING_SECOND_FACTOR_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return redirect(f"{reverse('accounts:login')}?expired=1")
    form = CodeForm(request.POST or None)
    error = None
    if request.method == "POST":
        user = User.objects.filter(pk=pending["user"]).first()
        known = _known_device(request, user)
        if not known and ratelimit.is_limited(client_ip(request)):
            request.session.pop(PENDING_KEY, None)
            return _rate_limited(request, LoginForm())
        if form.is_valid():
            user = actions.check_second_factor(user_id=pending["user"], code=form.cleaned_data["code"], known_device=known)
            if user is not None:
                request.session["_login_next"] = pending.get("next")
                return _complete_login(request, user, second_factor=True)
            _count_failure(request, "")
            pending["tries"] = pending.get("tries", 0) + 1
            if pending["tries"] >= PENDING_MAX_CODE_TRIES:
                request.session.pop(PENDING_KEY, None)
                return _login_page(request, LoginForm(), _failed_message())
            request.session[PENDING_KEY] = pending
            error = _("The code is wrong or has expired. Type the 6 digits your authenticator app shows now.")
    return render(request, "accounts/login_verify.html", {"form": form, "error": error})


@require_POST
def logout_view(request):
    request.session.pop(PENDING_KEY, None)
    if request.user.is_authenticated:
        actions.record_logout(user=request.user)
    logout(request)
    messages.info(request, _("You have logged out."))
    return redirect("accounts:login")


@login_required
@never_cache
def password_change(request):
    user = request.user
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = actions.change_password(
                actor=user, user=user, old_password=form.cleaned_data["old_password"], new_password=form.cleaned_data["new_password"]
            )
        except ActionError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            # Every other session ended (the epoch moved on); this one continues under a new key.
            update_session_auth_hash(request, user)
            messages.success(request, _("Password changed. Every other session of yours has ended."))
            return redirect("core:home")
    context = {
        "form": form,
        "must_change": policy.must_change_issued_password(user),
        "expired": policy.password_expired(user),
        "max_age_days": policy.get_setting("security.password_max_age_days"),
    }
    return render(request, "accounts/password_change.html", context)


@login_required
@never_cache
def totp_enrol(request):
    """Set up two-factor login: scan the QR code (or type the key), then confirm with a code."""
    user = request.user
    if user.totp_enabled:
        return redirect("accounts:me")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.confirm_totp_enrolment(actor=user, code=form.cleaned_data["code"])
        except ActionError as exc:
            form.add_error("code" if exc.field == "code" else None, exc.message)
        else:
            messages.success(request, _("Two-factor login is set up. From now on you log in with your password and a code from the app."))
            return redirect("core:home")
    try:
        seed = actions.start_totp_enrolment(actor=user)
    except ActionError as exc:  # set up meanwhile in another tab
        messages.info(request, exc.message)
        return redirect("accounts:me")
    uri = totp.provisioning_uri(user, seed)
    context = {
        "form": form,
        "qr_svg": totp.qr_svg(uri),
        "seed": totp.grouped(seed),
        "required": policy.totp_required(user),
        "breadcrumbs": [(_("My account"), reverse("accounts:me")), (_("Two-factor login"), None)],
    }
    return render(request, "accounts/totp_enrol.html", context)


@login_required
@require_POST
def totp_disable(request):
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            actions.disable_totp(actor=request.user, code=form.cleaned_data["code"])
        except ActionError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Two-factor login is turned off."))
    else:
        messages.error(request, _("Type the 6-digit code your authenticator app shows now."))
    return redirect("accounts:me")


@login_required
def me(request):
    """One's own account: roles, password age, two-factor login, sessions, API tokens."""
    user = request.user
    assignments = access.assignments(user)
    names = queries.unit_names({a.unit_id for a in assignments})
    for assignment in assignments:
        assignment.unit_label = names.get(assignment.unit_id, assignment.unit_path)
    context = {
        "assignments": assignments,
        "password_expires_at": policy.password_expires_at(user),
        "totp_required": policy.totp_required(user),
        "code_form": CodeForm(),
        "token_count": ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()).count(),
        "breadcrumbs": [(_("My account"), None)],
    }
    return render(request, "accounts/me.html", context)


@login_required
@require_POST
def end_my_sessions(request):
    user = actions.end_all_sessions(actor=request.user, user=request.user)
    update_session_auth_hash(request, user)  # keep this one
    messages.success(request, _("Every other session of yours has ended, and your API tokens are revoked."))
    return redirect("accounts:me")


@login_required
@never_cache
def tokens(request):
    """Personal API tokens: create (the secret is shown once, on this response only), list, revoke."""
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = actions.create_api_token(actor=request.user, name=form.cleaned_data["name"], read_only=form.cleaned_data["read_only"])
        except ActionError as exc:
            form.add_error("name" if exc.field == "name" else None, exc.message)
        else:
            form = TokenForm()
    context = {
        "form": form,
        "secret": secret,
        "tokens": ApiToken.objects.filter(user=request.user).order_by("revoked_at", "-created_at"),
        "token_days": settings.API_TOKEN_DAYS,
        "breadcrumbs": [(_("My account"), reverse("accounts:me")), (_("API tokens"), None)],
    }
    return render(request, "accounts/tokens.html", context)


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk)
    if token.user_id != request.user.pk and not access.can(request.user, "accounts.manage_users"):
        raise access.NotVisible()
    try:
        actions.revoke_api_token(actor=request.user, token=token)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Token %(name)s revoked.") % {"name": token.name})
    if token.user_id != request.user.pk:
        return redirect("accounts:user_detail", pk=token.user_id)
    return redirect("accounts:tokens")
