"""User administration pages, split by 三权分立:

- system administrator (accounts.manage_users): create accounts, issue passwords, disable/enable,
  end sessions, revoke API tokens;
- security administrator (accounts.assign_roles, accounts.unlock, accounts.reset_totp): role
  assignments, unlocking, resetting the authenticator.

Both see the user list and a user's page, each with only their own buttons; neither sees business
data or the journal. Issued passwords are shown once, in the response to the POST that made them.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jiandu.core.errors import ActionError
from jiandu.core.listing import paginate

from . import access, actions, queries
from .forms import ReasonForm, RoleAssignForm, UserCreateForm, UserFilterForm
from .models import ApiToken, RoleAssignment
from .passwords import generate_password


def _require_administrator(user):
    if not queries.may_administer_users(user):
        raise access.NotVisible()


def _crumbs(*extra):
    return [(_("Users"), reverse("accounts:user_list")), *extra]


@login_required
def user_list(request):
    _require_administrator(request.user)
    form = UserFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = queries.search_users(queries.users_visible_to(request.user), **{k: v for k, v in filters.items() if v})
    page = paginate(request, qs)
    roles = queries.active_roles_by_user(u.pk for u in page)
    rows = [{"user": u, "assignments": roles.get(u.pk, [])} for u in page]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "can_manage": access.can(request.user, "accounts.manage_users"),
        "breadcrumbs": [(_("Users"), None)],
    }
    return render(request, "accounts/admin/user_list.html", context)


def _issued(request, user, *, created: bool, password: str):
    context = {"account": user, "password": password, "created": created, "breadcrumbs": _crumbs((user.username, None))}
    return render(request, "accounts/admin/password_issued.html", context)


@login_required
@never_cache
def user_create(request):
    access.require(request.user, "accounts.manage_users")
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        password = generate_password()
        try:
            user = actions.create_user(
                actor=request.user,
                username=form.cleaned_data["username"],
                full_name=form.cleaned_data["full_name"],
                cadre_id=form.cleaned_data["cadre_id"],
                password=password,
                must_change_password=True,
            )
        except ActionError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return _issued(request, user, created=True, password=password)
    return render(request, "accounts/admin/user_create.html", {"form": form, "breadcrumbs": _crumbs((_("New user"), None))})


@login_required
def user_detail(request, pk):
    _require_administrator(request.user)
    account = queries.get_user_for(request.user, pk)
    assignments = list(RoleAssignment.objects.filter(user=account).order_by("revoked_at", "granted_at"))
    names = queries.unit_names({a.unit_id for a in assignments})
    for assignment in assignments:
        assignment.unit_label = names.get(assignment.unit_id, assignment.unit_path)
    can_manage = access.can(request.user, "accounts.manage_users")
    can_assign = access.can(request.user, "accounts.assign_roles")
    context = {
        "account": account,
        "assignments": [a for a in assignments if a.revoked_at is None],
        "revoked": [a for a in assignments if a.revoked_at is not None],
        "can_manage": can_manage,
        "can_assign": can_assign,
        "can_unlock": access.can(request.user, "accounts.unlock"),
        "can_reset_totp": access.can(request.user, "accounts.reset_totp"),
        "is_self": account.pk == request.user.pk,
        "role_form": RoleAssignForm(units=queries.units_for_picker()) if can_assign else None,
        "reason_form": ReasonForm(),
        "tokens": ApiToken.objects.filter(user=account, revoked_at__isnull=True, expires_at__gt=timezone.now()).order_by("-created_at") if can_manage else [],
        "breadcrumbs": _crumbs((account.username, None)),
    }
    return render(request, "accounts/admin/user_detail.html", context)


def _done(request, account, message):
    messages.success(request, message)
    return redirect("accounts:user_detail", pk=account.pk)


def _refused(request, account, exc: ActionError):
    messages.error(request, exc.message)
    return redirect("accounts:user_detail", pk=account.pk)


@login_required
@require_POST
@never_cache
def user_reset_password(request, pk):
    access.require(request.user, "accounts.manage_users")
    account = queries.get_user_for(request.user, pk)
    password = generate_password()
    try:
        account = actions.reset_password(actor=request.user, user=account, new_password=password)
    except ActionError as exc:
        return _refused(request, account, exc)
    return _issued(request, account, created=False, password=password)


@login_required
@require_POST
def user_disable(request, pk):
    access.require(request.user, "accounts.manage_users")
    account = queries.get_user_for(request.user, pk)
    try:
        actions.disable_user(actor=request.user, user=account, reason=request.POST.get("reason", ""))
    except ActionError as exc:
        return _refused(request, account, exc)
    return _done(request, account, _("Account %(u)s disabled; its sessions and API tokens no longer work.") % {"u": account.username})


@login_required
@require_POST
def user_enable(request, pk):
    access.require(request.user, "accounts.manage_users")
    account = queries.get_user_for(request.user, pk)
    try:
        actions.enable_user(actor=request.user, user=account)
    except ActionError as exc:
        return _refused(request, account, exc)
    return _done(request, account, _("Account %(u)s enabled.") % {"u": account.username})


@login_required
@require_POST
def user_end_sessions(request, pk):
    access.require(request.user, "accounts.manage_users")
    account = queries.get_user_for(request.user, pk)
    actions.end_all_sessions(actor=request.user, user=account)
    return _done(request, account, _("Every session of %(u)s has ended.") % {"u": account.username})


@login_required
@require_POST
def role_assign(request, pk):
    access.require(request.user, "accounts.assign_roles")
    account = queries.get_user_for(request.user, pk)
    form = RoleAssignForm(request.POST, units=queries.units_for_picker())
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("accounts:user_detail", pk=account.pk)
    unit = queries.unit_for_assignment(form.cleaned_data["unit"])
    if form.cleaned_data["unit"] and unit is None:  # never fall back to "whole district"
        messages.error(request, _("Unknown unit."))
        return redirect("accounts:user_detail", pk=account.pk)
    try:
        assignment = actions.assign_role(
            actor=request.user,
            user=account,
            role=form.cleaned_data["role"],
            unit=unit,
            include_descendants=form.cleaned_data["include_descendants"],
        )
    except ActionError as exc:
        return _refused(request, account, exc)
    return _done(request, account, _("Role %(role)s granted.") % {"role": assignment.get_role_display()})


@login_required
@require_POST
def role_revoke(request, pk, assignment_pk):
    access.require(request.user, "accounts.assign_roles")
    account = queries.get_user_for(request.user, pk)
    assignment = get_object_or_404(RoleAssignment, pk=assignment_pk, user=account)
    try:
        actions.revoke_role(actor=request.user, assignment=assignment)
    except ActionError as exc:
        return _refused(request, account, exc)
    return _done(request, account, _("Role %(role)s revoked.") % {"role": assignment.get_role_display()})


@login_required
@require_POST
def user_unlock(request, pk):
    access.require(request.user, "accounts.unlock")
    account = queries.get_user_for(request.user, pk)
    try:
        actions.unlock_user(actor=request.user, user=account)
    except ActionError as exc:
        return _refused(request, account, exc)
    return _done(request, account, _("Account %(u)s unlocked.") % {"u": account.username})


@login_required
@require_POST
def user_reset_totp(request, pk):
    access.require(request.user, "accounts.reset_totp")
    account = queries.get_user_for(request.user, pk)
    try:
        actions.reset_totp(actor=request.user, user=account, reason=request.POST.get("reason", ""))
    except ActionError as exc:
        return _refused(request, account, exc)
    return _done(request, account, _("The authenticator of %(u)s was removed; they set up a new one at their next login.") % {"u": account.username})
