"""Personal API tokens page: create (secret shown once), list, revoke; another user's token is 404."""

import pytest
from django.test import Client

from jiandu.accounts import actions
from jiandu.accounts.models import ApiToken
from jiandu.testing import make_user

pytestmark = pytest.mark.django_db


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_create_shows_the_secret_once_then_only_the_prefix():
    user = make_user()
    client = _as(user)
    assert client.get("/accounts/tokens/").status_code == 200
    response = client.post("/accounts/tokens/", {"name": "月报脚本"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    secret = response.context["secret"]
    assert secret.encode() in response.content
    assert actions.user_for_token(secret) == user
    again = client.get("/accounts/tokens/")
    assert secret.encode() not in again.content and secret[:8].encode() in again.content and "月报脚本".encode() in again.content


def test_create_errors_are_shown_and_nothing_is_stored():
    user = make_user()
    client = _as(user)
    response = client.post("/accounts/tokens/", {"name": ""})
    assert response.status_code == 200 and response.context["form"].errors and response.context["secret"] is None
    client.post("/accounts/tokens/", {"name": "dup"})
    response = client.post("/accounts/tokens/", {"name": "dup"})
    assert "name" in response.context["form"].errors
    assert ApiToken.objects.filter(user=user).count() == 1


def test_revoke_own_token():
    user = make_user()
    token, secret = actions.create_api_token(actor=user, name="t")
    client = _as(user)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/")["Location"] == "/accounts/tokens/"
    assert actions.user_for_token(secret) is None
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302  # already revoked: a message, no error


def test_another_users_token_is_404_and_stays_valid():
    owner, other = make_user(), make_user()
    token, secret = actions.create_api_token(actor=owner, name="t")
    assert _as(other).post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert _as(other).post("/accounts/tokens/999999/revoke/").status_code == 404
    assert actions.user_for_token(secret) == owner
    assert b"jd_" not in _as(other).get("/accounts/tokens/").content


def test_my_account_page():
    user = make_user(full_name="周明")
    actions.create_api_token(actor=user, name="t")
    page = _as(user).get("/accounts/me/")
    assert page.status_code == 200 and page.context["token_count"] == 1
    assert "周明".encode() in page.content and b"/accounts/two-factor/" in page.content
