from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MattersConfig(AppConfig):
    name = "jiandu.matters"
    label = "matters"
    verbose_name = _("Personal matters")

    def ready(self):
        from jiandu.core.dashboard import register_card
        from jiandu.core.navigation import PILLAR, TOOL, register_nav, register_work

        register_nav(_("Personal matters"), "matters:index", "matters.view_reports", section=PILLAR, order=60)
        register_nav(_("Passport custody"), "matters:passports", "matters.passports", section=TOOL, order=45)
        register_nav(_("My personal-matters report"), "matters:mine", "self.answer", section=TOOL, order=55)
        register_work("matters.view_reports", _("Yearly personal-matters reports, late and missing ones"), "matters:index", order=95)
        register_work("matters.view_reports", _("Random and targeted checks of personal-matters reports"), "matters:checks", order=96)
        register_work("matters.passports", _("Custody of private passports and travel requests"), "matters:passports", order=97)

        from . import (  # noqa: F401  (declares settings, registers the job, describes journal codes)
            jobs,
            journal_text,
            selection_checks,
            settings,
            timeline,
        )
        from .cards import missing_reports_card, overdue_passports_card

        register_card(missing_reports_card)
        register_card(overdue_passports_card)
