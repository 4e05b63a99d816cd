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
    "selection.vetting_reminder_days",
    2,
    _("Days before the reply is due on which a vetting department is reminded"),
    _(
        "The daily job reminds each department without a reply once, from this many days before the due date to the due date itself; the day after, an unanswered request is escalated to the organisation department."
    ),
    kind="int",
    source=_("Local practice: a reminder two days before the due date."),
)
declare(
    "selection.material_stages",
    ["民主推荐", "考察"],
    _("Stages whose record needs at least one attached file before the record sheet is final"),
    _("Stage names as in the procedure: 动议, 民主推荐, 确定考察对象, 任前预审, 考察, 酝酿, 讨论决定, 任前公示, 任职."),
    kind="list",
    source=_("Local practice: the recommendation's tally and the inspection materials are kept with the full-process record (一人一表)."),
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

# 一报告两评议 (issue #15 §7). The seed shows the selection work's 满意率 with two decimals
# (131/133 → 98.49 %) and a newly appointed cadre's 认同率 with one (132/133 → 99.2 %) in the same
# report: each figure's places are a setting, copied into its section of the ballot (the ballot
# engine's per-section `rate_places`); the rounding mode is the district's `rates.rounding_mode`.
declare(
    "selection.survey_work_places",
    2,
    _("Decimal places of the satisfaction rates of the selection work (一报告两评议)"),
    kind="int",
    source=_("The seed reports 131/133 as 98.49 % (two decimal places)."),
)
declare(
    "selection.survey_appointee_places",
    1,
    _("Decimal places of the approval rates of newly appointed cadres (一报告两评议)"),
    kind="int",
    source=_("The seed reports 132/133 as 99.2 % (one decimal place)."),
)
declare(
    "selection.survey_low_share",
    "1/3",
    _("Share of 不认同 at which a newly appointed cadre is listed for explanation"),
    _("A fraction such as 1/3; reached when the share of 不认同 among valid votes is at least this value."),
    source=_("本地做法: a third of valid votes against an appointment is treated as a low rating that the organisation department must explain and act on."),
)
