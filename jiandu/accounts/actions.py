"""Account actions: users, role assignments, passwords, lockout, API tokens.

User states: active --disable_user--> disabled --enable_user--> active; active --(failures ≥
threshold)--> locked --unlock_user (security administrator)--> active. Password change and
disable end every session of the user (session_epoch).
"""

import datetime as dt

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.core import crypto, journal
from jiandu.core.errors import ActionError
from jiandu.core.practice import get_setting

from . import access
from .models import ApiToken, Role, RoleAssignment, User


def _check_password(password: str, user: User | None) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ActionError(" ".join(exc.messages), field="password") from exc


def create_user(*, actor, username: str, full_name: str, password: str, cadre_id: int | None = None, must_change_password: bool = True) -> User:
    """Create an account (system administrator). The issued password must be changed at first login."""
    access.require(actor, "accounts.manage_users")
    username = (username or "").strip()
    if not username or not (full_name or "").strip():
        raise ActionError(_("Username and full name are required."), field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise ActionError(_("The username %(u)s is taken.") % {"u": username}, field="username")
    if cadre_id is not None and User.objects.filter(cadre_id=cadre_id).exists():
        raise ActionError(_("That cadre already has an account."), field="cadre_id")
    with transaction.atomic():
        user = User(username=username, full_name=full_name.strip(), cadre_id=cadre_id, must_change_password=must_change_password)
        _check_password(password, user)
        user.set_password(password)
        user.password_changed_at = timezone.now()
        user.save()
        journal.record("accounts.user.created", actor=actor, target=user, data={"username": username})
    return user


def change_password(*, actor, user: User, old_password: str | None, new_password: str) -> User:
    """A user changes their own password (old one required); ends all their sessions."""
    if actor.pk != user.pk:
        raise access.NotVisible()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not user.check_password(old_password or ""):
            raise ActionError(_("The current password is wrong."), field="old_password")
        if user.check_password(new_password):
            raise ActionError(_("The new password must differ from the current one."), field="new_password")
        _check_password(new_password, user)
        user.set_password(new_password)
        user.password_changed_at = timezone.now()
        user.must_change_password = False
        user.session_epoch = F("session_epoch") + 1
        user.save()
        user.refresh_from_db()
        journal.record("accounts.password.changed", actor=actor, target=user)
    return user


def reset_password(*, actor, user: User, new_password: str) -> User:
    """System administrator issues a new password; the user must change it at next login."""
    access.require(actor, "accounts.manage_users")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        _check_password(new_password, user)
        user.set_password(new_password)
        user.password_changed_at = timezone.now()
        user.must_change_password = True
        user.session_epoch = F("session_epoch") + 1
        user.save()
        user.refresh_from_db()
        journal.record("accounts.password.reset", actor=actor, target=user)
    return user


def disable_user(*, actor, user: User, reason: str) -> User:
    """Disable an account; its sessions and API tokens stop working at once."""
    access.require(actor, "accounts.manage_users")
    if not (reason or "").strip():
        raise ActionError(_("A reason is required."), field="reason")
    if actor.pk == user.pk:
        raise ActionError(_("You cannot disable your own account."))
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not user.is_active:
            raise ActionError(_("This account is already disabled."))
        user.is_active = False
        user.session_epoch = F("session_epoch") + 1
        user.save()
        user.refresh_from_db()
        journal.record("accounts.user.disabled", actor=actor, target=user, data={"reason": reason})
    return user


def enable_user(*, actor, user: User) -> User:
    access.require(actor, "accounts.manage_users")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.is_active:
            raise ActionError(_("This account is already active."))
        user.is_active = True
        user.save(update_fields=["is_active"])
        journal.record("accounts.user.enabled", actor=actor, target=user)
    return user


def assign_role(*, actor, user: User, role: str, unit=None, include_descendants: bool = True) -> RoleAssignment:
    """Security administrator grants a role on a unit (None: the whole district).
    三权分立: the three administrator roles exclude each other and every business role."""
    access.require(actor, "accounts.assign_roles")
    if role not in Role.values:
        raise ActionError(_("Unknown role."), field="role")
    if role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN) and unit is not None:
        raise ActionError(_("Administrator roles are held for the whole system, not a unit."), field="unit")
    if role == Role.CADRE and not user.cadre_id:
        raise ActionError(_("Self service needs the account to be linked to a cadre."), field="role")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        existing = set(RoleAssignment.objects.filter(user=user, revoked_at__isnull=True).values_list("role", flat=True))
        if access.role_conflict(existing, role):
            raise ActionError(
                _("Separation of duties: the system, security and audit administrator roles cannot be combined with each other or with business roles."),
                field="role",
            )
        assignment = RoleAssignment.objects.create(
            user=user,
            role=role,
            unit_id=getattr(unit, "pk", None),
            unit_path=getattr(unit, "path", "") or "",
            include_descendants=include_descendants,
            granted_by_id=actor.pk,
        )
        journal.record("accounts.role.assigned", actor=actor, target=user, unit=unit, data={"role": role, "include_descendants": include_descendants})
    access.forget(user)
    return assignment


def revoke_role(*, actor, assignment: RoleAssignment) -> RoleAssignment:
    access.require(actor, "accounts.assign_roles")
    with transaction.atomic():
        assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.revoked_at is not None:
            raise ActionError(_("This role was already revoked."))
        if assignment.user_id == actor.pk and assignment.role == Role.SECURITY_ADMIN:
            raise ActionError(_("You cannot revoke your own security administrator role."))
        assignment.revoked_at = timezone.now()
        assignment.save(update_fields=["revoked_at"])
        journal.record("accounts.role.revoked", actor=actor, target=assignment.user, unit=assignment.unit_id, data={"role": assignment.role})
    return assignment


def unlock_user(*, actor, user: User) -> User:
    """Security administrator lifts a lockout (SECURITY.md: unlock only by them, journaled)."""
    access.require(actor, "accounts.unlock")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not user.is_locked() and user.failed_logins == 0:
            raise ActionError(_("This account is not locked."))
        user.locked_until = None
        user.failed_logins = 0
        user.save(update_fields=["locked_until", "failed_logins"])
        journal.record("accounts.user.unlocked", actor=actor, target=user)
    return user


def register_login_failure(*, username: str) -> bool:
    """Count a failed login for an existing account, atomically; lock it at the threshold.
    Returns True when the account is (now) locked. Unknown usernames are journaled alike."""
    threshold = get_setting("security.lockout_threshold")
    minutes = max(30, get_setting("security.lockout_minutes"))
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username__iexact=username).first()
        if user is None:
            journal.record("accounts.login.failed", data={"username": username[:150], "known": False}, outcome="failed")
            return False
        user.failed_logins += 1
        locked_now = False
        if user.failed_logins >= threshold and not user.is_locked():
            user.locked_until = timezone.now() + dt.timedelta(minutes=minutes)
            locked_now = True
        user.save(update_fields=["failed_logins", "locked_until"])
        journal.record("accounts.login.failed", target=user, data={"username": user.username, "known": True, "failures": user.failed_logins}, outcome="failed")
        if locked_now:
            journal.record("accounts.user.locked", target=user, data={"minutes": minutes}, outcome="denied")
        return user.is_locked()


def register_login_success(*, user: User) -> None:
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_logins=0, last_login=timezone.now())
        journal.record("accounts.login.succeeded", actor=user, target=user)


def record_logout(*, user: User) -> None:
    with transaction.atomic():
        journal.record("accounts.logout", actor=user, target=user)


def end_all_sessions(*, actor, user: User) -> User:
    """Log the user out everywhere."""
    if actor.pk != user.pk:
        access.require(actor, "accounts.manage_users")
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
        journal.record("accounts.sessions.ended", actor=actor, target=user)
    user.refresh_from_db()
    return user


TOKEN_PREFIX_LEN = 8


def create_api_token(*, actor, name: str) -> tuple[ApiToken, str]:
    """Create a personal API token; the secret is returned once and stored only hashed."""
    if not (name or "").strip():
        raise ActionError(_("Give the token a name."), field="name")
    secret = "jd_" + crypto.random_token(30)
    with transaction.atomic():
        token = ApiToken.objects.create(user=actor, name=name.strip()[:100], prefix=secret[:TOKEN_PREFIX_LEN], token_hash=crypto.digest(secret.encode()))
        journal.record("accounts.token.created", actor=actor, target=token, data={"name": token.name})
    return token, secret


def revoke_api_token(*, actor, token: ApiToken) -> ApiToken:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.user_id != actor.pk:
            access.require(actor, "accounts.manage_users")
        if token.revoked_at is not None:
            raise ActionError(_("This token was already revoked."))
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        journal.record("accounts.token.revoked", actor=actor, target=token)
    return token


def user_for_token(secret: str) -> User | None:
    """The active user owning a non-revoked token, or None."""
    if not secret or not secret.startswith("jd_"):
        return None
    token = ApiToken.objects.select_related("user").filter(token_hash=crypto.digest(secret.encode()), revoked_at__isnull=True).first()
    if token is None or not token.user.is_active or token.user.is_locked():
        return None
    if token.last_used_at is None or timezone.now() - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def bootstrap_administrator(*, username: str, full_name: str, password: str, role: str) -> User:
    """Create the first holder of an administrator role on a fresh installation (manage.py
    bootstrap). Refused once any active user holds that role: after that, administrators are
    created by administrators."""
    if role not in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
        raise ActionError(_("Only administrator roles can be bootstrapped."), field="role")
    with transaction.atomic():
        if RoleAssignment.objects.filter(role=role, revoked_at__isnull=True, user__is_active=True).exists():
            raise ActionError(_("This installation already has a %(role)s.") % {"role": Role(role).label})
        if User.objects.filter(username__iexact=username).exists():
            raise ActionError(_("The username %(u)s is taken.") % {"u": username}, field="username")
        user = User(username=username, full_name=full_name)
        _check_password(password, user)
        user.set_password(password)
        user.password_changed_at = timezone.now()
        user.save()
        RoleAssignment.objects.create(user=user, role=role)
        journal.record("accounts.administrator.bootstrapped", target=user, data={"username": username, "role": role})
    return user
