"""The ballot lane: the final "submit" of the voting form, answered without the full request cycle.

When a meeting room votes, hundreds of phones post /vote/ballot/ within minutes; that one request
is the platform's hot path (issue #3 sets its throughput against raw database transactions). Through
Django's full stack it cost ~1.8 ms of CPU, of which the ballot itself (code look-up, checks,
sealing, one redeeming statement) was ~0.4 ms: the rest was fourteen middleware, the form parser
and the template engine rendering the same receipt page again and again (docs/decisions/0006).

`BallotLane` wraps the WSGI application. For POST /vote/ballot/ with step=submit it does what the
view does on success, with the same Django pieces, and nothing else:

* the body is checked (form type, size) and parsed the way Django parses forms;
* ALLOWED_HOSTS is checked by `request.get_host()`, CSRF by Django's own `CsrfViewMiddleware`
  (Origin, Referer under HTTPS, cookie and masked token), the language taken from the request as
  `LocaleMiddleware` does;
* the rate limit on wrong codes is consulted; the ballot is cast by `actions.cast_ballot_on`
  (the form names its ballot and group; the one redeeming statement checks both);
* the receipt page is `vote/receipt.html` rendered once per language and receipts address, with
  a mark where the receipt goes (plain letters, digits and dashes);
* the response gets its headers from the same middleware as every page (security headers,
  X-Frame-Options, never-cache, Vary, Content-Language, the CSRF cookie renewal, X-Request-Id).

Everything that is not a plain success goes to Django unchanged, with the body replayed: another
step, a wrong type or size, a refused CSRF check, a blocked address, a code that is unknown, used
or closed, an incomplete ballot, a database outage. Django then answers exactly as without the
lane (the same page, status, journal entry and rate-limit count: the lane itself journals and
counts nothing). tests/test_lane.py compares both answers header by header.

Set JIANDU_BALLOT_LANE=0 to send every request through Django.
"""

import io
import logging
import re
import threading
import time
import uuid
from collections import OrderedDict
from urllib.parse import parse_qsl

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.core import signals
from django.core.handlers.wsgi import WSGIRequest, get_script_name
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.middleware.security import SecurityMiddleware
from django.template.loader import render_to_string
from django.urls import reverse, set_script_prefix
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.datastructures import MultiValueDict
from django.utils.http import http_date

from jiandu.core import context
from jiandu.core.errors import ActionError
from jiandu.core.middleware import apply_security_headers, client_ip

from . import actions, forms, ratelimit
from .public_views import FORM_TYPES, MAX_BODY

log = logging.getLogger("jiandu.ballots")

PATH = "/vote/ballot/"
_REFUSED = object()
_SAFE_TOKEN = re.compile(r"[A-Za-z0-9-]{1,80}")


NEVER_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"
_expires = (0, "")


def _expired() -> str:
    """The Expires date Django's never-cache headers give (a second ago), formatted once a second."""
    global _expires
    second = int(time.time())
    if _expires[0] != second:
        _expires = (second, http_date(second - 1))
    return _expires[1]


class _LaneCsrf(CsrfViewMiddleware):
    """Django's CSRF check, but a refusal is only reported back: Django's own pass over the same
    request then refuses it (with the failure page, its log line and journal entry), once."""

    def _reject(self, request, reason):
        return _REFUSED


def _ignore(request):  # get_response of the middleware used here only for their hooks
    raise AssertionError("not called")


class BallotLane:
    def __init__(self, application):
        self.application = application
        self.csrf = _LaneCsrf(_ignore)
        # The lane sets the language as LocaleMiddleware does when URLs carry no language prefix.
        self.enabled = not is_language_prefix_patterns_used(settings.ROOT_URLCONF)[0]
        self.security = SecurityMiddleware(_ignore)
        self.xframe = XFrameOptionsMiddleware(_ignore)
        self._pages: OrderedDict[tuple, list[str]] = OrderedDict()  # (language, scheme, host, ballot) → parts
        self._pages_lock = threading.Lock()

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") != PATH or environ.get("REQUEST_METHOD") != "POST" or not (self.enabled and settings.BALLOT_LANE):
            return self.application(environ, start_response)
        body = self._read_body(environ)
        if body is None:
            return self.application(environ, start_response)
        response = None
        signals.request_started.send(sender=self.__class__, environ=environ)
        try:
            response = self._cast(environ, body)
        finally:
            if response is None:
                signals.request_finished.send(sender=self.__class__)
        if response is None:
            environ["wsgi.input"] = io.BytesIO(body)
            return self.application(environ, start_response)
        return self._send(response, start_response)

    # --- the request --------------------------------------------------------------------------

    @staticmethod
    def _read_body(environ) -> bytes | None:
        """The posted form, or None when the request is not a plain form of a ballot's size (the
        view answers those: 413, 415, …); the body is then left unread."""
        content_type = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        if content_type != FORM_TYPES[0]:
            return None
        try:
            length = int(environ.get("CONTENT_LENGTH") or "")
        except ValueError:
            return None
        if not 0 < length <= MAX_BODY:
            return None
        body = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(body)
        return body if len(body) == length else None

    @staticmethod
    def _fields(request, body: bytes) -> MultiValueDict | None:
        """The form fields as Django parses them (UTF-8 or the request's charset, blank values kept,
        at most DATA_UPLOAD_MAX_NUMBER_FIELDS), or None when Django would refuse the body."""
        try:
            text = body.decode(request.encoding or settings.DEFAULT_CHARSET)
            pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)
        except (UnicodeDecodeError, LookupError, ValueError):
            return None
        lists: dict[str, list[str]] = {}
        for name, value in pairs:
            lists.setdefault(name, []).append(value)
        return MultiValueDict(lists)

    def _cast(self, environ, body: bytes) -> HttpResponse | None:
        """The receipt response, or None for anything but a plain success (Django answers it)."""
        set_script_prefix(get_script_name(environ))
        request = WSGIRequest(environ)
        fields = self._fields(request, body)
        if fields is None or fields.get("step") != "submit":
            return None
        request._post, request._files = fields, MultiValueDict()
        request_id = uuid.uuid4().hex
        request.request_id = request_id
        token = context.begin(client_ip(request), request_id)
        try:
            if settings.SECURE_SSL_REDIRECT and not request.is_secure():
                return None
            request.get_host()  # ALLOWED_HOSTS (DisallowedHost: Django answers 400), as CommonMiddleware does first
            self.csrf.process_request(request)
            if self.csrf.process_view(request, None, (), {}) is not None:
                return None
            if ratelimit.is_blocked(client_ip(request)):
                return None
            translation.activate(translation.get_language_from_request(request))  # LocaleMiddleware, without i18n_patterns
            request.LANGUAGE_CODE = translation.get_language()
            submission = actions.cast_ballot_on(
                ballot=fields.get("ballot", ""),
                group=fields.get("group", ""),
                code=fields.get("code", ""),
                answers=forms.parse_answers(fields, allow_blank=False),
                written=forms.parse_written(fields),
            )
        except (ActionError, OperationalError, InterfaceError):
            return None
        except Exception:  # noqa: BLE001 - e.g. DisallowedHost: Django's own pass answers it properly
            log.debug("ballot lane passes a request on", exc_info=True)
            return None
        finally:
            context.end(token)
        # The ballot is cast: from here on, everything is the receipt page.
        response = HttpResponse(self._page(request, submission))
        response["X-Request-Id"] = request_id
        response["Expires"] = _expired()  # add_never_cache_headers, as @never_cache on the view
        response["Cache-Control"] = NEVER_CACHE
        self.xframe.process_response(request, response)
        self.csrf.process_response(request, response)
        patch_vary_headers(response, ("Cookie", "Accept-Language"))  # CSRF cookie; LocaleMiddleware
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        apply_security_headers(request, response)
        self.security.process_response(request, response)
        response.headers.setdefault("Content-Length", str(len(response.content)))
        return response

    # --- the receipt page ---------------------------------------------------------------------

    def _page(self, request, submission) -> str:
        """vote/receipt.html, from a rendering kept per (language, receipts address) with marks
        where the receipt and the CSRF token go."""
        key = (request.LANGUAGE_CODE, request.scheme, request.get_host(), submission.ballot.public_id)
        with self._pages_lock:
            parts = self._pages.get(key)
            if parts is not None:
                self._pages.move_to_end(key)
        if parts is None:
            url = request.build_absolute_uri(reverse("vote:receipts", args=[submission.ballot.public_id]))
            parts = self._skeleton(submission.ballot, url)
            with self._pages_lock:
                self._pages[key] = parts
                while len(self._pages) > 64:
                    self._pages.popitem(last=False)
        # Literal text at even places, the names of the values at odd places. The receipt page
        # has no form today; should it get one, its CSRF token is filled in (and the cookie renewed).
        values = {"receipt": submission.receipt}
        if "token" in parts[1::2]:
            values["token"] = get_token(request)
        if not all(_SAFE_TOKEN.fullmatch(v) for v in values.values()):
            raise ValueError("a receipt or token with characters that would need escaping")
        return "".join(values[part] if i % 2 else part for i, part in enumerate(parts))

    @staticmethod
    def _skeleton(ballot, url: str) -> list[str]:
        marks = {"receipt": f"R{uuid.uuid4().hex}", "token": f"T{uuid.uuid4().hex}"}
        page = render_to_string("vote/receipt.html", {"ballot": ballot, "receipt": marks["receipt"], "receipts_url": url, "csrf_token": marks["token"]})
        parts = re.split(f"({marks['receipt']}|{marks['token']})", page)
        names = {mark: name for name, mark in marks.items()}
        return [names[part] if i % 2 else part for i, part in enumerate(parts)]

    @staticmethod
    def _send(response: HttpResponse, start_response):
        """As Django's WSGIHandler sends a response (status line, headers, cookies)."""
        status = f"{response.status_code} {response.reason_phrase}"
        headers = [*response.items(), *(("Set-Cookie", c.output(header="")) for c in response.cookies.values())]
        start_response(status, headers)
        response._handler_class = BallotLane  # its close() sends request_finished, as Django's do
        return response
