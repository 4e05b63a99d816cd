"""Local-practice settings of 个人有关事项 (core.practice, journaled when changed). The articles
cited are those of 《领导干部报告个人有关事项规定》(2017, revised 2023; "规定") and of
《领导干部个人有关事项报告查核结果处理办法》(2017; "处理办法")."""

from django.utils.translation import gettext_lazy as _

from jiandu.core.practice import declare
from jiandu.registry.models import LeadershipLevel, Rank, Unit

from .items import FAMILY, KINDS

declare(
    "matters.reporting_levels",
    ["county_deputy", "county_chief", "bureau_deputy", "bureau_chief"],
    _("Leadership levels that report personal matters"),
    _("A serving cadre holding a leading post at one of the ticked levels reports."),
    kind="list",
    choices=LeadershipLevel.choices,
    mark="R",
    source=_("规定 art. 2: leading cadres at deputy county/division level and above"),
)
declare(
    "matters.reporting_ranks",
    ["inspector_1", "inspector_2", "researcher_1", "researcher_2", "researcher_3", "researcher_4"],
    _("Ranks that report personal matters"),
    _("A serving cadre holding one of the ticked ranks reports even without a leading post."),
    kind="list",
    choices=Rank.choices,
    mark="R",
    source=_("规定 art. 2: non-leading cadres of deputy county/division level and above (the 2019 ranks of that level)"),
)
declare(
    "matters.reporting_unit_kinds",
    [
        "party_committee",
        "peoples_congress",
        "government",
        "cppcc",
        "discipline",
        "party_department",
        "government_department",
        "street",
        "public_institution",
        "soe",
        "school",
        "court",
        "procuratorate",
        "mass_organisation",
    ],
    _("Kinds of units whose cadres report personal matters"),
    _("Cadres of units of the ticked kinds report; cadres of other kinds of units do not."),
    kind="list",
    choices=Unit.Kind.choices,
    mark="R",
    source=_(
        "规定 art. 2: party, congress, government, CPPCC, supervision, judicial and procuratorial organs, mass organisations, public institutions and state-owned enterprises"
    ),
)
declare(
    "matters.deadline",
    "01-31",
    _("Yearly reporting deadline (month-day)"),
    _("The yearly report of the previous year's matters is due by this day (MM-DD)."),
    mark="R",
    source=_("规定 art. 5: the yearly report is made by 31 January"),
)
declare(
    "matters.reminder_days",
    7,
    _("Reminder: days before the deadline"),
    _("The daily job reminds a reporter who has not submitted this many days before the deadline, and again the day after it."),
    kind="int",
    source=_("Local practice of the district"),
)
declare(
    "matters.random_share",
    "1/10",
    _("Share of reporters drawn for the yearly random check"),
    _("A fraction such as 1/10; the number drawn is rounded up."),
    kind="fraction",
    mark="R",
    source=_("领导干部个人有关事项报告抽查核实办法 (2017): a random check of 10 % of the reporters each year"),
)
declare(
    "matters.check_departments",
    ["不动产登记机构", "市场监督管理部门", "证券监督管理机构", "公安机关出入境管理部门", "银行业金融机构"],
    _("Departments asked for records in a check"),
    _("One department per line; a check sends a request to each and compares their replies with the report."),
    kind="list",
    source=_("规定 art. 13 and the check procedure: real estate, market regulation, securities, exit-entry and banking records"),
)
declare(
    "matters.passport_return_days",
    10,
    _("Passport return deadline (days after the return from travel)"),
    _("A lent passport or permit is to be handed back within this many days after the traveller's return."),
    kind="int",
    mark="R?",
    source=_("Provisions on the management of private exit-entry documents of registered staff: handed back within 10 days of the return"),
)
declare(
    "matters.passport_reminder_days",
    3,
    _("Passport return reminder: days before the due date"),
    _("The daily job reminds the holder of a lent passport or permit this many days before it is due back (once)."),
    kind="int",
    source=_("Local practice of the district"),
)
declare(
    "matters.passport_escalation_days",
    5,
    _("Passport return escalation: days overdue"),
    _("A lent passport or permit not back this many days after its due date is reported to the head of the organisation department (once)."),
    kind="int",
    source=_("Local practice of the district"),
)
declare(
    "matters.event_kinds",
    ["marriage", "abroad"],
    _("Matters reported when they change (事项变化随时报告)"),
    _("A change of one of the ticked family matters is reported between the yearly reports, within the days set below."),
    kind="list",
    choices=[(k.code, k.label) for k in KINDS.values() if k.section == FAMILY],
    mark="R?",
    source=_("规定 art. 6: changes of marriage and the emigration of a spouse or child are reported as they occur (the list not confirmed against the text)"),
)
declare(
    "matters.event_report_days",
    30,
    _("Days to report a change of personal matters"),
    _("A change is reported within this many days after it occurred; later reports are flagged late."),
    kind="int",
    mark="R?",
    source=_("规定 art. 6: within 30 days after the event (the figure not confirmed against the text)"),
)
