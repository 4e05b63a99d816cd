"""How core's journal entries read (issue #9 part 4): what the actor did."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jiandu.core.journal_text import describe, label

describe(
    {
        "core.access.denied": _("was refused access"),
        "core.journal.checkpoint_downloaded": _("downloaded a signed checkpoint of the journal"),
        "core.journal.verified": _("verified the journal"),
        "core.setting.changed": _("changed a setting"),
        "core.setting.reset": _("reset a setting to its default"),
        "core.event.retry_requested": _("asked for a failed background event to be retried"),
        "core.events.backfilled": _("handed older events to a newly installed consumer (backfill)"),
        "core.todo.opened": _("opened an item of their to-do list"),
        "core.notifications.read": _("marked notifications read"),
        "core.notifications.address_changed": _("changed the address for notification mail"),
    }
)

# Labels of the data keys shared by many actions (internal ids, hashes and codes stay unlabelled).
label(
    {
        "reason": pgettext_lazy("journal", "reason"),
        "year": pgettext_lazy("journal", "year"),
        "title": pgettext_lazy("journal", "title"),
        "name": pgettext_lazy("journal", "name"),
        "username": pgettext_lazy("journal", "user name"),
        "subject": pgettext_lazy("journal", "subject"),
        "cadres": pgettext_lazy("journal", "cadres"),
        "units": pgettext_lazy("journal", "units"),
        "teams": pgettext_lazy("journal", "teams"),
        "rows": pgettext_lazy("journal", "rows"),
        "count": pgettext_lazy("journal", "count"),
        "note": pgettext_lazy("journal", "note"),
        "due_on": pgettext_lazy("journal", "due on"),
        "done_on": pgettext_lazy("journal", "done on"),
        "started_on": pgettext_lazy("journal", "started on"),
        "ended_on": pgettext_lazy("journal", "ended on"),
        "occurred_on": pgettext_lazy("journal", "occurred on"),
        "held_on": pgettext_lazy("journal", "held on"),
        "decided_on": pgettext_lazy("journal", "decided on"),
        "issued_on": pgettext_lazy("journal", "issued on"),
        "delivered_on": pgettext_lazy("journal", "delivered on"),
        "replied_on": pgettext_lazy("journal", "replied on"),
        "received_on": pgettext_lazy("journal", "received on"),
        "lifted_on": pgettext_lazy("journal", "lifted on"),
        "influence_ends_on": pgettext_lazy("journal", "influence ends on"),
        "reply_due_on": pgettext_lazy("journal", "reply due on"),
        "reply_due": pgettext_lazy("journal", "reply due on"),
        "receipt_due": pgettext_lazy("journal", "receipt due on"),
        "feedback_due": pgettext_lazy("journal", "feedback due on"),
        "talk_due": pgettext_lazy("journal", "talk due on"),
        "signed_off_on": pgettext_lazy("journal", "signed off on"),
        "opens_at": pgettext_lazy("journal", "opens at"),
        "closes_at": pgettext_lazy("journal", "closes at"),
        "expires_at": pgettext_lazy("journal", "expires at"),
        "number": pgettext_lazy("journal", "number"),
        "grade": pgettext_lazy("journal", "grade"),
        "proposed": pgettext_lazy("journal", "proposed grades"),
        "threshold": pgettext_lazy("journal", "threshold"),
        "valid_votes": pgettext_lazy("journal", "valid votes"),
        "online_ballots": pgettext_lazy("journal", "online ballots"),
        "paper_sheets": pgettext_lazy("journal", "paper ballots"),
        "codes": pgettext_lazy("journal", "voting codes"),
        "codes_used": pgettext_lazy("journal", "codes used"),
        "ballots": pgettext_lazy("journal", "ballots"),
        "yellow_cards": pgettext_lazy("journal", "yellow cards"),
        "cadres_added": pgettext_lazy("journal", "cadres added"),
        "cadres_skipped": pgettext_lazy("journal", "cadres skipped"),
        "working_days_left": pgettext_lazy("journal", "working days left"),
        "working_days_overdue": pgettext_lazy("journal", "working days overdue"),
        "second_factor": pgettext_lazy("journal", "second factor"),
        "read_only": pgettext_lazy("journal", "read only"),
        "seconds": pgettext_lazy("journal", "seconds"),
        "checked": pgettext_lazy("journal", "entries checked"),
        "verified": pgettext_lazy("journal", "verified"),
        "late": pgettext_lazy("journal", "late"),
        "inclusive": pgettext_lazy("journal", "threshold included"),
        "is_acting": pgettext_lazy("journal", "acting"),
        "is_principal": pgettext_lazy("journal", "principal"),
        "has_financial_authority": pgettext_lazy("journal", "financial authority"),
        "by_cadre": pgettext_lazy("journal", "by the cadre"),
        "changed_from_proposal": pgettext_lazy("journal", "changed from the proposal"),
        "rows_imported": pgettext_lazy("journal", "rows imported"),
    }
)
