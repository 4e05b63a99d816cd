"""The JSON API at /api/v1/: one NinjaAPI, its authentication, JSON errors, pagination and the
schemas every app's `api.py` shares. What clients see is in API_DESCRIPTION (the docs page).

Adding endpoints to an app: create jiandu/<app>/api.py with `router = Router(tags=["<app>"])`;
`mount_app_routers` (called by api_urls) mounts it at /api/v1/<app label>/. Conventions:
- Endpoints are adapters like views: parse with a schema, fetch through the app's scoped
  queries (`get_<noun>_for(request.user, pk)`, not visible = 404), call one action, return.
  Raise ActionError / NotVisible as views do; the handlers here turn them into JSON.
- Paths without a trailing slash (`/units`, `/units/{unit_id}`); ids typed `Id`; creates answer
  201; `PATCH` schemas use `optional()` fields and pass `model_dump(exclude_unset=True)`.
- Lists: a filter schema extending `PageQuery`, `response=Page[ItemOut]`, `paginate(qs, filters)`.
- Request bodies extend `InputSchema` (unknown fields refused); strings use `text(max_length)`,
  which matches the model's max_length and refuses NUL characters (PostgreSQL would fail).
- Authentication is global: request.user is the caller (token or session) and actions get it as
  `actor`, so the journal records who did what; `is_token_request(request)` tells them apart.
"""

import importlib
import importlib.resources
import importlib.util
import json
import logging
from typing import Annotated, Any, Generic, TypeVar

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
from django.utils.translation import ngettext
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import DocsBase
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf
from pydantic import AfterValidator, ConfigDict
from pydantic_core import PydanticCustomError

from . import context
from .errors import ActionError

log = logging.getLogger("jiandu.api")

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

# --- shared types --------------------------------------------------------------------------

# Largest id a BigAutoField holds; larger numbers in a path are refused by the schema (422).
MAX_ID = 2**63 - 1
# Offsets beyond this are refused rather than sent to the database.
MAX_OFFSET = 10**9
MAX_LIMIT = 200
DEFAULT_LIMIT = 50
# Largest value of a PositiveIntegerField on every supported database.
MAX_POSITIVE_INT = 2_147_483_647


def _clean_text(value: str) -> str:
    # PostgreSQL refuses NUL characters and UTF-8 cannot carry lone surrogates: both would be
    # a server error later, so they are a validation error here.
    if "\x00" in value:
        raise PydanticCustomError("null_characters", "Null characters are not allowed.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PydanticCustomError("invalid_characters", "Invalid characters.")
    return value


def text(max_length: int, min_length: int | None = None):
    """A string field type: limited length, no NUL or unencodable characters."""
    return Annotated[str, Field(max_length=max_length, min_length=min_length), AfterValidator(_clean_text)]


Text = Annotated[str, AfterValidator(_clean_text)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def _drop_default(schema: dict) -> None:
    schema.pop("default", None)


def optional(**kwargs) -> Any:
    """A field a PATCH may leave out. Sent fields must be valid (null is refused unless the type
    allows it); the endpoint passes on only `model_dump(exclude_unset=True)`."""
    return Field(None, json_schema_extra=_drop_default, **kwargs)


class InputSchema(Schema):
    """Base of request bodies: unknown fields are refused rather than silently ignored."""

    model_config = ConfigDict(extra="forbid")


class Error(Schema):
    code: str = Field(description="machine-readable error code")
    message: str = Field(description="translated, human-readable message")
    field: str | None = Field(None, description="the request field at fault, if any")


class FieldError(Schema):
    field: str
    source: str = Field(description="where the field was sent: body, query, path, header")
    code: str
    message: str


class ValidationErrorOut(Error):
    errors: list[FieldError]


class Ref(Schema):
    """A reference to another object: its id and display name."""

    id: int
    name: str


# --- pagination ----------------------------------------------------------------------------


class PageQuery(Schema):
    """`limit`/`offset` query parameters; list filters extend this schema."""

    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"page size, 1–{MAX_LIMIT}")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="number of items to skip")


T = TypeVar("T")


class Page(Schema, Generic[T]):
    count: int = Field(description="number of items matching the filters, over all pages")
    limit: int
    offset: int
    items: list[T]


def paginate(queryset, page: PageQuery, transform=None) -> dict:
    """One page of `queryset` with the total count; `transform` maps each row (e.g. masking)."""
    rows = list(queryset[page.offset : page.offset + page.limit])
    if transform is not None:
        rows = [transform(row) for row in rows]
    return {"count": queryset.count(), "limit": page.limit, "offset": page.offset, "items": rows}


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
        from jiandu.accounts import access

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
    from jiandu.accounts import access
    from jiandu.accounts.models import ADMIN_ROLES

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
    from jiandu.accounts.actions import TokenCheck, check_token, record_token_refused

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
        from jiandu.accounts.actions import user_for_token

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


def is_token_request(request) -> bool:
    return bool(getattr(request, "jiandu_token_auth", False))


# --- errors --------------------------------------------------------------------------------


def error_body(code: str, message, field: str | None = None, **extra) -> dict:
    return {"code": code, "message": str(message), "field": field, **extra}


def _field_path(loc: tuple) -> str:
    return ".".join(str(part) for part in loc) or "__all__"


def _validation_message(item: dict) -> str:
    """A translated message for one pydantic error. Where Django has the same message, its
    msgid is used, so Django's own catalogue already translates it."""
    kind = item.get("type", "")
    ctx = item.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in ("int_parsing", "int_type", "int_from_float", "int_parsing_size"):
        return _("Enter a whole number.")
    if kind in ("float_parsing", "float_type", "decimal_parsing", "decimal_type", "finite_number"):
        return _("Enter a number.")
    if kind.startswith("datetime_"):
        return _("Enter a valid date/time.")
    if kind.startswith("date_"):
        return _("Enter a valid date.")
    if kind in ("greater_than_equal", "greater_than"):
        return _("Ensure this value is greater than or equal to %(limit_value)s.") % {"limit_value": ctx.get("ge", ctx.get("gt"))}
    if kind in ("less_than_equal", "less_than"):
        return _("Ensure this value is less than or equal to %(limit_value)s.") % {"limit_value": ctx.get("le", ctx.get("lt"))}
    if kind == "string_too_long":
        limit = ctx.get("max_length", 0)
        return ngettext(
            "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
            "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
            limit,
        ) % {"limit_value": limit, "show_value": len(item.get("input") or "")}
    if kind == "string_too_short":
        limit = ctx.get("min_length", 0)
        if limit == 1:
            return _("This field is required.")
        return ngettext(
            "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
            "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
            limit,
        ) % {"limit_value": limit, "show_value": len(item.get("input") or "")}
    if kind in ("literal_error", "enum"):
        return _("Select a valid choice. That choice is not one of the available choices.")
    if kind == "json_invalid":
        return _("Enter a valid JSON.")
    if kind == "null_characters":
        return _("Null characters are not allowed.")
    if kind == "extra_forbidden":
        return _("Unknown field.")
    return _("Enter a valid value.")


class JianduAPI(NinjaAPI):
    def validation_error_from_error_contexts(self, error_contexts) -> ValidationError:
        errors = []
        for error_context in error_contexts:
            model = error_context.model
            source = model.__ninja_param_source__
            flatten = model.__ninja_flatten_map_reverse__
            for item in error_context.pydantic_validation_error.errors(include_url=False):
                loc = tuple(flatten.get(item["loc"], item["loc"]))
                if getattr(model, "__read_from_single_attr__", None):
                    # The body is one schema: name fields as the client sent them, without the
                    # name of the view's parameter; the body itself is "body".
                    loc = loc[1:] or ("body",)
                errors.append({"field": _field_path(loc), "source": source, "code": item["type"], "message": _validation_message(item)})
        return ValidationError(errors)

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        _document_errors(schema)
        return schema


ERROR_RESPONSES = {
    "400": "The action was refused (a precondition failed), or the body is not JSON; `field` names the field at fault.",
    "401": "No valid API token or session (`token_expired`: the token is past its expiry).",
    "403": "A session request that changes data came without the CSRF token; or the token may not do this: `read_only_token`, `token_scope` (an administrator's token outside account administration), `password_change_required`, `two_factor_setup_required`.",
    "404": "Not found, or not visible to you: the two look the same.",
    "409": "A concurrent change conflicted with this one; reload and try again.",
    "422": "The request does not match the schema; `errors` lists each field at fault.",
}


def _document_errors(schema: dict) -> None:
    """Every operation documents the JSON errors it can return (status codes as above)."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = Error.model_json_schema(ref_template="#/components/schemas/{model}")
    validation = ValidationErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(validation.pop("$defs", {}))
    components["ValidationErrorOut"] = validation
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            codes = ["401", "403", "404", "422"] + ([] if method.upper() in SAFE_METHODS else ["400", "409"])
            for code in sorted(codes):
                if code in responses or int(code) in responses:
                    continue
                ref = "ValidationErrorOut" if code == "422" else "Error"
                responses[code] = {
                    "description": ERROR_RESPONSES[code],
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}},
                }


def _respond(request, status: int, body: dict) -> HttpResponse:
    return api.create_response(request, body, status=status)


def _on_action_error(request, exc):
    return _respond(request, 400, error_body(exc.code or "invalid", exc.message, exc.field))


def _on_not_found(request, exc):
    from .views import record_refusal  # noqa: PLC0415  (the views import the API's neighbours)

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
