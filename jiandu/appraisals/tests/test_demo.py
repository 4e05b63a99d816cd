"""The demo loader builds a believable appraisal through the actions."""

import random
from types import SimpleNamespace

import pytest

from jiandu.accounts.models import Role
from jiandu.appraisals import demo
from jiandu.appraisals.models import AdmonishmentProposal, AppraisalCycle, DisqualifyingEvent

from .conftest import make_team

pytestmark = pytest.mark.django_db


def test_demo_load(district, officer, head):
    units = {"示范区委": district}
    for name in ("区财政局", "区教育局"):
        unit, _ = make_team(district, name, titles=("局长", "副局长", "主任"))
        units[name] = unit
    ctx = SimpleNamespace(units=units, users={Role.ORG_OFFICER: officer, Role.ORG_HEAD: head}, cadres=[], rng=random.Random(7))
    demo.load(ctx)
    closed, current = AppraisalCycle.objects.order_by("year")
    assert closed.status == AppraisalCycle.Status.GRADES_PROPOSED and closed.cadres.count() == 6
    assert current.status == AppraisalCycle.Status.SETUP and current.units.count() == 2
    proposal = AdmonishmentProposal.objects.get(cadre__name="区主任", cycle=closed)
    assert (proposal.numerator, proposal.denominator) == (8, 24)
    assert DisqualifyingEvent.objects.count() == 1
    no_grade = closed.cadres.get(proposed_grade="no_grade")  # under 记过 during the year
    assert no_grade.proposal_reasons[-1]["code"] == "sanction_no_grade"
    demo.load(ctx)  # idempotent
    assert AppraisalCycle.objects.count() == 2
