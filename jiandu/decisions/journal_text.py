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

# 阳光周志 (weekly logs), leaders' public profiles and the public's feedback
describe(
    {
        "decisions.weekly_log.submitted": _("submitted a leader's weekly log"),
        "decisions.weekly_log.resubmitted": _("submitted a revised weekly log"),
        "decisions.weekly_log.published": _("published a weekly log on the public portal"),
        "decisions.weekly_log.returned": _("returned a weekly log for revision"),
        "decisions.weekly_log.reminded": _("reminded a leader of the weekly log due"),
        "decisions.leader_profile.saved": _("set a leader's public profile (portfolio and office contact)"),
        "decisions.feedback.received": _("received a message from the public portal"),
        "decisions.feedback.published": _("published a message from the public with its reply"),
        "decisions.feedback.withheld": _("decided not to publish a message from the public"),
        "decisions.feedback.passed_as_clue": _("passed a report from the public to daily supervision as a clue"),
    }
)

# list exports (xlsx of the rows a list page shows, with its filters)
describe(
    {
        "decisions.bodies.exported": _("exported the list of decision-making bodies"),
        "decisions.meetings.exported": _("exported the list of meetings"),
        "decisions.violations.exported": _("exported the list of 三重一大 violations"),
        "decisions.tasks.exported": _("exported the list of tasks from decisions"),
        "decisions.weekly_logs.exported": _("exported the list of weekly logs"),
        "decisions.feedback.exported": _("exported the list of messages from the public"),
    }
)
