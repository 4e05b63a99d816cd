import datetime as dt

import pytest
from ninja.testing import TestClient

from jiandu.core.models import JournalEntry
from jiandu.oversight.actions import clues, dispositions
from jiandu.oversight.api import router
from jiandu.oversight.models import Disposition, Measure, Talk

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
api = TestClient(router)


def test_disposition_endpoints_and_influence(d):
    body = {"cadre_id": d.cadre_a.pk, "measure": "party_warning", "decided_on": "2025-03-15", "deciding_body": "区纪委", "grounds": "违纪"}
    created = api.post("/dispositions", json=body, user=d.officer)
    assert created.status_code == 201 and created.json()["influence_ends_on"] == "2026-03-14"
    pk = created.json()["id"]
    assert api.get(f"/dispositions/{pk}", user=d.officer_a).status_code == 200
    assert api.get(f"/dispositions/{pk}", user=d.officer_b).status_code == 404
    assert [r["id"] for r in api.get("/dispositions", user=d.officer_b).json()] == []
    on_last = api.get(f"/cadres/{d.cadre_a.pk}/influence?on=2026-03-14", user=d.officer).json()
    assert [r["measure"] for r in on_last] == ["party_warning"]
    assert api.get(f"/cadres/{d.cadre_a.pk}/influence?on=2026-03-15", user=d.officer).json() == []
    assert api.get(f"/cadres/{d.cadre_a.pk}/influence", user=d.officer_b).status_code == 404
    revoked = api.post(f"/dispositions/{pk}/revoke", json={"reason": "撤销"}, user=d.head)
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    again = api.post(f"/dispositions/{pk}/revoke", json={"reason": "撤销"}, user=d.head)
    assert again.status_code == 400 and again.json()["code"] == "invalid"


def test_bad_input_gives_400_and_stores_nothing(d):
    future = {
        "cadre_id": d.cadre_a.pk,
        "measure": "party_warning",
        "decided_on": (TODAY + dt.timedelta(days=1)).isoformat(),
        "deciding_body": "x",
        "grounds": "y",
    }
    response = api.post("/dispositions", json=future, user=d.officer)
    assert response.status_code == 400 and response.json()["field"] == "decided_on"
    unknown = dict(future, cadre_id=987654, decided_on="2025-01-01")
    response = api.post("/dispositions", json=unknown, user=d.officer)
    assert response.status_code == 400 and response.json()["field"] == "cadre"
    assert not Disposition.objects.exists()
    assert api.post("/dispositions", json=future, user=d.outsider).status_code == 404


def test_admonishment_and_talks(d):
    body = {
        "cadre_id": d.cadre_a.pk,
        "grounds": "测评不满意率≥1/3",
        "source_type": "appraisals.proposal",
        "source_id": "9",
        "figures": {"poor": 11, "valid": 30},
    }
    assert api.post("/admonishments", json=body, user=d.officer).status_code == 404
    response = api.post("/admonishments", json=body, user=d.head)
    assert response.status_code == 201
    assert api.post("/admonishments", json=body, user=d.head).json()["code"] == "duplicate"
    talks = api.get("/talks?status=required", user=d.officer).json()
    assert len(talks) == 1 and talks[0]["kind"] == "admonishment" and "working days" in talks[0]["due_explanation"]
    created = api.post(
        "/talks",
        json={"cadre_id": d.cadre_a.pk, "kind": "routine", "talked_on": TODAY.isoformat(), "talkers": "部长", "reason": "x", "summary": "y"},
        user=d.officer,
    )
    assert created.status_code == 201
    assert api.get(f"/talks/{created.json()['id']}", user=d.officer_b).status_code == 404
    assert Talk.objects.count() == 2


def test_inquiry_flow_over_the_api(d):
    created = api.post("/inquiries", json={"cadre_id": d.cadre_a.pk, "source": "complaint", "subject": "兼职", "questions": "是否兼职"}, user=d.officer)
    pk = created.json()["id"]
    assert api.post(f"/inquiries/{pk}/issue", json={"on": "2026-09-25"}, user=d.officer).status_code == 200
    delivered = api.post(f"/inquiries/{pk}/delivery", json={"on": "2026-09-28"}, user=d.officer).json()
    assert delivered["reply_due_on"] == "2026-10-23" and "10-10" in delivered["reply_due_explanation"]
    assert [i["id"] for i in api.get("/inquiries", user=d.self_a).json()] == [pk]
    early = api.post(f"/inquiries/{pk}/reply", data={"reply_text": "x", "replied_on": "2026-09-27"}, FILES={"file": pdf_upload()}, user=d.self_a)
    assert early.status_code == 400 and early.json()["field"] == "replied_on"
    replied = api.post(f"/inquiries/{pk}/reply", data={"reply_text": "x", "replied_on": "2026-10-09"}, FILES={"file": pdf_upload()}, user=d.self_a)
    assert replied.status_code == 200 and replied.json()["status"] == "replied"
    assert api.post(f"/inquiries/{pk}/sign-off", json={"on": "2026-10-09"}, user=d.officer).status_code == 200
    assessed = api.post(f"/inquiries/{pk}/assessment", json={"assessment": "clear", "follow_up": "close"}, user=d.officer)
    assert assessed.status_code == 200 and assessed.json()["status"] == "closed"


def test_clue_endpoints_only_for_sender_and_receiver(d):
    for unit in (d.org, d.audit, d.discipline):
        clues.add_member(actor=d.officer, unit=unit)
    clue = clues.transfer_clue(
        actor=d.officer, clue=clues.register_clue(actor=d.officer, cadre=d.cadre_a, from_unit=d.org, source="petition", summary="线索"), to_unit=d.audit
    )
    assert api.get(f"/clues/{clue.pk}", user=d.discipline_officer).status_code == 404
    assert api.get("/clues", user=d.discipline_officer).json() == []
    assert api.get(f"/clues/{clue.pk}", user=d.auditor).json()["summary"] == "线索"
    assert JournalEntry.objects.filter(action="oversight.clue.viewed", data__via="api").count() == 1
    assert api.post(f"/clues/{clue.pk}/receipt", json={"on": TODAY.isoformat()}, user=d.auditor).json()["status"] == "received"
    fed = api.post(f"/clues/{clue.pk}/feedback", json={"handling": "已核查", "result": "unsubstantiated"}, user=d.auditor)
    assert fed.status_code == 200 and fed.json()["status"] == "fed_back"


def test_statistics_endpoint(d):
    dispositions.record_disposition(actor=d.officer, cadre=d.cadre_a, measure=Measure.ADMIN_WARNING, decided_on=TODAY, deciding_body="x", grounds="y")
    data = api.get(f"/statistics/{TODAY.year}", user=d.officer).json()
    assert sum(r["count"] for r in data["dispositions"]["rows"]) == 1
    assert api.get(f"/statistics/{TODAY.year}", user=d.outsider).status_code == 404
