"""The selection pillar's early-warning rules, at their exact boundaries."""

import datetime as dt

import pytest

from jiandu.oversight.actions import dispositions
from jiandu.selection import alerts
from jiandu.selection.models import Candidate
from jiandu.testing import make_position, make_tenure

from .test_cases import _to_candidates, world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def test_an_influence_period_while_listed_is_raised_until_its_last_day(world):  # noqa: F811
    _case, candidate = _to_candidates(world)
    assert alerts.influence_while_listed(dt.date(2026, 9, 10)) == []
    dispositions.record_disposition(
        actor=world["officer"],
        cadre=world["cadre"],
        measure="admonishment_talk",
        decided_on=dt.date(2026, 9, 4),
        deciding_body="区纪委监委",
        grounds="履职不力",
    )
    [match] = alerts.influence_while_listed(dt.date(2026, 9, 10))
    assert match.cadre_id == world["cadre"].pk and match.key.startswith(f"candidate:{candidate.pk}:")
    assert "2027-03-03" in match.text  # six months, the last day included
    assert len(alerts.influence_while_listed(dt.date(2027, 3, 3))) == 1  # its last day
    assert alerts.influence_while_listed(dt.date(2027, 3, 4)) == []  # the day after
    Candidate.objects.filter(pk=candidate.pk).update(outcome="failed")  # decided: no longer listed
    assert alerts.influence_while_listed(dt.date(2026, 9, 10)) == []


def test_a_probation_is_overdue_the_day_after_it_ends_without_review(world):  # noqa: F811
    _case, candidate = _to_candidates(world)
    tenure = make_tenure(cadre=world["cadre"], position=make_position(unit=world["bureau"], title="副局长（试用）"), started_on=dt.date(2026, 10, 1))
    Candidate.objects.filter(pk=candidate.pk).update(tenure=tenure, probation_until=dt.date(2027, 9, 30))
    assert alerts.probation_unreviewed(dt.date(2027, 9, 30)) == []  # the last day of the probation
    [match] = alerts.probation_unreviewed(dt.date(2027, 10, 1))
    assert match.key == f"probation:{candidate.pk}" and "2027-09-30" in match.text
    Candidate.objects.filter(pk=candidate.pk).update(probation_result=Candidate.Probation.CONFIRMED, probation_reviewed_on=dt.date(2027, 10, 1))
    assert alerts.probation_unreviewed(dt.date(2027, 10, 2)) == []
