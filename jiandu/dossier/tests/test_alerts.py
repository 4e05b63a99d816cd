import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from jiandu.core.models import DomainEvent, JournalEntry
from jiandu.dossier import actions
from jiandu.dossier.models import Alert
from jiandu.oversight.models import Inquiry
from jiandu.registry.models import Tenure
from jiandu.testing import api_client, log_in

TODAY = dt.date.today()


def _open(rule):
    return Alert.objects.filter(rule=rule, closed_at__isnull=True)


def test_overdue_inquiry_raises_once_then_closes_when_answered(world):
    rule = "oversight.inquiry_reply_overdue"
    inquiry = world.facts.inquiry  # reply due two days ago
    first = actions.scan_alerts(actor=None, today=TODAY)
    assert _open(rule).count() == 1 and first["raised"] >= 1
    alert = _open(rule).get()
    assert alert.cadre_id == world.zhang.pk and alert.key == f"inquiry:{inquiry.pk}" and "2" in alert.text
    second = actions.scan_alerts(actor=None, today=TODAY)
    assert second["raised"] == 0 and _open(rule).count() == 1  # idempotent
    third = actions.scan_alerts(actor=None, today=TODAY + dt.timedelta(days=1))
    assert third["raised"] == 0 and third["updated"] >= 1  # the cause lasts: the text follows the days overdue
    Inquiry.objects.filter(pk=inquiry.pk).update(status=Inquiry.Status.REPLIED, replied_on=TODAY)
    actions.scan_alerts(actor=None, today=TODAY)
    assert _open(rule).count() == 0 and Alert.objects.get(pk=alert.pk).closed_at is not None
    assert JournalEntry.objects.filter(action="dossier.alerts.scanned").count() == 4


@pytest.mark.parametrize(("due", "raised"), [(-1, True), (0, False), (1, False)])
def test_inquiry_reply_boundary(world, due, raised):
    Inquiry.objects.filter(pk=world.facts.inquiry.pk).update(reply_due_on=TODAY + dt.timedelta(days=due))
    actions.scan_alerts(actor=None, today=TODAY)
    assert _open("oversight.inquiry_reply_overdue").exists() is raised


@pytest.mark.parametrize(("days_ago", "raised"), [(29, False), (30, True), (31, True)])
def test_departure_without_audit_or_handover_after_n_days(world, days_ago, raised):
    ended = TODAY - dt.timedelta(days=days_ago)
    DomainEvent.objects.create(
        kind="registry.departure",
        subject_type="registry.tenure",
        subject_id=1,
        unit_id=world.finance.pk,
        cadre_id=world.zhang.pk,
        data={"ended_on": ended.isoformat(), "position": "财政局局长"},
        occurred_at=timezone.now(),
    )
    actions.scan_alerts(actor=None, today=TODAY)
    alerts = _open("audits.departure_without_audit_or_handover")
    assert alerts.exists() is raised
    if raised:
        assert alerts.get().severity == "serious" and "财政局局长" in alerts.get().text


@pytest.mark.parametrize(("offset", "raised"), [(0, True), (1, False)])
def test_tenure_past_two_full_terms(world, offset, raised):
    tenure = Tenure.objects.get(cadre=world.zhang, position__title="局长")
    Tenure.objects.filter(pk=tenure.pk).update(started_on=TODAY.replace(year=TODAY.year - 10) + dt.timedelta(days=offset))
    actions.scan_alerts(actor=None, today=TODAY)
    assert _open("registry.tenure_past_term_limit").filter(cadre=world.zhang).exists() is raised


def test_alert_on_the_header_and_acknowledged_with_a_note(world, client):
    actions.scan_alerts(actor=None, today=TODAY)
    alert = _open("oversight.inquiry_reply_overdue").get()
    log_in(client, world.readers.leader)  # no dossier.view: no alerts
    assert alert.text not in client.get(reverse("dossier:cadre", args=[world.zhang.pk])).content.decode()
    assert client.post(reverse("dossier:alert_acknowledge", args=[alert.pk]), {"note": "x"}).status_code == 404
    log_in(client, world.readers.discipline)  # reads alerts, may not handle them
    assert alert.text in client.get(reverse("dossier:cadre", args=[world.zhang.pk])).content.decode()
    assert client.post(reverse("dossier:alert_acknowledge", args=[alert.pk]), {"note": "x"}).status_code == 404
    log_in(client, world.readers.officer)
    page = client.get(reverse("dossier:cadre", args=[world.zhang.pk])).content.decode()
    assert alert.text in page and reverse("dossier:alert_acknowledge", args=[alert.pk]) in page
    client.post(reverse("dossier:alert_acknowledge", args=[alert.pk]), {"note": "   "})
    assert Alert.objects.get(pk=alert.pk).acknowledged_at is None  # a note is required
    client.post(reverse("dossier:alert_acknowledge", args=[alert.pk]), {"note": "x" * 2001})
    assert Alert.objects.get(pk=alert.pk).acknowledged_at is None
    response = client.post(reverse("dossier:alert_acknowledge", args=[alert.pk]), {"note": "已电话催告，本周内回复"})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_by == world.readers.officer and alert.note == "已电话催告，本周内回复"
    assert JournalEntry.objects.filter(action="dossier.alert.acknowledged", target_id=str(alert.pk)).count() == 1
    assert "已电话催告" in client.get(reverse("dossier:cadre", args=[world.zhang.pk])).content.decode()


def test_alert_api_scan_and_acknowledgement(world):
    officer = api_client(world.readers.officer)
    assert api_client(world.readers.discipline).post("/api/v1/dossier/alerts/scan").status_code == 404
    body = officer.post("/api/v1/dossier/alerts/scan").json()
    assert body["raised"] >= 1 and body["failed"] == []
    assert officer.post("/api/v1/dossier/alerts/scan").json()["raised"] == 0
    alert = _open("oversight.inquiry_reply_overdue").get()
    url = f"/api/v1/dossier/alerts/{alert.pk}/acknowledgement"
    assert api_client(world.readers.leader).post(url, {"note": "x"}, content_type="application/json").status_code == 404
    assert officer.post(url, {"note": ""}, content_type="application/json").status_code in (400, 422)
    response = officer.post(url, {"note": "已核实"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["note"] == "已核实"
    assert officer.post(url, {"note": "again"}, content_type="application/json").status_code == 400
    data = officer.get(f"/api/v1/dossier/cadres/{world.zhang.pk}").json()
    assert [a["id"] for a in data["alerts"]] == [a.pk for a in Alert.objects.filter(cadre=world.zhang, closed_at__isnull=True).order_by("raised_at", "id")]


def test_a_failing_rule_is_reported_and_the_others_still_run(world, monkeypatch):
    from jiandu.core import alerts as rules

    def broken(today):
        raise RuntimeError("boom")

    monkeypatch.setitem(rules._rules, "zz.broken", rules.Rule("zz.broken", "broken", rules.WARNING, broken))
    result = actions.scan_alerts(actor=None, today=TODAY)
    assert result["failed"] == ["zz.broken"] and _open("oversight.inquiry_reply_overdue").count() == 1
