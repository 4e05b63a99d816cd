"""Two-factor login (TOTP): enrolment, confirmation, disabling and the security administrator's reset."""

import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.core import crypto, journal
from jiandu.core.errors import ActionError

from .. import access, policy, totp
from ..models import ApiToken, User
from .base import _locked_user
from .login import _matching_unused_step
from .tokens import _revoke_all_tokens

log = logging.getLogger("jiandu.accounts")

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
