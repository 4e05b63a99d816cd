"""Account actions: users, role assignments, passwords, lockout, two-factor login, API tokens.

User states:

    active --disable_user--> disabled --enable_user--> active
    active --(failed logins reach security.lockout_threshold)--> delayed (locked_until: the next
        attempt's earliest time; the wait doubles with each failure, at most security.lockout_minutes)
    delayed --(the wait passes, a login from a known device, unlock_user by a security
        administrator, or manage.py unlock_account)--> active

Two-factor (TOTP) states: none --start_totp_enrolment--> pending --confirm_totp_enrolment-->
enabled --disable_totp (own, only where not required) / reset_totp (security administrator)--> none.

Password change, password reset, disable, TOTP reset and "end all sessions" move the user's
session_epoch on, which ends every session they have (middleware.SessionPolicyMiddleware), and
revoke every API token they have.
"""

import datetime as dt
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import hashers, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.core import crypto, journal
from jiandu.core.errors import ActionError
from jiandu.core.practice import get_setting

from . import access, passwords, policy, totp
from .models import ADMIN_ROLES, UNIT_ONLY_ROLES, ApiToken, PasswordHistory, Role, RoleAssignment, User

log = logging.getLogger("jiandu.accounts")

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.@-]{2,150}$")
MAX_ACTIVE_TOKENS = 10


def _validators(published_demo_password: bool):
    """The configured password validators; without the pattern check (which refuses the published
    demo password) when the demo loader sets exactly that password."""
    configured = settings.AUTH_PASSWORD_VALIDATORS
    if published_demo_password:
        configured = [v for v in configured if v["NAME"] != "jiandu.accounts.passwords.PatternValidator"]
    return password_validation.get_password_validators(configured)


def _check_password(password: str, user: User | None, *, field: str = "password", published_demo_password: bool = False) -> None:
    if published_demo_password and password != passwords.DEMO_PASSWORD:
        raise ActionError(_("Only the demo loader sets the published demo password."), field=field)
    try:
        password_validation.validate_password(password, user, password_validators=_validators(published_demo_password))
    except ValidationError as exc:
        raise ActionError(" ".join(exc.messages), field=field) from exc


def _set_password(user: User, password: str) -> None:
    """Set the password (hashed) and its date; the caller saves the row, then _remember_password."""
    user.set_password(password)
    user.password_changed_at = timezone.now()


def _remember_password(user: User) -> None:
    """Keep the new hash in the history and forget all but the last settings.PASSWORD_HISTORY."""
    PasswordHistory.objects.create(user=user, password=user.password)
    keep = list(PasswordHistory.objects.filter(user=user).order_by("-pk").values_list("pk", flat=True)[: settings.PASSWORD_HISTORY])
    PasswordHistory.objects.filter(user=user).exclude(pk__in=keep).delete()


def _recently_used(user: User, password: str) -> bool:
    """Is `password` the current one or one of the last settings.PASSWORD_HISTORY (the current
    one included)?"""
    hashes = list(PasswordHistory.objects.filter(user=user).order_by("-pk").values_list("password", flat=True)[: settings.PASSWORD_HISTORY])
    if user.password not in hashes:
        hashes.insert(0, user.password)  # an account from before the history was kept
    return any(hashers.check_password(password, encoded) for encoded in hashes[: settings.PASSWORD_HISTORY])


def _locked_user(user) -> User:
    return User.objects.select_for_update().get(pk=user.pk)


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


# --- login delays and login --------------------------------------------------------------------


def unlock_user(*, actor, user: User) -> User:
    """Security administrator lifts a login delay and clears the failure count (journaled)."""
    access.require(actor, "accounts.unlock")
    return _unlock(user=user, actor=actor)


def unlock_from_console(*, username: str, reason: str) -> User:
    """Break-glass (manage.py unlock_account): the operator of the server lifts a login delay, for
    example of the only security administrator. Journaled with the reason, without an actor."""
    reason = (reason or "").strip()
    if not reason:
        raise ActionError(_("A reason is required."), field="reason")
    user = User.objects.filter(username__iexact=(username or "").strip()).first()
    if user is None:
        raise ActionError(_("There is no account %(u)s.") % {"u": username}, field="username")
    return _unlock(user=user, actor=None, data={"via": "console", "reason": reason[:500]})


def _unlock(*, user: User, actor, data: dict | None = None) -> User:
    from . import ratelimit

    with transaction.atomic():
        user = _locked_user(user)
        if not user.is_locked() and user.failed_logins == 0:
            raise ActionError(_("This account is not locked."))
        was_locked = user.is_locked()
        user.locked_until = None
        user.failed_logins = 0
        user.save(update_fields=["locked_until", "failed_logins"])
        journal.record("accounts.user.unlocked", actor=actor, target=user, data={"was_locked": was_locked, **(data or {})})
    ratelimit.forget_username(user.username)
    return user


_dummy_hashes: dict[str, str] = {}


def _dummy_hash() -> str:
    """A hash made with the current default hasher, checked for unknown usernames so that they cost
    the same time as a real account (SECURITY.md: unknown user and wrong password look the same)."""
    algorithm = hashers.get_hasher().algorithm
    if algorithm not in _dummy_hashes:
        _dummy_hashes[algorithm] = hashers.make_password(crypto.random_token(16))
    return _dummy_hashes[algorithm]


@dataclass
class LoginCheck:
    user: User | None
    needs_second_factor: bool = False


def _may_try(user: User, known_device: bool) -> bool:
    """May this account log in now? Active and not waiting out a login delay — a delay never holds
    up a device that logged in to this account before (security issue #8: nobody can lock its
    owner out by failing on purpose)."""
    return user.is_active and (known_device or not user.is_locked())


def check_password_login(*, username: str, password: str, known_device: bool = False) -> LoginCheck:
    """The first login step. Exactly one password hash is checked whatever the outcome (unknown
    user, wrong password, disabled, delayed), and every failure is counted the same way. Returns
    the user when the password is right and the account may log in (re-checked under the row lock).
    `known_device`: the request comes from a browser that logged in to this account before."""
    username = (username or "").strip()[:150]
    user = User.objects.filter(username__iexact=username).first() if username else None
    if user is None:
        hashers.check_password(password, _dummy_hash())
        register_login_failure(username=username)
        return LoginCheck(None)
    if _may_try(user, known_device):
        ok = user.check_password(password)  # may upgrade an old hash
    else:
        hashers.check_password(password, user.password)  # same cost; never logs in
        register_login_refused(user=user)
        return LoginCheck(None)
    if ok:
        with transaction.atomic():
            current = _locked_user(user)
            ok = _may_try(current, known_device)
    if not ok:
        register_login_failure(username=user.username)
        return LoginCheck(None)
    return LoginCheck(user, needs_second_factor=user.totp_enabled)


def check_second_factor(*, user_id: int, code: str, known_device: bool = False) -> User | None:
    """The second login step: a current code from the user's authenticator, never one already used.
    A wrong code counts as a failed login (and towards the delays)."""
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id).first()
        if user is None:
            return None
        ok = False
        if _may_try(user, known_device) and user.totp_enabled and user.totp_secret:
            step = _matching_unused_step(user, code)
            if step is not None:
                user.totp_last_step = step
                user.save(update_fields=["totp_last_step"])
                ok = True
    if not ok:
        register_login_failure(username=user.username, stage="totp")
        return None
    return user


def _matching_unused_step(user: User, code: str) -> int | None:
    try:
        seed = totp.unseal(user)
    except crypto.DecryptionError:
        log.error("two-factor seed of user %s does not decrypt (key changed?)", user.pk)
        return None
    step = totp.matching_step(seed, code)
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        return None
    return step


def login_delay_seconds(failures: int) -> int:
    """The account's wait after `failures` failed logins: none below security.lockout_threshold,
    then security.login_delay_seconds doubling with each failure, at most
    security.lockout_minutes (at least 30) — a delay, never a lock without end."""
    from . import ratelimit

    threshold = max(1, get_setting("security.lockout_threshold"))
    longest = max(30, get_setting("security.lockout_minutes")) * 60
    return ratelimit.delay_seconds(failures, threshold, longest)


def register_login_failure(*, username: str, stage: str = "password") -> bool:
    """Count a failed login for an existing account, atomically under the row lock, and from
    security.lockout_threshold failures on make the account wait before its next attempt
    (login_delay_seconds). Unknown usernames are journaled alike. Returns True when the account
    now waits."""
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username__iexact=username).first() if username else None
        if user is None:
            journal.record("accounts.login.failed", data={"username": username[:150], "known": False, "stage": stage}, outcome="failed")
            return False
        user.failed_logins += 1
        delay = login_delay_seconds(user.failed_logins)
        if delay:
            user.locked_until = max(user.locked_until or timezone.now(), timezone.now() + dt.timedelta(seconds=delay))
        user.save(update_fields=["failed_logins", "locked_until"])
        journal.record(
            "accounts.login.failed",
            target=user,
            data={"username": user.username, "known": True, "stage": stage, "failures": user.failed_logins},
            outcome="failed",
        )
        if delay:
            journal.record("accounts.login.delayed", target=user, data={"seconds": delay, "failures": user.failed_logins}, outcome="denied")
        return bool(delay)


def register_login_refused(*, user: User) -> None:
    """An attempt while the account waits out its delay: refused unchecked, not counted (it neither
    lengthens the delay nor can it succeed), journaled aggregated per address."""
    with transaction.atomic():
        journal.record_repeated("accounts.login.refused", kind=str(user.pk), target=user, data={"username": user.username, "reason": "delayed"})


def register_login_success(*, user: User, second_factor: bool = False) -> None:
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None, last_login=timezone.now())
        journal.record("accounts.login.succeeded", actor=user, target=user, data={"second_factor": second_factor})


def record_login_rate_limited(*, username: str) -> None:
    """An address must wait before its next attempt (aggregated per address: journal.record_repeated)."""
    with transaction.atomic():
        journal.record_repeated("accounts.login.rate_limited", data={"username": (username or "")[:150]}, outcome="denied")


def record_logout(*, user: User) -> None:
    with transaction.atomic():
        journal.record("accounts.logout", actor=user, target=user)


def record_session_expired(*, user: User, reason: str) -> None:
    """A session was ended by the policy: idle, absolute age, or ended elsewhere (epoch)."""
    with transaction.atomic():
        journal.record("accounts.session.expired", actor=user, target=user, data={"reason": reason})


# --- two-factor login (TOTP) ---------------------------------------------------------------------


def start_totp_enrolment(*, actor) -> str:
    """Give the user a new authenticator seed to scan (stored encrypted, not yet in force). Reloading
    the page shows the same seed until it is confirmed. Precondition: not already set up."""
    with transaction.atomic():
        user = _locked_user(actor)
        if user.totp_enabled:
            raise ActionError(_("Two-factor login is already set up for your account."))
        if user.totp_secret:
            try:
                return totp.unseal(user)
            except crypto.DecryptionError:
                pass  # key rotated since: start afresh
        seed = totp.new_seed()
        user.totp_secret = totp.seal(user, seed)
        user.totp_last_step = None
        user.save(update_fields=["totp_secret", "totp_last_step"])
        journal.record("accounts.totp.enrolment_started", actor=actor, target=user)
    return seed


def confirm_totp_enrolment(*, actor, code: str) -> User:
    """Put two-factor login in force once the user typed a current code from the scanned seed."""
    with transaction.atomic():
        user = _locked_user(actor)
        if user.totp_enabled:
            raise ActionError(_("Two-factor login is already set up for your account."))
        if not user.totp_secret:
            raise ActionError(_("Start the set-up again: no authenticator key is waiting for confirmation."))
        step = _matching_unused_step(user, code)
        if step is None:
            raise ActionError(_("The code is wrong or has expired. Type the 6 digits your authenticator app shows now."), field="code")
        user.totp_enabled = True
        user.totp_enabled_at = timezone.now()
        user.totp_last_step = step
        user.save(update_fields=["totp_enabled", "totp_enabled_at", "totp_last_step"])
        journal.record("accounts.totp.enabled", actor=actor, target=user)
    return user


def disable_totp(*, actor, code: str) -> User:
    """The user turns two-factor login off with a current code; refused where it is required."""
    with transaction.atomic():
        user = _locked_user(actor)
        if not user.totp_enabled:
            raise ActionError(_("Two-factor login is not set up for your account."))
        if policy.totp_required(user):
            raise ActionError(_("Two-factor login is required for your account and cannot be turned off."))
        if _matching_unused_step(user, code) is None:
            raise ActionError(_("The code is wrong or has expired. Type the 6 digits your authenticator app shows now."), field="code")
        user.totp_secret = ""
        user.totp_enabled = False
        user.totp_enabled_at = None
        user.totp_last_step = None
        user.save(update_fields=["totp_secret", "totp_enabled", "totp_enabled_at", "totp_last_step"])
        journal.record("accounts.totp.disabled", actor=actor, target=user)
    return user


def reset_totp(*, actor, user: User, reason: str) -> User:
    """Security administrator removes a user's authenticator (lost phone); the user sets up a new one
    at next login and every session of theirs ends. Not for one's own account."""
    access.require(actor, "accounts.reset_totp")
    reason = (reason or "").strip()
    if not reason:
        raise ActionError(_("A reason is required."), field="reason")
    if actor.pk == user.pk:
        raise ActionError(_("Another security administrator must reset your own authenticator."))
    with transaction.atomic():
        user = _locked_user(user)
        if not user.totp_secret and not user.totp_enabled:
            raise ActionError(_("This account has no authenticator set up."))
        user.totp_secret = ""
        user.totp_enabled = False
        user.totp_enabled_at = None
        user.totp_last_step = None
        user.session_epoch = F("session_epoch") + 1
        user.save()
        user.refresh_from_db()
        journal.record("accounts.totp.reset", actor=actor, target=user, data={"reason": reason[:500]})
        _revoke_all_tokens(actor=actor, user=user, because=ApiToken.RevokedBecause.AUTHENTICATOR_RESET)
    return user


# --- API tokens ----------------------------------------------------------------------------------

TOKEN_PREFIX_LEN = 8


def create_api_token(*, actor, name: str, read_only: bool = False) -> tuple[ApiToken, str]:
    """Create a personal API token; the secret is returned once and stored only hashed. It works
    for settings.API_TOKEN_DAYS days (until `expires_at`, exclusive); a read-only token only reads.
    Preconditions: a name, unique among the user's active tokens; at most 10 active tokens."""
    name = (name or "").strip()
    if not name:
        raise ActionError(_("Give the token a name."), field="name")
    if len(name) > 100:
        raise ActionError(_("The name is longer than 100 characters."), field="name")
    secret = "jd_" + crypto.random_token(30)
    with transaction.atomic():
        _locked_user(actor)  # serialise token creation per user so the limit holds
        now = timezone.now()
        active = ApiToken.objects.filter(user=actor, revoked_at__isnull=True, expires_at__gt=now)
        if active.count() >= MAX_ACTIVE_TOKENS:
            raise ActionError(_("You already have %(n)d active tokens; revoke one first.") % {"n": MAX_ACTIVE_TOKENS})
        if active.filter(name=name).exists():
            raise ActionError(_("You already have an active token with this name."), field="name")
        token = ApiToken.objects.create(
            user=actor,
            name=name,
            prefix=secret[:TOKEN_PREFIX_LEN],
            token_hash=crypto.digest(secret.encode()),
            created_at=now,
            expires_at=now + dt.timedelta(days=settings.API_TOKEN_DAYS),
            read_only=bool(read_only),
        )
        journal.record(
            "accounts.token.created",
            actor=actor,
            target=token,
            data={"name": token.name, "prefix": token.prefix, "read_only": token.read_only, "expires_at": token.expires_at.isoformat()},
        )
    return token, secret


def revoke_api_token(*, actor, token: ApiToken) -> ApiToken:
    """Revoke a token: one's own, or anyone's for the system administrator."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.user_id != actor.pk:
            access.require(actor, "accounts.manage_users")
        if token.revoked_at is not None:
            raise ActionError(_("This token was already revoked."))
        token.revoked_at = timezone.now()
        token.revoked_because = ApiToken.RevokedBecause.OWNER if token.user_id == actor.pk else ApiToken.RevokedBecause.ADMINISTRATOR
        token.save(update_fields=["revoked_at", "revoked_because"])
        journal.record("accounts.token.revoked", actor=actor, target=token, data={"prefix": token.prefix, "because": token.revoked_because})
    return token


def _revoke_all_tokens(*, actor, user: User, because: str) -> int:
    """Revoke every token of `user` not yet revoked (in the caller's transaction), one journal entry
    each: a password change or reset, disable, TOTP reset or "end all sessions" ends them all."""
    now = timezone.now()
    tokens = list(ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True))
    for token in tokens:
        token.revoked_at = now
        token.revoked_because = because
        token.save(update_fields=["revoked_at", "revoked_because"])
        journal.record("accounts.token.revoked", actor=actor, target=token, data={"prefix": token.prefix, "because": because})
    return len(tokens)


@dataclass
class TokenCheck:
    """The outcome of checking a presented token: `user` when it may be used, otherwise `refusal`
    (a reason code); `token` whenever the secret matched a stored token."""

    user: User | None
    token: ApiToken | None = None
    refusal: str = ""


# Refusals that mean "this secret does not authenticate" (401) rather than "not allowed" (403).
TOKEN_INVALID_REASONS = frozenset({"unknown", "revoked", "expired", "inactive"})


def check_token(secret: str, now: dt.datetime | None = None) -> TokenCheck:
    """Check a presented token: it must be known, not revoked, not expired (valid while now is
    before `expires_at`), its owner active (a login delay does not stop tokens: others can cause it by failing on purpose), and the owner must have no forced step
    pending (issued or expired password to change, required two-factor login not set up) — the
    same steps that hold a browser session back. Records the time of use (at most every 5 minutes)."""
    if not secret or not secret.startswith("jd_"):
        return TokenCheck(None, refusal="unknown")
    token = ApiToken.objects.select_related("user").filter(token_hash=crypto.digest(secret.encode())).first()
    if token is None:
        return TokenCheck(None, refusal="unknown")
    now = now or timezone.now()
    user = token.user
    refusal = ""
    if token.revoked_at is not None:
        refusal = "revoked"
    elif token.is_expired(now):
        refusal = "expired"
    elif not user.is_active:
        refusal = "inactive"
    else:
        from .middleware import forced_step

        step = forced_step(user)
        if step == "accounts:totp_enrol":
            refusal = "two_factor_setup_required"
        elif step:
            refusal = "password_change_required"
    if refusal:
        return TokenCheck(None, token, refusal)
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return TokenCheck(user, token)


def user_for_token(secret: str) -> User | None:
    """The owner of a token that may be used now (check_token), or None."""
    return check_token(secret).user


def record_token_refused(*, token: ApiToken | None, prefix: str, reason: str, path: str) -> None:
    """A request with a token was refused (unknown, revoked, expired, owner disabled or
    with a forced step pending, read-only token changing data, administrator's token outside the
    administrative endpoints). Never the secret: only its first characters."""
    with transaction.atomic():
        journal.record(
            "accounts.token.rejected",
            target=token,
            data={"prefix": prefix, "path": path[:200], "reason": reason},
            outcome="failed" if reason in TOKEN_INVALID_REASONS else "denied",
        )


# --- installation --------------------------------------------------------------------------------


def bootstrap_administrator(
    *, username: str, full_name: str, password: str, role: str, must_change_password: bool = False, published_demo_password: bool = False
) -> User:
    """Create the first holder of an administrator role on a fresh installation (manage.py
    bootstrap). Refused once any active user holds that role: after that, administrators are
    created by administrators."""
    if role not in ADMIN_ROLES:
        raise ActionError(_("Only administrator roles can be bootstrapped."), field="role")
    username = (username or "").strip()
    if not USERNAME_RE.match(username):
        raise ActionError(_("A username has 2 to 150 letters, digits or the characters . _ - @ (no spaces)."), field="username")
    with transaction.atomic():
        if RoleAssignment.objects.filter(role=role, revoked_at__isnull=True, user__is_active=True).exists():
            raise ActionError(_("This installation already has a %(role)s.") % {"role": Role(role).label})
        if User.objects.filter(username__iexact=username).exists():
            raise ActionError(_("The username %(u)s is taken.") % {"u": username}, field="username")
        # The operator typed this password at the console: no first-login change is needed, unless
        # the password is a published one (the demo district's).
        user = User(username=username, full_name=full_name or username, must_change_password=must_change_password)
        _check_password(password, user, published_demo_password=published_demo_password)
        _set_password(user, password)
        user.save()
        _remember_password(user)
        RoleAssignment.objects.create(user=user, role=role)
        journal.record("accounts.administrator.bootstrapped", target=user, data={"username": username, "role": role})
    return user
