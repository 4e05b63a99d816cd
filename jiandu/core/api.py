"""The JSON API's base: JSON errors, pagination and the schemas every app's `api.py` shares. The
one NinjaAPI, its authentication, error handlers and docs page live in the shell (jiandu.web.api);
what clients see is in its API_DESCRIPTION.

Adding endpoints to an app: create jiandu/<app>/api.py with `router = Router(tags=["<app>"])`;
`web.api.mount_app_routers` (called by web.api_urls) mounts it at /api/v1/<app label>/. Conventions:
- Endpoints are adapters like views: parse with a schema, fetch through the app's scoped
  queries (`get_<noun>_for(request.user, pk)`, not visible = 404), call one action, return.
  Raise ActionError / NotVisible as views do; the handlers of web.api turn them into JSON.
- Paths without a trailing slash (`/units`, `/units/{unit_id}`); ids typed `Id`; creates answer
  201; `PATCH` schemas use `optional()` fields and pass `model_dump(exclude_unset=True)`.
- Lists: a filter schema extending `PageQuery`, `response=Page[ItemOut]`, `paginate(qs, filters)`.
- Request bodies extend `InputSchema` (unknown fields refused); strings use `text(max_length)`,
  which matches the model's max_length and refuses NUL characters (PostgreSQL would fail).
- Authentication is global: request.user is the caller (token or session) and actions get it as
  `actor`, so the journal records who did what; `is_token_request(request)` tells them apart.
"""

import logging
from typing import Annotated, Any, Generic, TypeVar

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Field, NinjaAPI, Schema
from ninja.errors import ValidationError
from pydantic import AfterValidator, ConfigDict
from pydantic_core import PydanticCustomError

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
    def get_openapi_operation_id(self, operation) -> str:
        """`jiandu_<app>_api_<function>` wherever in the app's api package the function is written,
        so splitting an app's api module into parts does not rename operations clients know."""
        parts = operation.view_func.__module__.split(".")
        if len(parts) > 3 and parts[0] == "jiandu" and parts[2] == "api":
            parts = parts[:3]
        return "_".join([*parts, operation.view_func.__name__])

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
