"""Issue #11 §2: no grade (不定等次，只写评语) and forced 不称职 in sanction years, at their boundaries."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from jiandu.accounts.access import NotVisible
from jiandu.accounts.models import Role
from jiandu.appraisals import actions, queries
from jiandu.appraisals.models import AdmonishmentProposal, AssessedUnit, Grade, GradeFollowUp
from jiandu.core import actions as core_actions
from jiandu.core.errors import ActionError
from jiandu.core.models import JournalEntry
from jiandu.oversight.actions import dispositions
from jiandu.oversight.models import Measure
from jiandu.testing import make_unit, make_user

from .conftest import cast, closed_without_votes, make_team, open_cycle

pytestmark = pytest.mark.django_db

D = dt.date
OVERALL = {
    "甲局长": ["excellent", "excellent", "excellent", "excellent", "competent", "incompetent"],
    "甲副局长": ["excellent", "excellent", "excellent", "excellent", "excellent", "competent"],
    "甲主任": ["competent"] * 6,
}
TEAM = ["excellent", "excellent", "excellent", "excellent", "good", "good"]


def sanction(officer, cadre, measure, decided_on, **kw):
    return dispositions.record_disposition(actor=officer, cadre=cadre, measure=measure, decided_on=decided_on, deciding_body="区纪委监委", grounds="违纪", **kw)


@pytest.fixture
def team(district):
    return make_team(district, "甲单位", titles=("局长", "副局长", "主任"))


@pytest.fixture
def closed(district, officer, team):
    unit, _cadres = team
    cycle = actions.create_cycle(actor=officer, unit=district, year=2025, uses_target_scores=False)
    assessed = actions.add_unit(actor=officer, cycle=cycle, unit=unit)
    open_cycle(officer, cycle)
    cast(officer, assessed, "staff", TEAM, OVERALL)
    return actions.close_evaluation(actor=officer, cycle=cycle)


@pytest.mark.parametrize(
    ("measure", "decided_on", "year", "expected"),
    [
        # 记过 (12 months) during its period: 2024-01-01 runs to 2024-12-31 — not in 2025.
        (Measure.ADMIN_DEMERIT, D(2024, 1, 1), 2025, None),
        (Measure.ADMIN_DEMERIT, D(2024, 1, 1), 2024, Grade.NO_GRADE),
        # 2024-01-02 runs to 2025-01-01: one day of 2025 is enough.
        (Measure.ADMIN_DEMERIT, D(2024, 1, 2), 2025, Grade.NO_GRADE),
        # 警告 is lighter than 记过: no rule.
        (Measure.ADMIN_WARNING, D(2025, 3, 1), 2025, None),
        # 严重警告: the year of the decision only.
        (Measure.PARTY_SERIOUS_WARNING, D(2024, 12, 31), 2025, None),
        (Measure.PARTY_SERIOUS_WARNING, D(2025, 1, 1), 2025, Grade.NO_GRADE),
        # 撤销党内职务 / 留党察看 in the year: 不称职 (组通字〔1998〕19号).
        (Measure.PARTY_POST_REMOVAL, D(2025, 12, 31), 2025, Grade.INCOMPETENT),
        (Measure.PARTY_POST_REMOVAL, D(2024, 12, 31), 2025, None),
    ],
)
def test_sanction_year_outcome_boundaries(officer, team, measure, decided_on, year, expected):
    cadre = team[1][0]
    sanction(officer, cadre, measure, decided_on)
    found = queries.sanction_year_outcome(cadre, year)
    assert (found.outcome if found else None) == expected


def test_incompetent_wins_over_no_grade(officer, team):
    cadre = team[1][0]
    sanction(officer, cadre, Measure.ADMIN_DEMERIT, D(2024, 6, 1))
    sanction(officer, cadre, Measure.PARTY_PROBATION, D(2025, 2, 1), probation_years=1)
    assert queries.sanction_year_outcome(cadre, 2025).outcome == Grade.INCOMPETENT


def test_proposal_confirmation_and_grades_page_show_the_outcome(client, closed, officer, head, team):
    chief, deputy, _director = team[1]
    sanction(officer, deputy, Measure.ADMIN_DEMERIT, D(2024, 6, 1))  # runs to 2025-05-31
    sanction(officer, chief, Measure.PARTY_PROBATION, D(2025, 2, 1), probation_years=1)
    actions.propose_grades(actor=officer, cycle=closed)
    chief_row, deputy_row = closed.cadres.get(cadre=chief), closed.cadres.get(cadre=deputy)
    assert chief_row.proposed_grade == Grade.INCOMPETENT and chief_row.proposal_reasons[-1]["code"] == "sanction_incompetent"
    assert deputy_row.proposed_grade == Grade.NO_GRADE and deputy_row.proposal_reasons[-1]["code"] == "sanction_no_grade"
    with translation.override("zh-hans"):
        text = queries.describe_reason(deputy_row.proposal_reasons[-1])
    assert "不定等次，只写评语" in text and "记过" in text and "2024-06-01" in text
    # The department may not grade differently from what the rule imposes, even with a reason.
    with pytest.raises(ActionError) as exc:
        actions.confirm_grades(actor=head, cycle=closed, cadre_grades={deputy_row.pk: ("competent", "工作实绩突出")})
    assert exc.value.field == f"cadre-{deputy_row.pk}" and "no grade" in str(exc.value)
    closed.refresh_from_db()
    actions.confirm_grades(actor=head, cycle=closed)
    deputy_row.refresh_from_db()
    chief_row.refresh_from_db()
    assert deputy_row.grade == Grade.NO_GRADE and chief_row.grade == Grade.INCOMPETENT and chief_row.needs_post_adjustment
    client.force_login(officer)
    with translation.override("zh-hans"):
        page = client.get(reverse("appraisals:grades", args=[closed.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 200
    assert "不定等次，只写评语" in page.content.decode()


# --- the 优秀 quota (issue #11 §3) ---------------------------------------------------------------


def _cycle_with_teams(district, officer, prefix, n):
    cycle = actions.create_cycle(actor=officer, unit=district, year=2025, uses_target_scores=False)
    for i in range(n):
        actions.add_unit(actor=officer, cycle=cycle, unit=make_team(district, f"{prefix}{i}单位")[0])
    return cycle


def _other_teams(district, officer, prefix, n):
    """n more teams of the district, assessed in a cycle organised by a sub-organiser the same year."""
    organiser = make_unit(name=f"{prefix}街道党工委", parent=district)
    cycle = actions.create_cycle(actor=officer, unit=organiser, year=2025, uses_target_scores=False)
    for i in range(n):
        actions.add_unit(actor=officer, cycle=cycle, unit=make_team(organiser, f"{prefix}{i}社区")[0])
    return cycle


def test_six_teams_in_a_district_pool_of_42(district, officer, head):
    six = _cycle_with_teams(district, officer, "甲", 6)
    others = _other_teams(district, officer, "乙", 36)
    quota = queries.team_quota(six)
    assert (quota.participants, quota.allowed, quota.pool) == (6, 1, "cycle")  # 6 × 20 % = 1.2 → 1
    core_actions.change_setting(actor=head, key="appraisals.team_quota_pool", value="district")
    quota = queries.team_quota(six)
    assert (quota.participants, quota.allowed, quota.excellent, quota.pool) == (42, 8, 0, "district")  # 42 × 20 % = 8.4 → 8
    # Teams of the other cycle already proposed 优秀 use the shared quota.
    ids = list(others.units.values_list("pk", flat=True))
    AssessedUnit.objects.filter(pk__in=ids[:8]).update(proposed_grade="excellent")
    assert queries.team_quota(six).excellent == 8 and not queries.team_quota(six).exceeded
    AssessedUnit.objects.filter(pk=ids[8]).update(proposed_grade="excellent")
    assert queries.team_quota(six).exceeded


def test_a_pool_share_of_zero_is_warned_and_at_least_one_is_a_setting(client, district, officer, head):
    four = _cycle_with_teams(district, officer, "丙", 4)
    assert queries.team_quota(four).allowed == 0 and queries.team_quota(four).is_zero  # 4 × 20 % = 0.8 → 0
    core_actions.change_setting(actor=head, key="appraisals.excellent_quota_min_one_from", value=5)
    assert queries.team_quota(four).allowed == 0  # the pool has fewer than 5
    core_actions.change_setting(actor=head, key="appraisals.excellent_quota_min_one_from", value=4)
    assert queries.team_quota(four).allowed == 1 and not queries.team_quota(four).is_zero


def test_proposal_leaves_the_cycle_what_the_district_pool_has_left(closed, district, officer, head):
    others = _other_teams(district, officer, "丁", 9)  # pool of 10 → 2 may be 优秀
    core_actions.change_setting(actor=head, key="appraisals.team_quota_pool", value="district")
    ids = list(others.units.values_list("pk", flat=True))
    AssessedUnit.objects.filter(pk__in=ids[:2]).update(proposed_grade="excellent")
    actions.propose_grades(actor=officer, cycle=closed)
    team = closed.units.get()
    assert team.proposed_grade == "good" and team.proposal_reasons[-1]["code"] == "beyond_quota"
    AssessedUnit.objects.filter(pk=ids[1]).update(proposed_grade="good")
    actions.propose_grades(actor=officer, cycle=closed)
    assert closed.units.get().proposed_grade == "excellent"


# --- follow-ups of 不称职 and two years of 基本称职 (issue #11 §2) -----------------------------------


def _two_years(district, officer, head, grade, team_grade="fair"):
    unit, (cadre,) = make_team(district, "丙单位", titles=("局长",))
    rows = {}
    for year in (2024, 2025):
        cycle = actions.create_cycle(actor=officer, unit=district, year=year, uses_target_scores=False)
        actions.add_unit(actor=officer, cycle=cycle, unit=unit)
        closed_without_votes(officer, cycle)
        actions.propose_grades(actor=officer, cycle=cycle)
        actions.confirm_grades(
            actor=head, cycle=cycle, cadre_grades={cycle.cadres.get().pk: (grade, "年度目标未完成")}, team_grades={cycle.units.get().pk: (team_grade, "一般")}
        )
        rows[year] = cycle.cadres.get()
    return cadre, rows


def test_incompetent_flags_get_follow_ups_with_a_due_date(client, district, officer, head):
    cadre, rows = _two_years(district, officer, head, "incompetent")
    today = timezone.localdate()
    first = list(rows[2024].follow_ups.values_list("kind", "due_on"))
    assert first == [(GradeFollowUp.Kind.POST_ADJUSTMENT, today + dt.timedelta(days=60))]
    second = {f.kind: f for f in rows[2025].follow_ups.all()}
    assert set(second) == {GradeFollowUp.Kind.POST_ADJUSTMENT, GradeFollowUp.Kind.DISMISSAL_REVIEW}
    assert JournalEntry.objects.filter(action="appraisals.follow_up.created", cadre_id=cadre.pk).count() == 3
    review = second[GradeFollowUp.Kind.DISMISSAL_REVIEW]
    assert not review.is_overdue(review.due_on) and review.is_overdue(review.due_on + dt.timedelta(days=1))
    with pytest.raises(ActionError) as exc:
        actions.complete_follow_up(actor=head, follow_up=review, done_on=today + dt.timedelta(days=1), outcome="已启动辞退程序")
    assert exc.value.field == "done_on"
    with pytest.raises(ActionError):
        actions.complete_follow_up(actor=head, follow_up=review, done_on=today, outcome="  ")
    with pytest.raises(NotVisible):
        actions.complete_follow_up(actor=make_user(role=Role.ORG_OFFICER, unit=make_unit(name="外区")), follow_up=review, done_on=today, outcome="x")
    done = actions.complete_follow_up(actor=head, follow_up=review, done_on=today, outcome="已启动辞退程序")
    assert done.done_on == today and JournalEntry.objects.filter(action="appraisals.follow_up.done", cadre_id=cadre.pk).exists()
    with pytest.raises(ActionError):
        actions.complete_follow_up(actor=head, follow_up=review, done_on=today, outcome="再次")
    client.force_login(head)
    page = client.get(reverse("appraisals:cadre_detail", args=[rows[2025].pk])).content.decode()
    assert "审查辞退（连续两年不称职）" in page and "已启动辞退程序" in page


def test_two_years_basically_competent_raise_a_proposal_only_when_the_local_rule_is_on(district, officer, head):
    _cadre, rows = _two_years(district, officer, head, "basically_competent")
    assert not AdmonishmentProposal.objects.exists()  # off by default
    core_actions.change_setting(actor=head, key="appraisals.consecutive_basic_admonishment", value=True)
    # Another district, both years with the rule on.
    other = make_unit(name="另一区委", kind="party_committee")
    other_officer = make_user(role=Role.ORG_OFFICER, unit=other)
    other_head = make_user(role=Role.ORG_HEAD, unit=other)
    cadre, rows = _two_years(other, other_officer, other_head, "basically_competent")
    proposal = AdmonishmentProposal.objects.get()
    assert proposal.cadre_id == cadre.pk and proposal.basis == "grades" and proposal.assessed_cadre_id == rows[2025].pk
    assert proposal.is_pending and "2024年度基本称职" in proposal.figures


def test_one_year_basically_competent_raises_nothing(district, officer, head):
    core_actions.change_setting(actor=head, key="appraisals.consecutive_basic_admonishment", value=True)
    unit, (cadre,) = make_team(district, "戊单位", titles=("局长",))
    for year, grade in ((2024, "competent"), (2025, "basically_competent")):
        cycle = actions.create_cycle(actor=officer, unit=district, year=year, uses_target_scores=False)
        actions.add_unit(actor=officer, cycle=cycle, unit=unit)
        closed_without_votes(officer, cycle)
        actions.propose_grades(actor=officer, cycle=cycle)
        actions.confirm_grades(
            actor=head, cycle=cycle, cadre_grades={cycle.cadres.get().pk: (grade, "理由")}, team_grades={cycle.units.get().pk: ("fair", "一般")}
        )
    assert not AdmonishmentProposal.objects.exists()


def test_a_proposal_from_two_years_of_grades_reads_right_in_the_yellow_card_inbox(district, officer, head):
    from jiandu.oversight import queries as oversight_queries

    core_actions.change_setting(actor=head, key="appraisals.consecutive_basic_admonishment", value=True)
    _cadre, _rows = _two_years(district, officer, head, "basically_competent")
    proposal = AdmonishmentProposal.objects.get()
    with translation.override("en"):
        grounds = oversight_queries.yellow_card_grounds(proposal)
    assert "two consecutive annual assessments" in grounds and "valid votes" not in grounds
    assert oversight_queries.yellow_card_follow_up(proposal.cadre, oversight_queries.proposal_figures(proposal)) is None


def test_admonishment_bars_excellent_in_a_term_assessment_only_where_the_local_rule_says_so(district, officer, head, team):
    chief = team[1][0]
    dispositions.create_admonishment(actor=head, cadre=chief, grounds="测评不满意率达到三分之一", source_type="manual", source_id="1", decided_on=D(2025, 4, 1))
    annual = actions.create_cycle(actor=officer, unit=district, year=2025, uses_target_scores=False)
    term = actions.create_cycle(actor=officer, unit=district, year=2025, kind="term", uses_target_scores=False)
    assert [d.measure for d in queries.disqualifications_for(chief, annual)] == ["admonishment_talk"]  # 2019 考核条例
    assert queries.disqualifications_for(chief, term) == []  # off by default
    core_actions.change_setting(actor=head, key="appraisals.admonishment_bars_term_excellent", value=True)
    assert [d.measure for d in queries.disqualifications_for(chief, term)] == ["admonishment_talk"]
    # A party sanction bars 优秀 in the term assessment whatever the setting.
    core_actions.change_setting(actor=head, key="appraisals.admonishment_bars_term_excellent", value=False)
    sanction(officer, chief, Measure.PARTY_WARNING, D(2025, 5, 1))
    assert [d.measure for d in queries.disqualifications_for(chief, term)] == ["party_warning"]


def test_the_rule_table_is_recorded_with_the_proposal(closed, officer, head, team):
    deputy = team[1][1]
    sanction(officer, deputy, Measure.ADMIN_DEMERIT, D(2024, 6, 1))
    actions.propose_grades(actor=officer, cycle=closed)
    closed.refresh_from_db()
    assert "admin_demerit|no_grade|period" in closed.parameters["sanction_year_outcomes"]
    # Changing the setting afterwards does not change what the confirmation checks against.
    core_actions.change_setting(actor=head, key="appraisals.sanction_year_outcomes", value=["party_probation|incompetent|year"])
    row = closed.cadres.get(cadre=deputy)
    with pytest.raises(ActionError):
        actions.confirm_grades(actor=head, cycle=closed, cadre_grades={row.pk: ("competent", "理由")})
