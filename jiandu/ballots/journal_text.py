"""How the ballots app's journal entries read (issue #9 part 4): what the actor did."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jiandu.core.journal_text import describe, label

describe(
    {
        "ballots.ballot.closed": _("closed the ballot"),
        "ballots.ballot.created": _("created the ballot"),
        "ballots.ballot.discarded": _("discarded the ballot"),
        "ballots.ballot.eligibility_changed": _("changed who may vote"),
        "ballots.ballot.opened": _("opened the ballot"),
        "ballots.ballot.rate_display_set": _("set how rates are shown"),
        "ballots.ballot.recounted": _("recounted the ballot"),
        "ballots.ballot.updated": _("changed the ballot"),
        "ballots.ballot.window_changed": _("changed the voting period"),
        "ballots.code.rejected": _("a voting code was refused"),
        "ballots.codes.generated": _("generated voting codes"),
        "ballots.codes.voided": _("voided voting codes"),
        "ballots.paper.counts_entered": _("entered paper ballot counts"),
        "ballots.paper.issued": _("issued paper ballots"),
        "ballots.paper.resolved": _("resolved a paper ballot"),
        "ballots.paper.sheet_entered": _("entered a paper ballot"),
        "ballots.paper.voided": _("voided a paper ballot"),
        "ballots.results.downloaded": _("downloaded the results"),
        "ballots.subject.report_changed": _("changed a self-report"),
    }
)

label(
    {
        "write_ins": pgettext_lazy("journal", "names written in"),
        "invalid_for_a_post": pgettext_lazy("journal", "ballots invalid for a post"),
    }
)
