"""Request context (IP, request id), security headers, no-store on personal data, and a clear 503
when the database is down."""

import functools
import ipaddress
import json
import logging
import uuid

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

from . import context

log = logging.getLogger("jiandu")

CSP = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


@functools.lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _address(text: str | None):
    try:
        address = ipaddress.ip_address((text or "").strip())
    except ValueError:
        return None
    # A dual-stack server sees IPv4 clients as ::ffff:a.b.c.d; compare them as IPv4.
    return address.ipv4_mapped if address.version == 6 and address.ipv4_mapped else address


def _trusted(address, networks) -> bool:
    return address is not None and any(address.version == n.version and address in n for n in networks)


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, unless the connection comes from a trusted reverse proxy
    (settings.TRUSTED_PROXIES, JIANDU_TRUSTED_PROXIES; empty by default). Only then the proxy's
    X-Real-IP is used, or else X-Forwarded-For read from the right, skipping trusted proxies.
    A header from anyone else is ignored: it would let a client choose the address that rate
    limits count and the journal records. Used by every rate limit, the journal and the ballot
    lane alike."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if not networks or not _trusted(_address(remote), networks):
        return remote
    real = _address(request.META.get("HTTP_X_REAL_IP"))
    if real is not None:
        return str(real)
    client = remote
    for hop in reversed((request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",")):
        address = _address(hop)
        if address is None:
            break
        client = str(address)
        if not _trusted(address, networks):
            break
    return client


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = uuid.uuid4().hex
        token = context.begin(client_ip(request), request_id)
        request.request_id = request_id
        try:
            response = self.get_response(request)
        finally:
            context.end(token)
        response["X-Request-Id"] = request_id
        return response


def apply_security_headers(request, response) -> None:
    """Content-Security-Policy and Permissions-Policy, unless the response set its own."""
    if request.path.startswith("/api/v1/docs"):
        # Swagger UI ships inline bootstrapping; the docs page gets a slightly looser policy.
        response.setdefault(
            "Content-Security-Policy",
            CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
        )
    else:
        response.setdefault("Content-Security-Policy", CSP)
    response.setdefault("Permissions-Policy", "camera=(self), microphone=(), geolocation=()")


def carries_personal_data(request) -> bool:
    """Every API response and every page seen by a logged-in user (SECURITY.md: such answers are
    never stored by browsers or proxies). Anonymous pages (login, public voting) are not meant:
    the voting pages send their own never-cache headers."""
    if request.path_info.startswith("/api/"):
        return True
    user = getattr(request, "user", None)
    try:
        return bool(user is not None and user.is_authenticated)
    except (OperationalError, InterfaceError):  # the session could not be read: assume the worst
        return True


def apply_no_store(request, response) -> None:
    """`Cache-Control: no-store` (Django's never-cache headers) on responses that carry personal
    data, unless the response already says no-store, or explicitly declared itself `public` (the
    API docs page's script files). Static files never get here: WhiteNoise answers them first."""
    cache_control = response.get("Cache-Control", "")
    if "no-store" in cache_control or "public" in cache_control:
        return
    if carries_personal_data(request):
        add_never_cache_headers(response)


class SecurityHeadersMiddleware:
    """Security headers, and no-store on personal data. It sits outside the session and auth
    middleware, so it sees every answer (also their redirects and refusals) and the final user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        apply_security_headers(request, response)
        apply_no_store(request, response)
        return response


# Seconds a client is asked to wait before trying again during an outage.
RETRY_AFTER_SECONDS = 30


def is_database_outage(exception) -> bool:
    """The database cannot be reached or the connection broke (not a bad query: that is a bug)."""
    return isinstance(exception, (OperationalError, InterfaceError))


def database_unavailable(request, exception) -> HttpResponse:
    """The 503 answer: a page (or JSON under /api/) with the incident id, no traceback. Built
    without touching the database: no session, no user, no context processors."""
    incident = getattr(request, "request_id", "")
    log.error("database unavailable (incident %s, %s %s): %s", incident, request.method, request.path, type(exception).__name__)
    if request.path.startswith("/api/"):
        body = {"code": "unavailable", "message": "database unavailable", "field": None, "incident": incident}
        response = HttpResponse(json.dumps(body), status=503, content_type="application/json")
    else:
        response = HttpResponse(render_to_string("503.html", {"incident": incident}, request=None), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """A database outage gives a clear 503 page; Django reconnects on the next request by itself
    (a connection that failed is closed when the request ends).

    This catches what views raise. The session and user are loaded by middleware that runs
    before any view; an outage there reaches the 500 handler, which answers the same 503
    (jiandu.web.views.server_error)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_outage(exception):
            return database_unavailable(request, exception)
        return None
