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


def test_demo_is_consistent_with_itself(d):
    """Every recorded disposition carries its 文号; the tour report counts the findings recorded;
    letters are numbered with the district's prefix."""
    from jiandu.accounts.models import Role
    from jiandu.core.practice import get_setting
    from jiandu.oversight.models import Inquiry
    from jiandu.testing import make_user

    cadres = [d.cadre_a, d.cadre_b, d.principal_a] + [make_cadre(unit=d.a) for _ in range(4)]
    units = {u.name: u for u in (d.root, d.org, d.audit, d.discipline, d.a, d.b)}
    users = {"org_officer": d.officer, "org_head": d.head, "sysadmin": make_user(role=Role.SYSTEM_ADMIN)}
    demo.load(SimpleNamespace(units=units, users=users, cadres=cadres, rng=random.Random(1)))
    recorded = Disposition.objects.exclude(measure="admonishment_talk")  # yellow cards come from evaluations
    assert recorded.exists() and not recorded.filter(document_number="").exists()
    tour = InspectionTour.objects.get()
    findings = tour.findings.count()
    assert findings == 1 and f"发现问题{findings}个" in tour.report_text
    assert get_setting("documents.issuer") == "中共示范区委组织部"
    numbers = list(Inquiry.objects.exclude(number="").values_list("number", flat=True))
    assert numbers and all(n.startswith("示组函〔") for n in numbers)


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
