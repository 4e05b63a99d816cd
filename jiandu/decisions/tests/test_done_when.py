"""Issue #14 "Done when", walked through the pages as a new user would, then logged out on the
portal: a standing-committee meeting whose appointment item fails quorum is shown void with its
arithmetic; a ¥2M project registered without a decision is found in the violations; a decision's
task goes overdue; two leaders submit weekly logs (one late), the office publishes them; logged
out, the leaders' pages and the feeds show them, and feedback appears only after moderation."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from jiandu.accounts.models import Role
from jiandu.decisions import verdict as rules
from jiandu.decisions.log_actions import clock_at
from jiandu.decisions.models import AgendaItem, Body, DecisionTask, Meeting, PublicFeedback, RegisterEntry, WeeklyLog
from jiandu.registry.models import LeadershipLevel
from jiandu.testing import log_in, make_cadre, make_position, make_tenure, make_unit, make_user

TZ = ZoneInfo("Asia/Shanghai")
WEEK = dt.date(2026, 11, 16)  # a Monday: its log is due Monday 2026-11-23 at 12:00


@pytest.fixture
def district(db):
    cache.clear()
    root = make_unit(name="示范区委", kind="party_committee")
    edu = make_unit(name="示范区教育局", parent=root)
    leaders = []
    for n in range(9):
        cadre = make_cadre(unit=root, name=f"常委{n}", phone=f"1391234567{n}")
        level = LeadershipLevel.COUNTY_CHIEF if n == 0 else LeadershipLevel.COUNTY_DEPUTY
        position = make_position(unit=root, title="区委书记" if n == 0 else "区委常委", is_principal=n == 0, order=n, level=level, portfolio=f"分管工作{n}")
        make_tenure(cadre=cadre, position=position, started_on=dt.date(2022, 1, 1))
        leaders.append(cadre)
    officer = make_user(role=Role.ORG_OFFICER)  # the new user: the organisation department's office
    member = make_user(role=Role.COMMITTEE_MEMBER, cadre=leaders[1])  # a leader's self-service account
    return type("District", (), dict(root=root, edu=edu, leaders=leaders, officer=officer, member=member))


def _meeting_form(d, *, held_on, title, category, absent, amount=""):
    data = {"title": title, "held_on": held_on.isoformat(), "item_title": title + "议题", "category": category, "amount": amount}
    for n, cadre in enumerate(d.leaders):
        away = n >= 9 - absent
        data[f"stance_{cadre.pk}"] = "absent" if away else "agree"
        data[f"reason_{cadre.pk}"] = "出差" if away else ""
    return data


def test_done_when(district, django_capture_on_commit_callbacks):
    d = district
    office = log_in(Client(), d.officer)

    # 1. Set up the standing committee and record a meeting whose appointment item fails quorum:
    #    5 of 9 present is below 2/3 (6), so the item is void, with the arithmetic shown.
    assert office.post(reverse("decisions:new_body"), {"unit": d.root.pk, "name": "区委常委会", "kind": "standing_committee"}).status_code == 302
    body = Body.objects.get(name="区委常委会")
    assert body.memberships.count() == 9 and body.principal == d.leaders[0]
    ten_days_ago = dt.date.today() - dt.timedelta(days=10)
    record = reverse("decisions:record_meeting", args=[body.pk])
    response = office.post(record, _meeting_form(d, held_on=ten_days_ago, title="第一次常委会", category="appointment", absent=4))
    void_meeting = Meeting.objects.get(title="第一次常委会")
    assert response.status_code == 302 and response.url == reverse("decisions:meeting", args=[void_meeting.pk])
    assert void_meeting.items.get().outcome == rules.VOID
    page = office.get(response.url).content.decode()
    assert "无效" in page and "至少 6 人" in page  # void, and why: 5 present, at least 6 needed
    assert "第一次常委会" in office.get(reverse("decisions:index") + "?void=on").content.decode()

    # a second meeting with everyone present passes a major decision (for the task below)
    office.post(record, _meeting_form(d, held_on=ten_days_ago, title="第二次常委会", category="major_decision", absent=0))
    passed = AgendaItem.objects.get(meeting__title="第二次常委会")
    assert passed.outcome == rules.PASSED

    # 2. Register a ¥2M project without a decision: it is in the violations.
    response = office.post(
        reverse("decisions:new_register_entry") + f"?unit={d.edu.pk}",
        {"unit": d.edu.pk, "kind": "project", "title": "第二中学新校区建设", "amount": "2000000", "executed_on": ten_days_ago.isoformat()},
    )
    assert response.status_code == 302
    assert RegisterEntry.objects.get(title="第二中学新校区建设").decision is None
    violations = office.get(reverse("decisions:violations")).content.decode()
    assert "第二中学新校区建设" in violations and "第一次常委会议题" in violations  # and the void decision itself

    # 3. A task from the passed decision, due yesterday: it is overdue (not on its due date).
    yesterday = dt.date.today() - dt.timedelta(days=1)
    response = office.post(
        reverse("decisions:new_task"),
        {"decision": passed.pk, "unit": d.edu.pk, "owner": "教育局长", "description": "制定实施方案", "due_on": yesterday.isoformat()},
    )
    task = DecisionTask.objects.get(description="制定实施方案")
    assert response.status_code == 302 and task.is_overdue(dt.date.today()) and not task.is_overdue(yesterday)
    assert "制定实施方案" in office.get(reverse("decisions:tasks") + "?overdue=1").content.decode()

    # 4. Two leaders' weekly logs: one on time from the leader's own account, one entered late by
    #    the office for the other leader (a minute after the deadline); the office publishes both.
    own = log_in(Client(), d.member)
    with clock_at(dt.datetime(2026, 11, 20, 17, 0, tzinfo=TZ)):
        response = own.post(
            reverse("decisions:log_submit"),
            {"cadre": d.leaders[1].pk, "week_start": WEEK.isoformat(), "this_week": "调研第二中学", "next_week": "督导安全生产"},
        )
    assert response.status_code == 302
    with clock_at(dt.datetime(2026, 11, 23, 12, 1, tzinfo=TZ)):
        response = office.post(
            reverse("decisions:log_submit"), {"cadre": d.leaders[2].pk, "week_start": WEEK.isoformat(), "this_week": "走访企业", "next_week": "研究招商"}
        )
    assert response.status_code == 302
    on_time, late = WeeklyLog.objects.get(cadre=d.leaders[1]), WeeklyLog.objects.get(cadre=d.leaders[2])
    assert (on_time.is_late, on_time.on_behalf, late.is_late, late.on_behalf) == (False, False, True, True)
    assert [log.cadre.name for log in office.get(reverse("decisions:logs") + "?late=on").context["page"]] == ["常委2"]
    portal = Client()  # logged out
    assert "调研第二中学" not in portal.get(f"/portal/leaders/{d.leaders[1].pk}/").content.decode()  # not before publication
    with django_capture_on_commit_callbacks(execute=True):
        for log in (on_time, late):
            assert office.post(reverse("decisions:log_publish", args=[log.pk])).status_code == 302
    assert set(WeeklyLog.objects.values_list("status", flat=True)) == {WeeklyLog.Status.PUBLISHED}

    # 5. Logged out: the leaders' directory and pages, the feeds, and feedback after moderation.
    directory = portal.get("/portal/").content.decode()
    assert "常委1" in directory and "常委2" in directory and "分管工作1" in directory
    assert "13912345671" not in directory  # never a private phone
    assert "调研第二中学" in portal.get(f"/portal/leaders/{d.leaders[1].pk}/").content.decode()
    assert "走访企业" in portal.get(f"/portal/leaders/{d.leaders[2].pk}/").content.decode()
    rss = portal.get("/portal/feed/rss/")
    assert rss.status_code == 200 and rss["Content-Type"].startswith("application/rss+xml") and "调研第二中学" in rss.content.decode()
    atom = portal.get(f"/portal/leaders/{d.leaders[2].pk}/feed/atom/")
    assert atom.status_code == 200 and "走访企业" in atom.content.decode()
    form = portal.get("/portal/feedback/").content.decode()
    a, b = (int(x) for x in re.search(r"(\d) \+ (\d) = \?", form).groups())
    token = re.search(r'name="token" value="([^"]+)"', form).group(1)
    response = portal.post(
        "/portal/feedback/",
        {
            "kind": "opinion",
            "leader": d.leaders[1].pk,
            "subject": "建议增设校车",
            "body": "新校区离村较远",
            "contact": "",
            "answer": str(a + b),
            "token": token,
        },
    )
    assert response.status_code == 200
    feedback = PublicFeedback.objects.get(subject="建议增设校车")
    assert feedback.status == PublicFeedback.Status.PENDING
    assert "新校区离村较远" not in portal.get("/portal/feedback/").content.decode()  # not before moderation
    assert "建议增设校车" in office.get(reverse("decisions:feedback")).content.decode()  # in the office's queue
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(reverse("decisions:feedback_detail", args=[feedback.pk]), {"decision": "publish", "reply": "已转交教育局研究"})
    assert response.status_code == 302
    public = portal.get("/portal/feedback/").content.decode()
    assert "新校区离村较远" in public and "已转交教育局研究" in public
