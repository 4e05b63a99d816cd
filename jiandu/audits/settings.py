"""Audits' local-practice settings (DOMAIN.md §5; core.practice, journaled when changed)."""

from django.utils.translation import gettext_lazy as _

from jiandu.core.practice import declare

declare(
    "audits.every_departure",
    True,
    _("Every departure audited (凡离必审)"),
    _("On: a departure audit and a handover open automatically when an audit subject leaves. Off: the national rule, in-term audits first."),
    kind="bool",
    source=_("Local rule of the district (凡离必审); the 2019 economic-responsibility audit provisions put in-term audits first"),
)
declare(
    "audits.handover_working_days",
    15,
    _("Departure handover deadline (working days after the departure)"),
    _("The leaver, the successor and the supervisor confirm the handover within this many working days."),
    kind="int",
    source=_("Local practice of the district: 15 working days"),
)
