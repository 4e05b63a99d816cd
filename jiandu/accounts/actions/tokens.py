"""Personal API tokens: create, revoke, check a presented secret, record refusals."""

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.core import crypto, journal
from jiandu.core.errors import ActionError

from .. import access
from ..models import ApiToken, User
from .base import MAX_ACTIVE_TOKENS, _locked_user

log = logging.getLogger("jiandu.accounts")

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
        from ..middleware import forced_step

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
