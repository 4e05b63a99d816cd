"""What the account actions share: password checks and history, the locked user row."""

import logging
import re

from django.conf import settings
from django.contrib.auth import hashers, password_validation
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.core.errors import ActionError

from .. import passwords
from ..models import PasswordHistory, User

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
