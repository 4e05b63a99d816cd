"""The JSON API: cycles, creating the evaluation from a cycle, results after close, proposals."""

import pytest
from ninja.testing import TestClient

from jiandu.appraisals import actions
from jiandu.appraisals.api import router
from jiandu.appraisals.models import AdmonishmentProposal

from .conftest import ballot_of, cast, make_team

pytestmark = pytest.mark.django_db

client = TestClient(router)


def test_cycle_lifecycle_through_the_api(district, officer, head, outsider):
    unit, _ = make_team(district, "区发改局", titles=("局长",))
    response = client.post("/cycles", json={"unit_id": district.pk, "year": 2025, "uses_target_scores": False}, user=officer)
    assert response.status_code == 201, response.json()
    cycle_id = response.json()["id"]
    assert response.json()["title"] == "2025年度领导班子和领导干部年度考核"
    assert client.post("/cycles", json={"unit_id": district.pk, "year": 2025}, user=officer).json()["field"] == "year"
    assert client.post("/cycles", json={"unit_id": district.pk, "year": 2024}, user=outsider).status_code == 404
    assert client.get(f"/cycles/{cycle_id}", user=outsider).status_code == 404
    assert [c["id"] for c in client.get("/cycles", user=officer).json()] == [cycle_id]
    assert client.get("/cycles", user=outsider).json() == []
    assert client.get("/cycles").status_code == 401

    from jiandu.appraisals.models import AppraisalCycle

    cycle = AppraisalCycle.objects.get(pk=cycle_id)
    assessed = actions.add_unit(actor=officer, cycle=cycle, unit=unit)
    bad = client.post(f"/cycles/{cycle_id}/evaluation", json={"headcounts": {str(assessed.pk): {"staff": 10}}}, user=officer)
    assert bad.status_code == 400 and bad.json()["field"] == f"headcount-{assessed.pk}-leaders"
    response = client.post(f"/cycles/{cycle_id}/evaluation", json={"headcounts": {str(assessed.pk): {"staff": 10, "leaders": 3}}}, user=officer)
    assert response.status_code == 201 and response.json()["status"] == "evaluation_open"
    assert response.json()["assessed_units"][0]["ballot_id"] == ballot_of(officer, assessed).pk
    assert client.get(f"/cycles/{cycle_id}/results", user=officer).status_code == 409

    cast(officer, assessed, "staff", ["excellent", "good", "good"], {"区局长": ["incompetent", "excellent", "competent"]})
    assert client.post(f"/cycles/{cycle_id}/evaluation/close", user=outsider).status_code == 404
    assert client.post(f"/cycles/{cycle_id}/evaluation/close", user=officer).status_code == 200
    results = client.get(f"/cycles/{cycle_id}/results", user=officer).json()
    cadre = results["cadres"][0]
    assert cadre["votes"] == {"excellent": 1, "competent": 1, "basically_competent": 0, "incompetent": 1, "unknown": 0}
    # 3/5 × 80 (德 能 勤 绩 廉) + 2/5 × (40 + 100 + 80) / 3 (overall)
    assert cadre["valid_votes"] == 3 and cadre["score_exact"] == "232/3"
    assert results["units"][0]["democratic_exact"] == "260/3"  # (100 + 80 + 80) / 3

    proposals = client.get("/proposals", user=officer).json()
    assert [p["figures"] for p in proposals] == ["不称职 1/3 = 33.33%"]
    pid = proposals[0]["id"]
    assert client.post(f"/proposals/{pid}/confirm", json={"note": ""}, user=officer).status_code == 404
    assert client.post(f"/proposals/{pid}/dismiss", json={"reason": " "}, user=head).json()["field"] == "reason"
    confirmed = client.post(f"/proposals/{pid}/confirm", json={"note": "同意"}, user=head)
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    assert client.post(f"/proposals/{pid}/dismiss", json={"reason": "x"}, user=head).status_code == 400
    assert client.get("/proposals", user=head).json() == []
    assert len(client.get("/proposals?status=all", user=head).json()) == 1
    assert AdmonishmentProposal.objects.get().decision_note == "同意"
