"""民主推荐 on the ballot engine: the case opens a recommendation ballot for its positions, the
ballot is voted and closed through the engine, and the stage's results come from it; the
recommendation is valid for one year (2019 条例 art. 13); typed figures stay possible."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import translation

from jiandu.ballots import actions as ballot_actions
from jiandu.ballots import structure
from jiandu.ballots.models import Ballot
from jiandu.core.errors import ActionError
from jiandu.selection import actions
from jiandu.selection.models import RecommendationBallot, RecommendationVote, Stage
from jiandu.selection.tests import test_cases
from jiandu.selection.tests.test_cases import PEOPLE, D, _open
from jiandu.testing import log_in, make_cadre

world = test_cases.world  # the same district, members and officer as the case tests


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _ballot_case(w, max_choices=1, write_ins=1):
    case = _open(w)
    other = make_cadre(unit=w["bureau"], name="李备选", work_start_on=dt.date(2004, 7, 1))
    ballot = actions.open_recommendation_ballot(
        actor=w["officer"],
        case=case,
        posts=[{"position": w["post"], "cadres": [w["cadre"], other], "max_choices": max_choices, "write_ins": write_ins}],
        groups=[("教育局机关干部", 30)],
    )
    return case, ballot, other


def _vote(w, ballot, picks):
    """picks: one entry per voter — a candidate name, ("written", name) or None (abstains)."""
    group = ballot.groups.get()
    _b, codes = ballot_actions.generate_codes(actor=w["officer"], ballot=ballot, group=group, count=len(picks))
    shape = structure.load(ballot)
    post = next(iter(shape.posts.values()))
    for code, pick in zip(codes, picks, strict=True):
        if pick is None:
            ballot_actions.submit_ballot(code=code, answers={})
        elif isinstance(pick, tuple):
            ballot_actions.submit_ballot(code=code, answers={}, written={post.section_id: [pick[1]]})
        else:
            ballot_actions.submit_ballot(code=code, answers={(post.candidates[pick], post.question_id): post.option_id})


def test_stage_results_come_from_the_closed_ballot(world):
    w = world
    case, ballot, _other = _ballot_case(w)
    assert ballot.is_open and RecommendationBallot.objects.get(case=case).ballot_id == ballot.pk
    section = ballot.sections.get()
    assert section.kind == "recommendation" and section.max_choices == 1 and section.post == str(w["post"])
    with pytest.raises(ActionError):  # one ballot per case
        actions.open_recommendation_ballot(
            actor=w["officer"], case=case, posts=[{"position": w["post"], "cadres": [w["cadre"]], "max_choices": 1}], groups=[("甲", 5)]
        )
    _vote(w, ballot, ["张候选", "张候选", "张候选", "李备选", ("written", "王 外"), None, None])
    with pytest.raises(ActionError) as exc:  # still open
        actions.record_recommendation_results(actor=w["officer"], case=case, held_on=D + dt.timedelta(days=1), **PEOPLE)
    assert "Close the recommendation ballot" in exc.value.message
    ballot_actions.close_ballot(actor=w["officer"], ballot=ballot)
    record = actions.record_recommendation_results(actor=w["officer"], case=case, held_on=D + dt.timedelta(days=1), **PEOPLE)
    assert record.stage == Stage.RECOMMENDATION
    # 3 of 7 valid ballots under the default rounding (round down, 2 places)
    assert "张候选 3 votes (42.85%)" in record.result and "李备选 1 vote (14.28%)" in record.result and "7 valid ballots, 0 invalid" in record.result
    rows = list(RecommendationVote.objects.filter(case=case).values_list("name", "votes", "valid", "share", "written_in", "cadre_id", "position_id"))
    assert rows == [
        ("张候选", 3, 7, "42.85%", False, w["cadre"].pk, w["post"].pk),
        ("李备选", 1, 7, "14.28%", False, rows[1][5], w["post"].pk),  # rounded down, the default
        ("王外", 1, 7, "14.28%", True, None, None),
    ]
    # listing the candidate takes the figure from the recommendation
    candidate = actions.add_candidate(actor=w["officer"], case=case, cadre=w["cadre"], position=w["post"], listed_on=D + dt.timedelta(days=2))
    assert candidate.recommendation_votes == 3


def test_recommendation_is_valid_for_one_year(world):
    w = world
    case = actions.create_case(
        actor=w["officer"],
        unit=w["root"],
        title="教育局副局长选拔",
        positions=[w["post"]],
        reasons="职位空缺",
        proposed_by="区委组织部",
        held_on=dt.date(2025, 9, 1),
        **PEOPLE,
    )
    actions.record_stage(actor=w["officer"], case=case, stage=Stage.RECOMMENDATION, held_on=dt.date(2025, 9, 2), result="个别谈话推荐 28 人", **PEOPLE)
    with pytest.raises(ActionError) as exc:  # one year and a day later
        actions.add_candidate(actor=w["officer"], case=case, cadre=w["cadre"], position=w["post"], listed_on=dt.date(2026, 9, 2), recommendation_votes=20)
    assert "valid until 2026-09-01" in exc.value.message and "art. 13" in exc.value.message
    # the last day of the year is still valid; typed figures (谈话推荐) are kept as given
    candidate = actions.add_candidate(
        actor=w["officer"], case=case, cadre=w["cadre"], position=w["post"], listed_on=dt.date(2026, 9, 1), recommendation_votes=20
    )
    assert candidate.recommendation_votes == 20


def test_open_refuses_bad_posts(world):
    w = world
    case = _open(w)
    with pytest.raises(ActionError):
        actions.open_recommendation_ballot(actor=w["officer"], case=case, posts=[], groups=[("甲", 5)])
    with pytest.raises(ActionError) as exc:  # 1 candidate + 0 lines cannot take 2 names
        actions.open_recommendation_ballot(
            actor=w["officer"], case=case, posts=[{"position": w["post"], "cadres": [w["cadre"]], "max_choices": 2, "write_ins": 0}], groups=[("甲", 5)]
        )
    assert "from 1 to 1" in exc.value.message
    assert not Ballot.objects.exists()


def test_pages_open_the_ballot_and_record_the_stage(world):
    w = world
    case = _open(w)
    client = Client()
    log_in(client, w["officer"])
    url = f"/selection/cases/{case.pk}/recommendation/"
    page = client.get(url)
    assert page.status_code == 200 and "张候选" in page.content.decode()
    assert f'href="{url}"' in client.get(f"/selection/cases/{case.pk}/").content.decode()
    response = client.post(
        url,
        {
            f"cadres_{w['post'].pk}": [w["cadre"].pk],
            f"max_{w['post'].pk}": "1",
            f"writeins_{w['post'].pk}": "1",
            "group_name_0": "全体干部",
            "group_count_0": "20",
        },
    )
    assert response.status_code == 302
    ballot = Ballot.objects.get(pk=RecommendationBallot.objects.get(case=case).ballot_id)
    assert ballot.is_open and f"/ballots/{ballot.pk}/" in client.get(url).content.decode()
    _vote(w, ballot, ["张候选", None])
    ballot_actions.close_ballot(actor=w["officer"], ballot=ballot)
    form = client.get(url).content.decode()
    assert 'name="handler"' in form
    done = client.post(url, {"held_on": (D + dt.timedelta(days=1)).isoformat(), "participants": "", **PEOPLE})
    assert done.status_code == 302
    case_page = client.get(f"/selection/cases/{case.pk}/").content.decode()
    assert "50.00%" in case_page and "张候选" in case_page and "2027-09-01" in case_page


def test_api_opens_and_records_and_refuses_outsiders(world):
    from jiandu.accounts.models import Role
    from jiandu.testing import api_client, make_unit, make_user

    w = world
    case = _open(w)
    body = {
        "posts": [{"position_id": w["post"].pk, "cadre_ids": [w["cadre"].pk], "max_choices": 1, "write_ins": 1}],
        "groups": [{"name": "全体干部", "headcount": 9}],
    }
    open_url = f"/api/v1/selection/cases/{case.pk}/recommendation/ballot"
    record_url = f"/api/v1/selection/cases/{case.pk}/recommendation/record"
    record = {"held_on": (D + dt.timedelta(days=1)).isoformat(), **PEOPLE}
    outsider = api_client(make_user(role=Role.ORG_HEAD, unit=make_unit(name="区外单位")))
    assert outsider.post(open_url, body, content_type="application/json").status_code == 404
    assert outsider.post(record_url, record, content_type="application/json").status_code == 404
    assert not Ballot.objects.exists()
    client = api_client(w["officer"])
    response = client.post(open_url, body, content_type="application/json")
    assert response.status_code == 201, response.json()
    ballot = Ballot.objects.get(pk=response.json()["ballot_id"])
    early = client.post(record_url, record, content_type="application/json")
    assert early.status_code == 400 and early.json()["field"] == "stage"
    _vote(w, ballot, ["张候选", "张候选", None])
    ballot_actions.close_ballot(actor=w["officer"], ballot=ballot)
    done = client.post(record_url, record, content_type="application/json")
    assert done.status_code == 200, done.json()
    assert RecommendationVote.objects.get(case=case, cadre=w["cadre"]).votes == 2
    assert outsider.post(record_url, record, content_type="application/json").status_code == 404
