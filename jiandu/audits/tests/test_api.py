import datetime as dt

from jiandu.audits.models import DepartureAudit, DepartureExemption
from jiandu.core import events
from jiandu.core.actions import change_setting
from jiandu.core.models import DomainEvent, JournalEntry
from jiandu.registry import actions as registry_actions
from jiandu.testing import api_client, system_admin


def test_api_is_scoped_and_exemption_needs_the_right(district):
    change_setting(actor=system_admin(), key="audits.every_departure", value=False)
    tenure = registry_actions.appoint(actor=district.registrar, cadre=district.wang, position=district.edu_director, started_on=dt.date(2020, 1, 1))
    registry_actions.end_tenure(actor=district.registrar, tenure=tenure, ended_on=dt.date(2026, 11, 30), end_reason="transfer")
    events.process_pending()
    event = DomainEvent.objects.get(kind="registry.departure")
    url = f"/api/v1/audits/departures/{event.pk}/exemption"

    auditor = api_client(district.auditor)
    listed = auditor.get("/api/v1/audits/departures").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == event.pk and listed["items"][0]["has_audit"] is False
    subjects = auditor.get("/api/v1/audits/subjects").json()
    assert [s["cadre"] for s in subjects["items"]] == ["王建国"] and subjects["items"][0]["last_audit_id"] is None

    finance_only = api_client(district.finance_auditor)
    assert finance_only.get("/api/v1/audits/departures").json()["count"] == 0
    assert finance_only.post(url, {"reason": "理由"}, content_type="application/json").status_code == 404
    assert api_client(district.org_officer).post(url, {"reason": "理由"}, content_type="application/json").status_code == 404
    cadre = api_client(district.cadre_user)
    for path in ("/api/v1/audits/departures", "/api/v1/audits/subjects"):
        assert cadre.get(path).status_code == 404
    assert auditor.post(url, {"reason": ""}, content_type="application/json").status_code in (400, 422)
    assert not DepartureExemption.objects.exists() and not JournalEntry.objects.filter(action="audits.departure.exempted").exists()

    response = auditor.post(url, {"reason": "已调离本区，由上级审计"}, content_type="application/json")
    assert response.status_code == 201 and response.json()["event_id"] == event.pk
    assert JournalEntry.objects.filter(action="audits.departure.exempted").count() == 1
    assert auditor.get("/api/v1/audits/departures").json()["count"] == 0
    assert not DepartureAudit.objects.exists()
