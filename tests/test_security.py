"""Cross-cutting security checks: headers, cookies, CSRF on every state-changing route, error pages
without tracebacks, and `manage.py check --deploy` under production settings."""

import os
import subprocess
import sys
import types

import pytest
from django.test import Client
from django.urls import include, path

from jiandu.accounts.models import Role
from jiandu.testing import PASSWORD, admin_persona, make_unit, make_user

from .routes import BASE_DIR, iter_routes

pytestmark = pytest.mark.django_db


# --- headers -------------------------------------------------------------------------------------


def _assert_security_headers(response, where):
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0], where
    assert response["X-Frame-Options"] == "DENY", where
    assert response["X-Content-Type-Options"] == "nosniff", where
    assert response["Referrer-Policy"] == "same-origin", where
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", where


def test_security_headers_on_public_private_and_error_pages():
    anonymous = Client()
    _assert_security_headers(anonymous.get("/accounts/login/"), "login")
    _assert_security_headers(anonymous.get("/"), "redirect")
    officer = Client()
    officer.force_login(make_user(role=Role.ORG_OFFICER, unit=make_unit()))
    _assert_security_headers(officer.get("/"), "home")
    _assert_security_headers(officer.get("/registry/cadres/"), "list")
    _assert_security_headers(officer.get("/no/such/page/"), "404")
    assert "Strict-Transport-Security" not in officer.get("/")  # only over HTTPS in production


def test_hsts_and_https_redirect_under_production_settings(settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SECURE_SSL_REDIRECT = True
    client = Client()
    plain = client.get("/accounts/login/")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    secure = client.get("/accounts/login/", secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def _production_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIANDU_")}
    env.update(
        JIANDU_PRODUCTION="1",
        JIANDU_SECRET_KEY="x7#Kq9!mZ2@pL5$wR8^tY3&vB6*nC1(eD4)fG0_hJ-uI+oP=aS" * 2,
        JIANDU_ALLOWED_HOSTS="jiandu.example.gov.cn",
        JIANDU_JOURNAL_KEY="journal-key-of-the-test-installation-0123456789abcdef",
        JIANDU_FIELD_KEY="field-key-of-the-test-installation-0123456789abcdef",
        JIANDU_BALLOT_KEY="5a" * 32,
        DJANGO_SETTINGS_MODULE="config.settings",
        **extra,
    )
    return env


def test_manage_py_check_deploy_is_clean_under_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=_production_env(
            JIANDU_VAR_DIR=str(tmp_path), JIANDU_DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", JIANDU_JOURNAL_CHECKPOINT_DIR=str(tmp_path / "cp")
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_its_own_keys(tmp_path):
    env = _production_env(JIANDU_VAR_DIR=str(tmp_path), JIANDU_DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    del env["JIANDU_BALLOT_KEY"]
    env["JIANDU_FIELD_KEY"] = env["JIANDU_SECRET_KEY"]
    check = subprocess.run([sys.executable, "manage.py", "check"], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120)
    assert check.returncode != 0
    assert "core.E001" in check.stderr and "JIANDU_BALLOT_KEY" in check.stderr
    assert "core.E002" in check.stderr and "JIANDU_FIELD_KEY and JIANDU_SECRET_KEY" in check.stderr
    serve = subprocess.run([sys.executable, "-c", "import config.wsgi"], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120)
    assert serve.returncode != 0 and "ImproperlyConfigured" in serve.stderr and "JIANDU_BALLOT_KEY" in serve.stderr
    del env["JIANDU_FIELD_KEY"]
    env.update(JIANDU_FIELD_KEY="another-field-key-0123456789", JIANDU_BALLOT_KEY="5b" * 32)
    serve = subprocess.run([sys.executable, "-c", "import config.wsgi; print('serving')"], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120)
    assert serve.returncode == 0 and serve.stdout.strip() == "serving", serve.stderr


def test_production_cookies_are_secure_httponly_and_samesite(tmp_path):
    code = (
        "from django.conf import settings as s; import django; django.setup(); "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_HTTPONLY, "
        "s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SAMESITE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS >= 31536000)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=_production_env(JIANDU_VAR_DIR=str(tmp_path)), capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == ["True", "True", "True", "True", "Lax", "Lax", "True", "True"], result.stderr


def test_session_cookie_flags_on_login(client):
    make_user(username="cookies")
    response = client.post("/accounts/login/", {"username": "cookies", "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


# --- CSRF ----------------------------------------------------------------------------------------


def test_every_post_without_a_csrf_token_is_refused():
    """Every route, as a logged-in user and anonymously, POSTed without the CSRF token."""
    user = admin_persona(Role.SYSTEM_ADMIN)
    logged_in = Client(enforce_csrf_checks=True)
    logged_in.force_login(user)
    anonymous = Client(enforce_csrf_checks=True)
    anonymous.get("/accounts/login/")  # has a CSRF cookie, but sends no token
    tried, refused, problems = 0, 0, []
    for route in iter_routes():
        if route.url.startswith("/static/"):
            continue
        for who, client in (("user", logged_in), ("anonymous", anonymous)):
            response = client.post(route.url, {"username": user.username, "password": PASSWORD, "reason": "x", "value": "1"})
            tried += 1
            if route.url.startswith("/api/"):
                ok = response.status_code in (401, 403, 404, 405)
            else:
                ok = response.status_code == 403
            refused += ok
            if not ok:
                problems.append(f"{who} POST {route.url} ({route.name}) → {response.status_code}")
    print(f"\nCSRF: {tried} POSTs without a token, {refused} refused, {tried - refused} got through")
    assert not problems, "\n".join(problems)
    user.refresh_from_db()
    assert user.is_active and logged_in.get("/").status_code == 200


def test_csrf_failure_page_is_translated_and_has_no_details():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    content = response.content.decode()
    assert "CSRF cookie not set" not in content and "Reason given" not in content


# --- error pages ---------------------------------------------------------------------------------


def _boom(request):
    raise RuntimeError("kaboom: secret detail that must not leak")


def _boom_api(request):
    raise RuntimeError("kaboom api")


_failing_urlconf = types.ModuleType("failing_urlconf")
_failing_urlconf.urlpatterns = [
    path("boom/", _boom),
    path("api/boom/", _boom_api),
    path("", include("config.urls")),
]
_failing_urlconf.handler500 = "jiandu.web.views.server_error"
_failing_urlconf.handler404 = "jiandu.web.views.page_not_found"


def test_server_error_shows_an_incident_id_and_never_a_traceback(settings, caplog):
    settings.DEBUG = False
    settings.ROOT_URLCONF = _failing_urlconf
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    content = response.content.decode()
    incident = response["X-Request-Id"]
    assert len(incident) == 32 and incident in content
    assert "Traceback" not in content and "kaboom" not in content and "RuntimeError" not in content and "File " not in content
    assert any(incident in record.getMessage() for record in caplog.records)  # the log line carries the same id
    api = client.get("/api/boom/")
    assert api.status_code == 500 and api.json() == {"code": "server_error", "message": "server error", "incident": api["X-Request-Id"]}


def test_not_found_page_has_no_debug_details(settings):
    settings.DEBUG = False
    response = Client().get("/no/such/page/")
    assert response.status_code in (302, 404)
    client = Client()
    client.force_login(make_user())
    content = client.get("/no/such/page/").content.decode()
    assert "URLconf" not in content and "Using the URLconf" not in content
