"""The early-warning list (/dossier/alerts/): who opens it, filters, export, acknowledge and
handle with a note, the on-demand scan, the header's counts and the home page's work entry."""

import datetime as dt

from django.urls import reverse

from jiandu.accounts.models import Role
from jiandu.core.models import JournalEntry
from jiandu.dossier import actions
from jiandu.dossier.models import Alert
from jiandu.testing import log_in, make_user

TODAY = dt.date.today()
RULE = "oversight.inquiry_reply_overdue"


def _alert():
    actions.scan_alerts(actor=None, today=TODAY)
    return Alert.objects.get(rule=RULE, closed_at__isnull=True)


def test_wrong_role_or_department_gets_404(world, client):
    alert = _alert()
    for user in (world.readers.leader, world.readers.cadre, world.readers.vetting):
        log_in(client, user)
        assert client.get(reverse("dossier:alerts")).status_code == 404
        assert client.post(reverse("dossier:alert_scan")).status_code == 404
        assert client.post(reverse("dossier:alert_handle", args=[alert.pk]), {"note": "x"}).status_code == 404
    log_in(client, world.readers.discipline)  # reads alerts, may not handle them nor run the scan
    page = client.get(reverse("dossier:alerts"))
    assert page.status_code == 200 and alert.text in page.content.decode()
    assert reverse("dossier:alert_handle", args=[alert.pk]) not in page.content.decode()
    assert client.post(reverse("dossier:alert_scan")).status_code == 404
    assert client.post(reverse("dossier:alert_handle", args=[alert.pk]), {"note": "x"}).status_code == 404
    elsewhere = make_user(role=Role.ORG_OFFICER, unit=world.education)  # another department
    log_in(client, elsewhere)
    assert alert.text not in client.get(reverse("dossier:alerts")).content.decode()
    assert client.post(reverse("dossier:alert_handle", args=[alert.pk]), {"note": "x"}).status_code == 404
    assert Alert.objects.get(pk=alert.pk).handled_at is None
    assert not JournalEntry.objects.filter(action="dossier.alert.handled").exists()


def test_list_filters_export_and_handling(world, client):
    alert = _alert()
    log_in(client, world.readers.officer)
    page = client.get(reverse("dossier:alerts")).content.decode()
    assert alert.text in page and reverse("dossier:alert_handle", args=[alert.pk]) in page and 'id="alert-counts"' in page
    assert alert.text not in client.get(reverse("dossier:alerts"), {"severity": "serious"}).content.decode()
    assert alert.text in client.get(reverse("dossier:alerts"), {"rule": RULE, "unit": world.finance.pk}).content.decode()
    assert alert.text not in client.get(reverse("dossier:alerts"), {"unit": world.education.pk}).content.decode()
    assert alert.text not in client.get(reverse("dossier:alerts"), {"min_age": 1}).content.decode()  # raised today
    assert alert.text in client.get(reverse("dossier:alerts"), {"q": "张伟明"}).content.decode()
    bad = client.get(reverse("dossier:alerts"), {"min_age": "abc", "q": "a\x00b", "sort": "text;drop", "rule": "nope"})
    assert bad.status_code == 200
    export = client.get(reverse("dossier:alerts"), {"format": "xlsx"})
    assert export.status_code == 200 and "spreadsheetml" in export["Content-Type"]
    assert JournalEntry.objects.filter(action="dossier.alerts.exported").get().data["ids"] == [alert.pk]
    # handling: a note is required; NUL refused; then journaled and gone from the open list
    client.post(reverse("dossier:alert_handle", args=[alert.pk]), {"note": "  "})
    client.post(reverse("dossier:alert_handle", args=[alert.pk]), {"note": "a\x00b"})
    assert Alert.objects.get(pk=alert.pk).handled_at is None
    response = client.post(reverse("dossier:alert_handle", args=[alert.pk]), {"note": "已督促回复", "next": reverse("dossier:alerts")})
    assert response.status_code == 302 and response["Location"] == reverse("dossier:alerts")
    alert.refresh_from_db()
    assert alert.handled_by == world.readers.officer and alert.handling_note == "已督促回复"
    assert JournalEntry.objects.filter(action="dossier.alert.handled", target_id=str(alert.pk)).count() == 1
    assert alert.text not in client.get(reverse("dossier:alerts")).content.decode()
    assert "已督促回复" in client.get(reverse("dossier:alerts"), {"state": "handled"}).content.decode()
    assert client.post(reverse("dossier:alert_handle", args=[alert.pk]), {"note": "again"}).status_code == 302
    assert JournalEntry.objects.filter(action="dossier.alert.handled").count() == 1  # refused: already handled
    # an outside address in `next` is not followed
    other = Alert.objects.create(
        rule=RULE, key="x:1", cadre=world.zhang, unit=world.finance, severity="warning", text="t", raised_at=alert.raised_at, updated_at=alert.raised_at
    )
    response = client.post(reverse("dossier:alert_handle", args=[other.pk]), {"note": "n", "next": "https://evil.example/"})
    assert response["Location"].startswith(reverse("dossier:cadre", args=[world.zhang.pk]))


def test_on_demand_scan_from_the_header_and_the_counts(world, client):
    log_in(client, world.readers.officer)
    page = client.get(reverse("dossier:cadre", args=[world.zhang.pk])).content.decode()
    assert reverse("dossier:alert_scan") in page
    response = client.post(reverse("dossier:alert_scan"), {"next": reverse("dossier:cadre", args=[world.zhang.pk]) + "#alerts"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("dossier:cadre", args=[world.zhang.pk]))
    scanned = JournalEntry.objects.filter(action="dossier.alerts.scanned", actor_id=world.readers.officer.pk)
    assert scanned.count() == 1 and scanned.get().data["raised"] >= 1
    client.post(reverse("dossier:alert_scan"))
    assert Alert.objects.filter(rule=RULE).count() == 1  # the same code path as the nightly job: idempotent
    page = client.get(reverse("dossier:cadre", args=[world.zhang.pk])).content.decode()
    header = page.split('id="alert-counts"')[1].split("</div>")[0]
    open_count = Alert.objects.filter(cadre=world.zhang, closed_at__isnull=True, handled_at__isnull=True).count()
    assert f"</span> {open_count}" in header
    log_in(client, world.readers.discipline)
    assert reverse("dossier:alert_scan") not in client.get(reverse("dossier:cadre", args=[world.zhang.pk])).content.decode()


def test_home_page_links_the_list_for_who_handles_alerts(world, client):
    log_in(client, world.readers.officer)
    assert reverse("dossier:alerts") in client.get("/").content.decode()
    log_in(client, world.readers.discipline)
    assert reverse("dossier:alerts") not in client.get("/").content.decode()


def test_api_handling_needs_the_permission(world):
    from jiandu.testing import api_client

    alert = _alert()
    url = f"/api/v1/dossier/alerts/{alert.pk}/handling"
    assert api_client(world.readers.leader).post(url, {"note": "x"}, content_type="application/json").status_code == 404
    assert api_client(world.readers.discipline).post(url, {"note": "x"}, content_type="application/json").status_code == 404
    officer = api_client(world.readers.officer)
    assert officer.post(url, {"note": ""}, content_type="application/json").status_code in (400, 422)
    response = officer.post(url, {"note": "已处置"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["handling_note"] == "已处置" and response.json()["handled_at"]
    assert officer.post(url, {"note": "again"}, content_type="application/json").status_code == 400
