from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "jiandu.decisions"
    label = "decisions"

    def ready(self):
        from jiandu.core.navigation import PILLAR, register_nav, register_work

        from . import journal_text  # noqa: F401  (how its journal entries read)

        register_nav(_("Institutional supervision"), "decisions:index", "decisions.view", section=PILLAR, order=10)
        register_work("decisions.view", _("Collective decisions and weekly logs"), "decisions:index", order=110)

        from . import register_setup

        register_setup.ready()
        # 阳光周志 (weekly logs) and the public's feedback
        from . import log_jobs, log_settings  # noqa: F401  (the weekly reminder, cards and settings)

        register_work("decisions.submit_log", _("Write the weekly log (阳光周志)"), "decisions:logs", order=111)
        register_work("decisions.review_log", _("Review weekly logs and the public's feedback"), "decisions:logs", order=112)
        from . import (
            charts,  # noqa: F401  (its series on the role dashboards: core.dashboard)
            timeline,  # noqa: F401  (its share of the cadre's dossier: core.timeline)
            todo,  # noqa: F401  (its items of the users' 待办 inbox: core.todo)
            yearly,  # noqa: F401  (its sections of the yearly statistics: core.statistics)
        )
