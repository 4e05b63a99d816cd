"""Account security policy (SECURITY.md "Identity and sessions"): the local settings it reads and
the row-only predicates shared by the middleware, the views and the actions.

Core declares the session and lockout settings (security.idle_timeout_minutes,
security.lockout_threshold, security.lockout_minutes, security.password_max_age_days); the
two-factor and rate-limit settings are declared here.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiandu.core.practice import declare, get_setting

from .models import ADMIN_ROLES

declare(
    "security.require_totp_for_admins",
    True,
    _("Require two-factor login for administrators"),
    _("The system, security and audit administrators must use an authenticator app. Turning this off has an effect only in demo mode, for demo accounts."),
    kind="bool",
)
declare(
    "security.require_totp_for_all",
    False,
    _("Require two-factor login for every user"),
    _("When on, every user must set up an authenticator app at their next login."),
    kind="bool",
)
declare(
    "security.login_rate_limit",
    20,
    _("Failed logins per address before a pause (0 = no limit)"),
    _(
        "Counts failed logins from one network address, in addition to the per-account delays; from this number on the address waits before each further attempt."
    ),
    kind="int",
)
declare("security.login_rate_window_minutes", 15, _("Login rate-limit window (minutes)"), kind="int")
declare(
    "security.login_delay_seconds",
    30,
    _("First login delay (seconds)"),
    _("The wait after the last allowed failed login, for an account or an address; it doubles with every further failure up to the longest delay."),
    kind="int",
)
declare(
    "security.login_challenge_after",
    3,
    _("Failed logins before the login form asks a question (0 = never)"),
    _("Counted per network address and per username; the question is a small sum checked by the server."),
    kind="int",
)

# How long the second login step may wait for its code after the password was accepted.
PENDING_SECOND_FACTOR_SECONDS = 300


def is_demo_account(user) -> bool:
    return bool(settings.DEMO_MODE and user.username.startswith("demo_"))


def totp_required(user, roles: set[str] | None = None) -> bool:
    """Must this user log in with a second factor? Administrators always (unless relaxed for a
    demo account in demo mode); everyone when security.require_totp_for_all is on."""
    if get_setting("security.require_totp_for_all"):
        return True
    if roles is None:
        from . import access

        roles = access.roles(user)
    if roles & ADMIN_ROLES:
        return bool(get_setting("security.require_totp_for_admins")) or not is_demo_account(user)
    return False


def must_change_issued_password(user) -> bool:
    return user.must_change_password and not is_demo_account(user)


def password_expires_at(user) -> dt.datetime | None:
    """When the password must be changed (periodic change per 等保), or None if never."""
    days = get_setting("security.password_max_age_days")
    if not days:
        return None
    changed = user.password_changed_at or user.created_at
    return changed + dt.timedelta(days=days)


def password_expired(user, now: dt.datetime | None = None) -> bool:
    expires = password_expires_at(user)
    return expires is not None and (now or timezone.now()) > expires and not is_demo_account(user)
