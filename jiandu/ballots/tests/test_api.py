"""The ballots API router, driven through django-ninja's TestClient (the core glue that mounts
it under /api/v1/ballots/ authenticates the user)."""

import pytest
from ninja.testing import TestClient

from jiandu.accounts.models import Role
from jiandu.ballots import actions
from jiandu.ballots.api import router
from jiandu.ballots.models import Ballot
from jiandu.testing import answer_all, ballot_spec, make_ballot, make_unit, make_user

pytestmark = pytest.mark.django_db

client = TestClient(router)


@pytest.fixture
def unit():
    return make_unit(name="区司法局")


@pytest.fixture
def officer(unit):
    return make_user(role=Role.ORG_OFFICER, unit=unit)


def test_create_open_codes_close_results(unit, officer):
    response = client.post("/", json={"unit_id": unit.pk, "spec": ballot_spec(questions="five_dimensions")}, user=officer)
    assert response.status_code == 201, response.json()
    ballot_id = response.json()["id"]
    detail = client.get(f"/{ballot_id}", user=officer).json()
    assert detail["status"] == "draft" and len(detail["sections"][0]["questions"]) == 6
    assert detail["sections"][0]["questions"][5]["options"][0] == {
        "id": detail["sections"][0]["questions"][5]["options"][0]["id"],
        "code": "excellent",
        "label": "优秀",
        "valid": True,
        "points": "100",
    }
    assert client.post(f"/{ballot_id}/open", user=officer).json()["status"] == "open"
    group_id = detail["groups"][0]["id"]
    codes = client.post(f"/{ballot_id}/groups/{group_id}/codes", json={"count": 2}, user=officer)
    assert codes.status_code == 201 and len(codes.json()["codes"]) == 2
    ballot = Ballot.objects.get(pk=ballot_id)
    for code in codes.json()["codes"]:
        actions.submit_ballot(code=code, answers=answer_all(ballot, code))
    hidden = client.get(f"/{ballot_id}/results", user=officer)
    assert hidden.status_code == 400 and hidden.json()["code"] == "hidden"
    assert client.post(f"/{ballot_id}/close", user=officer).json()["status"] == "closed"
    results = client.get(f"/{ballot_id}/results", user=officer).json()
    subject = results["sections"][0]["subjects"][0]
    overall = subject["questions"][5]
    assert overall["options"][0]["count"] == 2 and overall["options"][0]["share"] == "1/1" and overall["options"][0]["share_display"] == "100.00%"
    assert overall["groups"] == [{"group": group_id, "hidden": True}]  # 2 < 5 ballots
    assert subject["score"] == "100/1" and subject["rank"] == 1
    assert len(client.get(f"/{ballot_id}/receipts", user=officer).json()) == 2


def test_bad_spec_and_precondition_errors(unit, officer):
    response = client.post("/", json={"unit_id": unit.pk, "spec": {"title": "x", "sections": []}}, user=officer)
    assert response.status_code == 400 and response.json()["field"] == "sections"
    ballot = make_ballot(unit=unit, actor=officer)
    response = client.post(f"/{ballot.pk}/close", user=officer)
    assert response.status_code == 400 and response.json()["code"] == "not_open"
    group = ballot.groups.get()
    response = client.post(f"/{ballot.pk}/groups/{group.pk}/codes", json={"count": 0}, user=officer)
    assert response.status_code == 400 and response.json()["field"] == "count"


def test_other_units_ballots_are_not_found(unit, officer):
    ballot = make_ballot(unit=unit, actor=officer)
    outsider = make_user(role=Role.ORG_HEAD, unit=make_unit())
    assert client.get("/", user=outsider).json() == []
    for method, path in [("get", f"/{ballot.pk}"), ("post", f"/{ballot.pk}/open"), ("get", f"/{ballot.pk}/results"), ("get", f"/{ballot.pk}/receipts")]:
        assert getattr(client, method)(path, user=outsider).status_code == 404
    group = ballot.groups.get()
    assert client.post(f"/{ballot.pk}/groups/{group.pk}/codes", json={"count": 1}, user=outsider).status_code == 404
    assert client.post("/", json={"unit_id": unit.pk, "spec": ballot_spec()}, user=outsider).status_code == 404
    assert Ballot.objects.get(pk=ballot.pk).is_draft
