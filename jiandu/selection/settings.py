"""Local-practice settings of selection supervision (issue #15), each with its basis."""

from django.utils.translation import gettext_lazy as _

from jiandu.core.practice import declare

declare(
    "selection.vetting_departments",
    ["区纪委监委", "卫健局", "审计局", "信访局"],
    _("Pre-appointment vetting departments (任前预审联审部门)"),
    _("Units by short or full name; each candidate's vetting request goes to each of them."),
    kind="list",
    source=_("The seed's 任前预审: discipline inspection and supervision, family planning (health), audit; petitions added locally."),
)
declare(
    "selection.vetting_working_days",
    5,
    _("Working days a vetting department has to reply"),
    kind="int",
    source=_("Local practice of the seed (5 working days)."),
)
declare(
    "selection.notice_working_days",
    5,
    _("Shortest public notice before appointment (working days)"),
    kind="int",
    mark="R",
    source=_("《党政领导干部选拔任用工作条例》(2019), 任职前公示制度: 公示期不少于五个工作日."),
)
declare(
    "selection.min_work_years",
    5,
    _("Years of work needed for a county-level leading post"),
    kind="int",
    mark="R?",
    source=_("《党政领导干部选拔任用工作条例》(2019) art. 9: 提任县处级领导职务的，应当具有五年以上工龄."),
)
declare(
    "selection.min_years_in_lower_post",
    2,
    _("Years in the lower post needed for a promotion"),
    kind="int",
    mark="R?",
    source=_("《党政领导干部选拔任用工作条例》(2019) art. 9: 由副职提任正职的，应当在副职岗位工作两年以上."),
)
