"""How core's journal entries read (issue #9 part 4): what the actor did."""

from django.utils.translation import gettext_lazy as _

from jiandu.core.journal_text import describe, label

describe(
    {
        "core.access.denied": _("was refused access"),
        "core.journal.checkpoint_downloaded": _("downloaded a signed checkpoint of the journal"),
        "core.journal.verified": _("verified the journal"),
        "core.setting.changed": _("changed a setting"),
        "core.setting.reset": _("reset a setting to its default"),
    }
)

# Labels of the data keys shared by many actions (internal ids, hashes and codes stay unlabelled).
label(
    {
        "reason": _("reason"),
        "year": _("year"),
        "title": _("title"),
        "name": _("name"),
        "username": _("user name"),
        "subject": _("subject"),
        "cadres": _("cadres"),
        "units": _("units"),
        "teams": _("teams"),
        "rows": _("rows"),
        "count": _("count"),
        "note": _("note"),
        "due_on": _("due on"),
        "done_on": _("done on"),
        "started_on": _("started on"),
        "ended_on": _("ended on"),
        "occurred_on": _("occurred on"),
        "held_on": _("held on"),
        "decided_on": _("decided on"),
        "issued_on": _("issued on"),
        "delivered_on": _("delivered on"),
        "replied_on": _("replied on"),
        "received_on": _("received on"),
        "lifted_on": _("lifted on"),
        "influence_ends_on": _("influence ends on"),
        "reply_due_on": _("reply due on"),
        "reply_due": _("reply due on"),
        "receipt_due": _("receipt due on"),
        "feedback_due": _("feedback due on"),
        "talk_due": _("talk due on"),
        "signed_off_on": _("signed off on"),
        "opens_at": _("opens at"),
        "closes_at": _("closes at"),
        "expires_at": _("expires at"),
        "number": _("number"),
        "grade": _("grade"),
        "proposed": _("proposed grades"),
        "threshold": _("threshold"),
        "valid_votes": _("valid votes"),
        "online_ballots": _("online ballots"),
        "paper_sheets": _("paper ballots"),
        "codes": _("voting codes"),
        "codes_used": _("codes used"),
        "ballots": _("ballots"),
        "yellow_cards": _("yellow cards"),
        "cadres_added": _("cadres added"),
        "cadres_skipped": _("cadres skipped"),
        "working_days_left": _("working days left"),
        "working_days_overdue": _("working days overdue"),
        "second_factor": _("second factor"),
        "read_only": _("read only"),
        "seconds": _("seconds"),
        "checked": _("entries checked"),
        "verified": _("verified"),
        "late": _("late"),
        "inclusive": _("threshold included"),
        "is_acting": _("acting"),
        "is_principal": _("principal"),
        "has_financial_authority": _("financial authority"),
        "by_cadre": _("by the cadre"),
        "changed_from_proposal": _("changed from the proposal"),
        "rows_imported": _("rows imported"),
    }
)
