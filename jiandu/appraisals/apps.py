from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppraisalsConfig(AppConfig):
    name = "jiandu.appraisals"
    label = "appraisals"
    verbose_name = "Appraisals"

    def ready(self):
        from jiandu.core.navigation import PILLAR, TOOL, register_nav, register_work

        register_nav(_("Target supervision"), "appraisals:index", "appraisals.view", section=PILLAR, order=20)
        register_nav(_("Appraisal results of my unit"), "appraisals:unit_results", "appraisals.view_unit_results", section=TOOL, order=40)
        register_work("appraisals.manage", _("Run annual appraisals and democratic evaluations"), "appraisals:index", order=40)
        register_work("appraisals.view", _("Read appraisal results"), "appraisals:index", order=50, unless="appraisals.manage")
        register_work("appraisals.view_unit_results", _("Read the confirmed appraisal results of your unit"), "appraisals:unit_results", order=60)

        from jiandu.core.dashboard import register_card

        from . import (
            dashboard,
            journal_text,  # noqa: F401  (how its journal entries read)
        )

        register_card(dashboard.pending_yellow_cards)

        from jiandu.registry.hooks import register_appraisal_results

        from .queries import confirmed_annual_grades

        register_appraisal_results(confirmed_annual_grades)  # 年度考核结果 on the 任免审批表
        from . import (
            timeline,  # noqa: F401  (its share of the cadre's dossier: core.timeline)
            yearly,  # noqa: F401  (its sections of the yearly statistics: core.statistics)
        )
