"""The final report (经济责任审计报告) and the decision letters (复查决定书, 复核决定书) as official
documents: numbered when issued from the race-free counter, issuing organ from the settings, the
grade and findings in the report, downloads journaled, the audit's access."""

import datetime as dt
import io

from django.urls import reverse
from pypdf import PdfReader

from jiandu.accounts.models import Role
from jiandu.audits import actions
from jiandu.core.models import JournalEntry, LocalSetting
from jiandu.testing import make_position, make_user

from .test_appeals import ISSUED, RECEIVED, _reported, _review

DAY = dt.timedelta(days=1)


def _text(response) -> str:
    content = b"".join(response)
    assert content.startswith(b"%PDF")
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).replace("\x00", "").replace(" ", "").replace("\n", "")


def test_reports_are_numbered_in_order_when_issued(district):
    first = _reported(district)
    assert first.report_number == f"审经责报〔{ISSUED.year}〕1号"
    assert JournalEntry.objects.get(action="audits.audit.report_issued").data["number"] == first.report_number
    district.zhang, district.director = district.wang, make_position(unit=district.education, title="局长助理", is_principal=True)
    second = _reported(district)
    assert second.report_number == f"审经责报〔{ISSUED.year}〕2号"
    LocalSetting.objects.create(key="audits.report_number_prefix", value="示审报")
    district.zhang, district.director = district.li, make_position(unit=district.finance, title="总会计师", has_financial_authority=True)
    assert _reported(district).report_number == f"示审报〔{ISSUED.year}〕1号"


def test_report_pdf_has_the_grade_findings_and_issuer_and_is_journaled(district, client):
    LocalSetting.objects.create(key="audits.audit_office", value="示范区审计局")
    audit = _reported(district, findings=True)
    client.force_login(district.auditor)
    url = reverse("audits:audit_report_pdf", args=[audit.pk])
    assert url in client.get(reverse("audits:audit_detail", args=[audit.pk])).content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "经济责任审计报告" in response["Content-Disposition"] or "filename*" in response["Content-Disposition"]
    text = _text(response)
    for part in ("示范区审计局", "经济责任审计报告", audit.report_number, "审计评价等次：一般", "总体一般", "台账不全", "整改责任人：张伟明", "30日内"):
        assert part in text, part
    entry = JournalEntry.objects.get(action="audits.document.downloaded")
    assert entry.data == {"document": "report", "number": audit.report_number} and entry.cadre_id == district.zhang.pk


def test_the_notice_is_issued_by_the_audit_office_and_its_download_journaled(district, client):
    LocalSetting.objects.create(key="audits.audit_office", value="示范区审计局")
    audit = _reported(district)
    client.force_login(district.auditor)
    text = _text(client.get(reverse("audits:audit_notice_pdf", args=[audit.pk])))
    assert text.startswith("示范区审计局") and "审计通知书" in text
    assert JournalEntry.objects.get(action="audits.document.downloaded").data == {"document": "notice", "number": audit.notice_number}


def test_decision_letters_name_the_outcome_and_their_issuer(district, client):
    LocalSetting.objects.create(key="audits.higher_audit_office", value="示范市审计局")
    audit = _reported(district)
    review = _review(district, audit)
    review = actions.decide_appeal(actor=district.auditor, appeal=review, decided_on=RECEIVED + 5 * DAY, outcome="upheld", note="")
    recon = actions.apply_for_appeal(
        actor=district.auditor, audit=audit, level="reconsideration", received_on=RECEIVED + 6 * DAY, applied_on=RECEIVED + 7 * DAY, grounds="复查未回应第三点"
    )
    recon = actions.decide_appeal(actor=district.auditor, appeal=recon, decided_on=RECEIVED + 20 * DAY, outcome="revoked", note="撤销第三点评价")
    client.force_login(district.auditor)
    text = _text(client.get(reverse("audits:appeal_decision_pdf", args=[review.pk])))
    for part in ("区审计局", "复查决定书", review.decision_number, "评价依据不足", "决定维持原审计报告", audit.report_number, "示范市审计局申请复核"):
        assert part in text, part
    text = _text(client.get(reverse("audits:appeal_decision_pdf", args=[recon.pk])))
    for part in ("示范市审计局", "复核决定书", recon.decision_number, "决定撤销原复查决定", "撤销第三点评价"):
        assert part in text, part
    assert list(JournalEntry.objects.filter(action="audits.document.downloaded").values_list("data__document", flat=True)) == [
        "review_decision",
        "reconsideration_decision",
    ]


def test_report_pdf_before_the_report_and_for_the_wrong_unit_is_404(district, client):
    audit = _reported(district)
    url = reverse("audits:audit_report_pdf", args=[audit.pk])
    for user in (make_user(role=Role.AUDIT_OFFICER, unit=district.education), district.cadre_user):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(district.org_officer)  # reads the audit
    assert client.get(url).status_code == 200
    audit.report_number = ""
    audit.save(update_fields=["report_number"])  # as an audit reported before numbering existed
    client.force_login(district.auditor)
    assert client.get(url).status_code == 404
    assert not JournalEntry.objects.filter(action="audits.document.downloaded", actor_id=district.auditor.pk).exists()


def test_the_report_is_set_in_the_serif_face(district):
    from jiandu.audits.documents_report import report_pdf

    audit = _reported(district)
    reader = PdfReader(io.BytesIO(report_pdf(audit)))
    fonts = {str(font["/BaseFont"]) for font in reader.pages[0]["/Resources"]["/Font"].values()}
    assert any(name.endswith("NotoSerifCJKSC") for name in fonts) and any(name.endswith("NotoSerifCJKSCBold") for name in fonts), fonts
