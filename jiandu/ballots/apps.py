from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BallotsConfig(AppConfig):
    name = "jiandu.ballots"
    label = "ballots"

    def ready(self):
        from jiandu.core.navigation import TOOL, register_nav, register_work

        register_nav(_("Ballots"), "ballots:index", "ballots.manage", section=TOOL, order=30)
        register_work("ballots.manage", _("Prepare ballots, print voting codes and read the results"), "ballots:index", order=70)
        register_work("ballots.view_results", _("Read the results of closed ballots"), "ballots:index", order=80, unless="ballots.manage")

        from . import (
            cards,  # noqa: F401 - registers the dashboard card
            journal_text,  # noqa: F401  (how its journal entries read)
        )
