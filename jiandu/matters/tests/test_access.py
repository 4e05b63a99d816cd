"""Sensitivity (issue #18): reports and checks only for the matters_officer role — never implied
by another role, district-wide or administrator; every other role gets 404; every reading is
journaled; the export only for the head (who also holds the matters role)."""

import datetime as dt

import pytest

from jiandu.accounts.access import ROLE_PERMISSIONS
from jiandu.accounts.models import Role
from jiandu.core.models import JournalEntry
from jiandu.matters import actions
from jiandu.matters.models import Reporter
from jiandu.testing import admin_persona, api_client, log_in, make_user

FLAT = {"address": "示范区东园路18号502室", "area": "128.50", "nature": "商品房"}


def test_only_the_matters_role_holds_the_reading_permission():
    holders = {role for role, perms in ROLE_PERMISSIONS.items() if "matters.view_reports" in perms}
    assert holders == {Role.MATTERS_OFFICER}
    assert ROLE_PERMISSIONS[Role.MATTERS_OFFICER] == frozenset({"matters.view_reports"})


@pytest.fixture
def filled(district):
    year = actions.open_year(actor=district.officer, year=2026, deadline=dt.date(2026, 1, 31))
    reporter = Reporter.objects.get(year=year, cadre=district.zhang)
    report = actions.start_report(actor=district.officer, reporter=reporter)
    actions.add_item(actor=district.officer, report=report, kind="real_estate", values=FLAT)
    actions.submit_report(actor=district.officer, report=report, received_on=dt.date(2026, 1, 20))
    check = actions.request_targeted_check(cadre=district.zhang, reason="拟提拔", actor=district.officer)
    draw = actions.draw_sample(actor=district.officer, year=year, seed="s")
    return year, reporter, report, check, draw


def _pages(year, reporter, report, check, draw):
    return [
        "/matters/",
        f"/matters/years/{year.year}/",
        f"/matters/years/{year.year}/export.xlsx",
        f"/matters/draws/{draw.pk}/",
        f"/matters/reporters/{reporter.pk}/",
        f"/matters/reports/{report.pk}/",
        "/matters/checks/",
        f"/matters/checks/{check.pk}/",
    ]


def _posts(year, reporter, report, check, draw):
    return [
        ("/matters/open/", {"year": 2030}),
        (f"/matters/years/{year.year}/draw/", {"seed": "x"}),
        (f"/matters/draws/{draw.pk}/rerun/", {}),
        (f"/matters/reporters/{reporter.pk}/start/", {"correction_reason": "x"}),
        (f"/matters/reports/{report.pk}/item/", {"kind": "salary", "holder": "self", "amount": "1"}),
        (f"/matters/reports/{report.pk}/items/1/remove/", {}),
        (f"/matters/reports/{report.pk}/submit/", {}),
        ("/matters/checks/targeted/", {"cadre": reporter.cadre_id, "reason": "x"}),
        (f"/matters/checks/{check.pk}/request/", {"department": "不动产登记机构"}),
        (f"/matters/checks/{check.pk}/classify/", {"reply_item": 1, "classification": "consistent"}),
        (f"/matters/checks/{check.pk}/conclude/", {"handling": "none", "decided_on": "2026-01-01"}),
    ]


OTHER_ROLES = [r for r in Role.values if r not in (Role.MATTERS_OFFICER,)]


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_every_other_role_gets_404_on_reports_and_checks(district, filled, client, role):
    if role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
        user = admin_persona(role)
    elif role == Role.CADRE:
        user = district.li_user  # a reporter herself: not someone else's report
    else:
        user = make_user(role=role, unit=district.finance if role == Role.CLUE_OFFICER else None)
    log_in(client, user)
    for url in _pages(*filled):
        assert client.get(url).status_code == 404, url
    for url, data in _posts(*filled):
        assert client.post(url, data).status_code == 404, url
    api = api_client(user)
    year, reporter, report, check, draw = filled
    for url in (
        "/api/v1/matters/years",
        f"/api/v1/matters/years/{year.year}/reporters",
        f"/api/v1/matters/reports/{report.pk}",
        f"/api/v1/matters/checks/{check.pk}",
        "/api/v1/matters/checks",
    ):
        assert api.get(url).status_code in (403, 404), url
    assert not JournalEntry.objects.filter(action__in=["matters.report.viewed", "matters.check.viewed"], actor_id=user.pk).exists()


def test_another_cadre_cannot_open_a_report(district, filled, client):
    year, reporter, report, check, draw = filled
    log_in(client, district.li_user)
    assert client.get(f"/matters/reports/{report.pk}/").status_code == 404
    assert client.get(f"/matters/reporters/{reporter.pk}/").status_code == 404
    own = Reporter.objects.get(year=year, cadre=district.li)
    assert client.get(f"/matters/reporters/{own.pk}/").status_code == 200


def test_every_page_opens_for_the_officer_and_readings_are_journaled(district, filled, client):
    log_in(client, district.officer)
    year, reporter, report, check, draw = filled
    for url in _pages(*filled):
        if url.endswith("export.xlsx"):
            continue
        assert client.get(url).status_code == 200, url
    assert client.get(f"/matters/reports/{report.pk}/?kind=real_estate").status_code == 200
    assert client.get(f"/matters/checks/{check.pk}/?kind=real_estate").status_code == 200
    assert JournalEntry.objects.filter(action="matters.report.viewed", actor_id=district.officer.pk, target_id=str(report.pk)).exists()
    assert JournalEntry.objects.filter(action="matters.check.viewed", actor_id=district.officer.pk, target_id=str(check.pk)).exists()
    assert JournalEntry.objects.filter(action="matters.reports.listed", actor_id=district.officer.pk).exists()


def test_the_export_is_the_heads_journaled_action_only(district, filled, client):
    year = filled[0]
    log_in(client, district.officer)
    assert client.get(f"/matters/years/{year.year}/export.xlsx").status_code == 404
    log_in(client, district.org_head)  # the head's role alone does not read reports
    assert client.get(f"/matters/years/{year.year}/export.xlsx").status_code == 404
    log_in(client, district.head)
    response = client.get(f"/matters/years/{year.year}/export.xlsx")
    assert response.status_code == 200
    assert JournalEntry.objects.filter(action="matters.reports.exported", actor_id=district.head.pk, data__rows=1).exists()


def test_self_service_through_the_pages(district, client):
    year = actions.open_year(actor=district.officer, year=2026, deadline=dt.date(2026, 1, 31))
    own = Reporter.objects.get(year=year, cadre=district.li)
    log_in(client, district.li_user)
    assert "2026" in client.get("/matters/mine/").content.decode()
    response = client.post(f"/matters/reporters/{own.pk}/start/", {})
    assert response.status_code == 302
    report = own.reports.get()
    client.post(f"/matters/reports/{report.pk}/item/", {"kind": "real_estate", "holder": "self", **FLAT})
    client.post(f"/matters/reports/{report.pk}/item/", {"kind": "real_estate", "holder": "self", "address": "", "area": "1"})
    assert report.items.count() == 1
    client.post(f"/matters/reports/{report.pk}/submit/", {})
    report.refresh_from_db()
    assert report.status == "submitted"
    page = client.get(f"/matters/reports/{report.pk}/").content.decode()
    assert "东园路" in page and "添加事项" not in page  # no form on a submitted version


def test_the_cadres_timeline_shows_only_report_submitted_and_check_results(district, filled):
    from jiandu.core.queries import history_for

    year, reporter, report, check, draw = filled
    actions.record_view(actor=district.officer, report=report, check=check)
    discipline = make_user(role=Role.DISCIPLINE_OFFICER)
    seen = {entry.action for entry in history_for(discipline, cadre=district.zhang)}
    matters = {a for a in seen if a.startswith("matters.")}
    assert matters == {"matters.report.submitted", "matters.check.opened"}
    submitted = next(e for e in history_for(discipline, cadre=district.zhang) if e.action == "matters.report.submitted")
    assert set(submitted.data) == {"year", "version", "channel", "submitted_on", "late", "item_count"}
