"""Accounts and their role assignments: create, passwords, disable/enable, end sessions, assign/revoke roles."""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.core import journal
from jiandu.core.errors import ActionError

from .. import access
from ..models import ADMIN_ROLES, UNIT_ONLY_ROLES, ApiToken, Role, RoleAssignment, User
from .base import USERNAME_RE, _check_password, _locked_user, _recently_used, _remember_password, _set_password
from .tokens import _revoke_all_tokens

log = logging.getLogger("jiandu.accounts")

# --- accounts ------------------------------------------------------------------------------------


def create_user(
    *,
    actor,
    username: str,
    full_name: str,
    password: str,
    cadre_id: int | None = None,
    must_change_password: bool = True,
    published_demo_password: bool = False,
) -> User:
    """Create an account (system administrator). The issued password must be changed at first login.
    Preconditions: a well-formed, unused username; a full name; a password meeting the policy; the
    cadre (if any) not linked to another account."""
    access.require(actor, "accounts.manage_users")
    username = (username or "").strip()
    full_name = (full_name or "").strip()
    if not username or not full_name:
        raise ActionError(_("Username and full name are required."), field="username" if not username else "full_name")
    if not USERNAME_RE.match(username):
        raise ActionError(_("A username has 2 to 150 letters, digits or the characters . _ - @ (no spaces)."), field="username")
    if len(full_name) > 100:
        raise ActionError(_("The full name is longer than 100 characters."), field="full_name")
    if User.objects.filter(username__iexact=username).exists():
        raise ActionError(_("The username %(u)s is taken.") % {"u": username}, field="username")
    if cadre_id is not None and User.objects.filter(cadre_id=cadre_id).exists():
        raise ActionError(_("That cadre already has an account."), field="cadre_id")
    with transaction.atomic():
        user = User(username=username, full_name=full_name, cadre_id=cadre_id, must_change_password=must_change_password)
        _check_password(password, user, published_demo_password=published_demo_password)
        _set_password(user, password)
        user.save()
        _remember_password(user)
        journal.record("accounts.user.created", actor=actor, target=user, data={"username": username, "cadre_id": cadre_id})
    return user


def change_password(*, actor, user: User, old_password: str | None, new_password: str) -> User:
    """A user changes their own password (the current one is required); ends all their sessions."""
    if actor.pk != user.pk:
        raise access.NotVisible()
    with transaction.atomic():
        user = _locked_user(user)
        if not user.check_password(old_password or ""):
            raise ActionError(_("The current password is wrong."), field="old_password")
        if user.check_password(new_password):
            raise ActionError(_("The new password must differ from the current one."), field="new_password")
        _check_password(new_password, user, field="new_password")
        if _recently_used(user, new_password):
            raise ActionError(_("The new password must differ from your last %(n)d passwords.") % {"n": settings.PASSWORD_HISTORY}, field="new_password")
        _set_password(user, new_password)
        user.must_change_password = False
        user.session_epoch = F("session_epoch") + 1
        user.save()
        user.refresh_from_db()
        _remember_password(user)
        journal.record("accounts.password.changed", actor=actor, target=user)
        _revoke_all_tokens(actor=actor, user=user, because=ApiToken.RevokedBecause.PASSWORD_CHANGED)
    return user


def reset_password(*, actor, user: User, new_password: str) -> User:
    """The system administrator issues a new password; the user must change it at next login and
    every session of theirs ends. Not for one's own account (use change_password)."""
    access.require(actor, "accounts.manage_users")
    if actor.pk == user.pk:
        raise ActionError(_("Change your own password on the password page."))
    with transaction.atomic():
        user = _locked_user(user)
        _check_password(new_password, user)
        _set_password(user, new_password)
        user.must_change_password = True
        user.session_epoch = F("session_epoch") + 1
        user.save()
        user.refresh_from_db()
        _remember_password(user)
        journal.record("accounts.password.reset", actor=actor, target=user)
        _revoke_all_tokens(actor=actor, user=user, because=ApiToken.RevokedBecause.PASSWORD_RESET)
    return user


def disable_user(*, actor, user: User, reason: str) -> User:
    """Disable an account (with a reason); its sessions and API tokens stop working at once."""
    access.require(actor, "accounts.manage_users")
    reason = (reason or "").strip()
    if not reason:
        raise ActionError(_("A reason is required."), field="reason")
    if actor.pk == user.pk:
        raise ActionError(_("You cannot disable your own account."))
    with transaction.atomic():
        user = _locked_user(user)
        if not user.is_active:
            raise ActionError(_("This account is already disabled."))
        user.is_active = False
        user.session_epoch = F("session_epoch") + 1
        user.save()
        user.refresh_from_db()
        journal.record("accounts.user.disabled", actor=actor, target=user, data={"reason": reason[:500]})
        _revoke_all_tokens(actor=actor, user=user, because=ApiToken.RevokedBecause.DISABLED)
    return user


def enable_user(*, actor, user: User) -> User:
    """Enable a disabled account."""
    access.require(actor, "accounts.manage_users")
    with transaction.atomic():
        user = _locked_user(user)
        if user.is_active:
            raise ActionError(_("This account is already active."))
        user.is_active = True
        user.save(update_fields=["is_active"])
        journal.record("accounts.user.enabled", actor=actor, target=user)
    return user


def end_all_sessions(*, actor, user: User) -> User:
    """Log the user out everywhere (oneself, or the system administrator for anyone)."""
    if actor.pk != user.pk:
        access.require(actor, "accounts.manage_users")
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
        journal.record("accounts.sessions.ended", actor=actor, target=user)
        _revoke_all_tokens(actor=actor, user=user, because=ApiToken.RevokedBecause.SESSIONS_ENDED)
    user.refresh_from_db()
    return user


# --- roles ---------------------------------------------------------------------------------------


def assign_role(*, actor, user: User, role: str, unit=None, include_descendants: bool = True) -> RoleAssignment:
    """Security administrator grants a role on a unit (None: the whole district).
    Preconditions: a known role; administrator roles only system-wide; self service only for an
    account linked to a cadre; not already held there; 三权分立 — the three administrator roles
    exclude each other and every business role."""
    access.require(actor, "accounts.assign_roles")
    if role not in Role.values:
        raise ActionError(_("Unknown role."), field="role")
    if role in ADMIN_ROLES and unit is not None:
        raise ActionError(_("Administrator roles are held for the whole system, not a unit."), field="unit")
    if role == Role.CADRE and not user.cadre_id:
        raise ActionError(_("Self service needs the account to be linked to a cadre."), field="role")
    if unit is not None and not getattr(unit, "path", ""):
        raise ActionError(_("Unknown unit."), field="unit")
    if role in UNIT_ONLY_ROLES:
        # A department's clue officer is appointed on that department; it never covers the units
        # below it, let alone the whole district (security issue #8.2).
        if unit is None:
            raise ActionError(_("A clue officer is appointed for one department: choose the department's unit."), field="unit")
        include_descendants = False
    unit_path = getattr(unit, "path", "") or ""
    with transaction.atomic():
        user = _locked_user(user)
        if not user.is_active:
            raise ActionError(_("This account is disabled; enable it before granting roles."))
        active = RoleAssignment.objects.filter(user=user, revoked_at__isnull=True)
        if access.role_conflict(set(active.values_list("role", flat=True)), role):
            raise ActionError(
                _("Separation of duties: the system, security and audit administrator roles cannot be combined with each other or with business roles."),
                field="role",
            )
        if active.filter(role=role, unit_path=unit_path).exists():
            raise ActionError(_("The account already holds this role there."), field="role")
        assignment = RoleAssignment.objects.create(
            user=user,
            role=role,
            unit_id=getattr(unit, "pk", None),
            unit_path=unit_path,
            include_descendants=include_descendants,
            granted_by_id=actor.pk,
        )
        journal.record("accounts.role.assigned", actor=actor, target=user, unit=unit, data={"role": role, "include_descendants": include_descendants})
    access.forget(user)
    return assignment


def revoke_role(*, actor, assignment: RoleAssignment) -> RoleAssignment:
    """Security administrator ends a role assignment (kept for history). Not one's own security
    administrator role: there must always be someone who can grant it back."""
    access.require(actor, "accounts.assign_roles")
    with transaction.atomic():
        assignment = RoleAssignment.objects.select_for_update().select_related("user").get(pk=assignment.pk)
        if assignment.revoked_at is not None:
            raise ActionError(_("This role was already revoked."))
        if assignment.user_id == actor.pk and assignment.role == Role.SECURITY_ADMIN:
            raise ActionError(_("You cannot revoke your own security administrator role."))
        assignment.revoked_at = timezone.now()
        assignment.save(update_fields=["revoked_at"])
        journal.record(
            "accounts.role.revoked",
            actor=actor,
            target=assignment.user,
            unit=(assignment.unit_id if assignment.unit_id is not None else None),
            data={"role": assignment.role, "unit_path": assignment.unit_path},
        )
    access.forget(assignment.user)
    return assignment
