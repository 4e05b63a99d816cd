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
    _("A cadre admonished (诫勉) is not promoted or given heavier duties during this period."),
    kind="int",
    mark="R?",
    # 诫勉 six months: local implementing rules; no national text found.
    source=_("Local implementing rules on 诫勉 (six months); no national text found"),
)
# 《中国共产党组织处理规定（试行）》(2021): 调整职务 one year and 降职 two years without promotion.
# [R?]: the article text was not confirmed here. The other organisational measures are code in
# influence.py (2019 选拔任用条例: two-tier bars, 1 year for 不适宜担任现职; 停职检查 until lifted).
ORGANISATIONAL_DEFAULTS = {
    "adjustment": (12, _("adjustment of post")),
    "demotion": (24, _("demotion")),
}
for _measure, (_months, _label) in ORGANISATIONAL_DEFAULTS.items():
    declare(
        f"oversight.influence_months.{_measure}",
        _months,
        format_lazy("{}: {}", _("Influence period of organisational handling (months)"), _label),
        _("During this period the cadre is not promoted."),
        kind="int",
        mark="R?",
        source=_("《中国共产党组织处理规定（试行）》(2021), article text not confirmed"),
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
    _("The cadre replies to a written inquiry (函询) in writing within this many working days of delivery."),
    kind="int",
    mark="R?",
    # 函询 15 working days: the discipline organs' implementing rules for 监督执纪工作规则 and local
    # 函询 rules give it; the national 规则 says only "在规定时间内书面回复".
    source=_("《中国共产党纪律检查机关监督执纪工作规则》 implementing rules and local 函询 rules (15 working days)"),
)
declare("oversight.inquiry_reminder_working_days", 3, _("Remind the cadre this many working days before an inquiry reply is due"), kind="int")
declare("oversight.clue_receipt_working_days", 3, _("Clue receipt to be confirmed within (working days)"), kind="int")
declare("oversight.clue_feedback_working_days", 30, _("Clue handling feedback due within (working days)"), kind="int")
declare(
    "oversight.rectification_report_months",
    2,
    _("Rectification report due (months after inspection feedback)"),
    _("The inspected unit reports on its rectification (巡察整改报告) within this many months of the feedback."),
    kind="int",
    mark="R?",
    # 《中国共产党巡视工作条例》 art. 27: the unit reports on rectification within two months
    # of feedback; its principal is the first person responsible (第一责任人).
    source=_("《中国共产党巡视工作条例》 art. 27, applied to 巡察"),
)
declare(
    "oversight.duty_report_positions",
    "leading",
    _("Who submits a yearly duty and integrity report (述责述廉)"),
    kind="choice",
    choices=(("principal", _("principals only")), ("leading", _("every leading position"))),
    # 述责述廉 yearly: 《中国共产党党内监督条例》(2016), 党委(党组)领导班子成员每年述责述廉; who reports is local.
    source=_("《中国共产党党内监督条例》(2016): yearly 述责述廉; who reports is local practice"),
)
declare("oversight.upload_max_mb", 20, _("Largest upload (MB)"), kind="int")
declare(
    "oversight.inquiry_number_prefix",
    "组函",
    _("Document-number prefix of inquiry letters (发文字号)"),
    _("Letters are numbered per prefix and year without gaps: 组函〔2026〕1号."),
)
