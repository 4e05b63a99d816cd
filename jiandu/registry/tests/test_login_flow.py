"""The registry behind the real login (accounts' views and session policy, not force_login): the
page asked for opens after the password (and the authenticator code where required), inside the
shared layout; forced steps, idle sessions and logout close it again."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from jiandu.accounts import actions as account_actions
from jiandu.accounts.middleware import SESSION_SEEN_KEY
from jiandu.accounts.models import Role
from jiandu.core import actions as core_actions
from jiandu.core.models import JournalEntry
from jiandu.testing import PASSWORD, enrol_totp, make_user, security_admin, system_admin, totp_code

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
CODE = "/accounts/login/code/"


def _log_in(client, username, *, next_url):
    """The login form as a browser sends it, with the page asked for."""
    return client.post(f"{LOGIN}?next={next_url}", {"username": username, "password": PASSWORD, "next": next_url})


def test_an_officer_logs_in_through_the_login_page_and_reaches_the_cadre_asked_for(district):
    officer = make_user(role=Role.ORG_OFFICER, unit=district.finance, username="caizheng", full_name="王科长")
    url = reverse("registry:cadre_detail", args=[district.zhang.pk])
    client = Client()
    asked = client.get(url)
    assert asked.status_code == 302 and asked["Location"] == f"{LOGIN}?next={url}"
    assert client.get(asked["Location"]).status_code == 200
    anonymous_session = client.cookies["sessionid"].value if "sessionid" in client.cookies else None
    response = _log_in(client, "caizheng", next_url=url)
    assert response.status_code == 302 and response["Location"] == url
    assert client.cookies["sessionid"].value != anonymous_session  # a new session key at login

    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    # The shared layout around the registry page.
    assert '<html lang="zh-hans">' in page and '<header class="topbar">' in page
    assert '<span class="whoami">王科长</span>' in page and 'action="/accounts/logout/"' in page
    assert 'aria-current="page">干部</a>' in page  # the registry's sub-navigation, on its cadres tab
    crumbs = re.search(r'<nav class="breadcrumbs"[^>]*>(.*?)</nav>', page, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", crumbs).split(" › ") == ["首页", "干部", "张伟明"]
    assert district.zhang.id_number in page and 'id="history"' in page
    assert "{%" not in page and "{{" not in page
    assert "default-src 'self'" in response["Content-Security-Policy"] and response["X-Frame-Options"] == "DENY"
    # The view in clear is journaled with where it came from.
    entry = JournalEntry.objects.get(action="registry.cadre.viewed_sensitive")
    assert entry.actor_id == officer.pk and entry.ip == "127.0.0.1" and entry.request_id == response["X-Request-Id"] and entry.role == Role.ORG_OFFICER

    assert client.post("/accounts/logout/").status_code == 302
    again = client.get(url)
    assert again.status_code == 302 and again["Location"].startswith(LOGIN)


def test_with_two_factor_login_required_the_registry_waits_for_the_code(district):
    core_actions.change_setting(actor=security_admin(), key="security.require_totp_for_all", value=True)
    url = reverse("registry:cadre_list")
    officer = make_user(role=Role.ORG_OFFICER, unit=district.finance, username="caizheng")

    # Not set up yet: the password opens only the set-up page.
    client = Client()
    assert _log_in(client, "caizheng", next_url=url).status_code == 302
    assert client.get(url)["Location"] == "/accounts/two-factor/"
    picker = client.get(reverse("registry:pick_cadres"), headers={"HX-Request": "true"})
    assert picker["HX-Redirect"] == "/accounts/two-factor/"  # htmx loads the whole page, not a fragment

    seed = enrol_totp(officer)
    client = Client()
    response = _log_in(client, "caizheng", next_url=url)
    assert response.status_code == 302 and response["Location"] == CODE
    between = client.get(url)  # password accepted, code not yet: still logged out
    assert between.status_code == 302 and between["Location"].startswith(LOGIN)
    response = client.post(CODE, {"code": totp_code(seed, steps_ahead=1)})
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url)
    assert page.status_code == 200 and "张伟明" in page.content.decode()


def test_an_issued_password_is_changed_before_the_registry_opens(district):
    user = account_actions.create_user(actor=system_admin(), username="xinren", full_name="新人", password=PASSWORD, must_change_password=True)
    account_actions.assign_role(actor=security_admin(), user=user, role=Role.UNIT_LEADER, unit=district.finance)
    client = Client()
    url = reverse("registry:unit_tree")
    assert _log_in(client, "xinren", next_url=url).status_code == 302
    assert client.get(url)["Location"] == "/accounts/password/"


def test_an_idle_session_on_a_registry_page_goes_back_to_the_login(district):
    make_user(role=Role.ORG_OFFICER, unit=district.finance, username="caizheng")
    client = Client()
    url = reverse("registry:cadre_list")
    _log_in(client, "caizheng", next_url=url)
    assert client.get(url).status_code == 200
    session = client.session
    session[SESSION_SEEN_KEY] -= 31 * 60
    session.save()
    picker = client.get(reverse("registry:pick_cadres") + "?cadre_q=zwm", headers={"HX-Request": "true"})
    assert picker["HX-Redirect"].startswith(f"{LOGIN}?expired=1")
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
