"""Issue #8 part 9: `Cache-Control: no-store` on every page a logged-in user sees and on every API
response (core.middleware.SecurityHeadersMiddleware); static files keep their long cache."""

import pytest
from django.test import Client

from jiandu.accounts.models import Role
from jiandu.testing import admin_persona, api_client, log_in, make_cadre, make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance():
    root = make_unit(name="示范区委", kind="party_committee")
    return make_unit(name="财政局", parent=root)


@pytest.fixture
def officer(finance):
    return make_user(role=Role.ORG_OFFICER, unit=finance)


def assert_no_store(response):
    assert "no-store" in response["Cache-Control"], response.get("Cache-Control")


def test_cadre_detail_page_is_no_store(finance, officer):
    cadre = make_cadre(unit=finance, name="王建国")
    response = log_in(Client(), officer).get(f"/registry/cadres/{cadre.pk}/")
    assert response.status_code == 200 and "王建国".encode() in response.content
    assert_no_store(response)
    assert "private" in response["Cache-Control"] and "Expires" in response


def test_api_list_is_no_store_with_a_token_and_with_a_session(finance, officer):
    with_token = api_client(officer).get("/api/v1/registry/units")
    assert with_token.status_code == 200
    assert_no_store(with_token)
    with_session = log_in(Client(), officer).get("/api/v1/registry/units")
    assert with_session.status_code == 200
    assert_no_store(with_session)


def test_api_errors_are_no_store_too(officer):
    assert_no_store(Client().get("/api/v1/registry/units"))  # 401
    assert_no_store(api_client(officer).get("/api/v1/registry/units/999999"))  # 404
    assert_no_store(Client().get("/api/v1/nothing-here"))  # JSON 404 outside the API object


def test_journal_page_is_no_store():
    auditor = admin_persona(Role.AUDIT_ADMIN)
    response = log_in(Client(), auditor).get("/journal/")
    assert response.status_code == 200
    assert_no_store(response)


def test_redirects_of_logged_in_users_are_no_store(officer):
    response = log_in(Client(), officer).get("/registry/")
    assert response.status_code == 302
    assert_no_store(response)


def test_a_page_that_already_says_never_cache_is_left_as_it_is(officer):
    response = log_in(Client(), officer).get("/accounts/tokens/")
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_anonymous_pages_are_left_to_say_what_they_say():
    """Pages without a logged-in user carry no personal data: the middleware adds nothing to them
    (the login page and the public voting pages send their own never-cache headers)."""
    response = Client().get("/")
    assert response.status_code == 302 and "Cache-Control" not in response


def test_static_files_keep_their_long_cache(officer, settings):
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_MAX_AGE = 31536000
    client = log_in(Client(), officer)  # a new client builds the middleware with these settings
    response = client.get("/static/css/jiandu.css")
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=31536000, public"
    assert "no-store" not in response["Cache-Control"]


def test_api_docs_assets_keep_their_public_cache(officer):
    response = log_in(Client(), officer).get("/api/v1/docs/assets/swagger-ui.css")
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=86400"
