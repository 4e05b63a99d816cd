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

        from . import (  # noqa: F401  (declares settings, registers the consumer, describes journal codes)
            consumers,
            journal_text,
            settings,
        )
        from .cards import open_departures_card, overdue_handovers_card

        register_card(open_departures_card)
        register_card(overdue_handovers_card)
        from . import timeline  # noqa: F401  (its share of the cadre's dossier: core.timeline)
