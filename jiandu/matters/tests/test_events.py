"""事项变化随时报告 (规定 art. 6): a change reported within the configured days (30) after it is on
time — on the 30th day too — and late from the 31st; only the configured family matters, only
cadres who report; the cadre's own report and an officer's paper record; other roles get 404."""

import datetime as dt

import pytest
from django.utils import translation

from jiandu.accounts.access import NotVisible
from jiandu.accounts.models import Role
from jiandu.core.errors import ActionError
from jiandu.core.models import JournalEntry
from jiandu.matters import actions, queries
from jiandu.matters.models import EventReport
from jiandu.testing import api_client, log_in, make_user

EVENT = dt.date(2026, 3, 1)  # due 2026-03-31


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _paper(district, received_on, **extra):
    data = {"kind": "marriage", "event_on": EVENT, "values": {"status": "离婚", "changed_on": "2026-03-01"}, "received_on": received_on}
    data.update(extra)
    return actions.report_event(actor=district.officer, cadre=data.pop("cadre", district.zhang), **data)


@pytest.mark.parametrize(("received", "late"), [(dt.date(2026, 3, 30), False), (dt.date(2026, 3, 31), False), (dt.date(2026, 4, 1), True)])
def test_on_time_until_the_thirtieth_day_late_from_the_next(district, received, late):
    event = _paper(district, received)
    assert event.due_on == dt.date(2026, 3, 31) and event.is_late is late
    entry = JournalEntry.objects.get(action="matters.event.reported")
    assert entry.cadre_id == district.zhang.pk and entry.data["late"] is late and entry.data["kind"] == "marriage"
    assert "离婚" not in str(entry.data)  # no reported value in the journal
    assert [e.pk for e in queries.late_events(district.officer)] == ([event.pk] if late else [])


def test_the_cadre_reports_their_own_change_dated_today(district):
    today = dt.date.today()
    event = actions.report_event(
        actor=district.li_user,
        cadre=district.li,
        kind="abroad",
        holder="child",
        holder_name="李小明",
        event_on=today,
        values={"country": "加拿大", "status": "定居"},
    )
    assert event.channel == "self" and event.reported_on == today and not event.is_late
    assert list(queries.own_events(district.li_user)) == [event]
    with pytest.raises(NotVisible):  # not somebody else's
        actions.report_event(actor=district.li_user, cadre=district.zhang, kind="marriage", event_on=today, values={"status": "已婚"})


def test_bad_input_is_refused_and_nothing_stored(district):
    with pytest.raises(ActionError, match="matters reported when they change"):
        _paper(district, dt.date(2026, 3, 5), kind="real_estate", values={"address": "x"})  # an asset, not a change to report
    with pytest.raises(ActionError, match="after the day it was reported"):
        _paper(district, dt.date(2026, 2, 28))
    with pytest.raises(ActionError):
        _paper(district, dt.date(2026, 3, 5), values={"status": "已\x00婚"})
    with pytest.raises(ActionError):
        _paper(district, None)  # the paper report's received date is required
    with pytest.raises(ActionError, match="does not report"):
        _paper(district, dt.date(2026, 3, 5), cadre=district.wang)  # a section chief
    with pytest.raises(ActionError):
        _paper(district, dt.date(2026, 3, 5), holder="spouse")  # the spouse's name is required
    with pytest.raises(NotVisible):
        actions.report_event(actor=district.org_officer, cadre=district.zhang, kind="marriage", event_on=EVENT, received_on=EVENT, values={"status": "x"})
    assert not EventReport.objects.exists()


def test_officer_pages_list_late_ones_and_record_paper_reports(district, client):
    _paper(district, dt.date(2026, 4, 1))
    log_in(client, district.officer)
    before = JournalEntry.objects.filter(action="matters.events.listed").count()
    page = client.get("/matters/changes/")
    assert page.status_code == 200 and "张伟明" in page.content.decode() and "（逾期）" in page.content.decode()  # pages speak Chinese
    assert JournalEntry.objects.filter(action="matters.events.listed").count() == before + 1
    assert client.get("/matters/changes/?kind=marriage").status_code == 200
    response = client.post(
        "/matters/changes/",
        {"kind": "marriage", "cadre": district.li.pk, "event_on": "2026-05-01", "received_on": "2026-05-10", "holder": "self", "status": "已婚"},
    )
    assert response.status_code == 302
    assert EventReport.objects.filter(cadre=district.li, channel="paper").count() == 1


def test_self_service_page(district, client):
    log_in(client, district.li_user)
    assert "报告个人有关事项变化" in client.get("/matters/mine/").content.decode()
    assert client.get("/matters/mine/changes/?kind=marriage").status_code == 200
    today = dt.date.today().isoformat()
    assert client.post("/matters/mine/changes/", {"kind": "marriage", "event_on": today, "holder": "self", "status": "已婚"}).status_code == 302
    assert EventReport.objects.get().cadre == district.li


def test_other_roles_get_404(district, client):
    event = _paper(district, dt.date(2026, 3, 5))
    outsiders = [district.org_officer, district.org_head, make_user(role=Role.DISCIPLINE_OFFICER), district.li_user]
    for user in outsiders:
        log_in(client, user)
        assert client.get("/matters/changes/").status_code == 404
        assert client.post("/matters/changes/", {"kind": "marriage", "cadre": district.zhang.pk}).status_code == 404
        api = api_client(user)
        assert api.get("/api/v1/matters/changes").status_code == 404
    for user in (district.org_officer, district.officer):  # not a cadre's own page
        log_in(client, user)
        assert client.get("/matters/mine/changes/").status_code == 404
    assert EventReport.objects.count() == 1 and event.pk


def test_api_reports_and_lists_changes(district):
    api = api_client(district.officer)
    payload = {"cadre_id": district.zhang.pk, "kind": "marriage", "event_on": "2026-03-01", "received_on": "2026-04-01", "values": {"status": "离婚"}}
    created = api.post("/api/v1/matters/changes", payload, content_type="application/json")
    assert created.status_code == 201 and created.json()["late"] is True and created.json()["due_on"] == "2026-03-31"
    listed = api.get("/api/v1/matters/changes?late=true").json()
    assert [e["id"] for e in listed["items"]] == [created.json()["id"]]
    bad = api.post("/api/v1/matters/changes", {**payload, "event_on": "2026-05-01"}, content_type="application/json")
    assert bad.status_code in (400, 422)
    other = api_client(district.org_officer).post("/api/v1/matters/changes", payload, content_type="application/json")
    assert other.status_code == 404
    assert EventReport.objects.count() == 1
