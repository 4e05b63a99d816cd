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

# One module per aggregate; every public name stays importable from here.
from .base import *  # noqa: F403
from .installation import *  # noqa: F403
from .login import *  # noqa: F403
from .tokens import *  # noqa: F403
from .two_factor import *  # noqa: F403
from .users import *  # noqa: F403
