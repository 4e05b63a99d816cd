"""The list pages of 制度监督 on the house list helper: per page its filter, its whitelisted sort
(an unknown key falls back, never an error), the pager and the xlsx export of the same rows,
journaled under the list's code; and each list keeps its scope (another unit's office sees none)."""

import datetime as dt
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from jiandu.accounts.models import Role
from jiandu.core.models import JournalEntry
from jiandu.decisions import actions, log_actions, register_actions
from jiandu.decisions import verdict as rules
from jiandu.decisions.models import AgendaItem, Body
from jiandu.registry.models import LeadershipLevel
from jiandu.testing import grant_role, log_in, make_cadre, make_position, make_tenure, make_unit, make_user

HELD = dt.date(2026, 11, 3)


@pytest.fixture
def d(db):
    root = make_unit(name="示范区委", kind="party_committee")
    edu = make_unit(name="教育局", parent=root)
    health = make_unit(name="卫健委", parent=root)
    leaders = []
    for n in range(9):
        cadre = make_cadre(unit=root, name=f"常委{n}")
        level = LeadershipLevel.COUNTY_CHIEF if n == 0 else LeadershipLevel.COUNTY_DEPUTY
        make_tenure(cadre=cadre, position=make_position(unit=root, title="区委书记" if n == 0 else "区委常委", is_principal=n == 0, order=n, level=level))
        leaders.append(cadre)
    officer = make_user(role=Role.ORG_OFFICER)
    body = actions.create_body(actor=officer, unit=root, name="区委常委会", kind=Body.Kind.STANDING_COMMITTEE, members=leaders, principal=leaders[0])

    def meeting(title, held_on, absent=0):
        absentees = leaders[9 - absent :] if absent else []
        present = [m for m in leaders if m not in absentees]
        said = [(m, rules.AGREE, "") for m in present[1:]] + [(leaders[0], rules.AGREE, "")]
        return actions.record_meeting(
            actor=officer,
            body=body,
            held_on=held_on,
            title=title,
            absences={a: {"reason": "出差"} for a in absentees},
            items=[{"title": f"{title}议题", "category": AgendaItem.Category.MAJOR_PROJECT, "amount": "2000000", "statements": said}],
        )

    early = meeting("第一次常委会", dt.date(2025, 6, 2))
    late = meeting("第二次常委会", HELD, absent=5)  # 4 of 9 present: void
    passed = early.items.get()
    entries = [
        register_actions.add_entry(actor=officer, unit=edu, kind="project", title="教学楼工程", amount="3000000", executed_on=HELD, decision=None),
        register_actions.add_entry(actor=officer, unit=edu, kind="payment", title="设备款", amount="500", executed_on=dt.date(2025, 7, 1), decision=None),
        register_actions.add_entry(actor=officer, unit=health, kind="procurement", title="医疗设备采购", amount="1500000", executed_on=HELD, decision=passed),
    ]
    today = dt.date.today()
    tasks = [
        register_actions.create_task(actor=officer, decision=passed, unit=edu, owner="甲", description="逾期任务", due_on=today - dt.timedelta(days=1)),
        register_actions.create_task(actor=officer, decision=passed, unit=health, owner="乙", description="今日到期任务", due_on=today),
    ]
    return type("D", (), dict(root=root, edu=edu, health=health, leaders=leaders, officer=officer, early=early, late=late, entries=entries, tasks=tasks))


def _client(user):
    return log_in(Client(), user)


def _sheet(response):
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    content = b"".join(response.streaming_content)
    return [list(row) for row in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)]


def _order(html: str, *names) -> list[str]:
    """The names in the order they appear on the page."""
    found = sorted((html.index(n), n) for n in names if n in html)
    return [n for _at, n in found]


# --- meetings ----------------------------------------------------------------------------------


def test_meetings_filter_sort_and_export(d):
    client = _client(d.officer)
    url = reverse("decisions:index")
    page = client.get(url).content.decode()
    assert _order(page, "第一次常委会", "第二次常委会") == ["第二次常委会", "第一次常委会"]  # newest first
    assert _order(client.get(url + "?sort=date").content.decode(), "第一次常委会", "第二次常委会") == ["第一次常委会", "第二次常委会"]
    assert client.get(url + "?sort=__class__").status_code == 200  # unknown key: the default order
    only_void = client.get(url + "?void=on").content.decode()
    assert "第二次常委会" in only_void and "第一次常委会" not in only_void
    by_year = client.get(url + "?year=2025").content.decode()
    assert "第一次常委会" in by_year and "第二次常委会" not in by_year
    malformed = client.get(url + "?year=1")  # out of range: shown as an error, the other filters still apply
    assert malformed.status_code == 200 and malformed.context["form"].errors and malformed.context["page"].paginator.count == 2
    rows = _sheet(client.get(url + "?format=xlsx&sort=date"))
    assert [r[3] for r in rows[1:]] == ["第一次常委会", "第二次常委会"]
    assert rows[2][5] == 1 and rows[1][5] == 0  # void items counted
    entry = JournalEntry.objects.get(action="decisions.meetings.exported")
    assert entry.data["rows"] == 2 and entry.actor_id == d.officer.pk


def test_meetings_list_is_paged_and_scoped(d):
    client = _client(d.officer)
    page = client.get(reverse("decisions:index") + "?size=20&page=99")  # out of range: the last page
    assert page.status_code == 200 and page.context["page"].number == 1
    assert page.context["page"].paginator.count == 2
    outsider = make_user(role=Role.UNIT_LEADER, unit=d.edu)
    grant_role(outsider, Role.ORG_OFFICER, d.edu)
    assert _client(outsider).get(reverse("decisions:index")).context["page"].paginator.count == 0
    rows = _sheet(_client(outsider).get(reverse("decisions:index") + "?format=xlsx"))
    assert rows[1:] == []


# --- registers ---------------------------------------------------------------------------------


def test_registers_filter_sort_and_export(d):
    client = _client(d.officer)
    url = reverse("decisions:registers")
    assert _order(client.get(url + "?sort=amount").content.decode(), "教学楼工程", "设备款", "医疗设备采购") == ["设备款", "医疗设备采购", "教学楼工程"]
    assert _order(client.get(url + "?sort=-amount").content.decode(), "教学楼工程", "设备款", "医疗设备采购") == ["教学楼工程", "医疗设备采购", "设备款"]
    by_unit = client.get(url + f"?unit={d.health.pk}").content.decode()
    assert "医疗设备采购" in by_unit and "教学楼工程" not in by_unit
    by_kind = client.get(url + "?kind=payment").content.decode()
    assert "设备款" in by_kind and "教学楼工程" not in by_kind
    assert client.get(url + "?q=不存在").context["page"].paginator.count == 0
    rows = _sheet(client.get(url + "?format=xlsx&year=2026&sort=title"))
    assert sorted(r[2] for r in rows[1:]) == ["医疗设备采购", "教学楼工程"]
    assert len(rows) == 3
    flagged = {r[2]: r[8] for r in rows[1:]}
    assert flagged["教学楼工程"] and not flagged["医疗设备采购"]  # the violation column
    # the old export address gives the same filtered rows
    assert len(_sheet(client.get(reverse("decisions:register_export") + "?kind=payment"))) == 2
    assert JournalEntry.objects.filter(action="decisions.register.exported").count() == 2


# --- violations --------------------------------------------------------------------------------


def test_violations_filter_sort_and_export(d):
    client = _client(d.officer)
    url = reverse("decisions:violations")
    page = client.get(url).content.decode()
    assert "教学楼工程" in page and "第二次常委会议题" in page and "设备款" not in page  # ¥500 is below the threshold
    void_only = client.get(url + "?kind=void_meeting").content.decode()
    assert "第二次常委会议题" in void_only and "教学楼工程" not in void_only
    by_unit = client.get(url + f"?unit={d.edu.pk}").content.decode()
    assert "教学楼工程" in by_unit and "第二次常委会议题" not in by_unit
    ascending = _order(client.get(url + "?sort=subject").content.decode(), "教学楼工程", "第二次常委会议题")
    descending = _order(client.get(url + "?sort=-subject").content.decode(), "教学楼工程", "第二次常委会议题")
    assert ascending == list(reversed(descending)) and len(ascending) == 2
    assert client.get(url + "?sort=nonsense&kind=nonsense").status_code == 200
    rows = _sheet(client.get(url + "?format=xlsx&kind=no_decision"))
    assert [r[2] for r in rows[1:]] == ["教学楼工程"]
    assert JournalEntry.objects.get(action="decisions.violations.exported").data["rows"] == 1


# --- tasks -------------------------------------------------------------------------------------


def test_tasks_filter_sort_and_export(d):
    client = _client(d.officer)
    url = reverse("decisions:tasks")
    overdue = client.get(url + "?overdue=1").content.decode()  # the address the home card links to
    assert "逾期任务" in overdue and "今日到期任务" not in overdue  # due today is not overdue yet
    assert _order(client.get(url + "?sort=-due").content.decode(), "逾期任务", "今日到期任务") == ["今日到期任务", "逾期任务"]
    assert "今日到期任务" in client.get(url + "?q=乙").content.decode()
    assert "逾期任务" not in client.get(url + "?q=乙").content.decode()
    register_actions.close_task(actor=d.officer, task=d.tasks[0], note="已完成")
    assert "逾期任务" not in client.get(url + "?status=open").content.decode()
    rows = _sheet(client.get(url + "?format=xlsx&sort=due"))
    assert [r[0] for r in rows[1:]] == ["逾期任务", "今日到期任务"]
    assert JournalEntry.objects.get(action="decisions.tasks.exported").data["rows"] == 2


# --- weekly logs and feedback ------------------------------------------------------------------


def test_weekly_logs_list_filter_sort_and_export(d):
    monday = dt.date(2026, 11, 16)
    with log_actions.clock_at(dt.datetime(2026, 11, 20, 17, tzinfo=dt.timezone(dt.timedelta(hours=8)))):
        log_actions.submit_log(actor=d.officer, cadre=d.leaders[1], week_start=monday, this_week="调研", next_week="督导")
    with log_actions.clock_at(dt.datetime(2026, 11, 24, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))):  # after Monday noon: late
        log_actions.submit_log(actor=d.officer, cadre=d.leaders[2], week_start=monday, this_week="调研", next_week="督导")
    client = _client(d.officer)
    url = reverse("decisions:logs")
    late = client.get(url + "?late=on").context["page"]
    assert [log.cadre.name for log in late] == ["常委2"]
    assert [log.cadre.name for log in client.get(url + "?sort=-submitted").context["page"]] == ["常委2", "常委1"]
    assert [log.cadre.name for log in client.get(url + "?sort=submitted").context["page"]] == ["常委1", "常委2"]
    assert [log.cadre.name for log in client.get(url + "?q=常委1").context["page"]] == ["常委1"]
    rows = _sheet(client.get(url + "?format=xlsx&sort=submitted"))
    assert [(r[0], r[4]) for r in rows[1:]] == [("常委1", "否"), ("常委2", "是")]
    assert JournalEntry.objects.get(action="decisions.weekly_logs.exported").data["rows"] == 2


def test_feedback_queue_filter_sort_and_export_without_contacts(d):
    log_actions.submit_feedback(kind="report", subject="反映甲", body="内容", contact="13800000000", leader=d.leaders[1])
    second = log_actions.submit_feedback(kind="opinion", subject="建议乙", body="内容", contact="", leader=None)
    client = _client(d.officer)
    url = reverse("decisions:feedback")
    assert [f.subject for f in client.get(url).context["page"]] == ["建议乙", "反映甲"]  # pending, newest first
    assert [f.subject for f in client.get(url + "?kind=report").context["page"]] == ["反映甲"]
    assert [f.subject for f in client.get(url + "?sort=subject").context["page"]] == sorted(["建议乙", "反映甲"])
    log_actions.moderate_feedback(actor=d.officer, feedback=second, publish=True, reply="谢谢", note="")
    assert [f.subject for f in client.get(url).context["page"]] == ["反映甲"]
    assert [f.subject for f in client.get(url + "?status=published").context["page"]] == ["建议乙"]
    assert [f.subject for f in client.get(url + "?status=bogus").context["page"]] == ["反映甲"]  # malformed: the pending queue
    response = client.get(url + "?format=xlsx")
    rows = _sheet(response)
    assert [r[2] for r in rows[1:]] == ["反映甲"]
    assert not any("13800000000" in str(cell) for row in rows for cell in row)  # the contact never leaves in a list
    assert JournalEntry.objects.get(action="decisions.feedback.exported").data["rows"] == 1
    assert re.search(r"format=xlsx", client.get(url).content.decode())


# --- bodies ------------------------------------------------------------------------------------


def test_bodies_list_is_scoped_filtered_sorted_and_exported(d):
    group = actions.create_body(actor=d.officer, unit=d.edu, name="教育局党组", kind=Body.Kind.PARTY_GROUP, members=d.leaders[:3], principal=d.leaders[0])
    client = _client(d.officer)
    url = reverse("decisions:bodies")
    assert [b.name for b in client.get(url).context["page"]] == ["区委常委会", "教育局党组"]  # by unit
    assert [b.name for b in client.get(url + "?sort=-members").context["page"]] == ["区委常委会", "教育局党组"]  # 9 members, then 3
    assert [b.name for b in client.get(url + "?sort=members").context["page"]] == ["教育局党组", "区委常委会"]
    assert [b.name for b in client.get(url + "?kind=party_group").context["page"]] == ["教育局党组"]
    rows = _sheet(client.get(url + "?format=xlsx&sort=-meetings"))
    assert [(r[0], r[4], r[5]) for r in rows[1:]] == [("区委常委会", 9, 2), ("教育局党组", 3, 0)]
    assert JournalEntry.objects.get(action="decisions.bodies.exported").data["rows"] == 2
    # a member sees the bodies it belongs to, nobody else's; no login, no page
    member = make_user(role=Role.COMMITTEE_MEMBER, cadre=d.leaders[5])
    assert [b.name for b in _client(member).get(url).context["page"]] == ["区委常委会"]
    outsider = make_user(role=Role.COMMITTEE_MEMBER, cadre=make_cadre(unit=d.health))
    assert list(_client(outsider).get(url).context["page"]) == []
    assert _client(make_user()).get(url).status_code == 404
    assert Client().get(url).status_code == 302
    assert group.pk
