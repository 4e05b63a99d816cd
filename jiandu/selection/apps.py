from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelectionConfig(AppConfig):
    name = "jiandu.selection"
    label = "selection"

    def ready(self):
        from jiandu.core.dashboard import register_card
        from jiandu.core.navigation import PILLAR, register_nav, register_work

        from . import (
            alerts,  # noqa: F401  (early-warning rules)
            jobs,  # noqa: F401  (the daily vetting reminders and escalation)
            journal_text,  # noqa: F401  (how its journal entries read)
            settings,  # noqa: F401  (local-practice settings)
            timeline,  # noqa: F401  (the dossier's selection entries)
        )
        from .cards import vetting_card

        register_nav(_("Selection supervision"), "selection:index", "selection.view", section=PILLAR, order=40)
        register_work("selection.vet", _("Give your department's opinion on candidates for appointment (联审)"), "selection:index", order=100)
        register_work("selection.manage", _("Record selection cases stage by stage"), "selection:index", order=101)
        register_card(vetting_card)
        from jiandu.registry.hooks import register_tenure_links

        from . import (
            charts,  # noqa: F401  (its figures on the role dashboards: core.dashboard)
            todo,  # noqa: F401  (its items of the users' 待办 inbox: core.todo)
            yearly,  # noqa: F401  (its sections of the yearly statistics: core.statistics)
        )
        from .tenure_links import trace_links

        register_tenure_links(trace_links)  # the cadre page's tenure → the appointment's trace-back report
