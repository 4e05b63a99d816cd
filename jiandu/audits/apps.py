from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    name = "jiandu.audits"
    label = "audits"
    verbose_name = _("Responsibility supervision")

    def ready(self):
        from jiandu.core.dashboard import register_card
        from jiandu.core.navigation import PILLAR, register_nav, register_work

        register_nav(_("Responsibility supervision"), "audits:index", "audits.view", section=PILLAR, order=30)
        register_work("audits.manage", _("Economic-responsibility audits and departure handovers"), "audits:index", order=90)
        register_work("audits.manage", _("Departures without an audit or handover"), "audits:departures", order=91)
        register_work("audits.manage", _("Departure handovers and the overdue ones"), "audits:handovers", order=92)
        register_work("audits.manage", _("In-term audits: candidates ranked by risk, and the yearly audit plan"), "audits:candidates", order=93)
        register_work("audits.manage", _("Audit findings and overdue rectifications"), "audits:findings", order=96)
        register_work("audits.manage", _("Training and warning education: sessions, attendance and hours"), "audits:training_list", order=97)
        register_work("audits.approve", _("Approve exemptions from the departure audit"), "audits:departures", order=94)
        register_work("audits.approve", _("Approve the yearly audit plan"), "audits:plans", order=95)

        from . import (  # noqa: F401  (declares settings, registers the consumer, describes journal codes)
            consumers,
            jobs,
            journal_text,
            settings,
        )
        from .cards import draft_plans_card, open_departures_card, overdue_handovers_card, overdue_rectifications_card, pending_exemptions_card

        register_card(open_departures_card)
        register_card(overdue_handovers_card)
        register_card(pending_exemptions_card)
        register_card(draft_plans_card)
        register_card(overdue_rectifications_card)
        from jiandu.registry.hooks import register_move_hold

        from . import (
            timeline,  # noqa: F401  (its share of the cadre's dossier: core.timeline)
            todo,  # noqa: F401  (its items of the users' 待办 inbox: core.todo)
        )
        from .hooks import move_hold

        register_move_hold(move_hold)  # the personnel move held until the handover is signed (setting)
        from . import (
            charts,  # noqa: F401  (its figures on the role dashboards: core.dashboard)
            yearly,  # noqa: F401  (its sections of the yearly statistics: core.statistics)
        )
