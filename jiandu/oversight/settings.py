"""Oversight's local-practice settings (DOMAIN.md [L]) and unconfirmed national rules ([R?]).

Confirmed national rules ([R]) are code in `influence.py`; everything here has a documented
default and can be changed by an administrator (core.practice, journaled).
"""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from jiandu.core.practice import declare

declare(
    "oversight.admonishment_influence_months",
    6,
    _("Influence period of an admonishment (诫勉, months)"),
    _("诫勉六个月内不得提拔或者重用 (DOMAIN.md §2, [R?]: text not confirmed)."),
    kind="int",
    mark="R?",
)
# 《中国共产党组织处理规定（试行）》(2021): 调整职务 one year without promotion; 责令辞职/免职 one year
# without a leading post and two years without a higher one (we keep the longer bar); 降职 two years
# without promotion; 停职检查 lasts up to six months. [R?]: the article text was not confirmed here.
# 调离 (transfer away from the post) is local practice [L].
ORGANISATIONAL_DEFAULTS = {
    "suspension": (6, _("suspension for examination")),
    "adjustment": (12, _("adjustment of post")),
    "transfer": (12, _("transfer away from the post")),
    "resignation_ordered": (24, _("ordered resignation")),
    "removal": (24, _("removal from office")),
    "demotion": (24, _("demotion")),
}
for _measure, (_months, _label) in ORGANISATIONAL_DEFAULTS.items():
    declare(
        f"oversight.influence_months.{_measure}",
        _months,
        format_lazy("{}: {}", _("Influence period of organisational handling (months)"), _label),
        _("《中国共产党组织处理规定（试行）》(2021); [R?] text not confirmed."),
        kind="int",
        mark="R?",
    )
declare(
    "oversight.admonishment_talk_working_days",
    10,
    _("Admonishment talk due within (working days)"),
    _("A yellow card (诫勉) requires a talk with the cadre within this many working days of the decision."),
    kind="int",
)
declare(
    "oversight.inquiry_reply_working_days",
    15,
    _("Written inquiry reply due within (working days after delivery)"),
    _("函询: the cadre replies in writing within 15 working days of delivery (DOMAIN.md §7, [R?])."),
    kind="int",
    mark="R?",
)
declare("oversight.inquiry_reminder_working_days", 3, _("Remind the cadre this many working days before an inquiry reply is due"), kind="int")
declare("oversight.clue_receipt_working_days", 3, _("Clue receipt to be confirmed within (working days)"), kind="int")
declare("oversight.clue_feedback_working_days", 30, _("Clue handling feedback due within (working days)"), kind="int")
declare(
    "oversight.rectification_report_months",
    2,
    _("Rectification report due (months after inspection feedback)"),
    _("巡察整改报告 within two months of feedback (DOMAIN.md §7, [R?])."),
    kind="int",
    mark="R?",
)
declare(
    "oversight.duty_report_positions",
    "leading",
    _("Who submits a yearly duty and integrity report (述责述廉)"),
    kind="choice",
    choices=(("principal", _("principals only")), ("leading", _("every leading position"))),
)
declare("oversight.upload_max_mb", 20, _("Largest upload (MB)"), kind="int")
declare(
    "oversight.inquiry_number_prefix",
    "组函",
    _("Document-number prefix of inquiry letters (发文字号)"),
    _("Letters are numbered per prefix and year without gaps: 组函〔2026〕1号."),
)
