"""Appeals against an audit's result (复查, 复核; 2019 economic-responsibility audit provisions):
windows of 30/30/30/60 calendar days (settings), the day before, of and after each deadline, late
applications refused naming the window, decisions numbered, the audit kept open meanwhile."""

import datetime as dt

import pytest
from django.urls import reverse

from jiandu.accounts.models import Role
from jiandu.audits import actions, timeline
from jiandu.audits.models import AuditAppeal
from jiandu.core.calendar import add_working_days
from jiandu.core.errors import ActionError
from jiandu.core.models import JournalEntry, LocalSetting
from jiandu.registry import actions as registry_actions
from jiandu.testing import api_client, make_user

J = "application/json"
TODAY = dt.date.today()
SERVED = TODAY - dt.timedelta(days=220)
FIELDWORK = add_working_days(SERVED, 3).due
SENT = FIELDWORK + dt.timedelta(days=5)
ISSUED = SENT + dt.timedelta(days=11)  # the day after the comment window
RECEIVED = ISSUED + dt.timedelta(days=2)
REVIEW_DUE = RECEIVED + dt.timedelta(days=30)
DAY = dt.timedelta(days=1)


def _reported(d, *, findings=False):
    tenure = registry_actions.appoint(actor=d.registrar, cadre=d.zhang, position=d.director, started_on=dt.date(2020, 1, 1))
    audit = actions.start_in_term_audit(actor=d.auditor, tenure=tenure, reason="测试", on=SERVED - dt.timedelta(days=10))
    actions.serve_notice(actor=d.auditor, audit=audit, served_on=SERVED, fieldwork_starts_on=FIELDWORK)
    actions.start_fieldwork(actor=d.auditor, audit=audit, started_on=FIELDWORK)
    actions.send_draft_report(actor=d.auditor, audit=audit, sent_on=SENT)
    audit = actions.issue_final_report(actor=d.auditor, audit=audit, issued_on=ISSUED, grade="average", conclusion="总体一般")
    if findings:
        actions.add_finding(actor=d.auditor, audit=audit, category="other", amount="0", responsibility="direct", description="台账不全", owner=d.zhang)
    return audit


def _review(d, audit, applied_on=None, **kw):
    return actions.apply_for_appeal(
        actor=d.auditor, audit=audit, level="review", received_on=RECEIVED, applied_on=applied_on or RECEIVED + DAY, grounds=kw.get("grounds", "评价依据不足")
    )


@pytest.mark.parametrize("offset, accepted", [(-1, True), (0, True), (1, False)])
def test_review_window_day_before_of_and_after(district, offset, accepted):
    audit = _reported(district)
    applied = REVIEW_DUE + dt.timedelta(days=offset)
    if accepted:
        appeal = _review(district, audit, applied_on=applied)
        assert (appeal.application_due_on, appeal.application_days) == (REVIEW_DUE, 30)
        assert appeal.decision_due_on == applied + dt.timedelta(days=30) and appeal.decision_days == 30
        entry = JournalEntry.objects.get(action="audits.appeal.applied")
        assert entry.cadre_id == district.zhang.pk and REVIEW_DUE.isoformat() in entry.data["application_rule"]
    else:
        with pytest.raises(ActionError) as refused:
            _review(district, audit, applied_on=applied)
        message = str(refused.value.message)
        assert refused.value.field == "applied_on"
        assert "复查" in message and REVIEW_DUE.isoformat() in message and "30" in message
        assert not AuditAppeal.objects.exists() and not JournalEntry.objects.filter(action="audits.appeal.applied").exists()


def test_review_received_before_the_report_or_applied_before_receipt_is_refused(district):
    audit = _reported(district)
    with pytest.raises(ActionError) as refused:
        actions.apply_for_appeal(actor=district.auditor, audit=audit, level="review", received_on=ISSUED - DAY, applied_on=ISSUED, grounds="x")
    assert refused.value.field == "received_on" and ISSUED.isoformat() in str(refused.value.message)
    with pytest.raises(ActionError) as refused:
        actions.apply_for_appeal(actor=district.auditor, audit=audit, level="review", received_on=RECEIVED, applied_on=RECEIVED - DAY, grounds="x")
    assert refused.value.field == "applied_on"
    for grounds in ("", "  ", "理由\x00"):
        with pytest.raises(ActionError) as refused:
            _review(district, audit, grounds=grounds)
        assert refused.value.field == "grounds"
    with pytest.raises(ActionError):
        actions.apply_for_appeal(actor=district.auditor, audit=audit, level="review", received_on=RECEIVED, applied_on=TODAY + DAY, grounds="x")
    assert not AuditAppeal.objects.exists()


def test_appeal_before_the_final_report_is_refused(district):
    tenure = registry_actions.appoint(actor=district.registrar, cadre=district.zhang, position=district.director, started_on=dt.date(2020, 1, 1))
    audit = actions.start_in_term_audit(actor=district.auditor, tenure=tenure, reason="测试", on=SERVED)
    with pytest.raises(ActionError, match="审计报告出具后|final report"):
        actions.apply_for_appeal(actor=district.auditor, audit=audit, level="review", received_on=SERVED, applied_on=SERVED, grounds="x")


def test_the_window_follows_the_setting(district):
    LocalSetting.objects.create(key="audits.review_application_days", value=10)
    audit = _reported(district)
    with pytest.raises(ActionError, match=(RECEIVED + dt.timedelta(days=10)).isoformat()):
        _review(district, audit, applied_on=RECEIVED + dt.timedelta(days=11))
    assert _review(district, audit, applied_on=RECEIVED + dt.timedelta(days=10)).application_days == 10


def test_reconsideration_after_the_review_decision_with_its_windows(district):
    audit = _reported(district)
    with pytest.raises(ActionError, match="复查|review"):
        actions.apply_for_appeal(actor=district.auditor, audit=audit, level="reconsideration", received_on=RECEIVED, applied_on=RECEIVED, grounds="x")
    review = _review(district, audit)
    with pytest.raises(ActionError) as refused:  # undecided review: no reconsideration yet
        actions.apply_for_appeal(
            actor=district.auditor, audit=audit, level="reconsideration", received_on=RECEIVED + DAY, applied_on=RECEIVED + DAY, grounds="x"
        )
    assert refused.value.field == "level"
    with pytest.raises(ActionError) as refused:  # a second review
        _review(district, audit)
    assert refused.value.field == "level"
    decided = RECEIVED + dt.timedelta(days=20)
    with pytest.raises(ActionError) as refused:  # changed needs the note
        actions.decide_appeal(actor=district.auditor, appeal=review, decided_on=decided, outcome="changed", note="")
    assert refused.value.field == "note"
    with pytest.raises(ActionError) as refused:
        actions.decide_appeal(actor=district.auditor, appeal=review, decided_on=review.applied_on - DAY, outcome="upheld", note="")
    assert refused.value.field == "decided_on"
    review = actions.decide_appeal(actor=district.auditor, appeal=review, decided_on=decided, outcome="upheld", note="")
    assert review.decision_number == f"审复查决〔{decided.year}〕1号" and not review.is_open
    with pytest.raises(ActionError, match="已|already"):
        actions.decide_appeal(actor=district.auditor, appeal=review, decided_on=decided, outcome="revoked", note="再议")

    received = decided + DAY
    due = received + dt.timedelta(days=30)
    with pytest.raises(ActionError) as refused:  # received before the decision
        actions.apply_for_appeal(actor=district.auditor, audit=audit, level="reconsideration", received_on=decided - DAY, applied_on=decided, grounds="x")
    assert refused.value.field == "received_on"
    with pytest.raises(ActionError) as refused:  # the day after the 30 days
        actions.apply_for_appeal(actor=district.auditor, audit=audit, level="reconsideration", received_on=received, applied_on=due + DAY, grounds="x")
    assert "复核" in str(refused.value.message) and due.isoformat() in str(refused.value.message)
    recon = actions.apply_for_appeal(actor=district.auditor, audit=audit, level="reconsideration", received_on=received, applied_on=due, grounds="复查决定有误")
    assert (recon.application_due_on, recon.decision_days, recon.decision_due_on) == (due, 60, due + dt.timedelta(days=60))
    recon = actions.decide_appeal(actor=district.auditor, appeal=recon, decided_on=due + dt.timedelta(days=10), outcome="changed", note="评价调整为较好")
    assert recon.decision_number == f"审复核决〔{recon.decided_on.year}〕1号" and recon.get_outcome_display()
    entry = JournalEntry.objects.filter(action="audits.appeal.decided").last()
    assert entry.data["number"] == recon.decision_number and entry.data["late"] is False


def test_decision_overdue_day_before_of_and_after(district):
    audit = _reported(district)
    appeal = _review(district, audit)
    due = appeal.decision_due_on
    assert due == appeal.applied_on + dt.timedelta(days=30)
    assert not appeal.is_decision_overdue(due - DAY)
    assert not appeal.is_decision_overdue(due)
    assert appeal.is_decision_overdue(due + DAY)
    # Decided after the due day: recorded, marked late.
    appeal = actions.decide_appeal(actor=district.auditor, appeal=appeal, decided_on=due + DAY, outcome="revoked", note="撤销原报告评价部分")
    assert not appeal.is_decision_overdue(due + DAY)
    assert JournalEntry.objects.get(action="audits.appeal.decided").data["late"] is True


def test_an_open_appeal_keeps_the_audit_open(district):
    audit = _reported(district, findings=True)
    finding = audit.findings.get()
    appeal = _review(district, audit)
    item = finding.items.get()
    actions.record_progress(actor=district.auditor, item=item, progress="已补全台账", on=ISSUED + DAY)
    actions.close_item(actor=district.auditor, item=item, note="", on=ISSUED + DAY)
    audit.refresh_from_db()
    assert audit.stage == "reported" and not JournalEntry.objects.filter(action="audits.audit.closed").exists()
    with pytest.raises(ActionError, match="申诉|复查|appeal"):
        actions.close_audit(actor=district.auditor, audit=audit)
    actions.decide_appeal(actor=district.auditor, appeal=appeal, decided_on=appeal.applied_on + DAY, outcome="upheld", note="")
    assert actions.close_audit(actor=district.auditor, audit=audit).stage == "closed"


def test_pages_apply_decide_show_the_computation_and_pdf(district, client):
    audit = _reported(district)
    client.force_login(district.auditor)
    detail = reverse("audits:audit_detail", args=[audit.pk])
    page = client.get(detail).content.decode()
    assert reverse("audits:audit_appeal", args=[audit.pk]) in page
    late = {"level": "review", "received_on": RECEIVED.isoformat(), "applied_on": (REVIEW_DUE + DAY).isoformat(), "grounds": "不服"}
    response = client.post(reverse("audits:audit_appeal", args=[audit.pk]), late, follow=True)
    assert REVIEW_DUE.isoformat() in response.content.decode() and not AuditAppeal.objects.exists()
    client.post(reverse("audits:audit_appeal", args=[audit.pk]), {**late, "grounds": "不服\x00"})
    assert not AuditAppeal.objects.exists()
    client.post(reverse("audits:audit_appeal", args=[audit.pk]), {**late, "applied_on": REVIEW_DUE.isoformat()})
    appeal = AuditAppeal.objects.get()
    page = client.get(detail).content.decode()
    assert f"自{RECEIVED.isoformat()}起30日" in page or "30 days from" in page  # the computation is shown
    assert appeal.decision_due_on.isoformat() in page and reverse("audits:appeal_decide", args=[appeal.pk]) in page
    assert client.get(reverse("audits:appeal_decision_pdf", args=[appeal.pk])).status_code == 404  # not decided yet
    client.post(reverse("audits:appeal_decide", args=[appeal.pk]), {"decided_on": (REVIEW_DUE + DAY).isoformat(), "outcome": "upheld", "note": ""})
    appeal.refresh_from_db()
    assert appeal.outcome == "upheld" and appeal.decision_number
    response = client.get(reverse("audits:appeal_decision_pdf", args=[appeal.pk]))
    assert response.status_code == 200 and b"".join(response).startswith(b"%PDF")
    entry = JournalEntry.objects.get(action="audits.document.downloaded")
    assert entry.data == {"document": "review_decision", "number": appeal.decision_number}
    page = client.get(detail).content.decode()
    assert reverse("audits:appeal_decision_pdf", args=[appeal.pk]) in page
    assert 'value="reconsideration"' in page  # the next step offered


def test_appeal_pages_wrong_unit_and_wrong_role_get_404(district, client):
    audit = _reported(district)
    appeal = _review(district, audit)
    apply = reverse("audits:audit_appeal", args=[audit.pk])
    decide = reverse("audits:appeal_decide", args=[appeal.pk])
    data = {"decided_on": (appeal.applied_on + DAY).isoformat(), "outcome": "upheld"}
    for user in (make_user(role=Role.AUDIT_OFFICER, unit=district.education), district.cadre_user):
        client.force_login(user)
        assert client.post(decide, data).status_code == 404
        assert client.post(apply, {"level": "reconsideration"}).status_code == 404
        assert client.get(reverse("audits:appeal_decision_pdf", args=[appeal.pk])).status_code == 404
    client.force_login(district.org_officer)  # reads the audit, may not decide
    assert client.post(decide, data).status_code == 404
    appeal.refresh_from_db()
    assert appeal.is_open


def test_appeals_api(district):
    audit = _reported(district)
    url = f"/api/v1/audits/audits/{audit.pk}/appeals"
    auditor = api_client(district.auditor)
    outsider = api_client(make_user(role=Role.AUDIT_OFFICER, unit=district.education))
    body = {"level": "review", "received_on": RECEIVED.isoformat(), "applied_on": (REVIEW_DUE + DAY).isoformat(), "grounds": "不服"}
    assert outsider.get(url).status_code == 404 and outsider.post(url, body, content_type=J).status_code == 404
    assert api_client(district.org_officer).post(url, {**body, "applied_on": REVIEW_DUE.isoformat()}, content_type=J).status_code == 404
    late = auditor.post(url, body, content_type=J)
    assert late.status_code == 400 and late.json()["field"] == "applied_on"
    assert auditor.post(url, {**body, "level": "appeal"}, content_type=J).status_code == 422
    created = auditor.post(url, {**body, "applied_on": (REVIEW_DUE - dt.timedelta(days=40)).isoformat()}, content_type=J)
    assert created.status_code == 400  # before the receipt
    created = auditor.post(url, {**body, "applied_on": REVIEW_DUE.isoformat()}, content_type=J)
    assert created.status_code == 201
    data = created.json()
    assert data["application_due_on"] == REVIEW_DUE.isoformat() and REVIEW_DUE.isoformat() in data["application_rule"]
    assert data["decision_overdue"] is (TODAY > REVIEW_DUE + dt.timedelta(days=30))
    assert [a["id"] for a in auditor.get(url).json()] == [data["id"]]
    decision = f"/api/v1/audits/appeals/{data['id']}/decision"
    body = {"decided_on": (REVIEW_DUE + DAY).isoformat(), "outcome": "changed", "note": "评价调整"}
    assert outsider.post(decision, body, content_type=J).status_code == 404
    decided = auditor.post(decision, body, content_type=J).json()
    assert decided["outcome"] == "changed" and decided["decision_number"].startswith("审复查决〔")
    assert decided["decision_overdue"] is False


def test_timeline_shows_the_appeal(district):
    audit = _reported(district)
    appeal = _review(district, audit)
    rows = [row for row in timeline.entries(district.auditor, district.zhang) if row.key == f"appeal:{appeal.pk}"]
    assert len(rows) == 1 and appeal.decision_due_on.isoformat() in rows[0].summary
    assert rows[0].url == reverse("audits:audit_detail", args=[audit.pk])
    assert not [row for row in timeline.entries(make_user(role=Role.AUDIT_OFFICER, unit=district.education), district.zhang) if row.key.startswith("appeal:")]
