"""Accounts API: "me" and one's own API tokens (list, create from a session, revoke)."""

import re

import pytest
from django.test import Client

from jiandu.accounts.models import ApiToken, Role
from jiandu.core import crypto
from jiandu.core.models import JournalEntry
from jiandu.testing import api_client, make_api_token, make_unit, make_user

pytestmark = pytest.mark.django_db

BASE = "/api/v1/accounts"


@pytest.fixture
def unit():
    return make_unit(name="财政局")


@pytest.fixture
def officer(unit):
    return make_user(role=Role.ORG_OFFICER, unit=unit, full_name="刘洋")


def session_client(user) -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    page = client.get("/api/v1/docs")
    return client, re.search(r'data-csrf-token="([^"]+)"', page.content.decode()).group(1)


def test_me(unit, officer):
    body = api_client(officer, language="en").get(f"{BASE}/me").json()
    assert (body["id"], body["username"], body["full_name"], body["cadre_id"], body["token_auth"]) == (officer.pk, officer.username, "刘洋", None, True)
    assert body["roles"] == [{"role": "org_officer", "label": "organisation-department supervision officer", "unit_id": unit.pk, "include_descendants": True}]
    assert "registry.manage" in body["permissions"] and "journal.search" not in body["permissions"]
    assert body["permissions"] == sorted(body["permissions"])


def test_me_needs_authentication():
    assert Client().get(f"{BASE}/me").status_code == 401


def test_token_list_shows_only_my_tokens_without_secrets(officer):
    other = make_user(role=Role.ORG_OFFICER)
    make_api_token(other, name="别人的")
    secret = make_api_token(officer, name="报表脚本")
    client = api_client(officer)  # a second token of the officer
    page = client.get(f"{BASE}/tokens").json()
    assert page["count"] == 2
    names = sorted(t["name"] for t in page["items"])
    assert names[0].startswith("test token") and names[1] == "报表脚本"
    assert secret not in str(page) and "token" not in page["items"][0]
    assert {t["prefix"] for t in page["items"]} >= {secret[:8]}
    assert all(t["is_active"] and t["revoked_at"] is None for t in page["items"])


def test_create_token_from_a_session(officer):
    client, csrf = session_client(officer)
    response = client.post(f"{BASE}/tokens", {"name": "数据同步"}, content_type="application/json", headers={"X-CSRFToken": csrf})
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "数据同步" and body["token"].startswith("jd_") and body["prefix"] == body["token"][:8]
    token = ApiToken.objects.get(pk=body["id"])
    assert token.user_id == officer.pk and token.token_hash == crypto.digest(body["token"].encode())
    assert body["token"] not in str(JournalEntry.objects.filter(action="accounts.token.created").values_list("data", flat=True))
    # The new token works at once, and is never shown again.
    assert api_client(secret=body["token"]).get(f"{BASE}/me").json()["username"] == officer.username
    assert "token" not in client.get(f"{BASE}/tokens/{body['id']}").json()


def test_create_token_needs_csrf_under_a_session(officer):
    client, _csrf = session_client(officer)
    assert client.post(f"{BASE}/tokens", {"name": "x"}, content_type="application/json").status_code == 403
    assert not ApiToken.objects.filter(user=officer).exists()


def test_a_token_cannot_create_tokens(officer):
    client = api_client(officer)
    response = client.post(f"{BASE}/tokens", {"name": "再来一个"}, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "session_required"
    assert ApiToken.objects.filter(user=officer).count() == 1


def test_token_name_is_required(officer):
    client, csrf = session_client(officer)
    for name in ("", "x" * 101):
        response = client.post(f"{BASE}/tokens", {"name": name}, content_type="application/json", headers={"X-CSRFToken": csrf})
        assert response.status_code == 422 and response.json()["field"] == "name"
    blank = client.post(f"{BASE}/tokens", {"name": "   "}, content_type="application/json", headers={"X-CSRFToken": csrf})
    assert blank.status_code == 400 and blank.json()["field"] == "name"


def test_revoke_my_token(officer):
    secret = make_api_token(officer, name="旧脚本")
    token = ApiToken.objects.get(user=officer, name="旧脚本")
    client = api_client(officer)
    response = client.post(f"{BASE}/tokens/{token.pk}/revoke")
    assert response.status_code == 200
    assert response.json()["is_active"] is False and response.json()["revoked_at"]
    assert JournalEntry.objects.filter(action="accounts.token.revoked", target_id=str(token.pk), actor_id=officer.pk).exists()
    assert api_client(secret=secret).get(f"{BASE}/me").status_code == 401
    again = client.post(f"{BASE}/tokens/{token.pk}/revoke")
    assert again.status_code == 400
    assert [t["name"] for t in client.get(f"{BASE}/tokens?active=false").json()["items"]] == ["旧脚本"]
    active = [t["name"] for t in client.get(f"{BASE}/tokens?active=true").json()["items"]]
    assert len(active) == 1 and active[0].startswith("test token")


def test_revoking_the_token_in_use_ends_it(officer):
    secret = make_api_token(officer)
    client = api_client(secret=secret)
    token = ApiToken.objects.get(user=officer)
    assert client.post(f"{BASE}/tokens/{token.pk}/revoke").status_code == 200
    assert client.get(f"{BASE}/me").status_code == 401


def test_other_peoples_tokens_are_404(officer):
    other = make_user(role=Role.ORG_OFFICER)
    make_api_token(other)
    theirs = ApiToken.objects.get(user=other)
    client = api_client(officer)
    assert client.get(f"{BASE}/tokens/{theirs.pk}").status_code == 404
    assert client.post(f"{BASE}/tokens/{theirs.pk}/revoke").status_code == 404
    assert ApiToken.objects.get(pk=theirs.pk).revoked_at is None
