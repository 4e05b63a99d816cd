import random
from types import SimpleNamespace

import pytest

from jiandu.ballots import queries as ballot_queries
from jiandu.core import jobs
from jiandu.core.dashboard import cards_for
from jiandu.oversight import demo, influence
from jiandu.oversight.models import Clue, Disposition, DutySession, InspectionTour, Talk
from jiandu.testing import make_cadre

pytestmark = pytest.mark.django_db


def test_demo_loads_through_the_actions(d):
    cadres = [d.cadre_a, d.cadre_b, d.principal_a] + [make_cadre(unit=d.a) for _ in range(4)]
    units = {u.name: u for u in (d.root, d.org, d.audit, d.discipline, d.a, d.b)}
    demo.load(SimpleNamespace(units=units, users={"org_officer": d.officer, "org_head": d.head}, cadres=cadres, rng=random.Random(1)))
    assert Disposition.objects.filter(status="revoked").count() == 1
    cumulated = [x for x in Disposition.objects.filter(measure="party_warning") if x.influence_basis.get("previous")]
    assert len(cumulated) == 1 and "art. 21" in influence.explain(cumulated[0])
    assert Talk.objects.filter(status="required").count() == 1
    assert Clue.objects.filter(status="transferred").count() == 1
    assert InspectionTour.objects.get().stage == "rectification"
    session = DutySession.objects.get()
    assert session.ballot_id and set(session.reports.values_list("ballot_id", flat=True)) == {session.ballot_id}
    assert ballot_queries.get_ballot_for(d.officer, session.ballot_id).is_open


def test_jobs_are_registered_and_idempotent(d):
    names = set(jobs.jobs())
    assert {"oversight.inquiry_reminders", "oversight.inquiry_escalation", "oversight.rectification_reminders"} <= names
    for name in ("oversight.inquiry_reminders", "oversight.inquiry_escalation", "oversight.rectification_reminders"):
        jobs.jobs()[name].run()
        jobs.jobs()[name].run()


def test_dashboard_cards(d):
    labels = [str(c["label"]) for c in cards_for(d.officer)]
    assert any("overdue" in label for label in labels)
    assert not [c for c in cards_for(d.outsider) if "oversight" in c["url"]]
