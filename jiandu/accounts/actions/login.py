"""Logins: password and second-factor checks, failures and their growing delay, unlocking, login records."""

import datetime as dt
import logging
from dataclasses import dataclass

from django.contrib.auth import hashers
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.core import crypto, journal
from jiandu.core.errors import ActionError
from jiandu.core.practice import get_setting

from .. import access, totp
from ..models import User
from .base import _locked_user

log = logging.getLogger("jiandu.accounts")

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
    from .. import ratelimit

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
    from .. import ratelimit

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
