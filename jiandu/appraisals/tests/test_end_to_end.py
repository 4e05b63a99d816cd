"""End to end: cycle → ballots → codes → votes through ballots.submit_ballot → close → grades
proposed within the 优秀 quota → a yellow card for the cadre at exactly 1/3 → confirmation → use."""

import datetime as dt
from fractions import Fraction

import pytest

from jiandu.appraisals import actions, queries
from jiandu.appraisals.models import AdmonishmentProposal, AppraisalCycle
from jiandu.ballots import queries as ballot_queries
from jiandu.core import journal

from .conftest import ballot_of, codes_for, make_team, open_cycle, vote

pytestmark = pytest.mark.django_db

E, C, INC = "excellent", "competent", "incompetent"


def test_full_cycle(district, officer, head):
    unit_a, _ = make_team(district, "甲局", titles=("局长", "副局长", "主任"))
    unit_b, _ = make_team(district, "乙局", titles=("局长", "副局长", "主任", "总工"))
    cycle = actions.create_cycle(actor=officer, unit=district, year=2025)
    a = actions.add_unit(actor=officer, cycle=cycle, unit=unit_a)
    b = actions.add_unit(actor=officer, cycle=cycle, unit=unit_b)
    actions.set_cadre_report(actor=officer, assessed_cadre=a.cadres.get(cadre_name="甲局长"), text="2025年度个人述职")
    actions.save_indicators(
        actor=officer, assessed_unit=a, rows=[{"name": "重点工作", "weight": "60", "score": "95"}, {"name": "党建", "weight": "40", "score": "90"}]
    )
    actions.save_indicators(actor=officer, assessed_unit=b, rows=[{"name": "重点工作", "weight": "1", "score": "85"}])

    open_cycle(officer, cycle)
    ballot_a, ballot_b = ballot_of(officer, a), ballot_of(officer, b)
    assert ballot_a.is_open and ballot_b.is_open
    # the self-report went into the ballot subject
    subject = ballot_queries.subjects_referring_to("registry", "cadre", a.cadres.get(cadre_name="甲局长").cadre_id).get()
    assert subject.report_text == "2025年度个人述职"

    # Unit 甲: six staff and three district leaders. 甲主任 gets 不称职 from exactly 1/3 of the valid votes.
    staff = {"甲局长": [E, E, E, E, E, C], "甲副局长": [E, E, E, E, C, C], "甲主任": [INC, INC, C, C, C, C]}
    leaders = {"甲局长": [E, E, E], "甲副局长": [E, E, C], "甲主任": [INC, C, C]}
    for group, answers in (("staff", staff), ("leaders", leaders)):
        codes = codes_for(officer, ballot_a, group, len(answers["甲局长"]))
        for i, code in enumerate(codes):

            def pick(subject, question, i=i, answers=answers):
                if subject.kind == "team":
                    return "good"
                if question.code == "overall":
                    return answers[subject.label][i]
                return E if subject.label == "甲局长" else C

            vote(ballot_a, code, pick)
    for code in codes_for(officer, ballot_b, "staff", 5):
        vote(ballot_b, code, lambda subject, question: "fair" if subject.kind == "team" else C)

    actions.close_evaluation(actor=officer, cycle=cycle)
    cycle.refresh_from_db()
    assert cycle.status == AppraisalCycle.Status.EVALUATION_CLOSED
    assert ballot_of(officer, a).is_closed and ballot_of(officer, b).is_closed

    # Yellow card: 不称职 3 of 9 valid votes = exactly 1/3 → proposal with the figures.
    (proposal,) = AdmonishmentProposal.objects.all()
    assert proposal.cadre.name == "甲主任" and (proposal.numerator, proposal.denominator) == (3, 9)
    assert proposal.share == Fraction(1, 3) and proposal.figures == "不称职 3/9 = 33.33%"
    assert list(queries.pending_proposals()) == [proposal]

    # Fixed order: T₀ of 甲 = (60×95 + 40×90) ÷ 100 = 93; D = 80 (all 良好); T = 4/5 × 93 + 1/5 × 80
    a.refresh_from_db()
    assert a.target_base_fraction == 93 and a.democratic_fraction == 80 and a.final_fraction == Fraction(4, 5) * 93 + 16

    # 7 participants × 15 % = 1.05 → 1 优秀 (floor): 甲局长 (higher score) keeps it, 甲副局长 is beyond the quota.
    actions.propose_grades(actor=officer, cycle=cycle)
    proposed = {row.cadre_name: row for row in cycle.cadres.all()}
    assert proposed["甲局长"].proposed_grade == E
    assert proposed["甲副局长"].proposed_grade == C and proposed["甲副局长"].proposal_reasons[-1]["code"] == "beyond_quota"
    assert proposed["甲主任"].proposed_grade == C
    assert sum(1 for row in proposed.values() if row.proposed_grade == E) == 1
    (quota,) = queries.cadre_quotas(cycle, field="proposed_grade")
    assert (quota.participants, quota.allowed, quota.excellent) == (7, 1, 1)

    actions.confirm_proposal(actor=head, proposal=proposal, note="部务会同意诫勉")
    actions.confirm_grades(actor=head, cycle=cycle)
    cycle.refresh_from_db()
    assert cycle.status == AppraisalCycle.Status.GRADES_CONFIRMED
    main = cycle.cadres.get(cadre_name="甲主任")
    actions.record_result_use(actor=officer, assessed_cadre=main, kind="admonish", decided_on=dt.date(2026, 1, 8), note="诫勉谈话")
    actions.complete_cycle(actor=officer, cycle=cycle)
    cycle.refresh_from_db()
    assert cycle.status == AppraisalCycle.Status.RESULTS_USED
    assert journal.verify().ok
