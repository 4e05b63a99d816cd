import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from jiandu.accounts.models import Role
from jiandu.appraisals.models import AdmonishmentProposal, AppraisalCycle, AssessedCadre, AssessedUnit
from jiandu.audits.models import DepartureAudit, Handover
from jiandu.decisions.models import AgendaItem, Body, ItemStatement, Meeting
from jiandu.oversight.models import Clue, Disposition, DutyReport, Inquiry, Talk
from jiandu.testing import grant_role, make_cadre, make_position, make_tenure, make_unit, make_user, registrar

TODAY = dt.date.today()


@pytest.fixture
def world(db):
    """A cadre with one canary fact in every pillar, and one reader per role."""
    root = make_unit(name="示范区委", kind="party_committee")
    finance = make_unit(name="财政局", parent=root)
    discipline = make_unit(name="区纪委监委", parent=root)
    education = make_unit(name="教育局", parent=root)
    director = make_position(unit=finance, title="局长", is_principal=True, has_financial_authority=True)
    deputy = make_position(unit=finance, title="副局长")
    zhang = make_cadre(unit=finance, name="张伟明")
    other = make_cadre(unit=education, name="王建国")
    old = make_tenure(cadre=zhang, position=deputy, started_on=dt.date(2018, 3, 1))
    make_tenure(cadre=zhang, position=director, started_on=dt.date(2023, 3, 1))
    officer = make_user(role=Role.ORG_OFFICER)
    by = officer
    facts = SimpleNamespace()
    facts.talk = Talk.objects.create(
        cadre=zhang, unit=finance, kind=Talk.Kind.REMINDER, talked_on=TODAY - dt.timedelta(days=30), summary="CANARY-TALK-NOTES", created_by=by
    )
    facts.disposition = Disposition.objects.create(
        cadre=zhang,
        unit=finance,
        category="admonishment",
        measure="admonishment_talk",
        decided_on=TODAY - dt.timedelta(days=60),
        deciding_body="区委组织部",
        grounds="grounds",
        influence_months=6,
        influence_ends_on=TODAY + dt.timedelta(days=100),
        bar="further_use",
        created_by=by,
    )
    facts.inquiry = Inquiry.objects.create(
        cadre=zhang,
        unit=finance,
        source="complaint",
        subject="CANARY-INQUIRY",
        questions="q",
        status=Inquiry.Status.DELIVERED,
        issued_on=TODAY - dt.timedelta(days=20),
        delivered_on=TODAY - dt.timedelta(days=19),
        reply_due_on=TODAY - dt.timedelta(days=2),
        created_by=by,
    )
    facts.draft = Inquiry.objects.create(cadre=zhang, unit=finance, source="complaint", subject="CANARY-DRAFT", questions="q", created_by=by)
    facts.duty = DutyReport.objects.create(year=TODAY.year - 1, cadre=zhang, unit=finance, due_on=TODAY - dt.timedelta(days=200), created_by=by)
    facts.clue = Clue.objects.create(
        cadre=zhang, cadre_unit=finance, from_unit=discipline, to_unit=root, source="petition", summary="CANARY-CLUE", created_by=by
    )
    cycle = AppraisalCycle.objects.create(
        year=TODAY.year - 1, title="CANARY-APPRAISAL", unit=root, status=AppraisalCycle.Status.GRADES_CONFIRMED, grades_confirmed_at=timezone.now()
    )
    assessed_unit = AssessedUnit.objects.create(cycle=cycle, unit=finance, unit_name="财政局")
    facts.appraisal = AssessedCadre.objects.create(
        cycle=cycle, assessed_unit=assessed_unit, cadre=zhang, cadre_name="张伟明", grade="competent", votes={"competent": 30, "incompetent": 7}, valid_votes=37
    )
    facts.proposal = AdmonishmentProposal.objects.create(
        cycle=cycle,
        assessed_cadre=facts.appraisal,
        cadre=zhang,
        ballot_id=1,
        question_code="overall",
        numerator=7,
        denominator=37,
        threshold="1/3",
        figures="CANARY-YELLOW-CARD",
    )
    facts.audit = DepartureAudit.objects.create(
        tenure=old, cadre=zhang, unit=finance, period_start=dt.date(2018, 3, 1), period_end=dt.date(2023, 2, 28), notice_number="CANARY-AUDIT"
    )
    from jiandu.audits.models import TrainingParticipant, TrainingSession

    session = TrainingSession.objects.create(
        kind="warning_education", title="CANARY-TRAINING", held_on=dt.date(2024, 5, 6), hours=3, organiser=finance, required=True, created_by=by
    )
    facts.training = TrainingParticipant.objects.create(session=session, cadre=zhang, attendance="attended")
    facts.handover = Handover.objects.create(tenure=old, cadre=zhang, unit=finance, departed_on=dt.date(2023, 2, 28), due_on=dt.date(2023, 3, 20))
    body = Body.objects.create(unit=root, name="区政府常务会议", kind=Body.Kind.values[0])
    meeting = Meeting.objects.create(body=body, held_on=TODAY - dt.timedelta(days=10), title="第5次会议", recorded_by=by)
    item = AgendaItem.objects.create(meeting=meeting, order=1, title="CANARY-VOTE", category=AgendaItem.Category.values[0], outcome="passed")
    facts.statement = ItemStatement.objects.create(item=item, order=1, cadre=zhang, stance="agree")
    discipline_officer = make_user(role=Role.DISCIPLINE_OFFICER)
    clue_officer = grant_role(make_user(role=Role.DISCIPLINE_OFFICER), Role.CLUE_OFFICER, discipline)
    readers = SimpleNamespace(
        officer=officer,
        head=make_user(role=Role.ORG_HEAD),
        discipline=discipline_officer,
        clue_officer=clue_officer,
        auditor=make_user(role=Role.AUDIT_OFFICER),
        vetting=make_user(role=Role.VETTING_OFFICER),
        committee=make_user(role=Role.COMMITTEE_MEMBER),
        leader=make_user(role=Role.UNIT_LEADER, unit=finance),
        other_leader=make_user(role=Role.UNIT_LEADER, unit=education),
        cadre=make_user(role=Role.CADRE, cadre=zhang),
        other_cadre=make_user(role=Role.CADRE, cadre=other),
    )
    return SimpleNamespace(
        root=root, finance=finance, discipline=discipline, education=education, zhang=zhang, other=other, facts=facts, readers=readers, registrar=registrar()
    )
