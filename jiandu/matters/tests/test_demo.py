"""The small demo district shows the feature: 2026 open, one reporter missing and chased, the
seeded draw reproducible, a targeted check with 隐瞒不报, a passport overdue."""

import io

import pytest
from django.core.management import call_command

from jiandu.core.models import JournalEntry
from jiandu.matters import actions, queries
from jiandu.matters.models import Check, Draw, ReportingYear

pytestmark = pytest.mark.django_db


def test_small_demo_shows_personal_matters():
    call_command("load_demo", "--small", stdout=io.StringIO())
    year = ReportingYear.objects.get(year=2026)
    states = [queries.reporter_state(r) for r in year.reporters.all()]
    assert states.count("missing") == 1 and states.count("late") == 1
    assert JournalEntry.objects.filter(action="matters.reminders.sent", data__overdue=True).count() == 1
    draw = Draw.objects.get(year=year)
    from jiandu.accounts.models import User

    officer = User.objects.get(username="demo_org_officer")
    assert actions.rerun_draw(actor=officer, draw=draw) == (draw.selected, True)
    clear, targeted = Check.objects.filter(kind="targeted").order_by("id")  # selection's two candidates
    assert queries.check_outcome(clear.cadre) == "clear"
    assert queries.check_outcome(targeted.cadre) == "issues"
    assert targeted.findings.filter(classification="concealment").count() == 1
    # the waiting selection case is blocked by it (凡提四必)
    from jiandu.selection import four_checks
    from jiandu.selection.models import Candidate

    blocked = Candidate.objects.get(cadre=targeted.cadre)
    assert any("隐瞒不报" in line or "concealment" in line for line in four_checks.gate_problems(blocked))
    assert queries.overdue_loans(officer).count() == 1
