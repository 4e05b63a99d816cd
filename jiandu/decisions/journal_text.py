"""How the journal entries of collective decisions read: what the actor did."""

from django.utils.translation import gettext_lazy as _

from jiandu.core.journal_text import describe

describe(
    {
        "decisions.body.created": _("set up a decision-making body with its members"),
        "decisions.minutes.printed": _("printed the minutes of a meeting"),
        "decisions.meeting.recorded": _("recorded a meeting with its attendance, agenda items and statements"),
    }
)
