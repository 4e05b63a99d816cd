# ruff: noqa: F811  (the `world` fixture is imported from test_cases)
"""凡提四必 before the decision (issue #18 §4): the personnel-file review with its differences, the
targeted check of jiandu/matters opened once at listing and waited for, the discipline
commission's reply, and open clues — each missing check named with its basis, nothing stored."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from jiandu.accounts.models import Role
from jiandu.core.models import JournalEntry
from jiandu.matters.models import Check as MattersCheck
from jiandu.oversight.actions import clues as clue_actions
from jiandu.selection import actions, four_checks
from jiandu.selection.models import CaseDecision, FileReview, Stage, VettingRequest
from jiandu.testing import api_client, log_in, make_user

from .test_cases import (  # noqa: F401  (the fixtures and builders)
    PEOPLE,
    D,
    _decide,
    _open,
    _refused,
    _stage,
    _to_decision,
    conclude_matters_check,
    english,
    review_file,
    world,
)


def _try_decide(w, case, candidate):
    from jiandu.decisions import verdict

    members = w["members"]
    statements = [(m, verdict.AGREE) for m in members[1:] + [members[0]]]
    return actions.record_decision(
        actor=w["officer"], case=case, body=w["body"], held_on=D + dt.timedelta(days=14), handler="王经办", absent=[], statements={candidate: statements}
    )


def test_decision_refused_naming_each_missing_check_with_its_basis(world):
    case, candidate = _to_decision(world)
    message = _refused(lambda: _try_decide(world, case, candidate))
    assert "凡提四必" in message and "带病提拔" in message
    assert "干部档案必审" in message and "个人有关事项报告必核" in message
    assert "awaits its result" in message
    assert "纪检监察机关意见必听" not in message and "信访举报必查" not in message  # replied, no clue
    assert not CaseDecision.objects.filter(case=case).exists()
    assert Stage.DECISION not in case.recorded_stages()
    review_file(world, candidate)
    message = _refused(lambda: _try_decide(world, case, candidate))
    assert "干部档案必审" not in message and "个人有关事项报告必核" in message
    conclude_matters_check(world, candidate.cadre)
    assert four_checks.gate_problems(candidate) == []
    _try_decide(world, case, candidate)
    assert CaseDecision.objects.filter(case=case).exists()


def test_listing_opens_the_targeted_check_once_and_journals_it(world):
    case, candidate = _to_decision(world)
    checks = MattersCheck.objects.filter(cadre=candidate.cadre, kind="targeted")
    assert checks.count() == 1 and checks.get().status == "open"
    assert JournalEntry.objects.filter(action="matters.check.opened", cadre_id=candidate.cadre.pk).count() == 1
    # a second case listing the same cadre while the check is open keeps that check
    other = _open(world)
    _stage(world, other, Stage.RECOMMENDATION, 1)
    actions.add_candidate(actor=world["officer"], case=other, cadre=candidate.cadre, position=world["post"], listed_on=D + dt.timedelta(days=2))
    assert checks.count() == 1
    assert JournalEntry.objects.filter(action="matters.check.opened", cadre_id=candidate.cadre.pk).count() == 1


@pytest.mark.parametrize(
    ("classification", "handling", "blocked"),
    [("consistent", "none", False), ("omission", "criticism", False), ("concealment", "criticism", True), ("omission", "disqualified", True)],
)
def test_the_check_result_blocks_on_concealment_or_a_disqualifying_handling(world, classification, handling, blocked):
    case, candidate = _to_decision(world)
    review_file(world, candidate)
    conclude_matters_check(world, candidate.cadre, classification=classification, handling=handling)
    problems = four_checks.gate_problems(candidate)
    assert bool(problems) is blocked, problems
    if blocked:
        _refused(lambda: _try_decide(world, case, candidate), "个人有关事项报告必核")
        assert not CaseDecision.objects.filter(case=case).exists()


def test_the_discipline_reply_must_be_in_and_its_problem_resolved(world):
    case, candidate = _to_decision(world)
    review_file(world, candidate)
    conclude_matters_check(world, candidate.cadre)
    request = VettingRequest.objects.get(candidate=candidate, department=world["discipline"])
    VettingRequest.objects.filter(pk=request.pk).update(result="problem", details="有信访举报待核")  # as if replied with a problem
    _refused(lambda: _try_decide(world, case, candidate), "纪检监察机关意见必听")
    actions.resolve_vetting(actor=world["officer"], request=request, resolution="经核实，举报不属实")
    assert four_checks.gate_problems(candidate) == []


def test_without_a_request_to_the_discipline_commission_the_check_is_missing(world):
    case, candidate = _to_decision(world)
    VettingRequest.objects.filter(candidate=candidate, department=world["discipline"]).delete()
    states = {c.code: c for c in four_checks.four_checks(candidate)}
    assert not states["discipline"].done and "No vetting request" in states["discipline"].state


def test_an_open_clue_blocks_until_its_handling_is_reported(world):
    case, candidate = _to_decision(world)
    review_file(world, candidate)
    conclude_matters_check(world, candidate.cadre)
    for unit in (world["discipline"], world["audit"]):
        clue_actions.add_member(actor=world["officer"], unit=unit)
    sender = make_user(role=Role.CLUE_OFFICER, unit=world["discipline"], include_descendants=False)
    receiver = make_user(role=Role.CLUE_OFFICER, unit=world["audit"], include_descendants=False)
    clue = clue_actions.register_clue(actor=sender, cadre=candidate.cadre, from_unit=world["discipline"], source="petition", summary="反映其违规收受礼金")
    message = _refused(lambda: _try_decide(world, case, candidate), "信访举报必查")
    assert "1 clues" in message and "礼金" not in message  # a count, never the clue's content
    clue = clue_actions.transfer_clue(actor=sender, clue=clue, to_unit=world["audit"])
    clue = clue_actions.confirm_receipt(actor=receiver, clue=clue)
    assert four_checks.gate_problems(candidate)
    clue_actions.report_handling(actor=receiver, clue=clue, handling="经核查不属实", result="unsubstantiated")
    assert four_checks.gate_problems(candidate) == []


# --- 干部档案必审 ---------------------------------------------------------------------------------


def test_file_review_lists_the_differences_and_needs_them_settled(world):
    case, candidate = _to_decision(world)
    cadre = candidate.cadre
    later = cadre.work_start_on + dt.timedelta(days=31)
    _refused(lambda: review_file(world, candidate, work_start_on=later, education="master"), "say how the differences were settled")
    assert not FileReview.objects.exists()
    review = review_file(world, candidate, work_start_on=later, education="master", identity="档案中为工人身份转干", handling="以干部任免审批表为准")
    assert {d["field"] for d in review.differences} == {"work_start_on", "education", "identity"}
    lines = four_checks.difference_lines(review.differences)
    assert any(cadre.work_start_on.isoformat() in line and later.isoformat() in line for line in lines)
    entry = JournalEntry.objects.get(action="selection.file.reviewed")
    assert entry.cadre_id == cadre.pk and set(entry.data["differences"]) == {"work_start_on", "education", "identity"}
    _refused(lambda: review_file(world, candidate), "already reviewed")


def test_file_review_refuses_bad_input_and_stores_nothing(world):
    case, candidate = _to_decision(world)
    day_before = candidate.listed_on - dt.timedelta(days=1)
    _refused(
        lambda: actions.record_file_review(
            actor=world["officer"], candidate=candidate, reviewed_on=day_before, birth_on=candidate.cadre.birth_on, education="bachelor"
        ),
        "after the candidate was listed",
    )
    actions_kw = {"actor": world["officer"], "candidate": candidate, "reviewed_on": candidate.listed_on, "birth_on": candidate.cadre.birth_on}
    _refused(lambda: actions.record_file_review(**actions_kw, education="phd_of_nothing"), "education")
    _refused(lambda: actions.record_file_review(**actions_kw, education="bachelor", work_history="a\x00b"))
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    _refused(lambda: actions.record_file_review(**{**actions_kw, "reviewed_on": tomorrow}, education="bachelor"), "future")
    outsider = make_user(role=Role.DISCIPLINE_OFFICER)
    from jiandu.accounts.access import NotVisible

    with pytest.raises(NotVisible):
        actions.record_file_review(**{**actions_kw, "actor": outsider}, education="bachelor")
    assert not FileReview.objects.exists()
    # on the day of listing itself the review is accepted
    actions.record_file_review(
        **actions_kw, education=candidate.cadre.education, party_join_on=candidate.cadre.party_join_on, work_start_on=candidate.cadre.work_start_on
    )
    assert FileReview.objects.get().differences == []


def test_file_review_is_closed_after_the_decision(world):
    case, candidate = _to_decision(world)
    _decide(world, case, candidate)
    FileReview.objects.all().delete()
    _refused(lambda: review_file(world, candidate), "no longer possible")


def test_case_page_shows_the_four_checks_and_the_form_works(world):
    case, candidate = _to_decision(world)
    client = log_in(Client(), world["officer"])
    page = client.get(reverse("selection:case", args=[case.pk])).content.decode()
    assert "干部档案必审" in page and "纪检监察机关意见必听" in page and "启动的重点查核尚无结果" in page  # pages speak Chinese
    url = reverse("selection:file_review", args=[case.pk, candidate.pk])
    assert client.get(url).status_code == 200
    other = _open(world)  # the candidate under another case's address
    assert client.get(reverse("selection:file_review", args=[other.pk, candidate.pk])).status_code == 404
    cadre = candidate.cadre
    response = client.post(
        url,
        {
            "reviewed_on": candidate.listed_on.isoformat(),
            "birth_on": (cadre.birth_on + dt.timedelta(days=1)).isoformat(),
            "party_join_on": "",
            "work_start_on": cadre.work_start_on.isoformat(),
            "education": cadre.education,
        },
    )
    assert response.status_code == 200 and "请填写认定情况" in response.content.decode()
    assert not FileReview.objects.exists()
    data = {
        "reviewed_on": candidate.listed_on.isoformat(),
        "birth_on": cadre.birth_on.isoformat(),
        "work_start_on": cadre.work_start_on.isoformat(),
        "education": cadre.education,
    }
    if cadre.party_join_on:
        data["party_join_on"] = cadre.party_join_on.isoformat()
    assert client.post(url, data).status_code == 302
    assert FileReview.objects.get().differences == []


def test_api_records_the_file_review_and_shows_the_four_checks(world):
    case, candidate = _to_decision(world)
    api = api_client(world["officer"])
    body = api.get(f"/api/v1/selection/cases/{case.pk}").json()
    checks = body["candidates"][0]["four_checks"]
    assert [c["code"] for c in checks] == ["file", "matters", "discipline", "clues"]
    assert [c["done"] for c in checks] == [False, False, True, True]
    cadre = candidate.cadre
    payload = {
        "reviewed_on": candidate.listed_on.isoformat(),
        "birth_on": cadre.birth_on.isoformat(),
        "education": cadre.education,
        "work_start_on": cadre.work_start_on.isoformat(),
    }
    if cadre.party_join_on:
        payload["party_join_on"] = cadre.party_join_on.isoformat()
    response = api.post(f"/api/v1/selection/candidates/{candidate.pk}/file-review", payload, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["candidates"][0]["four_checks"][0]["done"] is True
    response = api.post(f"/api/v1/selection/candidates/{candidate.pk}/file-review", {**payload, "identity": "x\u0000"}, content_type="application/json")
    assert response.status_code in (400, 422)


def test_the_decision_page_lists_the_open_checks_before_the_statements(world):
    case, candidate = _to_decision(world)
    client = log_in(Client(), world["officer"])
    page = client.get(reverse("selection:record_decision", args=[case.pk]) + f"?body={world['body'].pk}").content.decode()
    assert "干部档案必审" in page and candidate.cadre.name in page


def test_without_the_personal_matters_app_the_check_stays_missing(world, monkeypatch):
    from jiandu.selection import hooks

    case, candidate = _to_decision(world)
    review_file(world, candidate)
    conclude_matters_check(world, candidate.cadre)
    assert four_checks.gate_problems(candidate) == []
    monkeypatch.setattr(hooks, "_provider", None)  # an installation without jiandu.matters
    assert not hooks.request_targeted_check(actor=world["officer"], cadre=candidate.cadre, reason="x")
    problems = four_checks.gate_problems(candidate)
    assert len(problems) == 1 and "个人有关事项报告必核" in problems[0]
