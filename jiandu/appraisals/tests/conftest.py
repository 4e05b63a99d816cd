"""Personas and builders for the appraisal tests: a district, its organisation department's
officer and head, and units with leadership teams (all created through the actions)."""

import pytest
from django.utils import translation

from jiandu.accounts.models import Role
from jiandu.appraisals import actions
from jiandu.ballots import actions as ballot_actions
from jiandu.testing import answer_all, make_cadre, make_position, make_tenure, make_unit, make_user


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in the English source; test_quota_text_in_chinese checks the catalogue."""
    with translation.override("en"):
        yield


@pytest.fixture
def district():
    return make_unit(name="示范区委", kind="party_committee")


@pytest.fixture
def officer(district):
    return make_user(role=Role.ORG_OFFICER, unit=district, full_name="组织部干部监督科科员")


@pytest.fixture
def head(district):
    return make_user(role=Role.ORG_HEAD, unit=district, full_name="组织部部长")


@pytest.fixture
def outsider():
    """An organisation officer of a unit outside the district."""
    return make_user(role=Role.ORG_OFFICER, unit=make_unit(name="另一区委", kind="party_committee"))


def make_team(parent, name, titles=("局长", "副局长")):
    """A unit under `parent` with a leadership team: one cadre per title (the first is principal)."""
    unit = make_unit(name=name, parent=parent)
    cadres = []
    for i, title in enumerate(titles):
        position = make_position(unit=unit, title=title, is_principal=i == 0)
        cadres.append(make_tenure(position=position, cadre=make_cadre(unit=unit, name=f"{name[:1]}{title}")).cadre)
    return unit, cadres


def open_cycle(actor, cycle, headcount=10):
    groups = actions.evaluation.voter_groups()
    headcounts = {u.pk: {g["code"]: headcount for g in groups} for u in cycle.units.all()}
    return actions.open_evaluation(actor=actor, cycle=cycle, headcounts=headcounts)


def ballot_of(actor, assessed_unit):
    from jiandu.ballots import queries as ballot_queries

    assessed_unit.refresh_from_db()
    return ballot_queries.get_ballot_for(actor, assessed_unit.ballot_id)


def codes_for(actor, ballot, group_code, count):
    group = ballot.groups.get(code=group_code)
    _batch, plain = ballot_actions.generate_codes(actor=actor, ballot=ballot, group=group, count=count)
    return plain


def vote(ballot, code, pick):
    """pick(subject, question) → option code (None: the first option)."""

    def choose(subject, question, options):
        wanted = pick(subject, question)
        if wanted is None:
            return options[0]
        return next(o for o in options if o.code == wanted)

    return ballot_actions.submit_ballot(code=code, answers=answer_all(ballot, code, choose))


def cast(officer, assessed_unit, group_code, team, overall, dimensions=None):
    """Vote in one group of a unit's ballot: `team` is the list of team answers (one per voter),
    `overall` maps a cadre's name to the list of overall answers, `dimensions` (optional) maps a
    cadre's name to the answer on 德 能 勤 绩 廉 per voter (default 称职)."""
    ballot = ballot_of(officer, assessed_unit)
    codes = codes_for(officer, ballot, group_code, len(team))
    for i, code in enumerate(codes):

        def pick(subject, question, i=i):
            if subject.kind == "team":
                return team[i]
            if question.code == "overall":
                return overall[subject.label][i]
            return (dimensions or {}).get(subject.label, ["competent"] * len(team))[i]

        vote(ballot, code, pick)
    return ballot


def closed_without_votes(officer, cycle):
    """Open and close a cycle's evaluation with no ballots cast (grades then come from the department)."""
    open_cycle(officer, cycle)
    return actions.close_evaluation(actor=officer, cycle=cycle)
