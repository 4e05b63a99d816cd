"""The ballots API through the real stack (/api/v1/ballots/, token authentication, the core glue's
JSON errors): every operation works for an officer of the unit and is a 404 for another unit's
officer and for a role without the permission."""

import pytest

from jiandu.accounts.models import Role
from jiandu.ballots import actions
from jiandu.ballots.models import Ballot, VotingCode
from jiandu.core.models import JournalEntry
from jiandu.testing import answer_all, api_client, ballot_spec, make_ballot, make_unit, make_user

pytestmark = pytest.mark.django_db

API = "/api/v1/ballots"


@pytest.fixture
def unit():
    return make_unit(name="区司法局")


@pytest.fixture
def officer(unit):
    return make_user(role=Role.ORG_OFFICER, unit=unit)


@pytest.fixture
def outsider():
    """An organisation-department head of another unit: every ballot permission, elsewhere."""
    return make_user(role=Role.ORG_HEAD, unit=make_unit(name="区外单位"))


@pytest.fixture
def committee_member(unit):
    """May read results of the unit's ballots, nothing else."""
    return make_user(role=Role.COMMITTEE_MEMBER, unit=unit)


def _closed_ballot(unit, officer, voters=2):
    ballot = make_ballot(unit=unit, actor=officer, spec=ballot_spec(questions="five_dimensions"), open=True)
    for code in actions.generate_codes(actor=officer, ballot=ballot, group=ballot.groups.get(), count=voters)[1]:
        actions.submit_ballot(code=code, answers=answer_all(ballot, code))
    return actions.close_ballot(actor=officer, ballot=ballot)


def test_create_open_codes_close_results(unit, officer):
    client = api_client(officer)
    response = client.post(f"{API}/", {"unit_id": unit.pk, "spec": ballot_spec(questions="five_dimensions")}, content_type="application/json")
    assert response.status_code == 201, response.json()
    ballot_id = response.json()["id"]
    detail = client.get(f"{API}/{ballot_id}").json()
    assert detail["status"] == "draft" and detail["voting_state"] == "not_open" and len(detail["sections"][0]["questions"]) == 6
    option = detail["sections"][0]["questions"][5]["options"][0]
    assert option == {"id": option["id"], "code": "excellent", "label": "优秀", "valid": True, "points": "100"}
    assert client.post(f"{API}/{ballot_id}/open").json()["status"] == "open"
    group_id = detail["groups"][0]["id"]
    codes = client.post(f"{API}/{ballot_id}/groups/{group_id}/codes", {"count": 2}, content_type="application/json")
    assert codes.status_code == 201 and len(codes.json()["codes"]) == 2 and codes["Cache-Control"] == "no-store"
    ballot = Ballot.objects.get(pk=ballot_id)
    for code in codes.json()["codes"]:
        actions.submit_ballot(code=code, answers=answer_all(ballot, code))
    hidden = client.get(f"{API}/{ballot_id}/results")
    assert hidden.status_code == 400 and hidden.json()["code"] == "hidden" and hidden.json()["message"]
    assert client.get(f"{API}/{ballot_id}/receipts").json() == []  # published only after close
    assert client.post(f"{API}/{ballot_id}/close").json()["status"] == "closed"
    results = client.get(f"{API}/{ballot_id}/results").json()
    subject = results["sections"][0]["subjects"][0]
    overall = subject["questions"][5]
    assert overall["options"][0]["count"] == 2 and overall["options"][0]["share"] == "1/1" and overall["options"][0]["share_display"] == "100.00%"
    assert overall["groups"] == [{"group": group_id, "hidden": True, "ballots": None, "valid": None, "score": None, "options": None}]  # 2 < 5
    assert subject["score"] == "100/1" and subject["rank"] == 1
    assert len(client.get(f"{API}/{ballot_id}/receipts").json()) == 2
    actions_done = set(JournalEntry.objects.filter(actor_id=officer.pk).values_list("action", flat=True))
    assert {"ballots.ballot.created", "ballots.ballot.opened", "ballots.ballot.closed"} <= actions_done


def test_list_is_paginated_filtered_and_scoped(unit, officer, outsider):
    drafts = [make_ballot(unit=unit, actor=officer, spec=ballot_spec(title=f"测评{n}")) for n in range(3)]
    make_ballot(unit=make_unit(), spec=ballot_spec(title="外单位测评"))
    actions.open_ballot(actor=officer, ballot=drafts[0])
    page = api_client(officer).get(f"{API}/", {"limit": 2}).json()
    assert page["count"] == 3 and len(page["items"]) == 2 and page["limit"] == 2
    assert [b["title"] for b in api_client(officer).get(f"{API}/", {"status": "open"}).json()["items"]] == ["测评0"]
    assert api_client(officer).get(f"{API}/", {"status": "bogus"}).status_code == 422
    assert api_client(outsider).get(f"{API}/").json()["count"] == 0


def test_errors_are_the_glue_s_json(unit, officer):
    client = api_client(officer, language="en")
    response = client.post(f"{API}/", {"unit_id": unit.pk, "spec": {"title": "x", "sections": []}}, content_type="application/json")
    assert response.status_code == 400 and response.json()["field"] == "sections" and set(response.json()) == {"code", "message", "field"}
    ballot = make_ballot(unit=unit, actor=officer)
    response = client.post(f"{API}/{ballot.pk}/close")
    assert response.status_code == 400 and response.json()["code"] == "not_open"
    group = ballot.groups.get()
    response = client.post(f"{API}/{ballot.pk}/groups/{group.pk}/codes", {"count": 0}, content_type="application/json")
    assert response.status_code == 422 and response.json()["field"] == "count"
    response = client.post(f"{API}/{ballot.pk}/groups/{group.pk}/codes", {"count": 999}, content_type="application/json")
    assert response.status_code == 400 and response.json()["field"] == "count" and "headcount" in response.json()["message"]
    response = client.post(f"{API}/", {"unit_id": unit.pk, "spec": {}, "extra": 1}, content_type="application/json")
    assert response.status_code == 422 and response.json()["field"] == "extra"
    assert client.get(f"{API}/0").status_code == 422
    assert not VotingCode.objects.exists()
    assert api_client().get(f"{API}/").status_code == 401


def test_session_requests_need_the_csrf_token(unit, officer):
    from django.test import Client

    ballot = make_ballot(unit=unit, actor=officer)
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    assert client.get(f"{API}/{ballot.pk}").status_code == 200
    response = client.post(f"{API}/{ballot.pk}/open")
    assert response.status_code == 403 and response.json()["code"] == "csrf_failed"
    assert Ballot.objects.get(pk=ballot.pk).is_draft


def test_another_units_officer_gets_404_everywhere(unit, officer, outsider):
    ballot = make_ballot(unit=unit, actor=officer)
    closed = _closed_ballot(unit, officer)
    group = ballot.groups.get()
    client = api_client(outsider)
    for method, path in [
        ("get", f"{API}/{ballot.pk}"),
        ("post", f"{API}/{ballot.pk}/open"),
        ("post", f"{API}/{ballot.pk}/close"),
        ("get", f"{API}/{closed.pk}/results"),
        ("get", f"{API}/{closed.pk}/receipts"),
    ]:
        response = getattr(client, method)(path)
        assert response.status_code == 404 and response.json()["code"] == "not_found", path
    assert client.post(f"{API}/{ballot.pk}/groups/{group.pk}/codes", {"count": 1}, content_type="application/json").status_code == 404
    assert client.post(f"{API}/", {"unit_id": unit.pk, "spec": ballot_spec()}, content_type="application/json").status_code == 404
    # a group of another ballot, through a ballot the officer manages
    other = make_ballot(unit=unit, actor=officer)
    assert api_client(officer).post(f"{API}/{ballot.pk}/groups/{other.groups.get().pk}/codes", {"count": 1}, content_type="application/json").status_code == 404
    assert Ballot.objects.get(pk=ballot.pk).is_draft and Ballot.objects.count() == 3
    assert not VotingCode.objects.filter(ballot=ballot).exists()
    assert not JournalEntry.objects.filter(actor_id=outsider.pk, action__startswith="ballots.").exists()


def test_a_results_reader_may_not_manage(unit, officer, committee_member):
    ballot = make_ballot(unit=unit, actor=officer)
    closed = _closed_ballot(unit, officer)
    client = api_client(committee_member)
    assert client.get(f"{API}/{closed.pk}/results").status_code == 200
    assert client.get(f"{API}/{closed.pk}/receipts").status_code == 200
    assert client.post(f"{API}/{ballot.pk}/open").status_code == 404
    assert client.post(f"{API}/{closed.pk}/close").status_code == 404
    group = ballot.groups.get()
    assert client.post(f"{API}/{ballot.pk}/groups/{group.pk}/codes", {"count": 1}, content_type="application/json").status_code == 404
    assert client.post(f"{API}/", {"unit_id": unit.pk, "spec": ballot_spec()}, content_type="application/json").status_code == 404
    assert Ballot.objects.get(pk=ballot.pk).is_draft
    auditor = make_user(role=Role.AUDIT_OFFICER, unit=unit)
    assert api_client(auditor).get(f"{API}/{closed.pk}/results").status_code == 404
    assert api_client(auditor).get(f"{API}/{ballot.pk}").status_code == 404
    assert api_client(auditor).get(f"{API}/").json()["count"] == 0
