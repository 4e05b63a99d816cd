"""The API glue: authentication (token and session), JSON errors, pagination bounds, the OpenAPI
document and the docs page. Registry endpoints serve as the vehicle; their own behaviour is
tested in jiandu/registry/tests/test_api.py."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db import IntegrityError, OperationalError
from django.test import Client, RequestFactory
from django.utils import timezone

from jiandu.accounts import actions as account_actions
from jiandu.accounts.models import ApiToken, Role, User
from jiandu.core.models import JournalEntry
from jiandu.testing import api_client, make_api_token, make_unit, make_user, system_admin
from jiandu.web import api as web_api
from jiandu.web.api_urls import api

pytestmark = pytest.mark.django_db

UNITS = "/api/v1/registry/units"


@pytest.fixture
def finance():
    root = make_unit(name="示范区委", kind="party_committee")
    return make_unit(name="财政局", parent=root)


@pytest.fixture
def officer(finance):
    return make_user(role=Role.ORG_OFFICER, unit=finance)


def session_client(user, *, enforce_csrf=True) -> Client:
    """A browser-like client logged in as `user` (as the login view leaves the session)."""
    client = Client(enforce_csrf_checks=enforce_csrf)
    client.force_login(user)
    return client


def csrf_token_of(client) -> str:
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    return re.search(r'data-csrf-token="([^"]+)"', page.content.decode()).group(1)


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    assert "field" in body
    return body


# --- token authentication ------------------------------------------------------------------


def test_token_authenticates_and_the_journal_gets_the_actor_and_role(finance, officer):
    client = api_client(officer)
    me = client.get("/api/v1/accounts/me").json()
    assert me["username"] == officer.username and me["token_auth"] is True
    response = client.post(UNITS, {"name": "预算科", "kind": "other", "parent_id": finance.pk}, content_type="application/json")
    assert response.status_code == 201
    entry = JournalEntry.objects.get(action="registry.unit.created", target_id=str(response.json()["id"]))
    assert entry.actor_id == officer.pk
    assert entry.role == Role.ORG_OFFICER
    assert entry.request_id == response["X-Request-Id"]


def test_no_credentials_is_401_json_with_challenge(officer):
    response = Client().get(UNITS)
    assert_error(response, 401, "unauthenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer", "Bearer ", "Bearer jd_not-a-real-token", "Basic dXNlcjpwYXNz", "Token jd_x", "jd_x"])
def test_unusable_authorization_header_is_401_and_journaled_without_the_secret(officer, header):
    secret = make_api_token(officer)  # a valid token exists, but is not what is sent
    response = Client(headers={"Authorization": header}).get(UNITS)
    assert_error(response, 401, "unauthenticated")
    entry = JournalEntry.objects.filter(action="accounts.token.rejected").latest("seq")
    assert entry.outcome == "failed"
    sent = header.partition(" ")[2].strip()
    assert set(entry.data) == {"prefix", "path", "reason"} and entry.data["reason"] == "unknown"
    assert entry.data["prefix"] == (sent[:8] if sent.startswith("jd_") else "")
    assert secret not in str(entry.data)


def test_revoked_token_is_401(officer):
    secret = make_api_token(officer)
    client = api_client(secret=secret)
    assert client.get(UNITS).status_code == 200
    account_actions.revoke_api_token(actor=officer, token=ApiToken.objects.get(user=officer))
    assert_error(client.get(UNITS), 401, "unauthenticated")


def test_disabled_users_token_is_401(officer):
    client = api_client(officer)
    assert client.get(UNITS).status_code == 200
    account_actions.disable_user(actor=system_admin(), user=officer, reason="离职")
    assert_error(client.get(UNITS), 401, "unauthenticated")


def test_a_login_delay_does_not_stop_the_token(officer):
    """Others can delay an account's logins by failing on purpose (issue #8): its tokens go on."""
    client = api_client(officer)
    User.objects.filter(pk=officer.pk).update(locked_until=timezone.now() + dt.timedelta(minutes=30))
    assert client.get(UNITS).status_code == 200


def test_token_requests_need_no_csrf_token(finance, officer):
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {make_api_token(officer)}"})
    response = client.post(UNITS, {"name": "国库科", "kind": "other", "parent_id": finance.pk}, content_type="application/json")
    assert response.status_code == 201


def test_a_bad_token_is_not_rescued_by_a_session(officer):
    client = session_client(officer)
    assert client.get(UNITS).status_code == 200
    assert_error(client.get(UNITS, headers={"Authorization": "Bearer jd_wrong"}), 401, "unauthenticated")


# --- session authentication ----------------------------------------------------------------


def test_session_get_works_and_is_not_marked_as_token(officer):
    client = session_client(officer)
    assert client.get(UNITS).status_code == 200
    assert client.get("/api/v1/accounts/me").json()["token_auth"] is False


def test_session_post_without_csrf_token_is_403_json(finance, officer):
    client = session_client(officer)
    response = client.post(UNITS, {"name": "预算科", "kind": "other", "parent_id": finance.pk}, content_type="application/json")
    assert_error(response, 403, "csrf_failed")
    assert not JournalEntry.objects.filter(action="registry.unit.created", data__name="预算科").exists()
    for method in ("patch", "put", "delete"):
        assert getattr(client, method)(f"{UNITS}/{finance.pk}", {"name": "x"}, content_type="application/json").status_code in (403, 405)


def test_session_post_with_wrong_csrf_token_is_403(finance, officer):
    client = session_client(officer)
    csrf_token_of(client)
    response = client.post(
        UNITS, {"name": "预算科", "kind": "other", "parent_id": finance.pk}, content_type="application/json", headers={"X-CSRFToken": "x" * 64}
    )
    assert_error(response, 403, "csrf_failed")


def test_session_post_with_csrf_token_works(finance, officer):
    client = session_client(officer)
    token = csrf_token_of(client)
    response = client.post(UNITS, {"name": "预算科", "kind": "other", "parent_id": finance.pk}, content_type="application/json", headers={"X-CSRFToken": token})
    assert response.status_code == 201
    assert JournalEntry.objects.get(action="registry.unit.created", data__name="预算科").actor_id == officer.pk


def test_ended_session_is_401_not_a_redirect(officer):
    client = session_client(officer)
    account_actions.end_all_sessions(actor=officer, user=officer)
    assert_error(client.get(UNITS), 401, "unauthenticated")


def test_anonymous_post_is_401_not_403(finance):
    response = Client(enforce_csrf_checks=True).post(UNITS, {"name": "x", "kind": "other"}, content_type="application/json")
    assert_error(response, 401, "unauthenticated")


# --- errors --------------------------------------------------------------------------------


def test_action_error_is_400_with_code_message_and_field(finance, officer):
    client = api_client(officer, language="en")
    make_unit(name="预算科", parent=finance)
    response = client.post(UNITS, {"name": "预算科", "kind": "other", "parent_id": finance.pk}, content_type="application/json")
    body = assert_error(response, 400, "invalid")
    assert body["field"] == "name"
    assert "预算科" in body["message"]


def test_not_visible_and_not_found_look_the_same(finance, officer):
    elsewhere = make_unit(name="教育局")
    client = api_client(officer)
    hidden = assert_error(client.get(f"{UNITS}/{elsewhere.pk}"), 404, "not_found")
    missing = assert_error(client.get(f"{UNITS}/999999"), 404, "not_found")
    assert hidden == missing


def test_unknown_api_address_is_json_404(officer):
    client = api_client(officer)
    for path in ("/api/v1/", "/api/v1/nothing", "/api/v1/registry/nothing/1", "/api/v1/registry/units/1/nothing"):
        assert_error(client.get(path), 404, "not_found")
    assert assert_error(client.get("/api/v1/registry/units/abc"), 422, "validation_error")["field"] == "unit_id"


def test_wrong_method_is_405(officer):
    response = api_client(officer).delete(UNITS)
    assert response.status_code == 405
    assert "GET" in response["Allow"]


def test_body_that_is_not_json_is_400(officer):
    response = api_client(officer).post(UNITS, "{not json", content_type="application/json")
    body = assert_error(response, 400, "invalid_json")
    assert body["field"] == "body"


def test_body_that_is_too_large_is_400(officer, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api_client(officer).post(UNITS, {"name": "x" * 2000, "kind": "other"}, content_type="application/json")
    assert assert_error(response, 400, "too_large")["field"] == "body"


def test_validation_errors_are_422_with_field_paths(finance, officer):
    response = api_client(officer, language="en").post(UNITS, {"name": "", "kind": "castle", "parent_id": 0, "colour": "red"}, content_type="application/json")
    body = assert_error(response, 422, "validation_error")
    by_field = {e["field"]: e for e in body["errors"]}
    assert set(by_field) == {"name", "kind", "parent_id", "colour"}
    assert by_field["name"]["message"] == "This field is required."
    assert by_field["kind"]["code"] == "literal_error"
    assert by_field["parent_id"]["message"] == "Ensure this value is greater than or equal to 1."
    assert by_field["colour"]["message"] == "Unknown field."
    assert all(e["source"] == "body" for e in body["errors"])
    assert body["field"] == body["errors"][0]["field"] and body["message"] == body["errors"][0]["message"]


def test_missing_body_and_non_object_body_are_422(officer):
    client = api_client(officer)
    missing = assert_error(client.post(UNITS, content_type="application/json"), 422, "validation_error")
    assert {e["field"] for e in missing["errors"]} == {"name", "kind"}
    assert assert_error(client.post(UNITS, "[1, 2]", content_type="application/json"), 422, "validation_error")["field"] == "body"


def test_messages_follow_accept_language_with_chinese_by_default(officer):
    chinese = api_client(officer).get(f"{UNITS}?limit=abc").json()
    english = api_client(officer, language="en").get(f"{UNITS}?limit=abc").json()
    assert chinese["message"] == "输入整数。"
    assert english["message"] == "Enter a whole number."
    too_long = api_client(officer, language="en").get(f"{UNITS}?q={'x' * 101}").json()
    assert too_long["message"] == "Ensure this value has at most 100 characters (it has 101)."


def test_null_characters_are_refused_not_sent_to_the_database(finance, officer):
    client = api_client(officer, language="en")
    body = assert_error(client.get(f"{UNITS}?q=a%00b"), 422, "validation_error")
    assert body["field"] == "q" and body["message"] == "Null characters are not allowed."
    body = assert_error(
        client.post(UNITS, {"name": "a\x00b", "kind": "other", "parent_id": finance.pk}, content_type="application/json"), 422, "validation_error"
    )
    assert body["field"] == "name"


def test_lone_surrogates_are_refused(finance, officer):
    response = api_client(officer).post(UNITS, '{"name": "\\ud800", "kind": "other"}', content_type="application/json")
    assert assert_error(response, 422, "validation_error")["field"] == "name"


@pytest.mark.parametrize("value", ["0", "-1", str(2**63), "1.5", "x"])
def test_path_ids_out_of_range_are_422(officer, value):
    body = assert_error(api_client(officer).get(f"{UNITS}/{value}"), 422, "validation_error")
    assert body["field"] == "unit_id" and body["errors"][0]["source"] == "path"


def test_largest_id_is_simply_not_found(officer):
    assert_error(api_client(officer).get(f"{UNITS}/{2**63 - 1}"), 404, "not_found")


def test_unexpected_exception_is_500_json_with_incident_id():
    request = RequestFactory().get("/api/v1/x")
    request.request_id = "abc123"
    response = web_api._on_unexpected(request, RuntimeError("boom"))
    assert response.status_code == 500
    import json

    body = json.loads(response.content)
    assert body["code"] == "server_error" and body["incident"] == "abc123"
    assert "boom" not in response.content.decode()


def test_database_outage_is_left_to_the_503_middleware():
    request = RequestFactory().get("/api/v1/x")
    with pytest.raises(OperationalError):
        web_api._on_unexpected(request, OperationalError("down"))


def test_integrity_error_is_409_conflict():
    response = web_api._on_integrity_error(RequestFactory().post("/api/v1/x"), IntegrityError("unique"))
    assert response.status_code == 409
    assert b'"conflict"' in response.content


# --- pagination ----------------------------------------------------------------------------


def test_pagination_counts_and_bounds(finance, officer):
    for n in range(4):
        make_unit(name=f"科室{n}", parent=finance)
    client = api_client(officer)
    page = client.get(f"{UNITS}?limit=2&offset=3").json()
    assert (page["count"], page["limit"], page["offset"], len(page["items"])) == (5, 2, 3, 2)
    assert client.get(f"{UNITS}?offset=5").json()["items"] == []
    assert client.get(f"{UNITS}").json()["limit"] == 50
    assert client.get(f"{UNITS}?limit=200").status_code == 200
    assert client.get(f"{UNITS}?limit=1").status_code == 200
    assert client.get(f"{UNITS}?offset={10**9}").json()["items"] == []
    for bad in ("limit=201", "limit=0", "limit=-5", "offset=-1", f"offset={10**9 + 1}", "limit=1e3"):
        body = assert_error(client.get(f"{UNITS}?{bad}"), 422, "validation_error")
        assert body["field"] == bad.split("=")[0]


def test_pages_do_not_overlap_and_cover_everything(finance, officer):
    for n in range(5):
        make_unit(name=f"科室{n}", parent=finance)
    client = api_client(officer)
    seen = []
    for offset in range(0, 6, 2):
        seen += [u["id"] for u in client.get(f"{UNITS}?limit=2&offset={offset}").json()["items"]]
    assert len(seen) == len(set(seen)) == 6


# --- OpenAPI and docs ----------------------------------------------------------------------


def test_every_installed_app_with_an_api_module_is_mounted():
    mounted = web_api.mount_app_routers(web_api.JianduAPI(urls_namespace="probe"))
    assert {"accounts", "registry"} <= set(mounted) and "core" not in mounted
    paths = api.get_openapi_schema(path_prefix="/api/v1/")["paths"]
    assert "/api/v1/registry/units" in paths and "/api/v1/accounts/me" in paths


def test_openapi_document_needs_authentication(officer):
    assert_error(Client().get("/api/v1/openapi.json"), 401, "unauthenticated")
    assert_error(Client(headers={"Authorization": "Bearer jd_nope"}).get("/api/v1/openapi.json"), 401, "unauthenticated")
    assert session_client(officer).get("/api/v1/openapi.json").status_code == 200


def test_openapi_document_is_valid_openapi_3_and_documents_errors(officer):
    import schemathesis

    response = api_client(officer).get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    schema = schemathesis.openapi.from_dict(document)
    schema.validate()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    assert set(document["components"]["securitySchemes"]) == {"BearerToken", "SessionCookie"}
    assert document["components"]["securitySchemes"]["BearerToken"] == {"type": "http", "scheme": "bearer"}
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            responses = set(operation["responses"])
            assert {"401", "404", "422"} <= responses, (method, path)
            if method != "get":
                assert {"400", "403"} <= responses, (method, path)
            assert operation["security"], (method, path)
    error = document["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"code", "message"}


def test_docs_page_needs_a_login(officer):
    response = Client().get("/api/v1/docs")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_docs_page_uses_only_local_files_that_exist(officer):
    client = session_client(officer)
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "SwaggerUIBundle" not in html  # no inline script: the bootstrapping is a file
    assert "cdn" not in html.lower() and "http://" not in html and "https://" not in html
    references = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert len(references) == 4
    expected_types = {".css": "text/css", ".js": "text/javascript", ".png": "image/png"}
    for reference in references:
        assert reference.startswith("/static/vendor/swagger-ui-5.31.0/")
        found = finders.find(reference.removeprefix("/static/"))
        assert found and Path(found).stat().st_size > 100, reference
        assert reference[reference.rindex(".") :] in expected_types
    settings_json = re.search(r'<script type="application/json" id="swagger-settings">(.*?)</script>', html, re.S).group(1)
    assert '"url": "/api/v1/openapi.json"' in settings_json


def test_docs_assets_are_served_compressed_and_cached(tmp_path, settings):
    """The Swagger bundle is 1.5 MB: WhiteNoise sends it gzipped and marks it immutable (its
    address carries the version), so the docs page shows quickly and only once downloads it."""
    from django.core.management import call_command
    from django.http import HttpResponse
    from django.test import RequestFactory
    from whitenoise.middleware import WhiteNoiseMiddleware

    settings.STATIC_ROOT = tmp_path
    call_command("collectstatic", "--no-input", verbosity=0)
    middleware = WhiteNoiseMiddleware(get_response=lambda request: HttpResponse(status=404))
    url = "/static/vendor/swagger-ui-5.31.0/swagger-ui-bundle.js"
    response = middleware(RequestFactory().get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br"))
    assert response.status_code == 200
    assert response["Content-Encoding"] in {"gzip", "br"}
    assert int(response["Content-Length"]) < 600_000  # from 1.5 MB
    assert "immutable" in response["Cache-Control"] and "max-age=315360000" in response["Cache-Control"]
    # Our own stylesheet changes between versions under one name: cached briefly only.
    response = middleware(RequestFactory().get("/static/css/jiandu.css"))
    assert response.status_code == 200 and "immutable" not in response["Cache-Control"]


def test_docs_assets_are_allow_listed(officer):
    for name in ("redoc.standalone.js", "..%2F..%2Fmain.py", "swagger-ui-bundle.js.map", "x"):
        assert Client().get(f"/api/v1/docs/assets/{name}").status_code == 404


def test_bearer_authenticate_hook_answers_like_the_header_path(officer):
    from jiandu.web.api import BearerToken

    secret = make_api_token(officer)
    assert BearerToken().authenticate(None, secret) == officer
    assert BearerToken().authenticate(None, "jd_not-a-token") is None
