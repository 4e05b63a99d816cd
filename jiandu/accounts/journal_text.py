"""How the accounts app's journal entries read (issue #9 part 4): what the actor did."""

from django.utils.translation import gettext_lazy as _

from jiandu.core.journal_text import describe

describe(
    {
        "accounts.administrator.bootstrapped": _("created the first administrator account"),
        "accounts.login.delayed": _("had to wait before the next login attempt"),
        "accounts.login.failed": _("failed to log in"),
        "accounts.login.refused": _("was refused a login during the waiting time"),
        "accounts.login.rate_limited": _("was refused: too many login attempts from one address"),
        "accounts.login.succeeded": _("logged in"),
        "accounts.logout": _("logged out"),
        "accounts.password.changed": _("changed the password"),
        "accounts.password.reset": _("reset a user's password"),
        "accounts.role.assigned": _("assigned a role"),
        "accounts.role.revoked": _("revoked a role"),
        "accounts.session.expired": _("was logged out after inactivity"),
        "accounts.sessions.ended": _("ended all sessions of a user"),
        "accounts.token.created": _("created an access token"),
        "accounts.token.rejected": _("was refused with an invalid access token"),
        "accounts.token.revoked": _("revoked an access token"),
        "accounts.totp.disabled": _("turned off two-factor login"),
        "accounts.totp.enabled": _("turned on two-factor login"),
        "accounts.totp.enrolment_started": _("started setting up two-factor login"),
        "accounts.totp.reset": _("reset a user's two-factor login"),
        "accounts.user.created": _("created a user account"),
        "accounts.user.disabled": _("disabled a user account"),
        "accounts.user.enabled": _("re-enabled a user account"),
        "accounts.user.unlocked": _("lifted a user's login delay"),
    }
)
