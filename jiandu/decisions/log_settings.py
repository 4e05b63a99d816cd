"""Local-practice settings of 阳光周志 (weekly logs of district leaders, DOMAIN.md §3 [L])."""

from django.utils.translation import gettext_lazy as _

from jiandu.core.practice import declare
from jiandu.registry.models import LeadershipLevel

declare(
    "decisions.weekly_log.levels",
    ["county_chief", "county_deputy"],
    _("Leadership levels that must write weekly logs"),
    _("Holders of a current leading post at one of the ticked levels (by default 县处级正职 and 县处级副职: the district's leaders)."),
    kind="list",
    choices=LeadershipLevel.choices,
    source=_("阳光周志: each district leader reports weekly to the party committee (local rule)."),
)
declare(
    "decisions.weekly_log.deadline_weekday",
    0,
    _("Weekly log deadline: weekday of the following week (0 = Monday)"),
    _("The log of a week is due on this weekday of the next week; a day that is not a working day moves the deadline to the next working day."),
    kind="int",
    source=_("Local rule: Monday noon for the previous week."),
)
declare(
    "decisions.weekly_log.deadline_time",
    "12:00",
    _("Weekly log deadline: time of day"),
    _("24-hour clock, Beijing time; a log submitted at this minute is on time, one minute later it is late."),
    source=_("Local rule: Monday noon for the previous week."),
)
declare(
    "decisions.weekly_log.feedback_per_hour",
    10,
    _("Public feedback: sending attempts per network address and hour"),
    kind="int",
    source=_("Protection of the public portal against floods (local rule)."),
)
