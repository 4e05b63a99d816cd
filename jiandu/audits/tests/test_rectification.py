"""Rectification items of audit findings on the shared blocks (jiandu.core.rectification): who
may verify, evidence uploads through the page, the evidence download, the reminder job and the
demo's items."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jiandu.audits import actions
from jiandu.audits.models import Finding, RectificationItem, RectificationUpdate
from jiandu.core.calendar import add_working_days
from jiandu.core.models import JournalEntry

from .test_course import _reported

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _item(d):
    audit = _reported(d)
    finding = actions.add_finding(actor=d.auditor, audit=audit, category="other", amount=0, responsibility="direct", description="超标准接待", owner=d.li)
    return finding.items.get()


def test_only_the_audit_office_verifies(district):
    item = _item(district)
    actions.record_progress(actor=district.auditor, item=item, on=item.finding.audit.report_issued_on, progress="已整改")
    for outsider in (district.org_officer, district.cadre_user, district.education_head):
        with pytest.raises(Exception) as caught:
            actions.close_item(actor=outsider, item=item)
        assert caught.type.__name__ == "NotVisible"
        with pytest.raises(Exception):
            actions.return_item(actor=outsider, item=item, note="不行")
    item.refresh_from_db()
    assert item.status == "reported" and not JournalEntry.objects.filter(action="audits.rectification.accepted").exists()
    actions.add_rectification_item(actor=district.auditor, finding=item.finding, measure="建章立制", owner_name="办公室")  # keeps the audit open
    actions.close_item(actor=district.auditor, item=item)
    with pytest.raises(Exception, match="closed|销号"):
        actions.close_item(actor=district.auditor, item=item)


def test_evidence_through_the_page_attacks_refused_and_download_scoped(district, client):
    item = _item(district)
    url = reverse("audits:rectification_step", args=[item.pk, "progress"])
    client.force_login(district.auditor)
    exe = b"MZ\x90\x00" + b"\x00" * 200
    for name, body in (("凭证.pdf", exe), ("凭证.exe", exe), ("凭证.jpg", PDF), ("凭证.pdf", b"")):
        response = client.post(url, {"on": "2026-09-22", "progress": "已整改", "evidence": SimpleUploadedFile(name, body)})
        assert response.status_code == 400
    assert not RectificationUpdate.objects.exists() and RectificationItem.objects.get().status == "open"
    response = client.post(url, {"on": "2026-09-22", "progress": "已整改", "evidence": SimpleUploadedFile("凭证.pdf", PDF)})
    assert response.status_code == 302
    update = RectificationUpdate.objects.get()
    assert update.evidence_name == "凭证.pdf"
    assert "凭证.pdf" in client.get(reverse("audits:audit_detail", args=[item.finding.audit_id])).content.decode()


def test_evidence_download_is_scoped_and_journaled(district, client):
    item = _item(district)
    actions.record_progress(
        actor=district.auditor, item=item, on=item.finding.audit.report_issued_on, progress="已整改", evidence=SimpleUploadedFile("凭证.pdf", PDF)
    )
    update = RectificationUpdate.objects.get()
    url = reverse("audits:rectification_evidence", args=[update.pk])
    client.force_login(district.auditor)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment") and response["X-Content-Type-Options"] == "nosniff"
    assert JournalEntry.objects.filter(action="audits.rectification.evidence_downloaded").count() == 1
    for other in (district.cadre_user, district.education_head):
        client.force_login(other)
        assert client.get(url).status_code == 404
    assert JournalEntry.objects.filter(action="audits.rectification.evidence_downloaded").count() == 1


def test_reminder_job_reminds_and_escalates_once(district):
    item = _item(district)
    due = item.finding.audit.report_issued_on + dt.timedelta(days=1)
    RectificationItem.objects.filter(pk=item.pk).update(due_on=due)
    assert actions.send_rectification_reminders(today=due) == 0
    assert actions.send_rectification_reminders(today=due + dt.timedelta(days=1)) == 1
    escalation = add_working_days(due, 10).due  # the default: 10 working days
    assert actions.send_rectification_reminders(today=escalation - dt.timedelta(days=1)) == 0
    assert actions.send_rectification_reminders(today=escalation) == 1
    assert actions.send_rectification_reminders(today=escalation) == 0
    entries = JournalEntry.objects.filter(action__in=["audits.rectification.overdue", "audits.rectification.escalated"])
    assert entries.count() == 2 and {e.cadre_id for e in entries} == {item.finding.audit.cadre_id}
    # The reminder goes to the audit officers over the audited unit, the escalation to the heads
    # (audits.approve) over it; once each, and not to the head of another unit.
    from jiandu.core.models import Notification

    reminded = set(Notification.objects.filter(cause=f"audits.rectification.overdue:{item.pk}").values_list("user_id", flat=True))
    assert {district.auditor.pk, district.finance_auditor.pk} <= reminded and district.head.pk not in reminded
    escalated = list(Notification.objects.filter(cause=f"audits.rectification.escalated:{item.pk}").values_list("user_id", flat=True))
    assert district.head.pk in escalated and district.education_head.pk not in escalated and len(escalated) == len(set(escalated))


def test_demo_has_an_overdue_item_and_a_closed_one_with_a_visit(db):
    from django.core.management import call_command

    call_command("load_demo", "--small", verbosity=0)
    today = dt.date.today()
    items = list(RectificationItem.objects.all())
    assert len(items) == 2 and Finding.objects.count() == 2
    closed = [i for i in items if i.status == "closed"]
    overdue = [i for i in items if i.is_overdue(today)]
    assert len(closed) == 1 and closed[0].visits.count() == 1 and closed[0].updates.count() == 1
    assert len(overdue) == 1 and overdue[0].reminded_on and overdue[0].escalated_on and overdue[0].owner_cadre is None


def test_the_owners_dossier_shows_the_item_and_the_overdue_alert_names_them(district):
    from jiandu.audits import timeline

    item = _item(district)
    entries = timeline.entries(district.auditor, district.li)
    assert [e.key for e in entries if e.key.startswith("rectification:")] == [f"rectification:{item.pk}"]
    assert not [e for e in timeline.entries(district.education_head, district.li) if e.key.startswith("rectification:")]
    matches = timeline.finding_rectification_overdue(item.due_on + dt.timedelta(days=1))
    assert [(m.cadre_id, m.unit_id) for m in matches] == [(district.li.pk, item.finding.audit.unit_id)]
    assert timeline.finding_rectification_overdue(item.due_on) == []
