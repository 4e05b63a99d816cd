"""How the audits app's journal entries read: what the actor did."""

from django.utils.translation import gettext_lazy as _

from jiandu.core.journal_text import describe

describe(
    {
        "audits.departure_audit.opened": _("opened a departure audit"),
        "audits.handover.opened": _("opened a departure handover"),
        "audits.departure.left_to_plan": _("left a departure to the audit plan (every-departure rule off)"),
        "audits.handover.parties_set": _("named the parties to a departure handover"),
        "audits.handover.item_recorded": _("recorded an item of a departure handover"),
        "audits.handover.signed": _("confirmed a departure handover"),
        "audits.audit.notice_served": _("served an audit notice"),
        "audits.departure.exempted": _("exempted a departure from the departure audit and handover"),
    }
)
