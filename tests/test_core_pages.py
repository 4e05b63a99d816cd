"""Core pages: the dashboard, local-practice settings, the journal search, entry and verify pages,
and who may open them (三权分立: the system administrator reads no journal, the audit administrator
only the journal)."""

import contextlib
import datetime as dt

import pytest
from django.db import connection
from django.test import Client

from jiandu.accounts.models import Role
from jiandu.core import journal
from jiandu.core.models import JournalEntry, LocalSetting
from jiandu.core.practice import get_setting
from jiandu.testing import admin_persona, make_unit, make_user

pytestmark = pytest.mark.django_db


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- dashboard -----------------------------------------------------------------------------------


def test_home_shows_administrators_no_business_entries():
    for role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
        response = _as(admin_persona(role)).get("/")
        assert response.status_code == 200
        assert response.context["nav_pillars"] == [], role
        assert not [t for t in response.context["nav_tools"] if t["name"].startswith("registry:")], role
    officer = _as(make_user(role=Role.ORG_OFFICER, unit=make_unit())).get("/")
    assert len(officer.context["nav_pillars"]) == 5
    assert Client().get("/")["Location"].startswith("/accounts/login/")


# --- settings ------------------------------------------------------------------------------------


def test_settings_pages_only_for_settings_managers():
    """Security policy (security.*) belongs to the security administrator; the other local practice
    to the system administrator and the organisation-department head; nobody else sees settings."""
    security = _as(admin_persona(Role.SECURITY_ADMIN))
    others = {"system_admin": _as(admin_persona(Role.SYSTEM_ADMIN)), "org_head": _as(make_user(role=Role.ORG_HEAD))}
    refused = {
        "audit_admin": _as(admin_persona(Role.AUDIT_ADMIN)),
        "org_officer": _as(make_user(role=Role.ORG_OFFICER, unit=make_unit())),
        "discipline_officer": _as(make_user(role=Role.DISCIPLINE_OFFICER)),
        "no role": _as(make_user()),
    }
    sections = {s["key"] for s in security.get("/settings/").context["sections"]}
    assert sections == {"security"}
    for name, client in others.items():
        response = client.get("/settings/")
        assert response.status_code == 200, name
        assert "security" not in {s["key"] for s in response.context["sections"]} and "rates" in {s["key"] for s in response.context["sections"]}, name
        refused_change = client.post("/settings/security.lockout_threshold/", {"value": "1000"}, follow=True)
        assert [m.level_tag for m in refused_change.context["messages"]] == ["error"], name
    for name, client in refused.items():
        assert client.get("/settings/").status_code == 404, name
        assert client.post("/settings/security.idle_timeout_minutes/", {"value": "999"}).status_code == 404, name
        assert client.post("/settings/rates.display_places/", {"value": "4"}).status_code == 404, name
    security.post("/settings/rates.display_places/", {"value": "4"})
    assert get_setting("security.lockout_threshold") == 5 and get_setting("security.idle_timeout_minutes") == 30
    assert get_setting("rates.display_places") == 2
    assert not JournalEntry.objects.filter(action="core.setting.changed").exists()


def test_settings_page_groups_by_area_and_shows_security_settings():
    response = _as(admin_persona(Role.SECURITY_ADMIN)).get("/settings/")
    sections = {s["key"]: s for s in response.context["sections"]}
    keys = {row["definition"].key for row in sections["security"]["rows"]}
    assert {"security.lockout_threshold", "security.require_totp_for_admins", "security.login_rate_limit", "security.password_max_age_days"} <= keys


def test_change_and_reset_a_setting_with_journal():
    admin = admin_persona(Role.SECURITY_ADMIN)
    client = _as(admin)
    assert client.post("/settings/security.idle_timeout_minutes/", {"value": "15"}).status_code == 302
    assert get_setting("security.idle_timeout_minutes") == 15
    entry = JournalEntry.objects.filter(action="core.setting.changed").last()
    assert entry.actor_id == admin.pk and entry.data == {"key": "security.idle_timeout_minutes", "old": 30, "new": 15}
    client.post("/settings/security.idle_timeout_minutes/", {"reset": "1"})
    assert get_setting("security.idle_timeout_minutes") == 30
    assert JournalEntry.objects.filter(action="core.setting.reset").count() == 1
    _as(admin_persona(Role.SYSTEM_ADMIN)).post("/settings/rates.display_places/", {"value": "3"})
    assert get_setting("rates.display_places") == 3


def test_bool_setting_checkbox_off_and_on():
    client = _as(admin_persona(Role.SECURITY_ADMIN))
    client.post("/settings/security.require_totp_for_all/", {"value": "1"})
    assert get_setting("security.require_totp_for_all") is True
    client.post("/settings/security.require_totp_for_all/", {})
    assert get_setting("security.require_totp_for_all") is False


@pytest.mark.parametrize(
    "role, key, value",
    [
        (Role.SECURITY_ADMIN, "security.idle_timeout_minutes", "abc"),
        (Role.SECURITY_ADMIN, "security.idle_timeout_minutes", "-5"),
        (Role.SECURITY_ADMIN, "security.lockout_minutes", "29"),
        (Role.SYSTEM_ADMIN, "rates.rounding_mode", "sideways"),
        (Role.SYSTEM_ADMIN, "no.such.setting", "1"),
    ],
)
def test_bad_setting_values_are_refused_with_a_message(role, key, value):
    client = _as(admin_persona(role))
    response = client.post(f"/settings/{key}/", {"value": value}, follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not LocalSetting.objects.filter(key=key).exists()


# --- journal -------------------------------------------------------------------------------------


def test_journal_pages_only_for_the_audit_administrator():
    entry = journal.record("test.thing.done", target=("test.thing", 1))
    auditor = _as(admin_persona(Role.AUDIT_ADMIN))
    assert auditor.get("/journal/").status_code == 200
    assert auditor.get(f"/journal/{entry.seq}/").status_code == 200
    assert auditor.get("/journal/verify/").status_code == 200
    refused = {
        "system_admin": _as(admin_persona(Role.SYSTEM_ADMIN)),
        "security_admin": _as(admin_persona(Role.SECURITY_ADMIN)),
        "org_head": _as(make_user(role=Role.ORG_HEAD)),
        "discipline_officer": _as(make_user(role=Role.DISCIPLINE_OFFICER)),
        "no role": _as(make_user()),
    }
    for name, client in refused.items():
        for url in ("/journal/", f"/journal/{entry.seq}/", "/journal/verify/"):
            assert client.get(url).status_code == 404, (name, url)
        assert client.post("/journal/verify/").status_code == 404, name
    assert not JournalEntry.objects.filter(action="core.journal.verified").exists()


def test_journal_search_filters():
    auditor_user = admin_persona(Role.AUDIT_ADMIN)
    auditor = _as(auditor_user)
    officer = make_user(username="searchme")
    journal.record("test.alpha.done", actor=officer, target=("test.thing", "42"))
    journal.record("test.beta.done", target=("test.thing", "43"), outcome="denied")

    def seqs(query):
        return [e.action for e in auditor.get("/journal/" + query).context["page"]]

    assert seqs("?action=test.alpha") == ["test.alpha.done"]
    assert seqs("?actor=searchme") == ["test.alpha.done"]
    assert seqs("?outcome=denied&action=test.") == ["test.beta.done"]
    assert seqs("?text=43") == ["test.beta.done"]
    today = dt.date.today()
    assert "test.beta.done" in seqs(f"?date_from={today}&date_to={today}")
    assert seqs(f"?date_from={today + dt.timedelta(days=1)}") == []
    response = auditor.get(f"/journal/?date_from={today}&date_to={today - dt.timedelta(days=1)}")
    assert response.context["form"].errors and list(response.context["page"]) == []
    assert auditor.get("/journal/?date_from=not-a-date").status_code == 200


def test_journal_search_pagination():
    auditor = _as(admin_persona(Role.AUDIT_ADMIN))
    for i in range(55):
        journal.record("test.bulk.done", target=("test.thing", i))
    first = auditor.get("/journal/?action=test.bulk")
    assert first.context["page"].paginator.count == 55 and len(first.context["page"]) == 50
    assert len(auditor.get("/journal/?action=test.bulk&page=2").context["page"]) == 5
    assert len(auditor.get("/journal/?action=test.bulk&size=20").context["page"]) == 20


def test_journal_entry_page_shows_everything_and_unknown_is_404():
    auditor = _as(admin_persona(Role.AUDIT_ADMIN))
    entry = journal.record("test.detail.done", target=("test.thing", "7"), data={"note": "细节"})
    page = auditor.get(f"/journal/{entry.seq}/")
    content = page.content.decode()
    assert entry.hash in content and entry.prev_hash in content and "细节" in content
    assert auditor.get("/journal/99999999/").status_code == 404


@contextlib.contextmanager
def _triggers_disabled():
    """Simulate a database administrator bypassing the application (tampering)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER journal_no_update")
        else:
            cursor.execute("ALTER TABLE core_journalentry DISABLE TRIGGER USER")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("CREATE TRIGGER journal_no_update BEFORE UPDATE ON core_journalentry BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;")
            else:
                cursor.execute("ALTER TABLE core_journalentry ENABLE TRIGGER USER")


def test_verify_page_runs_on_post_reports_and_is_journaled():
    auditor_user = admin_persona(Role.AUDIT_ADMIN)
    auditor = _as(auditor_user)
    journal.record("test.one.done", target=("test.thing", 1))
    assert auditor.get("/journal/verify/").context["result"] is None  # opening the page only offers the check
    response = auditor.post("/journal/verify/")
    assert response.context["result"].ok and response.context["result"].checked >= 1
    verified = JournalEntry.objects.filter(action="core.journal.verified").last()
    assert verified.actor_id == auditor_user.pk and verified.data["ok"] is True
    tampered = journal.record("test.two.done", target=("test.thing", 2))
    with _triggers_disabled():
        JournalEntry.objects.filter(pk=tampered.pk).update(action="test.two.undone")
    response = auditor.post("/journal/verify/")
    result = response.context["result"]
    assert not result.ok and result.first_broken_seq == tampered.seq
    assert f"#{tampered.seq}".encode() in response.content
    assert JournalEntry.objects.filter(action="core.journal.verified").last().outcome == "failed"


# --- error pages ---------------------------------------------------------------------------------


def test_not_found_pages_html_and_json():
    client = _as(make_user())
    response = client.get("/no/such/page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
    response = client.get("/api/no/such/endpoint")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_refusals_are_journaled_as_security_events_with_the_path_only():
    a, b = make_unit(), make_unit()
    officer = make_user(role=Role.ORG_OFFICER, unit=a)
    client = _as(officer)
    assert client.get(f"/registry/units/{b.pk}/?q=secret-search").status_code == 404
    entry = JournalEntry.objects.get(action="core.access.denied")
    assert entry.actor_id == officer.pk and entry.outcome == "denied" and entry.ip == "127.0.0.1"
    assert entry.data == {"method": "GET", "path": f"/registry/units/{b.pk}/"}
    client.get("/no/such/page/")  # a plain "not found" is not a refusal
    Client().get(f"/registry/units/{b.pk}/")  # anonymous: sent to the login, nothing journaled
    assert JournalEntry.objects.filter(action="core.access.denied").count() == 1
