"""Session policy: idle and absolute timeouts, ending every session, forced password changes.
Time is moved by rewriting the session's stored timestamps or the settings, never by sleeping."""

import datetime as dt
import time

import pytest
from django.test import Client
from django.utils import timezone

from jiandu.accounts import actions
from jiandu.accounts.middleware import SESSION_LOGIN_AT_KEY, SESSION_SEEN_KEY
from jiandu.accounts.models import User
from jiandu.core.models import JournalEntry
from jiandu.testing import PASSWORD, make_user, system_admin

from .helpers import LOGIN_URL, logged_in_user_id, post_login

pytestmark = pytest.mark.django_db


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _shift(client, key, seconds):
    session = client.session
    session[key] = session[key] - seconds
    session.save()


def test_login_starts_both_clocks(client):
    make_user(username="clock")
    before = int(time.time())
    post_login(client, "clock", PASSWORD)
    session = client.session
    assert before <= session[SESSION_LOGIN_AT_KEY] <= int(time.time())
    assert session[SESSION_SEEN_KEY] == session[SESSION_LOGIN_AT_KEY]


def test_idle_timeout_boundary_default_30_minutes():
    user = make_user()
    client = _logged_in(user)
    _shift(client, SESSION_SEEN_KEY, 30 * 60 - 5)  # a little under 30 minutes idle: still fine
    assert client.get("/").status_code == 200
    _shift(client, SESSION_SEEN_KEY, 30 * 60 + 5)  # over 30 minutes idle
    response = client.get("/registry/units/?x=1")
    assert response.status_code == 302
    assert (
        response["Location"].startswith(LOGIN_URL + "?")
        and "expired=1" in response["Location"]
        and "next=%2Fregistry%2Funits%2F%3Fx%3D1" in response["Location"]
    )
    assert logged_in_user_id(client) is None
    entry = JournalEntry.objects.filter(action="accounts.session.expired").last()
    assert entry.actor_id == user.pk and entry.data == {"reason": "idle"}


def test_idle_timeout_follows_the_setting(set_setting):
    set_setting("security.idle_timeout_minutes", 5)
    client = _logged_in(make_user())
    _shift(client, SESSION_SEEN_KEY, 4 * 60)
    assert client.get("/").status_code == 200
    _shift(client, SESSION_SEEN_KEY, 5 * 60 + 10)
    assert client.get("/").status_code == 302


def test_activity_keeps_the_session_alive():
    client = _logged_in(make_user())
    _shift(client, SESSION_SEEN_KEY, 20 * 60)
    assert client.get("/").status_code == 200
    assert int(time.time()) - client.session[SESSION_SEEN_KEY] < 2  # the request refreshed it
    _shift(client, SESSION_SEEN_KEY, 20 * 60)
    assert client.get("/").status_code == 200


def test_absolute_timeout_however_active(settings):
    settings.SESSION_COOKIE_AGE = 8 * 3600
    client = _logged_in(make_user())
    _shift(client, SESSION_LOGIN_AT_KEY, 8 * 3600 - 5)
    assert client.get("/").status_code == 200
    _shift(client, SESSION_LOGIN_AT_KEY, 8 * 3600 + 5)
    assert client.get("/").status_code == 302
    assert JournalEntry.objects.filter(action="accounts.session.expired", data__reason="absolute").count() == 1


def test_api_request_on_an_expired_session_gets_json_401():
    client = _logged_in(make_user())
    _shift(client, SESSION_SEEN_KEY, 31 * 60)
    response = client.get("/api/v1/anything")
    assert response.status_code == 401 and response.json()["code"] == "session_expired"


def test_htmx_request_on_an_expired_session_redirects_the_page():
    client = _logged_in(make_user())
    _shift(client, SESSION_SEEN_KEY, 31 * 60)
    response = client.get("/", headers={"HX-Request": "true"})
    assert response.status_code == 200 and response["HX-Redirect"].startswith(LOGIN_URL)


def test_password_change_ends_every_other_session_and_keeps_this_one():
    user = make_user(username="changer")
    here, elsewhere = Client(), Client()
    post_login(here, "changer", PASSWORD)
    post_login(elsewhere, "changer", PASSWORD)
    response = here.post("/accounts/password/", {"old_password": PASSWORD, "new_password": "New-Secret-2027", "new_password2": "New-Secret-2027"})
    assert response.status_code == 302
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302
    user.refresh_from_db()
    assert user.check_password("New-Secret-2027") and not user.must_change_password
    assert JournalEntry.objects.filter(action="accounts.password.changed", target_id=str(user.pk)).count() == 1


@pytest.mark.parametrize(
    "end",
    [
        lambda user: actions.reset_password(actor=system_admin(), user=user, new_password="Issued-Pass-2026"),
        lambda user: actions.disable_user(actor=system_admin(), user=user, reason="left"),
        lambda user: actions.end_all_sessions(actor=system_admin(), user=user),
        lambda user: actions.end_all_sessions(actor=user, user=user),
    ],
    ids=["reset", "disable", "end-all-by-admin", "end-all-by-self"],
)
def test_reset_disable_and_end_all_end_every_session(end):
    user = make_user()
    clients = [_logged_in(user), _logged_in(user)]
    assert all(c.get("/").status_code == 200 for c in clients)
    end(user)
    assert [c.get("/").status_code for c in clients] == [302, 302]


def test_end_my_other_sessions_keeps_the_current_one():
    user = make_user()
    here, elsewhere = _logged_in(user), _logged_in(user)
    response = here.post("/accounts/me/sessions/end/")
    assert response.status_code == 302
    assert here.get("/").status_code == 200 and elsewhere.get("/").status_code == 302
    assert JournalEntry.objects.filter(action="accounts.sessions.ended", actor_id=user.pk).count() == 1


def test_failing_logins_on_purpose_does_not_end_the_owner_s_session():
    """Attack (issue #8): wrong passwords for someone else's account used to lock it and end its
    sessions. The login delay they cause leaves running sessions alone."""
    user = make_user()
    client = _logged_in(user)
    for i in range(8):
        post_login(Client(REMOTE_ADDR=f"10.9.0.{i + 1}"), user.username, "Wrong-pass-1")
    user.refresh_from_db()
    assert user.is_locked() and user.failed_logins == 5  # the rest were refused while it waits
    assert client.get("/").status_code == 200
    assert not JournalEntry.objects.filter(action="accounts.session.expired").exists()


# --- forced password changes ---------------------------------------------------------------------


def test_issued_password_must_be_changed_at_first_login(client):
    admin = system_admin()
    user = actions.create_user(actor=admin, username="newbie", full_name="新人", password="Issued-Pass-2026")
    assert user.must_change_password
    response = post_login(client, "newbie", "Issued-Pass-2026")
    assert response.status_code == 302
    for path in ("/", "/registry/units/", "/accounts/me/", "/accounts/tokens/"):
        assert client.get(path)["Location"] == "/accounts/password/", path
    page = client.get("/accounts/password/")
    assert page.status_code == 200 and page.context["must_change"] is True
    assert client.post("/accounts/logout/").status_code == 302  # logout stays possible
    post_login(client, "newbie", "Issued-Pass-2026")
    client.post("/accounts/password/", {"old_password": "Issued-Pass-2026", "new_password": "Mine-Secret-2027", "new_password2": "Mine-Secret-2027"})
    assert client.get("/").status_code == 200


def test_forced_change_answers_api_requests_with_json_403(client):
    user = actions.create_user(actor=system_admin(), username="apiuser", full_name="接口", password="Issued-Pass-2026")
    client.force_login(user)
    response = client.get("/api/v1/anything")
    assert response.status_code == 403 and response.json()["code"] == "password_change_required"


def test_language_switch_stays_open_during_a_forced_step(client):
    user = actions.create_user(actor=system_admin(), username="lang", full_name="语言", password="Issued-Pass-2026")
    client.force_login(user)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/password/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password/"


def test_periodic_password_change_boundary(set_setting):
    set_setting("security.password_max_age_days", 90)
    user = make_user()
    client = _logged_in(user)
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - dt.timedelta(days=90) + dt.timedelta(minutes=1))
    assert client.get("/").status_code == 200
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - dt.timedelta(days=90, minutes=1))
    assert client.get("/")["Location"] == "/accounts/password/"
    page = client.get("/accounts/password/")
    assert page.context["expired"] is True and page.context["must_change"] is False


def test_periodic_change_follows_the_setting_and_zero_turns_it_off(set_setting):
    user = make_user()
    client = _logged_in(user)
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - dt.timedelta(days=40))
    assert client.get("/").status_code == 200  # default 90 days
    set_setting("security.password_max_age_days", 30)
    assert client.get("/")["Location"] == "/accounts/password/"
    set_setting("security.password_max_age_days", 0)
    assert client.get("/").status_code == 200


def test_demo_accounts_skip_the_forced_change_only_in_demo_mode(settings, client):
    user = actions.create_user(actor=system_admin(), username="demo_clerk", full_name="演示", password="Issued-Pass-2026")
    client.force_login(user)
    settings.DEMO_MODE = False
    assert client.get("/")["Location"] == "/accounts/password/"
    settings.DEMO_MODE = True
    assert client.get("/").status_code == 200


# --- password change page ------------------------------------------------------------------------


def test_password_change_errors_are_shown_and_nothing_changes(client):
    user = make_user()
    client.force_login(user)
    cases = [
        ({"old_password": "wrong", "new_password": "New-Secret-2027", "new_password2": "New-Secret-2027"}, "old_password"),
        ({"old_password": PASSWORD, "new_password": "New-Secret-2027", "new_password2": "New-Secret-2028"}, "new_password2"),
        ({"old_password": PASSWORD, "new_password": "short1A", "new_password2": "short1A"}, "new_password"),
        ({"old_password": PASSWORD, "new_password": PASSWORD, "new_password2": PASSWORD}, "new_password"),
    ]
    for data, field in cases:
        response = client.post("/accounts/password/", data)
        assert response.status_code == 200 and field in response.context["form"].errors, field
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert not JournalEntry.objects.filter(action="accounts.password.changed").exists()
