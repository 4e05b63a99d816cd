"""The audit's course after the notice: fieldwork, draft report and the comment window, final
report, findings and their rectification up to closing (issue #13 parts 4 and 5)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from jiandu.audits import actions, cards, queries
from jiandu.audits.models import DepartureAudit, Finding, RectificationItem
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
        {"severity": "fatal"},
        {"description": "  "},
        {"evidence": "凭证\x00"},
        {"owner": district.wang},  # a cadre of another unit
        {"due_on": audit.report_issued_on - dt.timedelta(days=1)},  # a deadline before the report
    ):
        with pytest.raises(ActionError):
            actions.add_finding(actor=district.auditor, audit=audit, **{**good, **bad})
    assert not Finding.objects.exists() and not JournalEntry.objects.filter(action="audits.finding.recorded").exists()
    assert not RectificationItem.objects.exists()
    with pytest.raises(Exception) as caught:
        actions.add_finding(actor=district.org_officer, audit=audit, **good)
    assert caught.type.__name__ == "NotVisible"
    finding = actions.add_finding(actor=district.auditor, audit=audit, **good)
    assert finding.amount == Decimal("1200.50")
    item = finding.items.get()
    # The default deadline: 60 days after the report (setting rectification.default_days).
    assert item.due_on == audit.report_issued_on + dt.timedelta(days=60)
    assert (item.owner, item.owner_cadre, item.measure) == (district.li.name, district.li, "超范围列支")
    assert "60" in JournalEntry.objects.get(action="audits.rectification.item_added").data["rule"]


def _item(d, audit, **kw):
    finding = actions.add_finding(
        actor=d.auditor, audit=audit, category="state_assets", amount=0, responsibility="leadership", description="资产未入账", owner=d.li, **kw
    )
    return finding, finding.items.get()


def test_rectification_overdue_on_the_day_after_its_deadline(district):
    audit = _reported(district)
    finding, item = _item(district, audit, due_on=audit.report_issued_on + dt.timedelta(days=5))
    qs = queries.rectification_items_visible_to(district.auditor)
    assert not queries.overdue_rectification_items(qs, today=item.due_on).exists()
    assert list(queries.overdue_rectification_items(qs, today=item.due_on + dt.timedelta(days=1))) == [item]
    # Closed items are never overdue.
    actions.record_progress(actor=district.auditor, item=item, on=item.due_on, progress="已入账")
    actions.close_item(actor=district.auditor, item=item, note="")
    assert not queries.overdue_rectification_items(qs, today=item.due_on + dt.timedelta(days=1)).exists()


def test_audit_closes_only_when_every_item_of_every_finding_is_closed(district):
    audit = _reported(district)
    one, first = _item(district, audit)
    two, second = _item(district, audit)
    third = actions.add_rectification_item(actor=district.auditor, finding=two, measure="建立资产管理制度", owner_name="资产科 赵科长")
    assert third.owner == "资产科 赵科长" and third.owner_cadre is None
    with pytest.raises(ActionError, match="2"):
        actions.close_audit(actor=district.auditor, audit=audit)
    with pytest.raises(ActionError):  # nothing reported yet
        actions.close_item(actor=district.auditor, item=first)
    reported_on = audit.report_issued_on + dt.timedelta(days=5)
    with pytest.raises(ActionError):  # before the report
        actions.record_progress(actor=district.auditor, item=first, on=audit.report_issued_on - dt.timedelta(days=1), progress="进展")
    actions.record_progress(actor=district.auditor, item=first, on=reported_on, progress="已整改")
    actions.close_item(actor=district.auditor, item=first)
    one.refresh_from_db()
    assert one.status == "verified"
    for item in (second, third):
        actions.record_progress(actor=district.auditor, item=item, on=reported_on, progress="部分整改")
    with pytest.raises(ActionError):  # returning needs the reason
        actions.return_item(actor=district.auditor, item=second, note="")
    actions.return_item(actor=district.auditor, item=second, note="制度尚未建立")
    second.refresh_from_db()
    assert second.status == "open"
    actions.close_item(actor=district.auditor, item=third, note="同意")
    two.refresh_from_db()
    audit.refresh_from_db()
    assert two.status == "open" and audit.stage == "reported"  # one item of the second finding still open
    actions.record_progress(actor=district.auditor, item=second, on=reported_on, progress="制度已印发")
    actions.close_item(actor=district.auditor, item=second, note="同意")
    audit.refresh_from_db()
    assert audit.stage == "closed" and audit.closed_on == dt.date.today()
    assert [r.kind for r in second.updates.all()] == ["progress", "returned", "progress"]
    assert JournalEntry.objects.filter(action="audits.audit.closed", cadre_id=district.zhang.pk).count() == 1
    with pytest.raises(ActionError):
        actions.record_progress(actor=district.auditor, item=second, on=reported_on, progress="再")


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
            "due_on": "2026-09-14",
        },
    )
    finding = Finding.objects.get()
    item = finding.items.get()
    assert item.due_on < dt.date.today()  # long past: overdue
    assert cards.overdue_rectifications_card(district.auditor)["number"] == 1
    assert cards.overdue_rectifications_card(district.org_officer) is None
    assert "超标准接待" in client.get(reverse("audits:findings") + "?overdue=1").content.decode()
    assert "超标准接待" in client.get(detail).content.decode()
    assert client.get(reverse("audits:rectification_step", args=[item.pk, "progress"])).status_code == 200
    client.post(reverse("audits:rectification_step", args=[item.pk, "progress"]), {"on": "2026-09-20", "progress": "已退回费用"})
    client.post(reverse("audits:rectification_step", args=[item.pk, "close"]), {"note": ""})
    audit.refresh_from_db()
    assert audit.stage == "closed" and cards.overdue_rectifications_card(district.auditor)["number"] == 0
    # Wrong role and wrong unit.
    client.force_login(district.cadre_user)
    assert client.get(reverse("audits:findings")).status_code == 404
    client.force_login(district.org_officer)
    for name in ("audits:audit_fieldwork", "audits:audit_draft", "audits:audit_comments", "audits:audit_report", "audits:audit_finding", "audits:audit_close"):
        client.post(reverse(name, args=[audit.pk]), {})
    for step in ("progress", "close", "return", "visit"):
        assert client.post(reverse("audits:rectification_step", args=[item.pk, step]), {"on": "2026-09-21", "progress": "x", "note": "x"}).status_code == 404
    assert client.get(reverse("audits:finding_item_add", args=[finding.pk])).status_code == 404
    assert item.updates.count() == 1
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
    fid, iid = made.json()["id"], made.json()["items"][0]["id"]
    assert made.json()["items"][0]["due_on"] == "2026-11-20"  # 60 days after the report
    items = "/api/v1/audits/rectification-items"
    assert api_client(district.org_officer).post(f"{items}/{iid}/progress", {"on": "2026-09-22", "progress": "x"}).status_code == 404
    extra = auditor.post(f"/api/v1/audits/findings/{fid}/items", {"measure": "建章立制", "owner_name": "办公室"}, content_type=j)
    assert extra.status_code == 201 and extra.json()["owner"] == "办公室"
    extra_id = extra.json()["id"]
    assert api_client(district.finance_auditor).get("/api/v1/audits/findings").json()["count"] == 1
    assert api_client(district.cadre_user).get("/api/v1/audits/findings").status_code == 404
    assert auditor.post(f"{base}/closing", content_type=j).status_code == 400
    for one in (iid, extra_id):
        assert auditor.post(f"{items}/{one}/progress", {"on": "2026-09-22", "progress": "已整改"}).json()["status"] == "reported"
    assert auditor.post(f"{items}/{extra_id}/return", {"note": "未见制度文本"}, content_type=j).json()["status"] == "open"
    assert auditor.post(f"{items}/{iid}/visits", {"visited_on": "2026-09-23", "visited_by": "回访组", "outcome": "in_place"}, content_type=j).status_code == 400
    closed = auditor.post(f"{items}/{iid}/closing", {"note": "到位"}, content_type=j).json()
    assert closed["status"] == "closed" and [u["kind"] for u in closed["updates"]] == ["progress"]
    assert auditor.get(base).json()["stage"] == "reported"
    auditor.post(f"{items}/{extra_id}/progress", {"on": "2026-09-23", "progress": "制度已印发"})
    auditor.post(f"{items}/{extra_id}/closing", {}, content_type=j)
    assert auditor.get(base).json()["stage"] == "closed"
    visit = {"visited_on": dt.date.today().isoformat(), "visited_by": "回访组", "outcome": "rebound", "note": "又有超标准接待"}
    assert auditor.post(f"{items}/{iid}/visits", visit, content_type=j).json()["visits"][0]["outcome"] == "rebound"
    assert auditor.get(f"{items}?overdue=true").json()["count"] == 0
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
    assert len(rows) == 2 and "超标准接待" in rows[1] and "12.50" in rows[1] and "直接责任" in rows[1] and district.li.name in rows[1]
    assert JournalEntry.objects.get(action="audits.findings.exported").data["rows"] == 1
    client.force_login(district.cadre_user)
    assert client.get(reverse("audits:findings") + "?format=xlsx").status_code == 404
