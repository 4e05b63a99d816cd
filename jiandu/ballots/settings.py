"""Local-practice settings of the ballots app (DOMAIN.md §4 [L]: the arithmetic of democratic
evaluation is local practice). Rate rounding uses core's `rates.*` settings."""

from django.utils.translation import gettext_lazy as _

from jiandu.core.practice import declare

declare(
    "ballots.min_group_size",
    5,
    _("Smallest voter group shown separately in results"),
    _("Per-group breakdowns of groups with fewer counted ballots are hidden (and one more group when needed, so the hidden ones cannot be derived)."),
    kind="int",
)
declare(
    "ballots.points.grade",
    ["100", "80", "60", "40"],
    _("Points for 优秀/称职/基本称职/不称职"),
    _("Copied into a ballot when it is created from the preset scale; 不了解 has no points."),
    kind="list",
)
declare("ballots.points.team_grade", ["100", "80", "60", "40"], _("Points for 优秀/良好/一般/较差"), kind="list")
declare("ballots.points.quality", ["100", "80", "60", "40"], _("Points for 好/较好/一般/差"), kind="list")
declare("ballots.points.satisfaction", ["100", "80", "40"], _("Points for 满意/基本满意/不满意"), kind="list")
declare("ballots.points.agreement", ["100", "80", "40"], _("Points for 认同/基本认同/不认同"), kind="list")
declare(
    "ballots.code_attempt_limit",
    20,
    _("Wrong voting codes allowed per network address"),
    _("After this many unknown or mistyped codes within the window, the address must wait."),
    kind="int",
)
declare("ballots.code_attempt_window_minutes", 15, _("Window for counting wrong voting codes (minutes)"), kind="int")
declare(
    "ballots.public_base_url",
    "",
    _("Address voters use to reach the voting page"),
    _("The web address printed in the QR codes; when empty, the address of the server that generated them."),
)
declare("ballots.report_max_mb", 10, _("Largest self-report file (MB)"), kind="int")
