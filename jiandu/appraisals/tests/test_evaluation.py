"""Democratic evaluation through the ballots app: ballots per unit, closing, scores in the fixed
order, yellow cards at exactly the threshold."""

from decimal import Decimal
from fractions import Fraction

import pytest

from jiandu.accounts.access import NotVisible
from jiandu.appraisals import actions, queries
from jiandu.appraisals.actions.evaluation import reaches_yellow_card
from jiandu.appraisals.models import AdmonishmentProposal, AppraisalCycle, AssessedCadre
from jiandu.ballots import queries as ballot_queries
from jiandu.core import actions as core_actions
from jiandu.core.errors import ActionError
from jiandu.core.models import DomainEvent, JournalEntry

from .conftest import ballot_of, codes_for, make_team, open_cycle, vote

pytestmark = pytest.mark.django_db

RULE = {"question": "overall", "options": ["incompetent"], "threshold": "1/3", "inclusive": True}

# Six staff voters; overall answers per cadre (A at exactly 1/3, B under, C over).
OVERALL = {
    "甲局长": ["incompetent", "incompetent", "excellent", "excellent", "excellent", "excellent"],  # 2/6 = 1/3
    "甲副局长": ["incompetent", "unknown", "competent", "competent", "competent", "competent"],  # 1/5
    "甲主任": ["incompetent", "incompetent", "unknown", "excellent", "excellent", "competent"],  # 2/5
}
TEAM = ["excellent", "excellent", "excellent", "good", "good", "good"]


def test_yellow_card_threshold_exactly_one_third():
    assert reaches_yellow_card(12, 36, RULE)  # exactly 1/3, inclusive
    assert not reaches_yellow_card(11, 36, RULE)  # just under
    assert reaches_yellow_card(13, 36, RULE)  # just over
    assert not reaches_yellow_card(12, 36, {**RULE, "inclusive": False})
    assert not reaches_yellow_card(0, 0, RULE)
    assert reaches_yellow_card(333334, 1000000, RULE) and not reaches_yellow_card(333333, 1000000, RULE)


@pytest.fixture
def cycle(district, officer):
    unit, _cadres = make_team(district, "甲单位", titles=("局长", "副局长", "主任"))
    cycle = actions.create_cycle(actor=officer, unit=district, year=2025)
    assessed = actions.add_unit(actor=officer, cycle=cycle, unit=unit)
    actions.save_indicators(
        actor=officer,
        assessed_unit=assessed,
        rows=[
            {"name": "经济发展", "weight": "30", "score": "95"},
            {"name": "民生实事", "weight": "50", "score": "88"},
            {"name": "党的建设", "weight": "20", "score": "90"},
        ],
    )
    return cycle


def voted(officer, cycle):
    open_cycle(officer, cycle)
    assessed = cycle.units.get()
    ballot = ballot_of(officer, assessed)
    codes = codes_for(officer, ballot, "staff", 6)
    for i, code in enumerate(codes):

        def pick(subject, question, i=i):
            if subject.kind == "team":
                return TEAM[i]
            if question.code == "overall":
                return OVERALL[subject.label][i]
            return "competent"

        vote(ballot, code, pick)
    return assessed, ballot


def test_open_evaluation_creates_one_ballot_per_unit(cycle, officer):
    open_cycle(officer, cycle)
    cycle.refresh_from_db()
    assert cycle.status == AppraisalCycle.Status.EVALUATION_OPEN
    assessed = cycle.units.get()
    ballot = ballot_of(officer, assessed)
    assert ballot.is_open and ballot.unit_id == assessed.unit_id
    sections = list(ballot.sections.order_by("order"))
    assert [s.title for s in sections] == ["领导班子", "班子成员"]
    assert [q.code for q in sections[1].questions.all()] == ["morality", "ability", "diligence", "results", "integrity", "overall"]
    assert {g.code: (str(g.weight.normalize()), g.headcount) for g in ballot.groups.all()} == {"staff": ("0.7", 10), "leaders": ("0.3", 10)}
    row = assessed.cadres.first()
    assert ballot_queries.subjects_referring_to("registry", "cadre", row.cadre_id).get().pk == row.subject_id
    assert JournalEntry.objects.get(action="appraisals.evaluation.opened").data["ballots"] == [ballot.pk]


def test_open_evaluation_preconditions(district, officer, cycle, outsider):
    empty = actions.create_cycle(actor=officer, unit=district, year=2024)
    with pytest.raises(ActionError) as exc:
        actions.open_evaluation(actor=officer, cycle=empty, headcounts={})
    assert exc.value.code == "not_ready"
    assessed = cycle.units.get()
    with pytest.raises(ActionError) as exc:
        actions.open_evaluation(actor=officer, cycle=cycle, headcounts={assessed.pk: {"staff": 10, "leaders": 0}})
    assert exc.value.field == f"headcount-{assessed.pk}-leaders"
    assert assessed.__class__.objects.get(pk=assessed.pk).ballot_id is None
    with pytest.raises(NotVisible):
        open_cycle(outsider, cycle)
    open_cycle(officer, cycle)
    with pytest.raises(ActionError) as exc:
        open_cycle(officer, cycle)
    assert exc.value.code == "stage"


def test_close_computes_scores_in_order_and_raises_yellow_cards(cycle, officer):
    assessed, ballot = voted(officer, cycle)
    actions.close_evaluation(actor=officer, cycle=cycle)
    cycle.refresh_from_db()
    assessed.refresh_from_db()
    ballot.refresh_from_db()
    assert ballot.is_closed and cycle.status == AppraisalCycle.Status.EVALUATION_CLOSED
    # 1. T₀ = (30×95 + 50×88 + 20×90) ÷ 100
    assert assessed.target_base_fraction == Fraction(905, 10) and assessed.target_base == Decimal("90.500")
    # 3. D: team (3×100 + 3×80) ÷ 6; 4. T = 4/5 × 90.5 + 1/5 × 90
    assert assessed.democratic_fraction == 90
    assert assessed.final_fraction == Fraction(4, 5) * Fraction(905, 10) + Fraction(1, 5) * 90 == Fraction(452, 5)
    # 2. 绩′ = (80 + 90.5) / 2; cadre score = 3/5 × (4 × 80 + 85.25) / 5 + 2/5 × overall (2 × 40 + 4 × 100) / 6
    a = cycle.cadres.get(cadre_name="甲局长")
    assert a.results_element_exact == "341/4" and a.dimension_scores["overall"] == "80"
    assert a.score_fraction == Fraction(3, 5) * Fraction(1621, 20) + Fraction(2, 5) * 80 == Fraction(8063, 100) and a.score == Decimal("80.630")
    assert a.votes["incompetent"] == 2 and a.valid_votes == 6
    assert queries.cadre_computation(a) == "(1 − 40%) × (德 80.00 + 能 80.00 + 勤 80.00 + 绩′ 85.25 + 廉 80.00) ÷ 5 + 40% × 总体 80.00 = 80.63"
    steps = queries.unit_computation(assessed)
    assert [s["value"] for s in steps] == ["90.50", "", "90.00", "90.40"]
    assert steps[0]["formula"] == "(30×95 + 50×88 + 20×90) ÷ 100"
    # yellow cards: exactly 1/3 and above, not below
    proposals = {p.cadre.name: p for p in AdmonishmentProposal.objects.all()}
    assert set(proposals) == {"甲局长", "甲主任"}
    assert proposals["甲局长"].figures == "不称职 2/6 = 33.33%"
    assert (proposals["甲主任"].numerator, proposals["甲主任"].denominator) == (2, 5)
    assert list(queries.pending_proposals()) == sorted(proposals.values(), key=lambda p: p.pk)
    entry = JournalEntry.objects.get(action="appraisals.proposal.created", cadre_id=a.cadre_id)
    assert entry.data["figures"] == "不称职 2/6 = 33.33%"
    assert not DomainEvent.objects.filter(kind="appraisals.yellow_card").exists()  # the proposal is the hand-off
    closed = JournalEntry.objects.get(action="appraisals.evaluation.closed")
    assert closed.data["yellow_cards"] == 2 and closed.data["ballots_closed_now"] == [ballot.pk]
    assert cycle.parameters["scores"] == {"target_share_of_results": "1/2", "democratic_item_weight": "1/5", "overall_weight_in_score": "2/5"}


def test_exclusive_threshold_setting_spares_exactly_one_third(cycle, officer, head):
    core_actions.change_setting(actor=head, key="appraisals.yellow_card_inclusive", value=False)
    voted(officer, cycle)
    actions.close_evaluation(actor=officer, cycle=cycle)
    assert set(AdmonishmentProposal.objects.values_list("cadre__name", flat=True)) == {"甲主任"}


def test_close_needs_target_scores(district, officer):
    unit, _ = make_team(district, "乙单位", titles=("局长",))
    cycle = actions.create_cycle(actor=officer, unit=district, year=2025)
    actions.add_unit(actor=officer, cycle=cycle, unit=unit)
    open_cycle(officer, cycle)
    with pytest.raises(ActionError) as exc:
        actions.close_evaluation(actor=officer, cycle=cycle)
    assert exc.value.code == "not_ready" and "乙单位" in exc.value.message
    assert cycle.units.get().ballot_id and AssessedCadre.objects.get(cycle=cycle).score is None


def test_bad_yellow_card_setting_is_reported_and_nothing_closes(cycle, officer, head):
    core_actions.change_setting(actor=head, key="appraisals.yellow_card_options", value="unknown")
    assessed, ballot = voted(officer, cycle)
    with pytest.raises(ActionError):
        actions.close_evaluation(actor=officer, cycle=cycle)
    ballot.refresh_from_db()
    cycle.refresh_from_db()
    assert ballot.is_open and cycle.status == AppraisalCycle.Status.EVALUATION_OPEN


def test_team_only_unit_gets_a_team_ballot(district, officer):
    unit, _ = make_team(district, "丙单位", titles=())
    cycle = actions.create_cycle(actor=officer, unit=district, year=2025, uses_target_scores=False)
    assessed = actions.add_unit(actor=officer, cycle=cycle, unit=unit)
    assert not assessed.cadres.exists()
    open_cycle(officer, cycle)
    ballot = ballot_of(officer, assessed)
    assert [s.title for s in ballot.sections.all()] == ["领导班子"]
    assert [o.code for o in ballot.sections.get().questions.get().options.all()] == ["excellent", "good", "fair", "poor", "unknown"]
    actions.close_evaluation(actor=officer, cycle=cycle)
    assessed.refresh_from_db()
    assert assessed.valid_votes == 0 and assessed.final_exact == "" and not AdmonishmentProposal.objects.exists()


def test_team_scale_setting(district, officer, head):
    core_actions.change_setting(actor=head, key="appraisals.team_scale", value="quality")
    unit, _ = make_team(district, "丁单位", titles=("局长",))
    cycle = actions.create_cycle(actor=officer, unit=district, year=2025, uses_target_scores=False)
    assessed = actions.add_unit(actor=officer, cycle=cycle, unit=unit)
    open_cycle(officer, cycle)
    team_question = ballot_of(officer, assessed).sections.get(title="领导班子").questions.get()
    assert [o.label for o in team_question.options.all()] == ["好", "较好", "一般", "差"]
    cycle.refresh_from_db()
    assert cycle.parameters["team_scale"] == "quality" and queries.team_codes(cycle) == ["good", "fairly_good", "fair", "poor"]
