"""The JSON API's shell at /api/v1/: the one NinjaAPI, its authentication (personal API tokens and
the browser session), its JSON error handlers, the docs page, and the mounting of every app's
router (`mount_app_routers`, called by api_urls). The schemas and helpers every app's `api.py`
shares (Id, InputSchema, Page, paginate, text, optional …) are in jiandu.core.api."""

import importlib
import importlib.resources
import importlib.util
import json
import logging

from django.apps import apps
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, InterfaceError, OperationalError
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.template import Context, Template
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import DocsBase
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from jiandu.accounts import access
from jiandu.accounts.actions import TokenCheck, check_token, record_token_refused, user_for_token
from jiandu.accounts.models import ADMIN_ROLES
from jiandu.core import context
from jiandu.core.api import DEFAULT_LIMIT, MAX_LIMIT, SAFE_METHODS, JianduAPI, error_body
from jiandu.core.errors import ActionError

log = logging.getLogger("jiandu.api")


# --- authentication ------------------------------------------------------------------------


class Unauthenticated(AuthenticationError):
    pass


class CsrfFailed(HttpError):
    def __init__(self):
        super().__init__(403, "CSRF check failed")


def _mark_authenticated(request, user, *, token: bool) -> None:
    # The journal takes the actor from the action's `actor` (request.user) and the role from the
    # request context; the session middleware sets the role for sessions, this does for tokens.
    request.user = user
    request.jiandu_token_auth = token
    if token:
        context.current().role = ",".join(sorted(access.roles(user)))[:64]


class TokenRefused(HttpError):
    """A token that was found but may not be used for this request (expired, a forced step
    pending, read-only, administrator's token outside administration); `code` tells which."""

    def __init__(self, status_code: int, code: str, message: str):
        super().__init__(status_code, message)
        self.code = code
        self.message = message


# Where an administrator's token works (relative to the API root): the administrative endpoints
# (accounts) and the API's own description. Everything else is business data, which the three
# administrator roles never see (三权分立), so their tokens are refused there outright.
API_ROOT = "/api/v1/"
ADMIN_TOKEN_PATHS = ("accounts/", "docs", "openapi.json")


def _scope_refusal(request, user, token) -> str:
    """Why this valid token may not make this request, or ""."""
    if token.read_only and request.method not in SAFE_METHODS:
        return "read_only"
    if access.roles(user) & ADMIN_ROLES and not request.path_info.startswith(tuple(API_ROOT + p for p in ADMIN_TOKEN_PATHS)):
        return "admin_scope"
    return ""


def _refusal_error(reason: str) -> HttpError:
    if reason == "expired":
        return TokenRefused(401, "token_expired", _("This API token has expired. Create a new one on your account page."))
    if reason == "password_change_required":
        return TokenRefused(403, reason, _("Your password must be changed in the browser first; until then your API tokens do not work."))
    if reason == "two_factor_setup_required":
        return TokenRefused(403, reason, _("Two-factor login must be set up in the browser first; until then your API tokens do not work."))
    if reason == "read_only":
        return TokenRefused(403, "read_only_token", _("This API token is read-only: it can read data but not change anything."))
    if reason == "admin_scope":
        return TokenRefused(403, "token_scope", _("An administrator's API token can only be used for account administration."))
    return Unauthenticated()


def user_for_bearer(request):
    """The user of a valid `Authorization: Bearer jd_…` header; None when there is no header.
    A header that is present but unusable, or a token not allowed this request (read-only token
    changing data, administrator's token outside administration), raises Unauthenticated or
    TokenRefused, and is journaled."""
    header = request.headers.get("Authorization")
    if not header:
        return None
    scheme, _sep, secret = header.partition(" ")
    secret = secret.strip()
    check = check_token(secret) if scheme.lower() == "bearer" else TokenCheck(None, refusal="unknown")
    if check.user is not None:
        refusal = _scope_refusal(request, check.user, check.token)
        if refusal:
            check = TokenCheck(None, check.token, refusal)
    if check.user is None:
        prefix = secret[:8] if secret.startswith("jd_") else ""
        record_token_refused(token=check.token, prefix=prefix, reason=check.refusal, path=request.path)
        raise _refusal_error(check.refusal)
    request.jiandu_api_token = check.token
    return check.user


class BearerToken(HttpBearer):
    """A personal API token (create one at /api/v1/accounts/tokens from a logged-in session)."""

    def __call__(self, request):
        user = user_for_bearer(request)
        if user is None:
            return None
        _mark_authenticated(request, user, token=True)
        return user

    def authenticate(self, request, token):
        """HttpBearer's hook; __call__ reads the header itself so that rejections are journaled,
        but a direct call answers the same way."""
        return user_for_token(token)


class SessionCookie(APIKeyCookie):
    """The browser session of a logged-in user; unsafe methods need the CSRF token
    (`X-CSRFToken` header), as every form does."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request):
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise CsrfFailed()
        _mark_authenticated(request, user, token=False)
        return user


def _respond(request, status: int, body: dict) -> HttpResponse:
    return api.create_response(request, body, status=status)


def _on_action_error(request, exc):
    return _respond(request, 400, error_body(exc.code or "invalid", exc.message, exc.field))


def _on_not_found(request, exc):
    from .views import record_refusal  # the views import this module's neighbours

    record_refusal(request, exc)  # journaled as the pages do (SECURITY.md: a 403 is a security event)
    return _respond(request, 404, error_body("not_found", _("Not found, or not visible to you.")))


def _on_validation_error(request, exc: ValidationError):
    errors = exc.errors
    first = errors[0] if errors else {"field": None, "message": _("Enter a valid value.")}
    body = error_body("validation_error", first["message"], first["field"], errors=errors)
    return _respond(request, 422, body)


def _on_http_error(request, exc: HttpError):
    if isinstance(exc, AuthenticationError):
        response = _respond(request, 401, error_body("unauthenticated", _("Log in, or send a valid API token (Authorization: Bearer …).")))
        response["WWW-Authenticate"] = 'Bearer realm="jiandu"'
        return response
    if isinstance(exc, TokenRefused):
        response = _respond(request, exc.status_code, error_body(exc.code, exc.message))
        if exc.status_code == 401:
            response["WWW-Authenticate"] = 'Bearer realm="jiandu", error="invalid_token"'
        return response
    if isinstance(exc, CsrfFailed):
        return _respond(request, 403, error_body("csrf_failed", _("The CSRF token is missing or wrong: reload the page and try again.")))
    if exc.status_code == 429:
        return _respond(request, 429, error_body("throttled", _("Too many requests; wait a moment and try again.")))
    if exc.status_code == 404:
        return _on_not_found(request, exc)
    # Otherwise only the framework raises HttpError: 400 for a body that is not JSON.
    return _respond(request, exc.status_code, error_body("invalid_json", _("Enter a valid JSON."), "body"))


def _on_django_validation_error(request, exc: DjangoValidationError):
    field = next(iter(exc.message_dict), None) if hasattr(exc, "error_dict") else None
    return _respond(request, 400, error_body("invalid", " ".join(exc.messages), field))


def _on_suspicious(request, exc):
    log.warning("refused API request on %s %s: %s", request.method, request.path, type(exc).__name__)
    if isinstance(exc, RequestDataTooBig):
        return _respond(request, 400, error_body("too_large", _("The request is too large."), "body"))
    return _respond(request, 400, error_body("bad_request", _("Enter a valid value.")))


def _on_integrity_error(request, exc):
    log.warning("integrity error on %s %s: %s", request.method, request.path, type(exc).__name__)
    return _respond(request, 409, error_body("conflict", _("Another change got there first; reload and try again.")))


def _on_unexpected(request, exc):
    if isinstance(exc, (OperationalError, InterfaceError)):
        raise exc  # DatabaseUnavailableMiddleware answers 503
    incident = getattr(request, "request_id", "")
    log.exception("API error (incident %s) on %s %s", incident, request.method, request.path)
    return _respond(request, 500, error_body("server_error", _("Something went wrong on our side."), incident=incident))


# --- the docs page (Swagger UI vendored under static/vendor/swagger-ui-5.31.0, no CDN) ------
# The page loads its scripts and styles as static files: WhiteNoise serves them compressed and
# cached (hashed and immutable in production). docs_asset below still answers the old addresses.

DOCS_ASSETS = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-init.js": "text/javascript",
    "favicon.png": "image/png",
}

_DOCS_HTML = """{% load static %}<!DOCTYPE html>
<html lang="{{ language }}">
<head>
<meta charset="utf-8">
<title>{{ title }}</title>
<link rel="stylesheet" href="{% static 'vendor/swagger-ui-5.31.0/swagger-ui.css' %}">
<link rel="icon" href="{% static 'vendor/swagger-ui-5.31.0/favicon.png' %}" type="image/png">
</head>
<body data-csrf-token="{{ csrf_token }}" data-api-csrf="true">
<script type="application/json" id="swagger-settings">{{ settings_json|safe }}</script>
<div id="swagger-ui"></div>
<script src="{% static 'vendor/swagger-ui-5.31.0/swagger-ui-bundle.js' %}"></script>
<script src="{% static 'vendor/swagger-ui-5.31.0/swagger-ui-init.js' %}"></script>
</body>
</html>
"""


class LocalSwagger(DocsBase):
    """Swagger UI served from this site: scripts and styles are static files (vendored)."""

    def render_page(self, request, api, **kwargs):
        from django.utils.translation import get_language

        # Inside a <script> block nothing may be HTML-escaped, so "<" is escaped the JSON way.
        settings_json = json.dumps({"url": self.get_openapi_url(api, kwargs), "layout": "BaseLayout", "deepLinking": True}).replace("<", "\\u003c")
        html = Template(_DOCS_HTML).render(
            Context(
                {
                    "title": api.title,
                    "language": get_language() or settings.LANGUAGE_CODE,
                    "csrf_token": get_token(request),
                    "settings_json": settings_json,
                },
                autoescape=True,
            )
        )
        return HttpResponse(html)


def docs_access(view):
    """The schema and the docs page are for logged-in users (deny by default, SECURITY.md):
    a session or an API token; the docs page sends anonymous visitors to the login page."""

    def wrapped(request, *args, **kwargs):
        try:
            user = user_for_bearer(request)
        except Unauthenticated as exc:
            return _on_http_error(request, exc)
        if user is None and request.user.is_authenticated:
            user = request.user
        if user is None:
            if request.path.rstrip("/").endswith("/docs"):
                return redirect_to_login(request.get_full_path())
            return _on_http_error(request, Unauthenticated())
        return view(request, *args, **kwargs)

    return wrapped


def docs_asset(request, name: str):
    """One of Swagger UI's files from the ninja package (allow-listed names only)."""
    import ninja

    content_type = DOCS_ASSETS.get(name)
    if content_type is None:
        raise Http404
    path = importlib.resources.files(ninja) / "static" / "ninja" / name
    response = HttpResponse(path.read_bytes(), content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response


def not_found(request, *args, **kwargs):
    """JSON 404 for any /api/v1/ address that names no endpoint."""
    return JsonResponse(error_body("not_found", _("Not found, or not visible to you.")), status=404)


# --- the API -------------------------------------------------------------------------------

API_DESCRIPTION = f"""The JSON API of Jiandu (监督), the cadre-supervision platform. It shows and changes exactly
what the pages do, with the same rights: objects outside your units are "not found".

**Authentication.** Send a personal API token as `Authorization: Bearer jd_…` (create one with
`POST /api/v1/accounts/tokens` while logged in; it is shown once). In the browser, the login
session works too; then requests that change data need the `X-CSRFToken` header.

**Tokens** expire (`expires_at`; valid up to the second before it) and are revoked when their owner
changes the password, is given a new one by an administrator, is disabled, or ends all sessions.
They do not work while the owner must change the password or set up two-factor login. A read-only
token (`"read_only": true`) may only read (`GET`). An administrator's token works only under
`/api/v1/accounts/`.

**Errors** are JSON: `{{"code": …, "message": …, "field": …}}`. `message` is in the language of
`Accept-Language` (Chinese by default).

| status | code | meaning |
|---|---|---|
| 400 | `invalid` (or a more specific code) | the change was refused, e.g. a precondition failed; `field` names the field at fault |
| 400 | `invalid_json`, `too_large` | the body is not JSON, or too large |
| 401 | `unauthenticated` | no valid token or session |
| 401 | `token_expired` | the token is past its expiry: create a new one |
| 403 | `csrf_failed` | a session request that changes data came without the CSRF token |
| 403 | `read_only_token` | a read-only token tried to change data |
| 403 | `token_scope` | an administrator's token was used outside account administration |
| 403 | `password_change_required`, `two_factor_setup_required` | the owner must first complete that step in the browser |
| 404 | `not_found` | no such object, or not visible to you (the two look the same) |
| 409 | `conflict` | a concurrent change got there first: reload and try again |
| 422 | `validation_error` | the request does not match the schema; `errors` lists every field at fault |

**Lists** take `limit` (1–{MAX_LIMIT}, default {DEFAULT_LIMIT}) and `offset`, and answer
`{{"count", "limit", "offset", "items"}}` where `count` is the total over all pages. A `unit`
filter means that unit and every unit below it.

**Changes** (`PATCH`) change only the fields sent. Every change is recorded in the journal.
"""

api = JianduAPI(
    title="Jiandu API",
    version="1",
    description=API_DESCRIPTION,
    urls_namespace="api",
    auth=[BearerToken(), SessionCookie()],
    docs=LocalSwagger(),
    docs_decorator=docs_access,
)

api.add_exception_handler(Http404, _on_not_found)
api.add_exception_handler(ObjectDoesNotExist, _on_not_found)
api.add_exception_handler(PermissionDenied, _on_not_found)
api.add_exception_handler(HttpError, _on_http_error)
api.add_exception_handler(ValidationError, _on_validation_error)
api.add_exception_handler(DjangoValidationError, _on_django_validation_error)
api.add_exception_handler(IntegrityError, _on_integrity_error)
api.add_exception_handler(SuspiciousOperation, _on_suspicious)
api.add_exception_handler(Exception, _on_unexpected)
api.add_exception_handler(ActionError, _on_action_error)


def mount_app_routers(target: NinjaAPI = api) -> list[str]:
    """Mount `router` of every installed jiandu app's `api` module at /<app label>/; returns the
    labels mounted. Later pillar apps only add jiandu/<app>/api.py."""
    mounted = []
    for config in apps.get_app_configs():
        if not config.name.startswith("jiandu.") or config.name == __package__:
            continue
        module_name = f"{config.name}.api"
        if importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        router = getattr(module, "router", None)
        if router is None:
            continue
        target.add_router(f"/{config.label}/", router)
        mounted.append(config.label)
    return mounted
