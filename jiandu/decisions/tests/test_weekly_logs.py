"""阳光周志: the deadline at the exact minute and across a holiday week, who may submit (self
service, the office for the leader), review (publish / return), reminders, missing and late
counts, pages and API."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from jiandu.accounts.models import Role
from jiandu.core.errors import ActionError
from jiandu.core.models import JournalEntry
from jiandu.decisions import log_actions, log_queries
from jiandu.decisions.models import PublicFeedback, WeeklyLog, WeeklyLogReminder
from jiandu.registry.models import LeadershipLevel
from jiandu.testing import api_client, grant_role, log_in, make_cadre, make_position, make_tenure, make_unit, make_user

TZ = ZoneInfo("Asia/Shanghai")
WEEK = dt.date(2026, 11, 16)  # a Monday; its log is due Monday 2026-11-23 12:00
HOLIDAY_WEEK = dt.date(2026, 9, 28)  # due Monday 2026-10-05, a National Day holiday


def at(y, m, d, hh, mm, ss=0):
    return dt.datetime(y, m, d, hh, mm, ss, tzinfo=TZ)


@pytest.fixture
def district(db):
    root = make_unit(name="示范区委", kind="party_committee")
    dept = make_unit(name="教育局", parent=root)
    leader = make_cadre(unit=root, name="李区长", phone="13912345678")
    make_tenure(cadre=leader, position=make_position(unit=root, title="副区长", level=LeadershipLevel.COUNTY_DEPUTY), started_on=dt.date(2022, 1, 1))
    other = make_cadre(unit=root, name="王书记")
    make_tenure(cadre=other, position=make_position(unit=root, title="区委书记", level=LeadershipLevel.COUNTY_CHIEF), started_on=dt.date(2022, 1, 1))
    head = make_cadre(unit=dept, name="张局长")
    make_tenure(cadre=head, position=make_position(unit=dept, title="局长", level=LeadershipLevel.SECTION_CHIEF), started_on=dt.date(2022, 1, 1))
    office = make_user(role=Role.ORG_OFFICER)
    own = make_user(role=Role.COMMITTEE_MEMBER, cadre=leader)
    return {"root": root, "leader": leader, "other": other, "head": head, "office": office, "own": own}


def submit(actor, cadre, when, week=WEEK):
    with log_actions.clock_at(when):
        return log_actions.submit_log(actor=actor, cadre=cadre, week_start=week, this_week="调研教育工作", next_week="督导安全生产")


def test_deadline_is_monday_noon_of_the_next_week(db):
    deadline = log_actions.deadline_for(WEEK)
    assert deadline.due == at(2026, 11, 23, 12, 0)
    assert not deadline.skipped


def test_deadline_across_a_holiday_week_moves_to_the_next_working_day(db):
    deadline = log_actions.deadline_for(HOLIDAY_WEEK)
    # 10-05 … 10-07 are National Day holidays; 10-08 (Thursday) is the next working day.
    assert deadline.nominal == dt.date(2026, 10, 5)
    assert deadline.due == at(2026, 10, 8, 12, 0)
    assert deadline.skipped == (dt.date(2026, 10, 5), dt.date(2026, 10, 6), dt.date(2026, 10, 7))
    assert "2026-10-08" in deadline.explain()


@pytest.mark.parametrize(
    ("when", "late"),
    [(at(2026, 11, 23, 11, 59, 59), False), (at(2026, 11, 23, 12, 0, 0), False), (at(2026, 11, 23, 12, 0, 1), True), (at(2026, 11, 23, 12, 1), True)],
)
def test_late_at_the_exact_minute(district, when, late):
    log = submit(district["own"], district["leader"], when)
    assert log.is_late is late
    assert log.on_behalf is False


@pytest.mark.parametrize(("when", "late"), [(at(2026, 10, 5, 9, 0), False), (at(2026, 10, 8, 12, 0), False), (at(2026, 10, 8, 12, 1), True)])
def test_holiday_week_lateness(district, when, late):
    assert submit(district["own"], district["leader"], when, week=HOLIDAY_WEEK).is_late is late


def test_setting_moves_the_deadline(district):
    from jiandu.core.actions import change_setting
    from jiandu.testing import make_user as mk

    admin = mk(role=Role.ORG_HEAD)
    change_setting(actor=admin, key="decisions.weekly_log.deadline_time", value="18:00")
    assert log_actions.deadline_for(WEEK).due == at(2026, 11, 23, 18, 0)
    assert submit(district["own"], district["leader"], at(2026, 11, 23, 17, 0)).is_late is False


def test_office_enters_for_the_leader_recorded_as_such(district):
    log = submit(district["office"], district["leader"], at(2026, 11, 20, 17, 0))
    assert log.on_behalf is True and log.entered_by == district["office"]
    entry = JournalEntry.objects.get(action="decisions.weekly_log.submitted")
    assert entry.data["on_behalf"] is True and entry.cadre_id == district["leader"].pk


def test_nobody_else_may_submit(district):
    stranger = make_user(role=Role.COMMITTEE_MEMBER, cadre=district["other"])  # another leader
    with pytest.raises(Exception) as refused:
        submit(stranger, district["leader"], at(2026, 11, 20, 17, 0))
    assert refused.type.__name__ == "NotVisible"
    with pytest.raises(ActionError):
        submit(district["office"], district["head"], at(2026, 11, 20, 17, 0))  # a section chief writes none
    with pytest.raises(ActionError):
        submit(district["own"], district["leader"], at(2026, 11, 15, 17, 0))  # the week has not begun
    with log_actions.clock_at(at(2026, 11, 20, 17, 0)), pytest.raises(ActionError):
        log_actions.submit_log(actor=district["own"], cadre=district["leader"], week_start=WEEK + dt.timedelta(days=1), this_week="a", next_week="b")
    with log_actions.clock_at(at(2026, 11, 20, 17, 0)), pytest.raises(ActionError):
        log_actions.submit_log(actor=district["own"], cadre=district["leader"], week_start=WEEK, this_week="a\x00", next_week="b")
    assert not WeeklyLog.objects.exists()


def test_return_then_resubmit_keeps_first_submission_and_lateness(district):
    log = submit(district["own"], district["leader"], at(2026, 11, 22, 10, 0))
    with pytest.raises(ActionError):
        log_actions.return_log(actor=district["office"], log=log, comment="  ")
    with log_actions.clock_at(at(2026, 11, 23, 9, 0)):
        log_actions.return_log(actor=district["office"], log=log, comment="请补充下周计划")
    log = submit(district["own"], district["leader"], at(2026, 11, 24, 9, 0))
    assert log.status == WeeklyLog.Status.SUBMITTED and log.is_late is False
    assert log.first_submitted_at == at(2026, 11, 22, 10, 0)
    with pytest.raises(Exception) as refused:
        log_actions.publish_log(actor=district["own"], log=log)  # a leader does not publish
    assert refused.type.__name__ == "NotVisible"
    log_actions.publish_log(actor=district["office"], log=log)
    with pytest.raises(ActionError):
        submit(district["own"], district["leader"], at(2026, 11, 25, 9, 0))
    with pytest.raises(ActionError):
        log_actions.publish_log(actor=district["office"], log=log)


def test_reminders_once_per_week_for_missing_logs(district):
    submit(district["own"], district["leader"], at(2026, 11, 20, 9, 0))
    assert log_actions.send_log_reminders(today=dt.date(2026, 11, 20)) == 1  # only 王书记
    assert log_actions.send_log_reminders(today=dt.date(2026, 11, 20)) == 0
    assert list(WeeklyLogReminder.objects.values_list("cadre__name", flat=True)) == ["王书记"]
    assert JournalEntry.objects.filter(action="decisions.weekly_log.reminded", cadre_id=district["other"].pk).count() == 1


def test_missing_and_late_counted_per_leader(district):
    submit(district["own"], district["leader"], at(2026, 11, 23, 12, 1))  # late
    weeks = [WEEK, WEEK - dt.timedelta(days=7)]
    records = {r.cadre.name: r for r in log_queries.compliance(district["office"], weeks, at=at(2026, 11, 23, 12, 1))}
    assert (records["李区长"].late, records["李区长"].on_time, records["李区长"].missing) == (1, 0, [WEEK - dt.timedelta(days=7)])
    assert records["王书记"].missing == weeks
    assert "张局长" not in records
    # One second before the deadline, this week's missing log is not missing yet.
    before = {r.cadre.name: r for r in log_queries.compliance(district["office"], weeks, at=at(2026, 11, 23, 11, 59))}
    assert before["王书记"].missing == [WEEK - dt.timedelta(days=7)]


def test_pages_self_service_and_review(district):
    client = Client()
    assert client.get(reverse("decisions:logs")).status_code == 302  # login required
    log_in(client, district["own"])
    response = client.get(reverse("decisions:log_submit"))
    assert response.status_code == 200
    monday = log_actions.week_of(log_actions.now().astimezone(TZ).date())
    response = client.post(
        reverse("decisions:log_submit"), {"cadre": district["leader"].pk, "week_start": monday.isoformat(), "this_week": "本周工作", "next_week": "下周计划"}
    )
    assert response.status_code == 302
    log = WeeklyLog.objects.get()
    assert log.on_behalf is False
    # The leader may not enter a log for another leader through the form.
    response = client.post(
        reverse("decisions:log_submit"), {"cadre": district["other"].pk, "week_start": monday.isoformat(), "this_week": "x", "next_week": "y"}
    )
    assert response.status_code == 200 and WeeklyLog.objects.count() == 1
    assert client.post(reverse("decisions:log_publish", args=[log.pk])).status_code == 404
    assert WeeklyLog.objects.get().status == WeeklyLog.Status.SUBMITTED
    office = Client()
    log_in(office, district["office"])
    assert "李区长" in office.get(reverse("decisions:logs")).content.decode()
    assert office.post(reverse("decisions:log_return", args=[log.pk]), {"comment": "x" * 2001}).status_code == 302
    assert WeeklyLog.objects.get().status == WeeklyLog.Status.SUBMITTED
    office.post(reverse("decisions:log_publish", args=[log.pk]))
    assert WeeklyLog.objects.get().status == WeeklyLog.Status.PUBLISHED
    nobody = Client()
    log_in(nobody, make_user(role=Role.AUDIT_OFFICER))
    assert nobody.get(reverse("decisions:logs")).status_code == 404
    assert nobody.get(reverse("decisions:log", args=[log.pk])).status_code == 404


def test_api_submit_review_and_profile(district):
    own = api_client(district["own"])
    monday = log_actions.week_of(log_actions.now().astimezone(TZ).date())
    response = own.post(
        "/api/v1/decisions/weekly-logs",
        {"leader_id": district["leader"].pk, "week_start": monday.isoformat(), "this_week": "本周", "next_week": "下周"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    log_id = response.json()["id"]
    other = own.post(
        "/api/v1/decisions/weekly-logs",
        {"leader_id": district["other"].pk, "week_start": monday.isoformat(), "this_week": "x", "next_week": "y"},
        content_type="application/json",
    )
    assert other.status_code == 404
    assert own.post(f"/api/v1/decisions/weekly-logs/{log_id}/publish").status_code == 404
    office = api_client(district["office"])
    assert office.get("/api/v1/decisions/weekly-logs").json()["count"] == 1
    response = office.post(f"/api/v1/decisions/weekly-logs/{log_id}/return", {"comment": "补充"}, content_type="application/json")
    assert response.json()["status"] == "returned"
    response = office.put(
        f"/api/v1/decisions/leaders/{district['leader'].pk}/profile",
        {"portfolio": "分管教育", "office_phone": "0951-6000000", "office_address": "行政中心1号楼", "mailbox": "a@example.cn"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["portfolio"] == "分管教育"
    bad = office.put(f"/api/v1/decisions/leaders/{district['leader'].pk}/profile", {"office_phone": "1\x002"}, content_type="application/json")
    assert bad.status_code == 422


def test_profile_and_feedback_pages_are_the_offices(district):
    feedback = log_actions.submit_feedback(kind="report", subject="反映问题", body="某单位办事拖延", contact="13800000000", leader=district["leader"])
    office, leader = Client(), Client()
    log_in(office, district["office"])
    log_in(leader, district["own"])
    for url in (
        reverse("decisions:leader_profile", args=[district["leader"].pk]),
        reverse("decisions:feedback"),
        reverse("decisions:feedback_detail", args=[feedback.pk]),
    ):
        assert office.get(url).status_code == 200
        assert leader.get(url).status_code == 404
    response = office.post(reverse("decisions:leader_profile", args=[district["leader"].pk]), {"portfolio": "分管教育", "office_phone": "x" * 31})
    assert response.status_code == 200 and not hasattr(district["leader"], "leader_profile")
    response = office.post(reverse("decisions:feedback_detail", args=[feedback.pk]), {"decision": "publish", "reply": "已转交处理"})
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.status == "published" and feedback.reply == "已转交处理"
    assert api_client(district["own"]).get("/api/v1/decisions/feedback").json()["count"] == 0
    api = api_client(district["office"])
    assert api.get("/api/v1/decisions/feedback?status=published").json()["count"] == 1
    response = api.post(f"/api/v1/decisions/feedback/{feedback.pk}/moderate", {"publish": False}, content_type="application/json")
    assert response.json()["status"] == "rejected"
    assert (
        api_client(district["own"]).post(f"/api/v1/decisions/feedback/{feedback.pk}/moderate", {"publish": True}, content_type="application/json").status_code
        == 404
    )


def test_every_step_is_journaled_under_its_code(district):
    log = submit(district["own"], district["leader"], at(2026, 11, 20, 9, 0))
    log_actions.return_log(actor=district["office"], log=log, comment="补充")
    log = submit(district["own"], district["leader"], at(2026, 11, 21, 9, 0))
    log_actions.publish_log(actor=district["office"], log=log)
    log_actions.save_leader_profile(actor=district["office"], cadre=district["leader"], portfolio="分管教育", office_phone="", office_address="", mailbox="")
    one = log_actions.submit_feedback(kind="opinion", subject="建议", body="内容", leader=district["leader"])
    two = log_actions.submit_feedback(kind="report", subject="反映", body="内容")
    log_actions.moderate_feedback(actor=district["office"], feedback=one, publish=True, reply="已答复")
    log_actions.moderate_feedback(actor=district["office"], feedback=two, publish=False, note="无具体内容")
    codes = list(JournalEntry.objects.filter(action__startswith="decisions.").order_by("seq").values_list("action", flat=True))
    assert codes == [
        "decisions.weekly_log.submitted",
        "decisions.weekly_log.returned",
        "decisions.weekly_log.resubmitted",
        "decisions.weekly_log.published",
        "decisions.leader_profile.saved",
        "decisions.feedback.received",
        "decisions.feedback.received",
        "decisions.feedback.published",
        "decisions.feedback.withheld",
    ]
    with pytest.raises(ActionError):
        log_actions.submit_feedback(kind="spam", subject="x", body="y")


# --- a report from the public passed to 日常监督 as a clue ----------------------------------------


@pytest.fixture
def clue_desk(district):
    from jiandu.oversight.actions import clues

    org = make_unit(name="区委组织部", parent=district["root"])
    disc = make_unit(name="区纪委监委", parent=district["root"])
    grant_role(district["office"], Role.CLUE_OFFICER, org)  # the moderating office is also its department's clue officer
    clues.add_member(actor=district["office"], unit=org)
    clues.add_member(actor=district["office"], unit=disc)
    report = log_actions.submit_feedback(kind="report", subject="反映问题", body="某单位办事拖延", contact="13800000000", leader=district["leader"])
    return {**district, "org": org, "disc": disc, "report": report}


def _page_messages(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_report_is_passed_as_a_clue_once(clue_desk):
    from jiandu.oversight.models import Clue

    office = log_in(Client(), clue_desk["office"])
    url = reverse("decisions:feedback_clue", args=[clue_desk["report"].pk])
    detail = office.get(reverse("decisions:feedback_detail", args=[clue_desk["report"].pk])).content.decode()
    assert url in detail and "区纪委监委" in detail
    response = office.post(url, {"to_unit": clue_desk["disc"].pk})
    assert response.status_code == 302
    clue = Clue.objects.get()
    report = PublicFeedback.objects.get(pk=clue_desk["report"].pk)
    assert report.clue == clue and report.status == PublicFeedback.Status.PENDING  # publication is a separate decision
    assert (clue.cadre, clue.from_unit, clue.to_unit, clue.source) == (clue_desk["leader"], clue_desk["org"], clue_desk["disc"], Clue.Source.PETITION)
    assert "某单位办事拖延" in clue.summary and "13800000000" in clue.summary
    assert JournalEntry.objects.filter(action="decisions.feedback.passed_as_clue", target_id=str(report.pk)).count() == 1
    detail = office.get(reverse("decisions:feedback_detail", args=[report.pk])).content.decode()
    assert clue.number in detail and url not in detail  # the form is gone once passed
    second = office.post(url, {"to_unit": clue_desk["disc"].pk}, follow=True)
    refusal = _page_messages(second)
    assert "不能重复移交" in refusal or "already passed" in refusal
    assert Clue.objects.count() == 1 and JournalEntry.objects.filter(action="decisions.feedback.passed_as_clue").count() == 1
    with pytest.raises(ActionError) as refused:
        log_actions.pass_feedback_as_clue(actor=clue_desk["office"], feedback=report, to_unit=clue_desk["disc"])
    assert refused.value.code == "passed"


def test_only_a_report_about_a_leader_becomes_a_clue(clue_desk):
    from jiandu.oversight.models import Clue

    opinion = log_actions.submit_feedback(kind="opinion", subject="建议", body="增加停车位", leader=clue_desk["leader"])
    nameless = log_actions.submit_feedback(kind="report", subject="反映", body="某单位办事拖延")
    for feedback, field in ((opinion, "kind"), (nameless, "leader")):
        with pytest.raises(ActionError) as refused:
            log_actions.pass_feedback_as_clue(actor=clue_desk["office"], feedback=feedback, to_unit=clue_desk["disc"])
        assert refused.value.field == field
        assert "feedback_clue" not in log_in(Client(), clue_desk["office"]).get(reverse("decisions:feedback_detail", args=[feedback.pk])).content.decode()
    with pytest.raises(ActionError):  # not a member department of the joint meeting: nothing stored half-way
        log_actions.pass_feedback_as_clue(actor=clue_desk["office"], feedback=clue_desk["report"], to_unit=clue_desk["root"])
    assert Clue.objects.count() == 0 and PublicFeedback.objects.filter(clue__isnull=False).count() == 0


def test_passing_a_report_is_the_moderators(clue_desk):
    from jiandu.oversight.models import Clue

    url = reverse("decisions:feedback_clue", args=[clue_desk["report"].pk])
    leader = log_in(Client(), clue_desk["own"])
    assert leader.post(url, {"to_unit": clue_desk["disc"].pk}).status_code == 404
    clue_officer = make_user(role=Role.CLUE_OFFICER, unit=clue_desk["org"])  # a clue officer who does not moderate feedback
    assert log_in(Client(), clue_officer).post(url, {"to_unit": clue_desk["disc"].pk}).status_code == 404
    office = log_in(Client(), clue_desk["office"])
    assert office.get(url).status_code == 405
    assert office.post(reverse("decisions:feedback_clue", args=[10**9]), {"to_unit": clue_desk["disc"].pk}).status_code == 404
    moderator = make_user(role=Role.ORG_OFFICER)  # moderates, but is no clue officer of a department
    response = log_in(Client(), moderator).post(url, {"to_unit": clue_desk["disc"].pk}, follow=True)
    assert response.status_code == 200 and _page_messages(response)
    with pytest.raises(ActionError):
        log_actions.pass_feedback_as_clue(actor=moderator, feedback=clue_desk["report"], to_unit=clue_desk["disc"])
    assert office.post(url, {"to_unit": "x"}, follow=True).status_code == 200
    assert Clue.objects.count() == 0


def test_the_api_passes_a_report_once_and_only_for_the_moderating_clue_officer(clue_desk):
    from jiandu.oversight.models import Clue

    path = f"/api/v1/decisions/feedback/{clue_desk['report'].pk}/clue"
    body = {"to_unit_id": clue_desk["disc"].pk}
    assert api_client(clue_desk["own"]).post(path, body, content_type="application/json").status_code == 404  # the leader himself
    clue_officer = make_user(role=Role.CLUE_OFFICER, unit=clue_desk["org"])  # no moderator
    assert api_client(clue_officer).post(path, body, content_type="application/json").status_code == 404
    office = api_client(clue_desk["office"])
    assert office.post(f"/api/v1/decisions/feedback/{10**9}/clue", body, content_type="application/json").status_code == 404
    assert office.post(path, {"to_unit_id": clue_desk["root"].pk}, content_type="application/json").status_code == 400  # not a member department
    assert Clue.objects.count() == 0
    passed = office.post(path, body, content_type="application/json")
    assert passed.status_code == 200, passed.content
    clue = Clue.objects.get()
    assert passed.json()["clue_number"] == clue.number and clue.to_unit == clue_desk["disc"]
    again = office.post(path, body, content_type="application/json")
    assert again.status_code == 400 and Clue.objects.count() == 1
    listed = office.get("/api/v1/decisions/feedback").json()["items"]
    assert [f["clue_number"] for f in listed if f["id"] == clue_desk["report"].pk] == [clue.number]


def test_a_returned_log_and_a_missing_one_notify_the_leader(district):
    from django.utils import translation

    from jiandu.core.models import Notification

    log = submit(district["own"], district["leader"], at(2026, 11, 22, 10, 0))
    with log_actions.clock_at(at(2026, 11, 23, 9, 0)):
        log_actions.return_log(actor=district["office"], log=log, comment="请补充下周计划")
    returned = Notification.objects.get(kind="log_returned")
    assert returned.user == district["own"] and returned.url == reverse("decisions:logs")
    with translation.override("zh-hans"):
        assert returned.text == "您2026-11-16那一周的周志被退回修改"
    # A leader without a log this week is reminded once, however often the job runs (王书记 has no account).
    assert log_actions.send_log_reminders(today=dt.date(2026, 11, 27)) == 2
    assert log_actions.send_log_reminders(today=dt.date(2026, 11, 27)) == 0
    assert list(Notification.objects.filter(kind="reminder").values_list("user_id", flat=True)) == [district["own"].pk]
