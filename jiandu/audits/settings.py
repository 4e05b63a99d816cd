"""Audits' local-practice settings (DOMAIN.md §5; core.practice, journaled when changed)."""

from django.utils.translation import gettext_lazy as _

from jiandu.core.practice import declare

declare(
    "audits.every_departure",
    True,
    _("Every departure audited (凡离必审)"),
    _("On: a departure audit and a handover open automatically when an audit subject leaves. Off: the national rule, in-term audits first."),
    kind="bool",
    source=_("Local rule of the district (凡离必审); the 2019 economic-responsibility audit provisions put in-term audits first"),
)
declare(
    "audits.handover_working_days",
    15,
    _("Departure handover deadline (working days after the departure)"),
    _("The leaver, the successor and the supervisor confirm the handover within this many working days."),
    kind="int",
    source=_("Local practice of the district: 15 working days"),
)
declare(
    "audits.notice_working_days",
    3,
    _("Audit notice: working days before fieldwork"),
    _("The audit notice (审计通知书) is served at least this many working days before fieldwork starts."),
    kind="int",
    mark="R",
    source=_("《党政主要领导干部和国有企事业单位主要领导人员经济责任审计规定》(2019): the notice is served 3 days before the audit"),
)
declare(
    "audits.notice_number_prefix",
    "审通",
    _("Document-number prefix of audit notices (发文字号)"),
    _("Notices are numbered per prefix and year without gaps: 审通〔2026〕1号."),
)

# The twelve default items of issue #13 part 6; the district's own wording, one item per line.
DEFAULT_CHECKLIST = [
    "未完成的重大经济事项",
    "合同、租赁、抵押、担保事项",
    "资金余额及债权",
    "固定资产",
    "基本建设和对外投资",
    "债务",
    "担保和承诺事项",
    "未决纠纷和诉讼",
    "自然资源和生态环境事项",
    "机构编制和人员",
    "个人使用的公共财物",
    "其他事项",
]
declare(
    "audits.handover_checklist",
    DEFAULT_CHECKLIST,
    _("Departure handover checklist"),
    _("One item per line; a new handover copies the list as it is when the handover opens."),
    kind="list",
    source=_("Local practice of the district: the twelve items of the handover checklist"),
)

declare(
    "audits.risk_points_year_in_post",
    2,
    _("Audit plan risk score: points per full year in post"),
    _("The yearly audit plan ranks serving subjects by a risk score; each full year in the post adds this many points."),
    kind="int",
    source=_("Local practice of the district: risk weights of the yearly audit plan"),
)
declare(
    "audits.risk_points_year_unaudited",
    3,
    _("Audit plan risk score: points per full year since the last audit"),
    _("Counted from the end of the period the cadre's latest audit covered, or from the start of the post when never audited."),
    kind="int",
    source=_("Local practice of the district: risk weights of the yearly audit plan"),
)
declare(
    "audits.risk_points_financial_authority",
    5,
    _("Audit plan risk score: points for a post with financial authority"),
    _("Added once when the post approves spending (has financial authority)."),
    kind="int",
    source=_("Local practice of the district: risk weights of the yearly audit plan"),
)
declare(
    "audits.comment_days",
    10,
    _("Written comments on the draft audit report (days)"),
    _("The audited cadre comments on the draft report in writing within this many days of receiving it; no comment by then is recorded as no objection."),
    kind="int",
    mark="R",
    source=_(
        "《党政主要领导干部和国有企事业单位主要领导人员经济责任审计规定》(2019): written comments within 10 days of receiving the draft report, otherwise deemed no objection"
    ),
)
# Appeal windows (复查 and 复核) of 《党政主要领导干部和国有企事业单位主要领导人员经济责任审计规定》
# (2019); DOMAIN.md §5 marks the numbers [R?]: settings with the default the text is believed to give.
APPEAL_SOURCE = _(
    "《党政主要领导干部和国有企事业单位主要领导人员经济责任审计规定》(2019), appeals against the audit report: "
    "review within 30 days of receiving the report, decided within 30 days; reconsideration by the higher audit office "
    "within 30 days of receiving the review decision, decided within 60 days (text not confirmed; calendar days)"
)
declare(
    "audits.review_application_days",
    30,
    _("Review (复查): days to apply after receiving the audit report (calendar days)"),
    _("Calendar days, counted from the day after the audited cadre received the final report; the last day is included. A later application is refused."),
    kind="int",
    mark="R?",
    source=APPEAL_SOURCE,
)
declare(
    "audits.review_decision_days",
    30,
    _("Review (复查): days for the audit office to decide (calendar days)"),
    _("Calendar days, counted from the day after the application; an undecided review past that day is shown as overdue."),
    kind="int",
    mark="R?",
    source=APPEAL_SOURCE,
)
declare(
    "audits.reconsideration_application_days",
    30,
    _("Reconsideration (复核): days to apply after receiving the review decision (calendar days)"),
    _("Calendar days, counted from the day after the audited cadre received the review decision; the last day is included. A later application is refused."),
    kind="int",
    mark="R?",
    source=APPEAL_SOURCE,
)
declare(
    "audits.reconsideration_decision_days",
    60,
    _("Reconsideration (复核): days for the higher audit office to decide (calendar days)"),
    _("Calendar days, counted from the day after the application; an undecided reconsideration past that day is shown as overdue."),
    kind="int",
    mark="R?",
    source=APPEAL_SOURCE,
)
declare(
    "audits.report_number_prefix",
    "审经责报",
    _("Document-number prefix of economic-responsibility audit reports (发文字号)"),
    _("Reports are numbered per prefix and year without gaps when the final report is issued: 审经责报〔2026〕1号."),
)
declare(
    "audits.review_number_prefix",
    "审复查决",
    _("Document-number prefix of review decisions (复查决定书)"),
    _("Review decisions are numbered per prefix and year without gaps when recorded: 审复查决〔2026〕1号."),
)
declare(
    "audits.reconsideration_number_prefix",
    "审复核决",
    _("Document-number prefix of reconsideration decisions (复核决定书)"),
    _("Reconsideration decisions are numbered per prefix and year without gaps when recorded: 审复核决〔2026〕1号."),
)
declare(
    "audits.higher_audit_office",
    "市审计局",
    _("Higher audit office (issuing organ of reconsideration decisions)"),
    _("The audit office one level up, which decides reconsiderations (复核); printed at the head of the reconsideration decision."),
)
declare(
    "audits.hold_move_until_handover",
    False,
    _("Hold the leaver's next post until the handover is signed"),
    _(
        "On: a new tenure of a cadre whose departure handover is not yet confirmed by the leaver, the successor and the supervisor "
        "is refused (form, API and tenures import) until all three have confirmed it. Off: the move is recorded at once."
    ),
    kind="bool",
    source=_("Local practice of the district (departure handover): the personnel move may be held until the handover is done"),
)
declare(
    "audits.audit_office",
    "区审计局",
    _("Audit office (issuing organ of audit notices, reports and review decisions)"),
    _("Printed in red at the head of the audit notice, the audit report and the review decision, and as the signature above the date."),
)
