"""Grade proposal and confirmation: vote rules, disqualifying events, the 优秀 quota, flags."""

import datetime as dt
from fractions import Fraction

import pytest

from jiandu.accounts.access import NotVisible
from jiandu.appraisals import actions, queries
from jiandu.appraisals.models import AppraisalCycle, Grade
from jiandu.core import actions as core_actions
from jiandu.core.errors import ActionError
from jiandu.core.models import JournalEntry

from .conftest import cast, closed_without_votes, make_team, open_cycle

pytestmark = pytest.mark.django_db

OVERALL = {
    "甲局长": ["excellent", "excellent", "excellent", "excellent", "competent", "incompetent"],  # 优秀 4/6
    "甲副局长": ["excellent", "excellent", "excellent", "excellent", "excellent", "competent"],  # 优秀 5/6
    "甲主任": ["incompetent", "incompetent", "incompetent", "competent", "competent", "competent"],  # 不称职 1/2
}
TEAM = ["excellent", "excellent", "excellent", "excellent", "good", "good"]


@pytest.fixture
def closed(district, officer):
    unit, _cadres = make_team(district, "甲单位", titles=("局长", "副局长", "主任"))
    cycle = actions.create_cycle(actor=officer, unit=district, year=2025, uses_target_scores=False)
    assessed = actions.add_unit(actor=officer, cycle=cycle, unit=unit)
    open_cycle(officer, cycle)
    # 甲副局长 has the better 优秀 share but a lower score on the dimensions
    cast(officer, assessed, "staff", TEAM, OVERALL, dimensions={"甲局长": ["excellent"] * 6, "甲副局长": ["competent"] * 6})
    return actions.close_evaluation(actor=officer, cycle=cycle)


def row(cycle, name):
    return cycle.cadres.get(cadre_name=name)


def test_propose_applies_vote_rules_and_quota(closed, officer):
    actions.propose_grades(actor=officer, cycle=closed)
    closed.refresh_from_db()
    assert closed.status == AppraisalCycle.Status.GRADES_PROPOSED
    # 3 participants × 20 % = 0.6 → no 优秀 at all
    a, b, c = (row(closed, n) for n in ("甲局长", "甲副局长", "甲主任"))
    assert (a.proposed_grade, b.proposed_grade, c.proposed_grade) == ("competent", "competent", "incompetent")
    assert [r["code"] for r in a.proposal_reasons] == ["top", "beyond_quota"]
    assert c.proposal_reasons[0]["code"] == "bottom"
    team = closed.units.get()
    assert team.proposed_grade == "good"  # 优秀 4/6 > 1/2, but one team × 20 % = 0 may be 优秀
    entry = JournalEntry.objects.get(action="appraisals.grades.proposed")
    assert entry.data["quota"] == {"share": "1/5", "rounding": "floor", "scope": "cycle", "min_one_from": 0, "team_pool": "cycle"}


def test_quota_ranks_by_score(closed, officer, head):
    core_actions.change_setting(actor=head, key="appraisals.excellent_quota", value="1/3")  # 3 × 1/3 = 1
    actions.propose_grades(actor=officer, cycle=closed)
    a, b = row(closed, "甲局长"), row(closed, "甲副局长")
    assert a.score > b.score
    assert a.proposed_grade == Grade.EXCELLENT and b.proposed_grade == Grade.COMPETENT
    assert b.proposal_reasons[-1] == {"code": "beyond_quota", "params": {"position": 2, "candidates": 2, "allowed": 1}}
    assert queries.cadre_quotas(closed, field="proposed_grade")[0].text() == "excellent 1/3 (33.33%), at most 1"


def test_disqualifying_event_blocks_excellent(closed, officer, head):
    core_actions.change_setting(actor=head, key="appraisals.excellent_quota", value="1")
    a = row(closed, "甲局长")
    other_year = actions.record_disqualifying_event(actor=officer, cadre=a.cadre, occurred_on=dt.date(2024, 6, 1), kind="受到诫勉")
    actions.propose_grades(actor=officer, cycle=closed)
    assert row(closed, "甲局长").proposed_grade == Grade.EXCELLENT  # an event of another year does not count
    event = actions.record_disqualifying_event(actor=officer, cadre=a.cadre, occurred_on=dt.date(2025, 3, 1), kind="受到党纪处分", note="警告")
    actions.propose_grades(actor=officer, cycle=closed)
    a = row(closed, "甲局长")
    assert a.proposed_grade == Grade.COMPETENT
    assert a.proposal_reasons[-1] == {"code": "disqualified", "params": {"events": "2025-03-01 受到党纪处分"}}
    assert row(closed, "甲副局长").proposed_grade == Grade.EXCELLENT
    # the department cannot confirm 优秀 either
    with pytest.raises(ActionError) as exc:
        actions.confirm_grades(actor=head, cycle=closed, cadre_grades={a.pk: ("excellent", "表现突出")})
    assert exc.value.field == f"cadre-{a.pk}" and "受到党纪处分" in exc.value.message
    # withdrawn events no longer count
    actions.withdraw_disqualifying_event(actor=officer, event=event, reason="录入错误")
    assert [d.kind for d in queries.disqualifying_events(a.cadre, 2025)] == []
    assert [d.kind for d in queries.disqualifying_events(a.cadre, 2024)] == [other_year.kind]


def test_confirm_grades_preconditions(closed, officer, head):
    with pytest.raises(ActionError) as exc:
        actions.confirm_grades(actor=head, cycle=closed)
    assert exc.value.code == "stage"
    actions.propose_grades(actor=officer, cycle=closed)
    with pytest.raises(NotVisible):
        actions.confirm_grades(actor=officer, cycle=closed)  # officers propose, the head confirms
    a = row(closed, "甲局长")
    with pytest.raises(ActionError) as exc:
        actions.confirm_grades(actor=head, cycle=closed, cadre_grades={a.pk: ("basically_competent", "")})
    assert exc.value.field == f"reason-{a.pk}"
    with pytest.raises(ActionError) as exc:
        actions.confirm_grades(actor=head, cycle=closed, cadre_grades={a.pk: ("excellent", "实绩突出")})
    assert exc.value.field == "cadres" and "at most 0" in exc.value.message
    with pytest.raises(ActionError):
        actions.confirm_grades(actor=head, cycle=closed, cadre_grades={a.pk: ("splendid", "x")})
    closed.refresh_from_db()
    assert closed.status == AppraisalCycle.Status.GRADES_PROPOSED and not closed.cadres.exclude(grade="").exists()


def test_confirm_grades_with_a_changed_grade(closed, officer, head):
    actions.propose_grades(actor=officer, cycle=closed)
    b = row(closed, "甲副局长")
    team = closed.units.get()
    actions.confirm_grades(actor=head, cycle=closed, cadre_grades={b.pk: ("basically_competent", "群众反映较多")}, team_grades={team.pk: ("good", "")})
    closed.refresh_from_db()
    assert closed.status == AppraisalCycle.Status.GRADES_CONFIRMED and closed.grades_confirmed_by_id == head.pk
    b = row(closed, "甲副局长")
    c = row(closed, "甲主任")
    assert b.grade == "basically_competent" and b.grade_reason == "群众反映较多"
    assert c.grade == Grade.INCOMPETENT and c.needs_post_adjustment and not c.needs_dismissal_review
    entry = JournalEntry.objects.get(action="appraisals.grade.confirmed", cadre_id=b.cadre_id)
    assert entry.data["grade"] == "basically_competent" and entry.data["proposed"] == "competent"
    assert JournalEntry.objects.get(action="appraisals.grades.confirmed").data["post_adjustment"] == 1
    with pytest.raises(ActionError):
        actions.propose_grades(actor=officer, cycle=closed)


def test_team_top_grade_is_capped_by_the_quota(closed, officer, head):
    actions.propose_grades(actor=officer, cycle=closed)
    team = closed.units.get()
    # 1 team × 15 % = 0: proposing 优秀 for the only team would exceed the quota
    assert team.proposed_grade == "good" and team.proposal_reasons[-1]["code"] == "beyond_quota"
    with pytest.raises(ActionError) as exc:
        actions.confirm_grades(actor=head, cycle=closed, team_grades={team.pk: ("excellent", "目标考核第一")})
    assert exc.value.field == "teams"


def test_two_consecutive_incompetent_flags_dismissal(district, officer, head):
    unit, (cadre,) = make_team(district, "丙单位", titles=("局长",))
    grades = {}
    for year in (2024, 2025):
        cycle = actions.create_cycle(actor=officer, unit=district, year=year, uses_target_scores=False)
        actions.add_unit(actor=officer, cycle=cycle, unit=unit)
        closed_without_votes(officer, cycle)
        actions.propose_grades(actor=officer, cycle=cycle)
        assessed = cycle.cadres.get()
        assert assessed.proposed_grade == "" and assessed.proposal_reasons == [{"code": "no_votes", "params": {}}]
        with pytest.raises(ActionError) as exc:
            actions.confirm_grades(actor=head, cycle=cycle)
        assert exc.value.field == f"cadre-{assessed.pk}"
        team = cycle.units.get()
        actions.confirm_grades(
            actor=head, cycle=cycle, cadre_grades={assessed.pk: ("incompetent", "年度目标未完成")}, team_grades={team.pk: ("fair", "班子整体一般")}
        )
        grades[year] = cycle.cadres.get()
    assert grades[2024].needs_post_adjustment and not grades[2024].needs_dismissal_review
    assert grades[2025].needs_post_adjustment and grades[2025].needs_dismissal_review
    assert queries.previous_confirmed_grade(cadre, 2024) == Grade.INCOMPETENT
    entry = JournalEntry.objects.filter(action="appraisals.grade.confirmed", cadre_id=cadre.pk).order_by("-seq").first()
    assert entry.data["dismissal_review"] is True


def test_result_use_and_completion(closed, officer, head):
    actions.propose_grades(actor=officer, cycle=closed)
    c = row(closed, "甲主任")
    with pytest.raises(ActionError) as exc:
        actions.record_result_use(actor=officer, assessed_cadre=c, kind="adjust", decided_on=dt.date(2026, 1, 10))
    assert exc.value.code == "stage"
    actions.confirm_grades(actor=head, cycle=closed)
    with pytest.raises(ActionError) as exc:
        actions.complete_cycle(actor=officer, cycle=closed)
    assert "甲主任" in exc.value.message
    with pytest.raises(ActionError) as exc:
        actions.record_result_use(actor=officer, assessed_cadre=c, kind="other", decided_on=dt.date(2026, 1, 10))
    assert exc.value.field == "note"
    with pytest.raises(ActionError) as exc:
        actions.record_result_use(actor=officer, assessed_cadre=c, kind="adjust", decided_on=dt.date(2999, 1, 1))
    assert exc.value.field == "decided_on"
    use = actions.record_result_use(actor=officer, assessed_cadre=c, kind="adjust", decided_on=dt.date(2026, 1, 10), note="调整为非领导职务")
    entry = JournalEntry.objects.get(action="appraisals.result_use.recorded")
    assert entry.cadre_id == c.cadre_id and entry.data["use"] == "adjust" and entry.target_id == str(use.pk)
    actions.complete_cycle(actor=officer, cycle=closed)
    closed.refresh_from_db()
    assert closed.status == AppraisalCycle.Status.RESULTS_USED
    assert JournalEntry.objects.filter(action="appraisals.cycle.completed").exists()
    actions.record_result_use(actor=officer, assessed_cadre=row(closed, "甲局长"), kind="train", decided_on=dt.date(2026, 2, 1))


def test_quota_text_in_chinese():
    from django.utils import translation

    quota = queries.Quota("", 20, 3, 3, Fraction(3, 20), "floor")
    with translation.override("zh-hans"):
        assert quota.text() == "优秀 3/20（15%），至多 3 名"
    assert quota.text() == "excellent 3/20 (15%), at most 3"


def test_an_admonishment_from_daily_supervision_blocks_excellent_and_reads_well(closed, officer):
    """Daily supervision's running influence periods count too, named by their measure."""
    from jiandu.oversight.actions import dispositions

    a = row(closed, "甲局长")
    dispositions.record_disposition(
        actor=officer, cadre=a.cadre, measure="admonishment_talk", decided_on=dt.date(2025, 9, 1), deciding_body="区委组织部", grounds="履职不力"
    )
    found = queries.disqualifying_events(a.cadre, 2025)
    assert [(d.source, d.kind, d.on, d.note) for d in found] == [("oversight", "admonishment by talk", dt.date(2025, 9, 1), "履职不力")]
    assert str(found[0]) == "2025-09-01 admonishment by talk"
    actions.propose_grades(actor=officer, cycle=closed)
    assert row(closed, "甲局长").proposal_reasons[-1] == {"code": "disqualified", "params": {"events": "2025-09-01 admonishment by talk"}}


def test_unit_leader_reads_only_his_units_confirmed_results(closed, officer, head, district):
    from django.test import Client
    from django.urls import reverse

    from jiandu.accounts.models import Role
    from jiandu.testing import make_unit, make_user

    team = closed.units.get()
    leader = make_user(role=Role.UNIT_LEADER, unit=team.unit, username="jia_leader")
    stranger = make_user(role=Role.UNIT_LEADER, unit=make_unit(name="乙单位", parent=district), username="yi_leader")
    auditor = make_user(role=Role.AUDIT_OFFICER, unit=district, username="auditor_x")

    def get(user):
        client = Client()
        client.force_login(user)
        session = client.session
        session["jiandu_epoch"] = user.session_epoch
        session.save()
        return client.get(reverse("appraisals:unit_results"))

    # Proposed grades are not results yet.
    actions.propose_grades(actor=officer, cycle=closed)
    page = get(leader)
    assert page.status_code == 200 and "甲副局长" not in page.content.decode()
    actions.confirm_grades(actor=head, cycle=closed, team_grades={team.pk: ("good", "")})
    html = get(leader).content.decode()
    assert "甲单位" in html and "甲副局长" in html and "良好" in html
    assert queries.unit_results_visible_to(leader).count() == 1
    # Another unit's leader sees nothing of it; a role without the permission gets 404.
    assert "甲副局长" not in get(stranger).content.decode() and queries.unit_results_visible_to(stranger).count() == 0
    assert get(auditor).status_code == 404
    # The leader's home page and menu lead there.
    client = Client()
    client.force_login(leader)
    session = client.session
    session["jiandu_epoch"] = leader.session_epoch
    session.save()
    assert reverse("appraisals:unit_results") in client.get(reverse("core:home")).content.decode()


def test_the_grades_page_reads_every_cadres_bars_in_a_fixed_number_of_queries(closed, officer, district):
    """Issue 17 §2: the grades page asked daily supervision once per cadre and month end (13 queries
    a cadre); it now asks for all cadres at once, with the same answers as the one-cadre query."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from jiandu.oversight.actions import dispositions

    a, b = row(closed, "甲局长"), row(closed, "甲副局长")
    # A period running from September (admonishment: 6 months), one ended before the year, one permanent-free demerit in March.
    dispositions.record_disposition(
        actor=officer, cadre=a.cadre, measure="admonishment_talk", decided_on=dt.date(2025, 9, 1), deciding_body="区委组织部", grounds="履职不力"
    )
    dispositions.record_disposition(
        actor=officer, cadre=b.cadre, measure="admonishment_talk", decided_on=dt.date(2024, 1, 5), deciding_body="区委组织部", grounds="早年"
    )
    dispositions.record_disposition(
        actor=officer, cadre=b.cadre, measure="admin_demerit", decided_on=dt.date(2025, 3, 10), deciding_body="区监委", grounds="违规"
    )
    ids = list(closed.cadres.values_list("cadre_id", flat=True))
    many = queries.disqualifications_for_many(ids, closed)
    assert many == {pk: queries.disqualifications_for(pk, closed) for pk in ids}
    assert [d.on for d in many[a.cadre_id]] == [dt.date(2025, 9, 1)]
    assert [d.on for d in many[b.cadre_id]] == [dt.date(2025, 3, 10)]  # the 2024 period ended in July 2024
    with CaptureQueriesContext(connection) as one:
        queries.disqualifications_for_many(ids[:1], closed)
    with CaptureQueriesContext(connection) as three:
        queries.disqualifications_for_many(ids, closed)
    assert len(one) == len(three) == 2

    actions.propose_grades(actor=officer, cycle=closed)
    client = Client()
    client.force_login(officer)
    session = client.session
    session["jiandu_epoch"] = officer.session_epoch
    session.save()
    url = reverse("appraisals:grades", args=[closed.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as page:
        response = client.get(url)
    assert response.status_code == 200 and "2025-09-01" in response.content.decode()
    assert sum("oversight_disposition" in q["sql"] for q in page.captured_queries) == 1
