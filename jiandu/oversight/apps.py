from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "jiandu.oversight"
    label = "oversight"
    verbose_name = _("Daily supervision")

    def ready(self):
        from jiandu.core.navigation import PILLAR, register_nav, register_work

        register_nav(_("Daily supervision"), "oversight:index", "oversight.view", section=PILLAR, order=50)
        register_work("oversight.manage", _("Record talks, written inquiries and dispositions"), "oversight:index", order=10)
        register_work(
            "oversight.view",
            _("Read daily supervision: statistics, talks, inquiries and dispositions"),
            "oversight:statistics",
            order=20,
            unless="oversight.manage",
        )
        register_work("oversight.clues", _("Receive and handle the clues passed to your department"), "oversight:clue_list", order=30)

        from . import (  # noqa: F401  (declares settings, registers jobs and dashboard cards)
            appraisal_facts,
            jobs,
            journal_text,  # noqa: F401  (how its journal entries read)
            settings,
        )

        appraisal_facts.register()
        from . import referrals

        referrals.register()  # core.clue_referrals: other pillars' findings transferred as clues
        from . import (
            charts,  # noqa: F401  (its figures on the role dashboards: core.dashboard)
            timeline,  # noqa: F401  (its share of the cadre's dossier: core.timeline)
            todo,  # noqa: F401  (its items of the users' 待办 inbox: core.todo)
            yearly,  # noqa: F401  (its sections of the yearly statistics: core.statistics)
        )
