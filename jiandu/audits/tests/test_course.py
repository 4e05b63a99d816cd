"""The audit's course after the notice: fieldwork, draft report and the comment window, final
report, findings and their rectification up to closing (issue #13 parts 4 and 5)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from jiandu.audits import actions, cards, queries
from jiandu.audits.models import DepartureAudit, Finding
from jiandu.core.calendar import add_working_days
from jiandu.core.errors import ActionError
from jiandu.core.models import JournalEntry
from jiandu.registry import actions as registry_actions
from jiandu.testing import api_client

SERVED = dt.date(2026, 9, 1)
FIELDWORK = add_working_days(SERVED, 3).due  # 2026-09-04
SENT = dt.date(2026, 9, 10)
DUE = dt.date(2026, 9, 20)  # ten days after the draft was sent


def _audit(d, stage="draft_report", cadre=None, position=None):
    tenure = registry_actions.appoint(actor=d.registrar, cadre=cadre or d.zhang, position=position or d.director, started_on=dt.date(2020, 1, 1))
    audit = actions.start_in_term_audit(actor=d.auditor, tenure=tenure, reason="测试", on=dt.date(2026, 8, 1))
    if stage == "planned":
        return audit
    actions.serve_notice(actor=d.auditor, audit=audit, served_on=SERVED, fieldwork_starts_on=FIELDWORK)
    if stage == "notice":
        return audit
    actions.start_fieldwork(actor=d.auditor, audit=audit, started_on=FIELDWORK)
    if stage == "fieldwork":
        return audit
    return actions.send_draft_report(actor=d.auditor, audit=audit, sent_on=SENT)


def _reported(d, **kw):
    audit = _audit(d, **kw)
    return actions.issue_final_report(actor=d.auditor, audit=audit, issued_on=DUE + dt.timedelta(days=1), grade="fairly_good", conclusion="总体较好")


def test_fieldwork_not_before_the_notice_or_its_date(district):
    audit = _audit(district, stage="planned")
    with pytest.raises(ActionError, match="阶段|stage"):
        actions.start_fieldwork(actor=district.auditor, audit=audit, started_on=FIELDWORK)
    actions.serve_notice(actor=district.auditor, audit=audit, served_on=SERVED, fieldwork_starts_on=FIELDWORK)
    with pytest.raises(ActionError, match="2026-09-04"):
        actions.start_fieldwork(actor=district.auditor, audit=audit, started_on=FIELDWORK - dt.timedelta(days=1))
    audit.refresh_from_db()
    assert audit.stage == "notice" and audit.fieldwork_started_on is None
    actions.start_fieldwork(actor=district.auditor, audit=audit, started_on=FIELDWORK)
    with pytest.raises(ActionError):
        actions.send_draft_report(actor=district.auditor, audit=audit, sent_on=FIELDWORK - dt.timedelta(days=1))
    audit = actions.send_draft_report(actor=district.auditor, audit=audit, sent_on=SENT)
    assert (audit.stage, audit.comments_due_on) == ("draft_report", DUE)
    assert JournalEntry.objects.get(action="audits.audit.draft_sent").data["comments_due_on"] == "2026-09-20"


@pytest.mark.parametrize("received, accepted", [(DUE - dt.timedelta(days=1), True), (DUE, True), (DUE + dt.timedelta(days=1), False)])
def test_comments_window_day_before_of_and_after(district, received, accepted):
    audit = _audit(district)
    if accepted:
        actions.record_comments(actor=district.auditor, audit=audit, received_on=received, comments="对第二部分有不同意见")
        audit.refresh_from_db()
        assert audit.comments_received_on == received
    else:
        with pytest.raises(ActionError, match="视同无异议|no objection"):
            actions.record_comments(actor=district.auditor, audit=audit, received_on=received, comments="迟到的意见")
        audit.refresh_from_db()
        assert audit.comments_received_on is None and audit.comments == ""


def test_final_report_without_comments_waits_for_the_window_then_records_no_objection(district):
    audit = _audit(district)
    for day in (DUE - dt.timedelta(days=1), DUE):
        with pytest.raises(ActionError, match="2026-09-20"):
            actions.issue_final_report(actor=district.auditor, audit=audit, issued_on=day, grade="good", conclusion="好")
    with pytest.raises(ActionError):
        actions.issue_final_report(actor=district.auditor, audit=audit, issued_on=DUE + dt.timedelta(days=1), grade="excellent", conclusion="好")
    audit.refresh_from_db()
    assert audit.stage == "draft_report" and not audit.no_objection
    audit = actions.issue_final_report(actor=district.auditor, audit=audit, issued_on=DUE + dt.timedelta(days=1), grade="good", conclusion="好")
    assert (audit.stage, audit.no_objection, audit.grade) == ("reported", True, "good")
    assert JournalEntry.objects.get(action="audits.audit.report_issued").data["no_objection"] is True


def test_final_report_after_comments_may_come_before_the_window_ends(district):
    audit = _audit(district)
    actions.record_comments(actor=district.auditor, audit=audit, received_on=dt.date(2026, 9, 15), comments="无异议")
    with pytest.raises(ActionError):
        actions.issue_final_report(actor=district.auditor, audit=audit, issued_on=dt.date(2026, 9, 14), grade="good", conclusion="好")
    audit = actions.issue_final_report(actor=district.auditor, audit=audit, issued_on=dt.date(2026, 9, 16), grade="average", conclusion="一般")
    assert audit.stage == "reported" and not audit.no_objection


def test_bad_findings_are_refused_with_nothing_stored(district):
    audit = _reported(district)
    good = {"category": "financial_rules", "amount": "1200.50", "responsibility": "direct", "description": "超范围列支", "owner": district.li}
    for bad in (
        {"amount": "-1"},
        {"amount": "1.005"},
        {"amount": "abc"},
        {"amount": "NaN"},
        {"category": "theft"},
        {"responsibility": "supervisory"},
        {"description": "  "},
        {"owner": district.wang},  # a cadre of another unit
        {"working_days": 0},
    ):
        with pytest.raises(ActionError):
            actions.add_finding(actor=district.auditor, audit=audit, **{**good, **bad})
    assert not Finding.objects.exists() and not JournalEntry.objects.filter(action="audits.finding.recorded").exists()
    with pytest.raises(Exception) as caught:
        actions.add_finding(actor=district.org_officer, audit=audit, **good)
    assert caught.type.__name__ == "NotVisible"
    finding = actions.add_finding(actor=district.auditor, audit=audit, **good)
    assert finding.amount == Decimal("1200.50")
    assert finding.due_on == add_working_days(audit.report_issued_on, 40).due
    assert "40" in JournalEntry.objects.get(action="audits.finding.recorded").data["rule"]


def test_rectification_overdue_on_the_day_after_its_due_date(district):
    audit = _reported(district)
    finding = actions.add_finding(
        actor=district.auditor,
        audit=audit,
        category="state_assets",
        amount=0,
        responsibility="leadership",
        description="资产未入账",
        owner=district.li,
        working_days=5,
    )
    qs = queries.findings_visible_to(district.auditor)
    assert not queries.overdue_findings(qs, today=finding.due_on).exists()
    assert list(queries.overdue_findings(qs, today=finding.due_on + dt.timedelta(days=1))) == [finding]
    # Verified rectifications are never overdue.
    actions.report_rectification(actor=district.auditor, finding=finding, reported_on=finding.due_on, text="已入账")
    actions.verify_rectification(actor=district.auditor, finding=finding, accepted=True, text="")
    assert not queries.overdue_findings(qs, today=finding.due_on + dt.timedelta(days=1)).exists()


def test_audit_closes_only_when_every_finding_is_verified(district):
    audit = _reported(district)
    one = actions.add_finding(
        actor=district.auditor, audit=audit, category="financial_rules", amount=100, responsibility="direct", description="一", owner=district.li
    )
    two = actions.add_finding(actor=district.auditor, audit=audit, category="other", amount=0, responsibility="leadership", description="二", owner=district.li)
    with pytest.raises(ActionError, match="2"):
        actions.close_audit(actor=district.auditor, audit=audit)
    with pytest.raises(ActionError, match="已报告|reported rectification"):
        actions.verify_rectification(actor=district.auditor, finding=one, accepted=True, text="")
    reported_on = audit.report_issued_on + dt.timedelta(days=5)
    with pytest.raises(ActionError):  # before the report
        actions.report_rectification(actor=district.auditor, finding=one, reported_on=audit.report_issued_on - dt.timedelta(days=1), text="进展")
    actions.report_rectification(actor=district.auditor, finding=one, reported_on=reported_on, text="已整改")
    actions.verify_rectification(actor=district.auditor, finding=one, accepted=True, text="")
    audit.refresh_from_db()
    assert audit.stage == "reported"  # one finding still open
    actions.report_rectification(actor=district.auditor, finding=two, reported_on=reported_on, text="部分整改")
    with pytest.raises(ActionError):  # returning needs the reason
        actions.verify_rectification(actor=district.auditor, finding=two, accepted=False, text="")
    actions.verify_rectification(actor=district.auditor, finding=two, accepted=False, text="制度尚未建立")
    two.refresh_from_db()
    assert two.status == "open"
    actions.report_rectification(actor=district.auditor, finding=two, reported_on=reported_on, text="制度已印发")
    actions.verify_rectification(actor=district.auditor, finding=two, accepted=True, text="同意")
    audit.refresh_from_db()
    assert audit.stage == "closed" and audit.closed_on == dt.date.today()
    assert [r.kind for r in two.reports.all()] == ["progress", "returned", "progress", "accepted"]
    assert JournalEntry.objects.filter(action="audits.audit.closed", cadre_id=district.zhang.pk).count() == 1
    with pytest.raises(ActionError):
        actions.report_rectification(actor=district.auditor, finding=two, reported_on=reported_on, text="再")


def test_an_audit_without_findings_closes_at_once(district):
    audit = _reported(district)
    audit = actions.close_audit(actor=district.auditor, audit=audit)
    assert audit.stage == "closed"


def test_course_through_the_pages_with_overdue_card(district, client):
    audit = _audit(district, stage="fieldwork")
    client.force_login(district.auditor)
    detail = reverse("audits:audit_detail", args=[audit.pk])
    client.post(reverse("audits:audit_draft", args=[audit.pk]), {"sent_on": "2026-09-10"})
    client.post(reverse("audits:audit_comments", args=[audit.pk]), {"received_on": "2026-09-21", "comments": "迟"})
    audit.refresh_from_db()
    assert audit.stage == "draft_report" and audit.comments == ""
    client.post(reverse("audits:audit_comments", args=[audit.pk]), {"received_on": "2026-09-12", "comments": "意见\x00"})
    client.post(reverse("audits:audit_comments", args=[audit.pk]), {"received_on": "2026-09-12", "comments": "同意报告意见"})
    client.post(reverse("audits:audit_report", args=[audit.pk]), {"issued_on": "2026-09-13", "grade": "good", "conclusion": "履职较好"})
    audit.refresh_from_db()
    assert audit.stage == "reported" and audit.comments == "同意报告意见"
    body = client.get(detail).content.decode()
    assert "同意报告意见" in body and "履职较好" in body
    for amount in ("-5", "1e99"):
        client.post(
            reverse("audits:audit_finding", args=[audit.pk]),
            {"category": "financial_rules", "amount": amount, "responsibility": "direct", "description": "问题", "owner": district.li.pk},
        )
    assert not Finding.objects.exists()
    client.post(
        reverse("audits:audit_finding", args=[audit.pk]),
        {
            "category": "financial_rules",
            "amount": "3000",
            "responsibility": "direct",
            "description": "超标准接待",
            "owner": district.li.pk,
            "working_days": "1",
        },
    )
    finding = Finding.objects.get()
    assert finding.due_on < dt.date.today()  # long past: overdue
    assert cards.overdue_rectifications_card(district.auditor)["number"] == 1
    assert cards.overdue_rectifications_card(district.org_officer) is None
    assert "超标准接待" in client.get(reverse("audits:findings") + "?overdue=1").content.decode()
    client.post(reverse("audits:finding_progress", args=[finding.pk]), {"reported_on": "2026-09-20", "text": "已退回费用"})
    client.post(reverse("audits:finding_verify", args=[finding.pk]), {"decision": "accept", "text": ""})
    audit.refresh_from_db()
    assert audit.stage == "closed" and cards.overdue_rectifications_card(district.auditor)["number"] == 0
    # Wrong role and wrong unit.
    client.force_login(district.cadre_user)
    assert client.get(reverse("audits:findings")).status_code == 404
    client.force_login(district.org_officer)
    for name in ("audits:audit_fieldwork", "audits:audit_draft", "audits:audit_comments", "audits:audit_report", "audits:audit_finding", "audits:audit_close"):
        client.post(reverse(name, args=[audit.pk]), {})
    for name in ("audits:finding_progress", "audits:finding_verify"):
        client.post(reverse(name, args=[finding.pk]), {"reported_on": "2026-09-21", "text": "x", "decision": "return"})
    assert finding.reports.count() == 2
    other = _audit(district, stage="notice", cadre=district.wang, position=district.edu_director)
    client.force_login(district.finance_auditor)
    assert client.post(reverse("audits:audit_fieldwork", args=[other.pk]), {"started_on": "2026-09-04"}).status_code == 404
    assert client.get(reverse("audits:audit_detail", args=[other.pk])).status_code == 404
    assert "王建国" not in client.get(reverse("audits:findings")).content.decode()
    other.refresh_from_db()
    assert other.stage == "notice"


def test_course_api(district):
    audit = _audit(district, stage="notice")
    base = f"/api/v1/audits/audits/{audit.pk}"
    j = "application/json"
    auditor = api_client(district.auditor)
    assert auditor.post(f"{base}/fieldwork", {"started_on": "2026-09-03"}, content_type=j).status_code == 400
    assert auditor.post(f"{base}/fieldwork", {"started_on": "2026-09-04"}, content_type=j).json()["stage"] == "fieldwork"
    assert auditor.post(f"{base}/draft-report", {"sent_on": "2026-09-10"}, content_type=j).json()["comments_due_on"] == "2026-09-20"
    assert auditor.post(f"{base}/report", {"issued_on": "2026-09-20", "grade": "good", "conclusion": "好"}, content_type=j).status_code == 400
    assert auditor.post(f"{base}/comments", {"received_on": "2026-09-20", "comments": "无"}, content_type=j).status_code == 200
    report = auditor.post(f"{base}/report", {"issued_on": "2026-09-21", "grade": "poor", "conclusion": "较差"}, content_type=j).json()
    assert report["stage"] == "reported" and report["grade"] == "poor"
    bad = {"category": "financial_rules", "amount": "-1", "responsibility": "direct", "description": "x", "owner_id": district.li.pk}
    assert auditor.post(f"{base}/findings", bad, content_type=j).status_code in (400, 422)
    assert auditor.post(f"{base}/findings", {**bad, "amount": "10", "owner_id": 999999}, content_type=j).status_code == 400
    made = auditor.post(f"{base}/findings", {**bad, "amount": "10"}, content_type=j)
    assert made.status_code == 201 and made.json()["status"] == "open"
    fid = made.json()["id"]
    assert (
        api_client(district.org_officer)
        .post(f"/api/v1/audits/findings/{fid}/progress", {"reported_on": "2026-09-22", "progress": "x"}, content_type=j)
        .status_code
        == 404
    )
    assert api_client(district.finance_auditor).get("/api/v1/audits/findings").json()["count"] == 1
    assert api_client(district.cadre_user).get("/api/v1/audits/findings").status_code == 404
    assert auditor.post(f"{base}/closing", content_type=j).status_code == 400
    auditor.post(f"/api/v1/audits/findings/{fid}/progress", {"reported_on": "2026-09-22", "progress": "已整改"}, content_type=j)
    verified = auditor.post(f"/api/v1/audits/findings/{fid}/verification", {"accepted": True}, content_type=j).json()
    assert verified["status"] == "verified" and [r["kind"] for r in verified["reports"]] == ["progress", "accepted"]
    assert auditor.get(base).json()["stage"] == "closed"
    assert DepartureAudit.objects.get().closed_on == dt.date.today()


def test_findings_export_is_scoped_and_journaled(district, client, tmp_path):
    from openpyxl import load_workbook

    audit = _reported(district)
    actions.add_finding(
        actor=district.auditor, audit=audit, category="financial_rules", amount="12.50", responsibility="direct", description="超标准接待", owner=district.li
    )
    client.force_login(district.auditor)
    response = client.get(reverse("audits:findings") + "?format=xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    path = tmp_path / "f.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert len(rows) == 2 and "超标准接待" in rows[1] and "12.50" in rows[1] and "直接责任" in rows[1]
    assert JournalEntry.objects.get(action="audits.findings.exported").data["rows"] == 1
    client.force_login(district.cadre_user)
    assert client.get(reverse("audits:findings") + "?format=xlsx").status_code == 404
