from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _start_session_clock(sender, request, user, **kwargs):
    # Session plumbing, not domain logic: every login (our login view, and the test client's
    # force_login, which calls django.contrib.auth.login too) starts the absolute and idle clocks.
    from .middleware import start_session_clock

    if request is not None and hasattr(request, "session"):
        start_session_clock(request)


class AccountsConfig(AppConfig):
    name = "jiandu.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from jiandu.core.navigation import TOOL, register_nav, register_work

        register_nav(_("Users"), "accounts:user_list", "accounts.manage_users", section=TOOL, order=60)
        register_nav(_("Role assignments"), "accounts:user_list", "accounts.assign_roles", section=TOOL, order=70)
        register_work("accounts.manage_users", _("Create and manage user accounts"), "accounts:user_list", order=140)
        register_work("accounts.assign_roles", _("Assign roles and unlock accounts"), "accounts:user_list", order=150)

        from django.contrib.auth.signals import user_logged_in

        from jiandu.core import permissions

        from . import access, policy  # noqa: F401  (policy declares the two-factor and rate-limit settings)

        permissions.register_policy(access)  # what core's settings actions and journal reads ask

        from . import journal_text  # noqa: F401  (how its journal entries read)

        user_logged_in.connect(_start_session_clock, dispatch_uid="jiandu.accounts.session_clock")
