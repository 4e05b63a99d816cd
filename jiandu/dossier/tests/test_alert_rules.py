"""The default early-warning rules (issue #16 §2), each at its exact boundary, and the scan's
handling: raised once, closed when the cause ends, a handled alert stays handled while the cause
lasts and a new one is raised when the cause returns."""

import datetime as dt

import pytest
from django.utils import timezone

from jiandu.appraisals.models import GradeFollowUp
from jiandu.audits.models import Finding
from jiandu.audits.models import RectificationItem as AuditRectificationItem
from jiandu.core.calendar import add_months
from jiandu.core.models import JournalEntry, LocalSetting
from jiandu.decisions import log_actions
from jiandu.decisions.models import WeeklyLog
from jiandu.dossier import actions
from jiandu.dossier.models import Alert
from jiandu.oversight.models import Clue, Disposition, InspectionTour, RectificationItem, Talk
from jiandu.oversight.queries import YELLOW_CARD_SOURCE
from jiandu.registry.models import Relative
from jiandu.testing import make_cadre, make_position, make_relative, make_tenure

TODAY = dt.date.today()


def _open(rule):
    return Alert.objects.filter(rule=rule, closed_at__isnull=True)


def _scan(today=TODAY):
    return actions.scan_alerts(actor=None, today=today)


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


# --- yellow card without the required talk ----------------------------------------------------


def _yellow_card_talk(world, due: dt.date) -> Talk:
    d = world.facts.disposition
    Disposition.objects.filter(pk=d.pk).update(source_type=YELLOW_CARD_SOURCE, source_id=str(world.facts.proposal.pk))
    return Talk.objects.create(
        cadre=world.zhang,
        unit=world.finance,
        kind=Talk.Kind.ADMONISHMENT,
        status=Talk.Status.REQUIRED,
        due_on=due,
        disposition=d,
        created_by=world.readers.officer,
    )


# --- yellow card neither taken up nor dismissed -----------------------------------------------


def _raised_so_that_due_is(due: dt.date) -> dt.date:
    """A day whose 10th working day after (the setting's default) is `due`."""
    from jiandu.core.calendar import add_working_days

    for back in range(10, 40):
        day = due - dt.timedelta(days=back)
        if add_working_days(day, 10).due == due:
            return day
    raise AssertionError(f"no day has {due} as its 10th working day")


@pytest.mark.parametrize(("after", "raised"), [(1, True), (0, False)])
def test_yellow_card_undecided_the_day_after_and_of_its_last_day(world, after, raised):
    last_day = dt.date(2026, 12, 3)  # a Thursday: the 10th working day after the card was raised
    proposal = world.facts.proposal
    type(proposal).objects.filter(pk=proposal.pk).update(created_at=_at(_raised_so_that_due_is(last_day)))
    _scan(today=last_day + dt.timedelta(days=after))
    alert = _open("oversight.yellow_card_not_taken_up").filter(cadre=world.zhang).first()
    assert (alert is not None) is raised
    if raised:
        assert "CANARY-YELLOW-CARD" in alert.text and str(proposal.cycle.year) in alert.text


def test_yellow_card_taken_up_or_dismissed_closes_the_alert(world):
    proposal = world.facts.proposal
    model = type(proposal)
    model.objects.filter(pk=proposal.pk).update(created_at=_at(TODAY - dt.timedelta(days=60)))
    _scan()
    assert _open("oversight.yellow_card_not_taken_up").count() == 1
    model.objects.filter(pk=proposal.pk).update(status=model.Status.CONFIRMED, reference="oversight.admonishment:1")
    _scan()
    assert _open("oversight.yellow_card_not_taken_up").count() == 0
    model.objects.filter(pk=proposal.pk).update(status=model.Status.DISMISSED, reference="")
    _scan()
    assert _open("oversight.yellow_card_not_taken_up").count() == 0


@pytest.mark.parametrize(("due", "raised"), [(-1, True), (0, False)])
def test_yellow_card_talk_the_day_after_and_of_the_due_date(world, due, raised):
    _yellow_card_talk(world, TODAY + dt.timedelta(days=due))
    _scan()
    assert _open("oversight.yellow_card_talk_overdue").filter(cadre=world.zhang).exists() is raised


def test_yellow_card_talk_held_closes_the_alert(world):
    talk = _yellow_card_talk(world, TODAY - dt.timedelta(days=3))
    _scan()
    assert _scan()["raised"] == 0 and _open("oversight.yellow_card_talk_overdue").count() == 1
    Talk.objects.filter(pk=talk.pk).update(status=Talk.Status.HELD, talked_on=TODAY)
    _scan()
    assert _open("oversight.yellow_card_talk_overdue").count() == 0


def test_a_required_talk_not_from_a_yellow_card_is_not_this_rule(world):
    Talk.objects.create(
        cadre=world.zhang,
        unit=world.finance,
        kind=Talk.Kind.ADMONISHMENT,
        status=Talk.Status.REQUIRED,
        due_on=TODAY - dt.timedelta(days=5),
        created_by=world.readers.officer,
    )
    _scan()
    assert not _open("oversight.yellow_card_talk_overdue").exists()


# --- N clues about the same cadre within 12 months ---------------------------------------------


def _clue(world, day):
    clue = Clue.objects.create(
        cadre=world.zhang, cadre_unit=world.finance, from_unit=world.discipline, source="petition", summary="s", created_by=world.readers.officer
    )
    Clue.objects.filter(pk=clue.pk).update(created_at=_at(day))
    return clue


@pytest.mark.parametrize(("clues", "raised"), [(2, False), (3, True)])
def test_n_minus_one_and_n_clues(world, clues, raised):
    Clue.objects.filter(pk=world.facts.clue.pk).update(created_at=_at(TODAY))
    for _ in range(clues - 1):
        _clue(world, TODAY - dt.timedelta(days=10))
    _scan()
    assert _open("oversight.repeated_clues").filter(cadre=world.zhang).exists() is raised


@pytest.mark.parametrize(("days_before", "raised"), [(0, True), (1, False)])
def test_clues_window_is_twelve_months_inclusive(world, days_before, raised):
    Clue.objects.filter(pk=world.facts.clue.pk).update(created_at=_at(TODAY))
    _clue(world, TODAY - dt.timedelta(days=1))
    _clue(world, add_months(TODAY, -12) - dt.timedelta(days=days_before))
    _scan()
    assert _open("oversight.repeated_clues").filter(cadre=world.zhang).exists() is raised


def test_clue_count_is_a_setting(world):
    LocalSetting.objects.create(key="alerts.clue_count", value=1)
    Clue.objects.filter(pk=world.facts.clue.pk).update(created_at=_at(TODAY))
    _scan()
    assert _open("oversight.repeated_clues").filter(cadre=world.zhang).exists()


# --- rectification overdue (tours and audits) ----------------------------------------------------


@pytest.mark.parametrize(("due", "raised"), [(-1, True), (0, False)])
def test_tour_rectification_item_overdue(world, due, raised):
    tour = InspectionTour.objects.create(
        name="2026年第一轮巡察",
        year=TODAY.year,
        organiser=world.root,
        planned_start=TODAY - dt.timedelta(days=90),
        planned_end=TODAY - dt.timedelta(days=60),
        stage="rectification",
        created_by=world.readers.officer,
    )
    item = RectificationItem.objects.create(tour=tour, unit=world.finance, measure="m", owner="张三", due_on=TODAY + dt.timedelta(days=due))
    _scan()
    assert _open("oversight.tour_rectification_overdue").filter(unit=world.finance).exists() is raised
    RectificationItem.objects.filter(pk=item.pk).update(status=RectificationItem.Status.CLOSED, closed_on=TODAY)
    _scan()
    assert not _open("oversight.tour_rectification_overdue").exists()


@pytest.mark.parametrize(("due", "status", "raised"), [(-1, "open", True), (0, "open", False), (-1, "reported", True), (-1, "closed", False)])
def test_audit_finding_rectification_overdue(world, due, status, raised):
    finding = Finding.objects.create(audit=world.facts.audit, category="other", responsibility="direct", description="d")
    AuditRectificationItem.objects.create(
        finding=finding, measure="m", owner=world.zhang.name, owner_cadre=world.zhang, due_on=TODAY + dt.timedelta(days=due), status=status
    )
    _scan()
    assert _open("audits.finding_rectification_overdue").filter(cadre=world.zhang, unit=world.finance).exists() is raised


# --- 不称职 without the follow-up ----------------------------------------------------------------


@pytest.mark.parametrize(("due", "done", "raised"), [(-1, False, True), (0, False, False), (-1, True, False)])
def test_incompetent_follow_up_overdue(world, due, done, raised):
    row = world.facts.appraisal
    GradeFollowUp.objects.create(
        cycle=row.cycle, assessed_cadre=row, cadre=world.zhang, kind="post_adjustment", due_on=TODAY + dt.timedelta(days=due), done_on=TODAY if done else None
    )
    _scan()
    assert _open("appraisals.incompetent_without_follow_up").filter(cadre=world.zhang).exists() is raised


# --- two or more weekly logs missing in a month ------------------------------------------------


def _closed_weeks_within_a_month():
    since = add_months(TODAY, -1)
    week = log_actions.week_of(since)
    if week < since:
        week += dt.timedelta(days=7)
    weeks = []
    while week < TODAY:
        if log_actions.deadline_for(week).due.date() < TODAY:
            weeks.append(week)
        week += dt.timedelta(days=7)
    return weeks


@pytest.mark.parametrize(("missing", "raised"), [(1, False), (2, True)])
def test_weekly_logs_one_or_two_missing(world, missing, raised):
    leader = make_cadre(unit=world.finance, name="赵副区长")
    make_tenure(cadre=leader, position=make_position(unit=world.root, title="副区长", level="county_deputy"), started_on=TODAY - dt.timedelta(days=400))
    weeks = _closed_weeks_within_a_month()
    assert len(weeks) >= 2
    now = timezone.now()
    for week in weeks[missing:]:
        WeeklyLog.objects.create(
            cadre=leader, week_start=week, this_week="w", next_week="n", due_at=now, submitted_at=now, first_submitted_at=now, entered_by=world.readers.officer
        )
    _scan()
    assert _open("decisions.weekly_logs_missing").filter(cadre=leader).exists() is raised


# --- avoidance conflict -------------------------------------------------------------------------


@pytest.mark.parametrize(("work_unit", "raised"), [("财政局", True), ("教育局", False)])
def test_avoidance_conflict_between_serving_cadres(world, work_unit, raised):
    wife = make_cadre(unit=world.finance, name="王芳芳")
    make_tenure(cadre=wife, position=make_position(unit=world.finance, title="科员", kind="non_leading"), started_on=TODAY - dt.timedelta(days=100))
    relative = make_relative(cadre=world.zhang, relation="spouse", name="王芳芳", work_unit=work_unit)
    _scan()
    assert _open("registry.avoidance_conflict").exists() is raised
    if raised:
        Relative.objects.filter(pk=relative.pk).update(is_removed=True)
        _scan()
        assert not _open("registry.avoidance_conflict").exists()


# --- handling -----------------------------------------------------------------------------------


def test_handled_alert_stays_handled_while_the_cause_lasts_and_returns_after_it_ended(world):
    from jiandu.oversight.models import Inquiry

    rule = "oversight.inquiry_reply_overdue"
    _scan()
    alert = _open(rule).get()
    with pytest.raises(Exception):
        actions.handle_alert(actor=world.readers.officer, alert=alert, note="bad\x00note")
    with pytest.raises(Exception):
        actions.handle_alert(actor=world.readers.officer, alert=alert, note="   ")
    actions.handle_alert(actor=world.readers.officer, alert=alert, note="已约谈并督促回复")
    assert JournalEntry.objects.filter(action="dossier.alert.handled", target_id=str(alert.pk)).count() == 1
    for day in (TODAY, TODAY + dt.timedelta(days=1)):
        assert _scan(day)["raised"] == 0
    assert Alert.objects.filter(rule=rule).count() == 1 and Alert.objects.get(pk=alert.pk).handled_at is not None
    inquiry = world.facts.inquiry
    Inquiry.objects.filter(pk=inquiry.pk).update(status=Inquiry.Status.REPLIED, replied_on=TODAY)
    _scan()
    assert Alert.objects.get(pk=alert.pk).closed_at is not None
    Inquiry.objects.filter(pk=inquiry.pk).update(status=Inquiry.Status.DELIVERED, replied_on=None)  # the cause returns
    assert _scan()["raised"] >= 1
    assert Alert.objects.filter(rule=rule).count() == 2 and _open(rule).get().handled_at is None


def test_every_rule_runs_on_the_world_without_failing(world):
    assert _scan()["failed"] == []


@pytest.mark.parametrize(("offset", "raised"), [(0, True), (1, False)])
def test_tenure_years_is_a_setting(world, offset, raised):
    from jiandu.registry.models import Tenure

    LocalSetting.objects.create(key="alerts.tenure_years", value=3)
    tenure = Tenure.objects.get(cadre=world.zhang, position__title="局长")
    Tenure.objects.filter(pk=tenure.pk).update(started_on=TODAY.replace(year=TODAY.year - 3) + dt.timedelta(days=offset))
    _scan()
    alerts = _open("registry.tenure_past_term_limit").filter(key=f"tenure:{tenure.pk}")
    assert alerts.exists() is raised
    if raised:
        assert "3" in alerts.get().text
