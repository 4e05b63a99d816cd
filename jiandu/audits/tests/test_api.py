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
    assert response.status_code == 201 and response.json()["event_id"] == event.pk and response.json()["status"] == "requested"
    assert JournalEntry.objects.filter(action="audits.departure.exemption_requested").count() == 1
    # Requested is not effective: the departure is still listed, and asking twice is refused.
    assert auditor.get("/api/v1/audits/departures").json()["count"] == 1
    assert auditor.post(url, {"reason": "再次"}, content_type="application/json").status_code == 400
    decision = f"/api/v1/audits/exemptions/{response.json()['id']}/decision"
    pending = api_client(district.head).get("/api/v1/audits/exemptions?pending=true").json()
    assert [e["id"] for e in pending["items"]] == [response.json()["id"]]
    # The auditor cannot approve (no audits.approve); the head must give a note to reject.
    assert auditor.post(decision, {"approve": True}, content_type="application/json").status_code == 404
    assert api_client(district.head).post(decision, {"approve": False}, content_type="application/json").status_code == 400
    assert DepartureExemption.objects.get().status == "requested"
    approved = api_client(district.head).post(decision, {"approve": True, "note": "同意"}, content_type="application/json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved" and approved.json()["decided_by"] == district.head.username
    assert JournalEntry.objects.filter(action="audits.departure.exempted").count() == 1
    assert auditor.get("/api/v1/audits/departures").json()["count"] == 0
    assert not DepartureAudit.objects.exists()


def test_handover_api_parties_items_and_confirmations(district):
    from jiandu.accounts.models import Role
    from jiandu.audits.models import Handover
    from jiandu.testing import make_cadre, make_user

    tenure = registry_actions.appoint(actor=district.registrar, cadre=district.zhang, position=district.director, started_on=dt.date(2020, 1, 1))
    registry_actions.end_tenure(actor=district.registrar, tenure=tenure, ended_on=dt.date(2026, 11, 30), end_reason="transfer")
    events.process_pending()
    handover = Handover.objects.get()
    base = f"/api/v1/audits/handovers/{handover.pk}"
    successor = make_cadre(unit=district.finance, name="赵接任")
    successor_user = make_user(role=Role.CADRE, cadre=successor)
    leaver_user = make_user(role=Role.CADRE, cadre=district.zhang)
    supervisor = make_user(role=Role.ORG_OFFICER)
    auditor = api_client(district.auditor)
    j = "application/json"

    detail = auditor.get(base).json()
    assert len(detail["items"]) == 12 and detail["due_on"] == "2026-12-21" and detail["signatures"] == []
    assert auditor.get("/api/v1/audits/handovers?overdue=true").json()["count"] == (1 if dt.date.today() > handover.due_on else 0)
    # Outsiders: 404 on read and write.
    outsider = api_client(make_user(role=Role.AUDIT_OFFICER, unit=district.education))
    assert outsider.get(base).status_code == 404 and outsider.get("/api/v1/audits/handovers").json()["count"] == 0
    assert outsider.post(base + "/parties", {"successor_id": successor.pk}, content_type=j).status_code == 404
    assert api_client(district.org_officer).post(base + "/parties", {"successor_id": successor.pk}, content_type=j).status_code == 404
    # The successor's own account as supervisor: refused, nothing stored.
    refused = auditor.post(base + "/parties", {"successor_id": successor.pk, "supervisor": successor_user.username}, content_type=j)
    assert refused.status_code == 400 and refused.json()["field"] == "supervisor"
    assert auditor.post(base + "/parties", {"successor_id": district.wang.pk}, content_type=j).status_code == 400  # another unit's cadre
    assert auditor.post(base + "/items", {"item_id": detail["items"][0]["id"], "figures": "9" * 501}, content_type=j).status_code in (400, 422)
    handover.refresh_from_db()
    assert handover.successor_id is None and handover.items.first().figures == ""

    ok = auditor.post(base + "/parties", {"successor_id": successor.pk, "supervisor": supervisor.username}, content_type=j)
    assert ok.status_code == 200 and ok.json()["successor_id"] == successor.pk
    assert (
        auditor.post(base + "/items", {"item_id": detail["items"][0]["id"], "figures": "1200万元"}, content_type=j).json()["items"][0]["figures"] == "1200万元"
    )
    successor_api = api_client(successor_user)
    assert successor_api.post(base + "/confirmation", {"party": "supervisor"}, content_type=j).status_code == 400
    assert successor_api.post(base + "/confirmation", {"party": "successor"}, content_type=j).status_code == 200
    assert api_client(leaver_user).post(base + "/confirmation", {"party": "leaver"}, content_type=j).status_code == 200
    done = api_client(supervisor).post(base + "/confirmation", {"party": "supervisor"}, content_type=j).json()
    assert done["status"] == "completed" and {s["party"] for s in done["signatures"]} == {"leaver", "successor", "supervisor"}
