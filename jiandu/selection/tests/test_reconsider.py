# ruff: noqa: F811  (the `world` fixture is imported from test_cases)
"""复议: reconsidering the committee's decision on a candidate needs more than half of ALL members
(decisions.verdict.reconsideration: 9 members, 5 agreeing allowed, 4 refused); the new statements
give a new verdict (2/3 present, yes above half of all members), journaled, once, before appointment."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from jiandu.accounts.models import Role
from jiandu.core.models import JournalEntry
from jiandu.decisions import verdict
from jiandu.selection import actions, queries
from jiandu.selection.models import Reconsideration
from jiandu.testing import api_client, log_in, make_unit, make_user

from .test_accountability import _appointed
from .test_cases import D, _decide, _refused, _to_decision, english, world  # noqa: F401  (the fixtures)

LATER = D + dt.timedelta(days=20)


def _failed(world):
    case, candidate = _to_decision(world)
    _decide(world, case, candidate, yes=4)
    candidate.refresh_from_db()
    assert candidate.outcome == verdict.FAILED
    return case, candidate


def _statements(world, *, present=9, yes=9):
    members = world["members"]
    here = members[1:present] + [members[0]]  # the principal last
    return members[present:], [(m, verdict.AGREE if n < yes else verdict.DISAGREE) for n, m in enumerate(reversed(here))][::-1]


def _reconsider(world, candidate, *, agreeing=5, present=9, yes=9, held_on=LATER, reason="补充考察材料后复议"):
    absent, statements = _statements(world, present=present, yes=yes)
    return actions.reconsider_decision(
        actor=world["officer"], candidate=candidate, held_on=held_on, agreeing=agreeing, reason=reason, absent=absent, statements=statements
    )


def test_five_of_nine_agreeing_reconsider_and_the_verdict_is_recomputed(world):
    _case, candidate = _failed(world)
    record = _reconsider(world, candidate, agreeing=5, present=6, yes=5)  # exactly 2/3 present, 5 yes: passes
    candidate.refresh_from_db()
    assert record.previous_outcome == verdict.FAILED and record.outcome == verdict.PASSED == candidate.outcome
    result = queries.candidate_verdict(candidate)
    assert (result.total, result.present, result.agree) == (9, 6, 5) and result.passed
    entry = JournalEntry.objects.get(action="selection.decision.reconsidered")
    assert entry.data["agreeing"] == 5 and entry.data["from"] == "failed" and entry.data["to"] == "passed"


def test_four_of_nine_agreeing_is_refused_with_the_arithmetic(world):
    _case, candidate = _failed(world)
    message = _refused(lambda: _reconsider(world, candidate, agreeing=4), "more than half of all 9 members, that is 5; 4 agreed")
    assert "refused" in message
    candidate.refresh_from_db()
    assert candidate.outcome == verdict.FAILED and not Reconsideration.objects.exists()
    assert not JournalEntry.objects.filter(action="selection.decision.reconsidered").exists()


@pytest.mark.parametrize("agreeing", [10, -1, "5", True])
def test_impossible_agreeing_counts_are_refused(world, agreeing):
    _case, candidate = _failed(world)
    _refused(lambda: _reconsider(world, candidate, agreeing=agreeing), "from 0 to 9")
    assert not Reconsideration.objects.exists()


def test_new_meeting_with_five_of_nine_present_is_void(world):
    _case, candidate = _failed(world)
    assert _reconsider(world, candidate, present=5, yes=5).outcome == verdict.VOID  # below 2/3: void whatever the votes


def test_new_meeting_with_four_yes_of_nine_fails_though_all_came(world):
    _case, candidate = _failed(world)
    assert _reconsider(world, candidate, present=9, yes=4).outcome == verdict.FAILED


def test_principal_not_last_is_refused(world):
    _case, candidate = _failed(world)
    members = world["members"]
    statements = [(members[0], verdict.AGREE)] + [(m, verdict.AGREE) for m in members[1:]]
    _refused(
        lambda: actions.reconsider_decision(
            actor=world["officer"], candidate=candidate, held_on=LATER, agreeing=5, reason="复议", absent=[], statements=statements
        ),
        "principal must state last",
    )
    assert not Reconsideration.objects.exists()


def test_once_not_before_the_decision_and_not_after_appointment(world):
    _case, candidate = _failed(world)
    decided = candidate.case.decision.held_on
    _refused(lambda: _reconsider(world, candidate, held_on=decided - dt.timedelta(days=1)), decided.isoformat())
    _reconsider(world, candidate, held_on=decided)  # the same day is allowed
    _refused(lambda: _reconsider(world, candidate), "already reconsidered")
    assert Reconsideration.objects.count() == 1


def test_refused_after_appointment(world):
    _case, candidate = _appointed(world)
    _refused(lambda: _reconsider(world, candidate, held_on=dt.date(2026, 10, 20)), "already appointed")


def test_nul_in_the_reason_is_refused(world):
    _case, candidate = _failed(world)
    _refused(lambda: _reconsider(world, candidate, reason="复议\x00"), "cannot be stored")
    assert not Reconsideration.objects.exists()


def test_page_records_it_and_the_case_page_shows_the_new_verdict(world):
    case, candidate = _failed(world)
    client = log_in(Client(), world["officer"])
    page = client.get(reverse("selection:case", args=[case.pk])).content.decode()
    url = reverse("selection:reconsider", args=[case.pk, candidate.pk])
    assert url in page
    assert client.get(url).status_code == 200
    data = {"held_on": LATER.isoformat(), "agreeing": "4", "reason": "复议"}
    data.update({f"m_{m.pk}": "agree" for m in world["members"]})
    answer = client.post(url, data)
    assert answer.status_code == 200 and "同意 4 人：不得复议" in answer.content.decode()  # the page speaks zh-Hans
    assert not Reconsideration.objects.exists()
    data["agreeing"] = "5"
    answer = client.post(url, data)
    assert answer.status_code == 302
    candidate.refresh_from_db()
    assert candidate.outcome == verdict.PASSED
    page = client.get(reverse("selection:case", args=[case.pk])).content.decode()
    assert url not in page and f"{LATER.isoformat()} 复议" in page
    assert client.get(url).status_code == 200  # the page still opens; the action refuses a second time
    assert "已复议" in client.post(url, data).content.decode()


def test_api_operation(world):
    _case, candidate = _failed(world)
    api = api_client(world["officer"])
    members = world["members"]
    body = {
        "held_on": LATER.isoformat(),
        "agreeing": 5,
        "reason": "复议",
        "absent_ids": [],
        "statements": [{"member_id": m.pk, "stance": "agree"} for m in members[1:] + [members[0]]],
    }
    answer = api.post(f"/api/v1/selection/candidates/{candidate.pk}/reconsideration", body, content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["candidates"][0]["outcome"] == "passed"
    again = api.post(f"/api/v1/selection/candidates/{candidate.pk}/reconsideration", body, content_type="application/json")
    assert again.status_code == 400 and "已复议" in again.json()["message"]


@pytest.mark.parametrize("who", ["committee_member", "vetting_officer", "other_unit_leader"])
def test_other_roles_get_404(world, who):
    case, candidate = _failed(world)
    if who == "other_unit_leader":
        user = make_user(role=Role.UNIT_LEADER, unit=make_unit(name="示范区卫健局"))
    else:
        user = make_user(role=Role.COMMITTEE_MEMBER if who == "committee_member" else Role.VETTING_OFFICER)
    client = log_in(Client(), user)
    url = reverse("selection:reconsider", args=[case.pk, candidate.pk])
    assert client.get(url).status_code == 404 and client.post(url, {}).status_code == 404
    answer = api_client(user).post(
        f"/api/v1/selection/candidates/{candidate.pk}/reconsideration",
        {"held_on": LATER.isoformat(), "agreeing": 5, "reason": "x", "statements": []},
        content_type="application/json",
    )
    assert answer.status_code == 404
    assert not Reconsideration.objects.exists()


def test_trace_back_report_lists_the_reconsideration_and_each_new_statement(world):
    from jiandu.selection import accountability_report

    _case, candidate = _failed(world)
    _reconsider(world, candidate, agreeing=6, present=6, yes=5)
    rows = accountability_report.rows(candidate)
    head = next(r for r in rows if r["item"] == "Reconsideration (复议)")
    assert "6 of 9 members agreed to reconsider" in head["recorded"] and "6 present" in head["recorded"] and "not passed" in head["recorded"].lower()
    again = {r["people"]: r["recorded"] for r in rows if r["item"].startswith("Member's statement on reconsideration")}
    assert set(again) == {m.name for m in world["members"]}
    assert sum(1 for text in again.values() if text == "absent") == 3
    assert again[world["members"][0].name].startswith("statement 6: agree")  # the principal last
    result = next(r for r in rows if r["item"] == "Result")
    assert "6 present" in result["recorded"] and "Agree 5" in result["recorded"]


def test_record_sheet_shows_the_first_decision_and_the_reconsideration_each_with_its_arithmetic(world):
    from jiandu.selection import sheet

    _case, candidate = _failed(world)
    _reconsider(world, candidate, agreeing=5, present=6, yes=5)
    candidate.refresh_from_db()
    rows = sheet.rows(candidate)
    items = [item for item, _content in rows]
    content = dict(rows)
    # The first decision keeps its own arithmetic (9 present, 4 agreeing: not passed) ...
    assert (
        "9 present" in content["Vote arithmetic"] and "Agree 4, disagree 5" in content["Vote arithmetic"] and content["Vote arithmetic"].endswith("Not passed.")
    )
    assert items.index("Vote arithmetic") < items.index("Reconsideration (复议)") < items.index("Vote arithmetic of the reconsideration")
    # ... the reconsideration shows the agreement to reconsider (5 of 9, more than half needed),
    # its reason and the first outcome, then the new meeting's arithmetic and statements.
    assert content["Reconsideration (复议)"] == (
        f"{LATER.isoformat()}; reason: 补充考察材料后复议; first decision: not passed. "
        "Reconsideration needs more than half of all 9 members, that is 5; 5 agreed: allowed."
    )
    again = content["Vote arithmetic of the reconsideration"]
    assert "6 present" in again and "Agree 5, disagree 1" in again and again.endswith("Passed.")
    said = content["Statements on reconsideration in speaking order"].split("、")
    assert len(said) == 6 and said[-1].startswith(world["members"][0].name)  # the principal last
    assert content["Decision"].startswith("passed")
