"""The departures page reads a page of departures in a fixed number of queries (no query per row:
the cadres' names come in one query)."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jiandu.registry import actions as registry_actions
from jiandu.testing import make_cadre, make_position


def _depart(d, n):
    for i in range(n):
        position = make_position(unit=d.finance, title=f"主任{i}", has_financial_authority=True)
        tenure = registry_actions.appoint(actor=d.registrar, cadre=make_cadre(unit=d.finance), position=position, started_on=dt.date(2020, 1, 1))
        registry_actions.end_tenure(actor=d.registrar, tenure=tenure, ended_on=dt.date(2026, 11, 30), end_reason="transfer")


def _queries(client) -> tuple[int, str]:
    client.get(reverse("audits:departures"))  # the session and the bell's count cached, as on any later page
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("audits:departures"))
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def test_departures_page_queries_do_not_grow_with_rows(district, client):
    client.force_login(district.head)
    _depart(district, 1)
    one, _ = _queries(client)
    _depart(district, 4)
    five, page = _queries(client)
    assert one == five
    assert page.count("测试") >= 5  # every departed cadre's name is shown
