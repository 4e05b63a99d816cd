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
        from . import timeline  # noqa: F401  (its share of the cadre's dossier: core.timeline)
