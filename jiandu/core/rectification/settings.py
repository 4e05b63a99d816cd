"""Local-practice settings of rectification, shared by audits and inspection tours."""

from django.utils.translation import gettext_lazy as _

from jiandu.core.practice import declare

declare(
    "rectification.default_days",
    60,
    _("Default rectification deadline (days after the report)"),
    _("An item's deadline when none is given: this many calendar days after the report that found the problem."),
    kind="int",
    source=_("Local practice of the district: rectification reported within 60 days of the report"),
)
declare(
    "rectification.escalation_working_days",
    10,
    _("Escalate overdue rectification after (working days)"),
    _("An item still not closed this many working days after its deadline is escalated once (journaled and marked on the pages)."),
    kind="int",
)
declare("rectification.evidence_max_mb", 20, _("Largest rectification evidence file (MB)"), kind="int")
