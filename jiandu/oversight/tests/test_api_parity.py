"""Issue #9.7: the oversight actions that had pages but no API operation — holding and cancelling a
required talk, registering a clue, planning and reading inspection tours, recording and reading
duty-report sessions — through the real stack: same access as the pages (not visible = 404, the
wrong side = 404 for clues, refused = 400 naming the field), the same journal entries, nothing
stored on a refusal."""

import datetime as dt

import pytest

from jiandu.core.models import JournalEntry
from jiandu.oversight.actions import clues, dispositions, duty, inquiries, talks
from jiandu.oversight.models import Clue, DutyReport, DutySession, InspectionTour, Talk
from jiandu.testing import api_client, make_position, make_tenure

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
BASE = "/api/v1/oversight"


_clients = {}


@pytest.fixture(autouse=True)
def _one_token_per_user():
    """One token per user and test (a user holds at most 10 active tokens)."""
    _clients.clear()
    yield
    _clients.clear()


def _client(user):
    if user.pk not in _clients:
        _clients[user.pk] = api_client(user)
    return _clients[user.pk]


def post(user, path, body):
    return _client(user).post(BASE + path, body, content_type="application/json")


def get(user, path):
    return _client(user).get(BASE + path)


def error(response, status, field=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["message"]
    if field is not None:
        assert body["field"] == field
    return body


def journaled(action):
    return JournalEntry.objects.filter(action=action).count()


# --- talks: hold and cancel a required talk ----------------------------------------------------


def required_talk(d):
    disposition = dispositions.create_admonishment(actor=d.head, cadre=d.cadre_a, grounds="测评", source_type="s", source_id=1, figures={})
    return Talk.objects.get(disposition=disposition)


def test_hold_a_required_talk(d):
    talk = required_talk(d)
    body = {"talked_on": TODAY.isoformat(), "talkers": "部长", "summary": "诫勉谈话"}
    assert post(d.officer_b, f"/talks/{talk.pk}/hold", body).status_code == 404  # another unit's talk
    error(post(d.officer, f"/talks/{talk.pk}/hold", {**body, "talked_on": (TODAY - dt.timedelta(days=1)).isoformat()}), 400, "talked_on")
    assert post(d.officer, f"/talks/{talk.pk}/hold", {**body, "talkers": ""}).status_code == 422
    assert journaled("oversight.talk.held") == 0
    response = post(d.officer, f"/talks/{talk.pk}/hold", body)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "held" and response.json()["talked_on"] == TODAY.isoformat()
    assert response.json()["reason"] == talk.reason  # the reason it was required for
    entry = JournalEntry.objects.get(action="oversight.talk.held")
    assert entry.actor_id == d.officer.pk and entry.cadre_id == d.cadre_a.pk
    error(post(d.officer, f"/talks/{talk.pk}/hold", body), 400)  # only once
    assert journaled("oversight.talk.held") == 1


def test_cancel_a_required_talk(d):
    talk = required_talk(d)
    assert post(d.officer_b, f"/talks/{talk.pk}/cancel", {"reason": "并入"}).status_code == 404
    assert post(d.leader_a, f"/talks/{talk.pk}/cancel", {"reason": "并入"}).status_code == 404  # reads, does not manage
    assert post(d.officer, f"/talks/{talk.pk}/cancel", {"reason": ""}).status_code in (400, 422)
    talk.refresh_from_db()
    assert talk.status == Talk.Status.REQUIRED and journaled("oversight.talk.cancelled") == 0
    response = post(d.officer, f"/talks/{talk.pk}/cancel", {"reason": "并入其他谈话"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled"
    assert JournalEntry.objects.get(action="oversight.talk.cancelled").data == {"reason": "并入其他谈话"}
    error(post(d.officer, f"/talks/{talk.pk}/cancel", {"reason": "again"}), 400)


# --- clues: register -------------------------------------------------------------------------------


def test_register_a_clue_as_the_sending_departments_clue_officer(d):
    for unit in (d.org, d.audit):
        clues.add_member(actor=d.officer, unit=unit)
    body = {"cadre_id": d.cadre_a.pk, "from_unit_id": d.audit.pk, "source": "audit", "summary": "审计发现"}
    # Not the audit bureau's clue officer: refused, naming the field, nothing stored.
    error(post(d.officer, "/clues", body), 400, "from_unit_id")
    # No clue officer at all: not found, and the refusal journaled.
    denied = journaled("core.access.denied")
    assert post(d.leader_a, "/clues", body).status_code == 404
    assert journaled("core.access.denied") == denied + 1
    error(post(d.auditor, "/clues", {**body, "from_unit_id": d.a.pk}), 400, "from_unit_id")  # not a member
    error(post(d.auditor, "/clues", {**body, "cadre_id": 999_999}), 400, "cadre_id")
    assert post(d.auditor, "/clues", {**body, "source": "rumour"}).status_code == 422
    assert Clue.objects.count() == 0 and journaled("oversight.clue.registered") == 0
    response = post(d.auditor, "/clues", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["number"].startswith("XS") and created["status"] == "registered" and created["from_unit"]["id"] == d.audit.pk
    entry = JournalEntry.objects.get(action="oversight.clue.registered")
    assert entry.actor_id == d.auditor.pk and entry.cadre_id == d.cadre_a.pk and "审计发现" not in str(entry.data)
    # the other departments' clue officers do not see it; the sender transfers it through the API
    assert get(d.officer, f"/clues/{created['id']}").status_code == 404
    moved = post(d.auditor, f"/clues/{created['id']}/transfer", {"to_unit_id": d.org.pk})
    assert moved.status_code == 200 and moved.json()["status"] == "transferred"


# --- inspection tours ----------------------------------------------------------------------------


def tour_body(d, **changes):
    body = {
        "organiser_id": d.org.pk,
        "name": "2026年第一轮巡察",
        "year": 2026,
        "planned_start": "2026-03-01",
        "planned_end": "2026-04-30",
        "target_ids": [d.a.pk],
    }
    return {**body, **changes}


def test_plan_and_read_an_inspection_tour(d):
    assert post(d.officer_b, "/tours", tour_body(d, organiser_id=d.b.pk)).status_code == 404  # the target is not his
    assert post(d.officer_b, "/tours", tour_body(d)).status_code == 404  # nor the organiser
    error(post(d.officer, "/tours", tour_body(d, planned_end="2026-02-28")), 400, "planned_end")
    assert post(d.officer, "/tours", tour_body(d, year=1999)).status_code == 422
    assert post(d.officer, "/tours", tour_body(d, kind="raid")).status_code == 422
    assert InspectionTour.objects.count() == 0 and journaled("oversight.tour.planned") == 0
    response = post(d.officer, "/tours", tour_body(d))
    assert response.status_code == 201, response.content
    tour = response.json()
    assert tour["stage"] == "preparation" and [t["id"] for t in tour["targets"]] == [d.a.pk] and tour["organiser"]["id"] == d.org.pk
    entry = JournalEntry.objects.get(action="oversight.tour.planned")
    assert entry.actor_id == d.officer.pk and entry.target_id == str(tour["id"])
    # read: the organiser's scope and the target's (the unit leader of 财政局), not another unit
    assert get(d.officer, "/tours?year=2026").json()["count"] == 1
    assert get(d.officer, "/tours?year=2025").json()["count"] == 0
    assert get(d.leader_a, f"/tours/{tour['id']}").json()["name"] == "2026年第一轮巡察"
    assert get(d.officer_b, f"/tours/{tour['id']}").status_code == 404
    assert get(d.officer_b, "/tours").json()["count"] == 0
    assert get(d.self_a, "/tours").status_code == 404


# --- duty-report sessions -------------------------------------------------------------------------


def submitted_report(d):
    make_tenure(position=make_position(unit=d.a, title="副局长"), cadre=d.cadre_a)
    report = next(r for r in duty.plan_duty_reports(actor=d.officer, year=2026, due_on=TODAY + dt.timedelta(days=10), unit=d.root) if r.cadre == d.cadre_a)
    return duty.submit_duty_report(actor=d.self_a, report=report, text="述责述廉报告", file=pdf_upload("报告.pdf"))


def test_record_and_read_a_duty_session(d):
    report = submitted_report(d)
    pending = DutyReport.objects.exclude(pk=report.pk).get(year=2026, cadre=d.principal_a)
    body = {"unit_id": d.a.pk, "year": 2026, "held_on": TODAY.isoformat(), "mode": "public", "report_ids": [report.pk], "audience": "全体干部职工"}
    assert post(d.officer_b, "/duty-sessions", body).status_code == 404
    assert post(d.officer_b, "/duty-sessions", {**body, "unit_id": d.b.pk}).status_code == 404  # the report is not in his scope
    error(post(d.officer, "/duty-sessions", {**body, "report_ids": [report.pk, pending.pk]}), 400, "report_ids")  # not submitted
    error(post(d.officer, "/duty-sessions", {**body, "held_on": (TODAY + dt.timedelta(days=1)).isoformat()}), 400, "held_on")
    error(post(d.officer, "/duty-sessions", {**body, "year": 2025}), 400, "report_ids")  # another year's report
    assert post(d.officer, "/duty-sessions", {**body, "report_ids": []}).status_code == 422
    assert DutySession.objects.count() == 0 and journaled("oversight.duty_report.heard") == 0
    report.refresh_from_db()
    assert report.status == DutyReport.Status.SUBMITTED  # nothing stored half-way
    response = post(d.officer, "/duty-sessions", body)
    assert response.status_code == 201, response.content
    session = response.json()
    assert session["report_ids"] == [report.pk] and session["mode"] == "public" and session["ballot_id"] is None
    report.refresh_from_db()
    assert report.status == DutyReport.Status.HEARD
    entry = JournalEntry.objects.get(action="oversight.duty_report.heard")
    assert entry.actor_id == d.officer.pk and entry.cadre_id == d.cadre_a.pk
    assert get(d.officer_a, "/duty-sessions?year=2026").json()["count"] == 1
    assert get(d.officer_a, "/duty-sessions?year=2025").json()["count"] == 0
    assert get(d.officer_a, f"/duty-sessions?unit={d.b.pk}").json()["count"] == 0
    assert get(d.officer_a, f"/duty-sessions/{session['id']}").json()["audience"] == "全体干部职工"
    assert get(d.officer_b, f"/duty-sessions/{session['id']}").status_code == 404
    assert get(d.officer_b, "/duty-sessions").json()["count"] == 0


def test_prepare_and_station_a_tour(d):
    tour = post(d.officer, "/tours", tour_body(d, year=TODAY.year, planned_start=TODAY.isoformat(), planned_end=TODAY.isoformat())).json()
    base = f"/tours/{tour['id']}"
    # another unit's officer neither sees nor changes it; nothing is journaled for him
    for path, body in [("/targets", {"unit_id": d.b.pk}), ("/members", {"name": "周组长", "role": "leader"}), ("/stationing", {})]:
        assert post(d.officer_b, base + path, body).status_code == 404, path
    assert post(d.officer, base + "/targets", {"unit_id": d.b.pk}).json()["targets"][-1]["id"] == d.b.pk
    error(post(d.officer, base + "/targets", {"unit_id": d.b.pk}), 400, "unit_id")  # already a target
    assert post(d.officer_a, base + "/targets", {"unit_id": d.a.pk}).status_code == 404  # not the organiser's officer
    # blocked without a declared leader: the blockers are named
    blocked = error(post(d.officer, base + "/stationing", {}), 400)
    assert "组长" in blocked["message"] and get(d.officer, base).json()["next_stage_blockers"]
    leader = post(d.officer, base + "/members", {"name": "周组长", "role": "leader"})
    assert leader.status_code == 201 and leader.json()["declared_on"] is None
    error(post(d.officer, base + "/members", {"name": "另一组长", "role": "leader"}), 400, "role")
    member = post(d.officer, base + "/members", {"name": "吴组员"}).json()
    leader_id = leader.json()["id"]
    error(post(d.officer, f"{base}/members/{member['id']}/declaration", {"has_conflict": True}), 400, "declaration")
    assert post(d.officer, f"/tours/{tour['id']}/members/999999/declaration", {"has_conflict": False}).status_code == 404
    declared = post(d.officer, f"{base}/members/{leader_id}/declaration", {"has_conflict": False})
    assert declared.status_code == 200 and declared.json()["declared_on"] == TODAY.isoformat()
    assert post(d.officer, f"{base}/members/{member['id']}/remove", {"reason": "回避"}).json()["is_removed"] is True
    stationed = post(d.officer, base + "/stationing", {"stationed_on": TODAY.isoformat()})
    assert stationed.status_code == 200, stationed.content
    assert stationed.json()["stage"] == "stationing" and stationed.json()["stationed_on"] == TODAY.isoformat()
    error(post(d.officer, base + "/members", {"name": "迟到者"}), 400)  # preparation is over
    error(post(d.officer, base + "/stationing/finish", {}), 400)  # no work logged yet
    work = {"unit_id": d.a.pk, "method": "symposium", "on": TODAY.isoformat(), "description": "召开座谈会", "participants": 12}
    assert post(d.officer_b, base + "/work-log", work).status_code == 404
    assert post(d.officer, base + "/work-log", {**work, "participants": -1}).status_code == 422
    error(post(d.officer, base + "/work-log", {**work, "unit_id": d.org.pk}), 400, "unit_id")  # not a target
    logged = post(d.officer, base + "/work-log", work)
    assert logged.status_code == 201 and logged.json()["participants"] == 12
    finished = post(d.officer, base + "/stationing/finish", {})
    assert finished.status_code == 200 and finished.json()["stage"] == "report"
    actions = list(JournalEntry.objects.filter(action__startswith="oversight.tour.").order_by("id").values_list("action", "actor_id"))
    assert actions == [
        ("oversight.tour.planned", d.officer.pk),
        ("oversight.tour.target_added", d.officer.pk),
        ("oversight.tour.member_added", d.officer.pk),
        ("oversight.tour.member_added", d.officer.pk),
        ("oversight.tour.interest_declared", d.officer.pk),
        ("oversight.tour.member_removed", d.officer.pk),
        ("oversight.tour.stationed", d.officer.pk),
        ("oversight.tour.work_logged", d.officer.pk),
        ("oversight.tour.stationing_finished", d.officer.pk),
    ]


def test_complete_a_talks_follow_up(d):
    talk = talks.record_talk(
        actor=d.officer,
        cadre=d.cadre_a,
        kind="reminder",
        talked_on=TODAY - dt.timedelta(days=2),
        talkers="部长",
        reason="反映",
        summary="提醒",
        follow_up="提交整改说明",
        follow_up_due_on=TODAY + dt.timedelta(days=10),
    )
    body = {"done_on": TODAY.isoformat(), "result": "已提交整改说明"}
    assert post(d.officer_b, f"/talks/{talk.pk}/follow-up", body).status_code == 404
    assert post(d.leader_a, f"/talks/{talk.pk}/follow-up", body).status_code == 404  # reads, does not manage
    error(post(d.officer, f"/talks/{talk.pk}/follow-up", {**body, "done_on": (TODAY - dt.timedelta(days=3)).isoformat()}), 400, "done_on")  # before the talk
    assert post(d.officer, f"/talks/{talk.pk}/follow-up", {**body, "result": ""}).status_code == 422
    assert journaled("oversight.talk.follow_up_completed") == 0
    done = post(d.officer, f"/talks/{talk.pk}/follow-up", body)
    assert done.status_code == 200, done.content
    assert done.json()["follow_up_done_on"] == TODAY.isoformat() and done.json()["follow_up_result"] == "已提交整改说明"
    assert JournalEntry.objects.get(action="oversight.talk.follow_up_completed").data["late"] is False
    error(post(d.officer, f"/talks/{talk.pk}/follow-up", body), 400)  # no open follow-up left


def test_withdraw_an_undelivered_inquiry(d):
    draft = inquiries.draft_inquiry(actor=d.officer, cadre=d.cadre_a, source="complaint", subject="兼职", questions="是否兼职")
    assert post(d.officer_b, f"/inquiries/{draft.pk}/withdraw", {"reason": "重复"}).status_code == 404
    assert post(d.officer, f"/inquiries/{draft.pk}/withdraw", {"reason": ""}).status_code == 422
    withdrawn = post(d.officer, f"/inquiries/{draft.pk}/withdraw", {"reason": "重复立项"})
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert JournalEntry.objects.get(action="oversight.inquiry.withdrawn").data == {"reason": "重复立项"}
    delivered = inquiries.record_delivery(
        actor=d.officer,
        inquiry=inquiries.issue_inquiry(
            actor=d.officer, inquiry=inquiries.draft_inquiry(actor=d.officer, cadre=d.cadre_a, source="complaint", subject="s", questions="q")
        ),
        delivered_on=TODAY,
    )
    error(post(d.officer, f"/inquiries/{delivered.pk}/withdraw", {"reason": "晚了"}), 400)
    delivered.refresh_from_db()
    assert delivered.status == "delivered" and JournalEntry.objects.filter(action="oversight.inquiry.withdrawn").count() == 1
