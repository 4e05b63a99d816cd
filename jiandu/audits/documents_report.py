"""The economic-responsibility audit report (经济责任审计报告) and the decisions on appeals against it
(复查决定书, 复核决定书): official documents in GB/T 9704 layout through
jiandu.core.pdf.GovernmentDocument, numbered when issued, in Chinese whatever the interface language."""

from jiandu.core.pdf import GovernmentDocument, chinese_date, document_filename
from jiandu.core.practice import get_setting

REPORT_TITLE = "经济责任审计报告"
DECISION_TITLES = {"review": "复查决定书", "reconsideration": "复核决定书"}
# Chinese whatever the interface language: the document is official.
GRADES = {"good": "好", "fairly_good": "较好", "average": "一般", "poor": "较差"}
CATEGORIES = {
    "financial_rules": "违反财经法规",
    "state_assets": "国有资产损失",
    "ineffective_investment": "无效投资",
    "decision_procedure": "违反决策程序",
    "other": "其他问题",
}
RESPONSIBILITIES = {"direct": "直接责任", "leadership": "领导责任"}
OUTCOMES = {"upheld": "维持", "changed": "变更", "revoked": "撤销"}
KIND_NAMES = {"departure": "离任", "in_term": "任中"}


def _sentence(text: str) -> str:
    """A free text as a sentence of the document: closed with 。 unless it ends in punctuation."""
    text = (text or "").strip()
    return text if not text or text[-1] in "。！？；…．.!?;）)」』”" else text + "。"


def _amount(value) -> str:
    return f"{value:,.2f}元" if value else ""


def report_pdf(audit) -> bytes:
    """The final report: the audit's basis and period, the evaluation grade and conclusion, and
    the findings with their responsibility and rectification deadline."""
    issuer = str(get_setting("audits.audit_office"))
    document = GovernmentDocument(title=REPORT_TITLE, issuer=issuer, number=audit.report_number, letter=False)
    document.addressee(f"{audit.unit.name}、{audit.cadre.name}同志：")
    kind = KIND_NAMES.get(audit.kind, "")
    notice = f"（{audit.notice_number}）" if audit.notice_number else ""
    document.paragraph(
        f"根据《党政主要领导干部和国有企事业单位主要领导人员经济责任审计规定》，按照审计通知{notice}，"
        f"对{audit.cadre.name}同志{chinese_date(audit.period_start)}至{chinese_date(audit.period_end)}"
        f"任职期间履行经济责任情况进行了{kind}经济责任审计。现将审计结果报告如下。"
    )
    if audit.no_objection:
        document.paragraph("审计报告征求意见稿送达后，被审计领导干部在规定期限内未提出书面意见，视同无异议。")
    elif audit.comments_received_on:
        document.paragraph(f"被审计领导干部于{chinese_date(audit.comments_received_on)}提出书面意见，审计组已研究并作出说明。")
    document.paragraph("一、审计评价", indent=False)
    document.paragraph(f"审计评价等次：{GRADES.get(audit.grade, '')}。")
    document.paragraph(_sentence(audit.conclusion))
    document.paragraph("二、审计发现的主要问题", indent=False)
    findings = list(audit.findings.prefetch_related("items").order_by("id"))
    if not findings:
        document.paragraph("本次审计未发现需要整改的问题。")
    for number, finding in enumerate(findings, start=1):
        amount = _amount(finding.amount)
        facts = "，".join(
            part
            for part in (
                CATEGORIES.get(finding.category, ""),
                f"涉及金额{amount}" if amount else "",
                RESPONSIBILITIES.get(finding.responsibility, ""),
            )
            if part
        )
        items = sorted(finding.items.all(), key=lambda i: (i.due_on, i.pk))
        rectification = "；".join(f"整改责任人：{item.owner}，整改期限：{chinese_date(item.due_on)}" for item in items) or "整改事项待定"
        document.paragraph(f"（{number}）{finding.description.rstrip('。')}（{facts}。{rectification}。）")
    document.paragraph("三、审计意见", indent=False)
    document.paragraph("请被审计单位按照审计发现问题逐项整改，并在整改期限内将整改情况书面报送审计机关。")
    document.paragraph(f"被审计领导干部对本报告有异议的，可以自收到本报告之日起{int(get_setting('audits.review_application_days'))}日内向审计机关申请复查。")
    document.closing(audit.report_issued_on)
    return document.output(copy_to=audit.unit.name, printed_on=audit.report_issued_on)


def report_filename(audit) -> str:
    return document_filename(REPORT_TITLE, audit.cadre.name, audit.report_number)


def decision_pdf(appeal) -> bytes:
    """The decision on a review (复查决定书, issued by the audit office) or a reconsideration
    (复核决定书, issued by the higher audit office), with the outcome and its note."""
    audit = appeal.audit
    review = appeal.level == "review"
    issuer = str(get_setting("audits.audit_office" if review else "audits.higher_audit_office"))
    document = GovernmentDocument(title=DECISION_TITLES[appeal.level], issuer=issuer, number=appeal.decision_number)
    document.addressee(f"{audit.cadre.name}同志：")
    contested = f"《{REPORT_TITLE}》（{audit.report_number}）" if review else "复查决定"
    asked = "复查" if review else "复核"
    document.paragraph(f"你于{chinese_date(appeal.applied_on)}对{contested}提出{asked}申请，理由是：{_sentence(appeal.grounds)}")
    outcome = OUTCOMES.get(appeal.outcome, "")
    document.paragraph(f"经{asked}，决定{outcome}原{'审计报告' if review else '复查决定'}。")
    if appeal.decision_note:
        document.paragraph(_sentence(appeal.decision_note))
    if review:
        days = int(get_setting("audits.reconsideration_application_days"))
        document.paragraph(f"对本决定仍有异议的，可以自收到本决定之日起{days}日内向{get_setting('audits.higher_audit_office')}申请复核。")
    else:
        document.paragraph("本决定为复核决定。")
    document.closing(appeal.decided_on)
    return document.output(copy_to=audit.unit.name, printed_on=appeal.decided_on)


def decision_filename(appeal) -> str:
    return document_filename(DECISION_TITLES[appeal.level], appeal.audit.cadre.name, appeal.decision_number)
