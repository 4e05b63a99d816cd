"""Role dashboards (issue #16 §3): each role's home page shows its own figures (core.dashboard
charts registered by the apps), scoped by the role's rights — a figure a role may not see is
absent, not zero; zero is never in the alarm colour; long unit names reach the chart whole (the
page shortens them, the tooltip shows them); a bounded number of queries whatever the data."""

import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jiandu.accounts.models import Role
from jiandu.core import dashboard
from jiandu.dossier.models import Alert
from jiandu.oversight.models import Inquiry, Talk
from jiandu.testing import grant_role, log_in, make_cadre, make_unit, make_user

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
LONG_NAME = "示范区人民代表大会常务委员会办公室机关事务服务中心"


@pytest.fixture
def district():
    root = make_unit(name="示范区委", kind="party_committee")
    finance = make_unit(name="财政局", parent=root)
    education = make_unit(name="教育局", parent=root)
    congress = make_unit(name=LONG_NAME, parent=root)
    officer = make_user(role=Role.ORG_OFFICER)
    zhang = make_cadre(unit=finance, name="张伟明")
    wang = make_cadre(unit=education, name="王建国")

    def inquiry(cadre, unit, due, status=Inquiry.Status.DELIVERED, **extra):
        return Inquiry.objects.create(
            cadre=cadre,
            unit=unit,
            source="complaint",
            subject="s",
            questions="q",
            status=status,
            issued_on=TODAY - dt.timedelta(days=1),
            delivered_on=TODAY - dt.timedelta(days=1),
            reply_due_on=due,
            created_by=officer,
            **extra,
        )

    inquiry(zhang, finance, TODAY - dt.timedelta(days=3))  # overdue, in 财政局
    inquiry(wang, education, dashboard.week_end(TODAY))  # due this week, in 教育局
    inquiry(wang, education, TODAY + dt.timedelta(days=30), status=Inquiry.Status.CLOSED, assessment=Inquiry.Assessment.CLEAR)
    Talk.objects.create(
        cadre=zhang, unit=finance, kind=Talk.Kind.REMINDER, status=Talk.Status.REQUIRED, due_on=TODAY + dt.timedelta(days=40), created_by=officer
    )
    now = timezone.now()
    for unit, severity, n in ((finance, "serious", 2), (congress, "warning", 3)):
        for i in range(n):
            Alert.objects.create(rule="test.rule", key=f"{unit.pk}:{i}", unit=unit, severity=severity, text="t", raised_at=now, updated_at=now)
    petitions = make_unit(name="信访局", parent=root)
    vetting = grant_role(make_user(role=Role.VETTING_OFFICER, unit=petitions), Role.CLUE_OFFICER, petitions, include_descendants=False)
    return {
        "root": root,
        "finance": finance,
        "education": education,
        "officer": officer,
        "head": make_user(role=Role.ORG_HEAD),
        "committee": make_user(role=Role.COMMITTEE_MEMBER),
        "leader": make_user(role=Role.UNIT_LEADER, unit=education),
        "vetting": vetting,
        "cadre": make_user(role=Role.CADRE, cadre=zhang),
    }


def home(client, user):
    log_in(client, user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    body = response.content.decode()
    match = re.search(r'<script id="dashboard-charts" type="application/json">(.*?)</script>', body, re.S)
    return body, (json.loads(match.group(1)) if match else {})


def values(data, key, series=0):
    chart = data[key]
    return dict(zip(chart["categories"], chart["series"][series]["values"], strict=True))


def test_the_officer_sees_open_items_by_deadline_and_no_district_picture(client, district):
    body, data = home(client, district["officer"])
    assert 'id="my-work"' in body and 'id="overview"' not in body
    assert "<script>" not in body and "echarts-5.6.0.min.js" in body  # vendored, data in a JSON island
    chart = data["core.open_items"]
    assert chart["categories"] == ["已逾期", "本周到期", "以后到期"]
    inquiries = next(s for s in chart["series"] if s["name"] == "待回复的函询")
    assert inquiries["values"] == [1, 1, 0]  # the overdue one in 财政局, the one due on Sunday in 教育局
    talks = next(s for s in chart["series"] if s["name"] == "尚未进行的谈话")
    assert talks["values"] == [0, 0, 1]
    assert inquiries["alarm"] == [True, False, False]  # only a count above zero in "overdue" is red
    assert talks["alarm"] == [False, False, False]  # zero overdue is not an alarm
    assert not {"dossier.alerts_by_unit", "oversight.inquiries_by_outcome"} & set(data)


def test_the_head_sees_the_district_picture(client, district):
    body, data = home(client, district["head"])
    assert 'id="overview"' in body and "全区概览" in body
    assert values(data, "dossier.alerts_by_severity") == {"严重": 2, "警示": 3, "提示": 0}
    by_unit = values(data, "dossier.alerts_by_unit")
    assert by_unit == {LONG_NAME: 3, "财政局": 2}  # the full name reaches the chart; most alerts first
    assert data["dossier.alerts_by_unit"]["horizontal"] is True
    assert values(data, "core.overdue_by_area")["日常监督"] == 1
    outcome = values(data, "oversight.inquiries_by_outcome")
    assert outcome["等待回复"] == 2 and outcome["说明清楚"] == 1
    assert {"oversight.yellow_cards", "audits.by_grade"} <= set(data)
    # Zero in an alarm series is shown plainly: the 提示 cell has no alarm class, the 严重 one has.
    section = body.split('data-chart-key="dossier.alerts_by_severity"')[1].split("</section>")[0]
    assert '<td class="num overdue">2</td>' in section and '<td class="num">0</td>' in section


def test_a_unit_leader_sees_only_the_own_unit(client, district):
    body, data = home(client, district["leader"])
    assert "本单位概览" in body and 'id="my-work"' not in body
    outcome = values(data, "oversight.inquiries_by_outcome")
    assert outcome["等待回复"] == 1 and outcome["说明清楚"] == 1  # 教育局's two; 财政局's is not counted
    assert values(data, "core.overdue_by_area")["日常监督"] == 0  # 财政局's overdue inquiry is not his
    # Alerts are read with dossier.view, which a unit leader does not hold: absent, not zero.
    assert "dossier.alerts_by_severity" not in data and "dossier.alerts_by_unit" not in data
    assert LONG_NAME not in body


def test_a_committee_member_has_a_read_only_overview_without_alerts_or_audits(client, district):
    body, data = home(client, district["committee"])
    assert "概览（只读）" in body and 'id="my-work"' not in body
    assert "oversight.inquiries_by_outcome" in data
    assert not {"dossier.alerts_by_severity", "audits.by_grade", "core.open_items"} & set(data)


def test_a_vetting_officer_sees_the_own_queue_only(client, district):
    body, data = home(client, district["vetting"])
    names = {s["name"] for s in data["core.open_items"]["series"]}
    assert names == {"待接收的问题线索", "待回复的任前预审征求意见"}
    assert 'id="overview"' not in body


def test_self_service_has_no_charts(client, district):
    body, data = home(client, district["cadre"])
    assert data == {} and "echarts" not in body


def test_a_failing_chart_is_unavailable_and_the_rest_shows(client, district):
    def broken(user, today):
        raise RuntimeError("boom")

    dashboard.register_chart("zz.broken", broken, section=dashboard.OVERVIEW)
    try:
        body, data = home(client, district["head"])
        assert "仪表板的一项图表暂不可用" in body and "dossier.alerts_by_severity" in data
    finally:
        dashboard._charts.pop("zz.broken")


def test_queries_do_not_grow_with_the_data(district):
    head = district["head"]

    def count():
        dashboard.charts_for(head, {dashboard.WORK, dashboard.OVERVIEW}) and None
        with CaptureQueriesContext(connection) as ctx:
            dashboard.charts_for(head, {dashboard.WORK, dashboard.OVERVIEW})
        return len([q for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))])

    before = count()
    cadre = make_cadre(unit=district["finance"], name="李四")
    for i in range(15):
        Inquiry.objects.create(
            cadre=cadre,
            unit=district["finance"],
            source="complaint",
            subject="s",
            questions="q",
            status=Inquiry.Status.DELIVERED,
            issued_on=TODAY,
            reply_due_on=TODAY - dt.timedelta(days=i + 1),
            created_by=district["officer"],
        )
        now = timezone.now()
        Alert.objects.create(
            rule="test.rule", key=f"more:{i}", unit=make_unit(parent=district["root"]), severity="info", text="t", raised_at=now, updated_at=now
        )
    assert count() == before <= 25  # one aggregate per figure or series, whatever the rows
