"""The JSON API through the real stack (/api/v1/appraisals/, token authentication, the core glue's
JSON errors): cycles, creating the evaluation from a cycle, results after close, proposals; every
operation is a 404 for another unit's officer and for a role without the permission."""

import pytest

from jiandu.accounts.models import Role
from jiandu.appraisals import actions
from jiandu.appraisals.models import AdmonishmentProposal, AppraisalCycle
from jiandu.core.models import JournalEntry
from jiandu.testing import api_client, make_unit, make_user

from .conftest import ballot_of, cast, make_team, open_cycle

pytestmark = pytest.mark.django_db

API = "/api/v1/appraisals"


def post(client, path, body=None):
    return client.post(f"{API}{path}", body or {}, content_type="application/json")


def test_cycle_lifecycle_through_the_api(district, officer, head, outsider):
    client = api_client(officer, language="en")
    unit, _ = make_team(district, "区发改局", titles=("局长",))
    response = post(client, "/cycles", {"unit_id": district.pk, "year": 2025, "uses_target_scores": False})
    assert response.status_code == 201, response.json()
    cycle_id = response.json()["id"]
    assert response.json()["title"] == "2025年度领导班子和领导干部年度考核"
    assert response.json()["stages"][0] == {"code": "setup", "state": "current", "problems": response.json()["stages"][0]["problems"]}
    duplicate = post(client, "/cycles", {"unit_id": district.pk, "year": 2025})
    assert duplicate.status_code == 400 and duplicate.json()["field"] == "year" and set(duplicate.json()) == {"code", "message", "field"}
    assert [c["id"] for c in client.get(f"{API}/cycles").json()["items"]] == [cycle_id]
    assert client.get(f"{API}/cycles", {"year": 2024}).json()["count"] == 0
    assert api_client().get(f"{API}/cycles").status_code == 401

    cycle = AppraisalCycle.objects.get(pk=cycle_id)
    assessed = actions.add_unit(actor=officer, cycle=cycle, unit=unit)
    bad = post(client, f"/cycles/{cycle_id}/evaluation", {"headcounts": {str(assessed.pk): {"staff": 10}}})
    assert bad.status_code == 400 and bad.json()["field"] == f"headcount-{assessed.pk}-leaders"
    response = post(client, f"/cycles/{cycle_id}/evaluation", {"headcounts": {str(assessed.pk): {"staff": 10, "leaders": 3}}})
    assert response.status_code == 201 and response.json()["status"] == "evaluation_open"
    assert response.json()["assessed_units"][0]["ballot_id"] == ballot_of(officer, assessed).pk
    hidden = client.get(f"{API}/cycles/{cycle_id}/results")
    assert hidden.status_code == 400 and hidden.json()["code"] == "hidden"

    cast(officer, assessed, "staff", ["excellent", "good", "good"], {"区局长": ["incompetent", "excellent", "competent"]})
    assert post(client, f"/cycles/{cycle_id}/evaluation/close").status_code == 200
    results = client.get(f"{API}/cycles/{cycle_id}/results").json()
    cadre = results["cadres"][0]
    assert cadre["votes"] == {"excellent": 1, "competent": 1, "basically_competent": 0, "incompetent": 1, "unknown": 0}
    # 3/5 × 80 (德 能 勤 绩 廉) + 2/5 × (40 + 100 + 80) / 3 (overall)
    assert cadre["valid_votes"] == 3 and cadre["score_exact"] == "232/3"
    assert results["units"][0]["democratic_exact"] == "260/3"  # (100 + 80 + 80) / 3

    proposals = client.get(f"{API}/proposals").json()["items"]
    assert [p["figures"] for p in proposals] == ["不称职 1/3 = 33.33%"]
    pid = proposals[0]["id"]
    assert post(client, f"/proposals/{pid}/confirm", {"note": ""}).status_code == 404  # the officer may not confirm
    head_client = api_client(head, language="en")
    refused = post(head_client, f"/proposals/{pid}/dismiss", {"reason": " "})
    assert refused.status_code == 400 and refused.json()["field"] == "reason"
    assert post(head_client, f"/proposals/{pid}/dismiss", {}).json()["field"] == "reason"  # 422: required
    confirmed = post(head_client, f"/proposals/{pid}/confirm", {"note": "同意"})
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    assert post(head_client, f"/proposals/{pid}/dismiss", {"reason": "x"}).status_code == 400
    assert head_client.get(f"{API}/proposals").json()["count"] == 0
    assert head_client.get(f"{API}/proposals", {"status": "all"}).json()["count"] == 1
    assert AdmonishmentProposal.objects.get().decision_note == "同意"
    assert JournalEntry.objects.filter(action="appraisals.cycle.created", actor_id=officer.pk).exists()


def test_bad_input_is_422_with_the_field(district, officer):
    client = api_client(officer, language="en")
    for body, field in [
        ({"unit_id": district.pk, "year": 1999}, "year"),
        ({"unit_id": district.pk, "year": 2025, "kind": "yearly"}, "kind"),
        ({"unit_id": district.pk, "year": 2025, "title": "x" * 201}, "title"),
        ({"unit_id": district.pk, "year": 2025, "colour": "red"}, "colour"),
        ({"year": 2025}, "unit_id"),
    ]:
        response = post(client, "/cycles", body)
        assert response.status_code == 422 and response.json()["field"] == field, body
    future = post(client, "/cycles", {"unit_id": district.pk, "year": 9000})
    assert future.status_code == 400 and future.json()["field"] == "year"
    assert client.get(f"{API}/cycles/abc").status_code == 422
    assert client.get(f"{API}/proposals", {"status": "maybe"}).status_code == 422
    assert not AppraisalCycle.objects.exists()


@pytest.fixture
def closed_cycle(district, officer):
    """A cycle whose evaluation has closed with one yellow card."""
    unit, _ = make_team(district, "区审计局", titles=("局长",))
    cycle = actions.create_cycle(actor=officer, unit=district, year=2025, uses_target_scores=False)
    assessed = actions.add_unit(actor=officer, cycle=cycle, unit=unit)
    open_cycle(officer, cycle)
    cast(officer, assessed, "staff", ["excellent", "good", "good"], {"区局长": ["incompetent", "competent", "excellent"]})
    return actions.close_evaluation(actor=officer, cycle=cycle)


def test_another_units_officer_gets_404_everywhere(district, officer, outsider, closed_cycle):
    setup = actions.create_cycle(actor=officer, unit=district, year=2024, uses_target_scores=False)
    proposal = AdmonishmentProposal.objects.get()
    client = api_client(outsider)
    head_elsewhere = api_client(make_user(role=Role.ORG_HEAD, unit=make_unit(name="另一区委组织部")))
    assert post(client, "/cycles", {"unit_id": district.pk, "year": 2023}).status_code == 404
    for c in (client, head_elsewhere):
        assert c.get(f"{API}/cycles/{setup.pk}").status_code == 404
        assert c.get(f"{API}/cycles/{closed_cycle.pk}/results").status_code == 404
        assert post(c, f"/cycles/{setup.pk}/evaluation", {"headcounts": {}}).status_code == 404
        assert post(c, f"/cycles/{closed_cycle.pk}/evaluation/close").status_code == 404
        assert c.get(f"{API}/cycles").json()["count"] == 0
        assert c.get(f"{API}/proposals", {"status": "all"}).json()["count"] == 0
    for path, body in [(f"/proposals/{proposal.pk}/confirm", {"note": "x"}), (f"/proposals/{proposal.pk}/dismiss", {"reason": "x"})]:
        response = post(head_elsewhere, path, body)
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert AdmonishmentProposal.objects.get().is_pending and AppraisalCycle.objects.get(pk=setup.pk).is_setup
    assert not JournalEntry.objects.filter(actor_id=outsider.pk, action__startswith="appraisals.").exists()


def test_roles_without_the_permission_get_404(district, officer, closed_cycle):
    proposal = AdmonishmentProposal.objects.get()
    auditor = api_client(make_user(role=Role.AUDIT_OFFICER, unit=district))
    assert auditor.get(f"{API}/cycles").status_code == 404
    assert auditor.get(f"{API}/proposals").status_code == 404
    assert auditor.get(f"{API}/cycles/{closed_cycle.pk}").status_code == 404
    assert auditor.get(f"{API}/cycles/{closed_cycle.pk}/results").status_code == 404
    # a committee member reads, and may not change anything
    member = api_client(make_user(role=Role.COMMITTEE_MEMBER, unit=district))
    assert member.get(f"{API}/cycles/{closed_cycle.pk}/results").status_code == 200
    assert post(member, "/cycles", {"unit_id": district.pk, "year": 2024}).status_code == 404
    assert post(member, f"/cycles/{closed_cycle.pk}/evaluation", {"headcounts": {}}).status_code == 404
    assert post(member, f"/cycles/{closed_cycle.pk}/evaluation/close").status_code == 404
    assert post(member, f"/proposals/{proposal.pk}/confirm", {"note": ""}).status_code == 404
    assert post(member, f"/proposals/{proposal.pk}/dismiss", {"reason": "x"}).status_code == 404
    assert AdmonishmentProposal.objects.get().is_pending and AppraisalCycle.objects.count() == 1
