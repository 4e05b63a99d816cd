"""Injection corpus (SECURITY.md "Input and files"): SQL, XSS, template, path traversal, CRLF, very
long strings, NUL, lone surrogates and out-of-range numbers through every HTML form and every JSON
API operation.

HTML forms are discovered, not listed: personas of the small demo district (with a few objects
added in states the demo lacks) open every page the URL resolver names without parameters and
every same-site link found on those pages, and collect each <form> and each link's query
parameters. Every field then gets the XSS and SQL payloads one field at a time (the other fields
keep the values the page shows, so a valid submission reaches the action and stores the payload),
plus one more payload of the corpus in turn and, for numbers and choices, a 25-digit number; every
form with free-text fields also gets every payload in all its fields at once. Then the crawl runs
again: stored payloads are looked for on every page, and the forms the changed objects (or the
answers to submissions, such as the voting page's steps) show now get the same treatment; a last
pass opens the pages once more. Assertions: no 5xx, no payload unescaped in any HTML answer, no
injected header or cookie.

The API part sends the corpus in every string field of every request body and in every path and
query parameter of every operation in /api/v1/openapi.json, with an organisation-department
head's token, ids taken from the API's own lists: no 5xx and JSON answers only.

Download names: user-supplied names that end up in Content-Disposition (attachment names, report
names) must not split the header, whatever characters they hold.

Each test prints its figures (forms, fields, requests, 5xx, unescaped reflections).
"""

import email.message
import io
import json
import logging
import re
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve

from jiandu.accounts import actions as account_actions
from jiandu.accounts.models import Role, User
from jiandu.ballots import actions as ballot_actions
from jiandu.registry.models import Unit
from jiandu.testing import api_client, enrol_totp, log_in, make_api_token, make_ballot, make_user

from .routes import iter_routes

pytestmark = pytest.mark.django_db

PAYLOADS = {
    "sql_or": "' OR 1=1--",
    "sql_drop": "'; DROP TABLE x;--",
    "xss_script": "<script>alert(1)</script>",
    "xss_img": '"><img src=x onerror=alert(1)>',
    "xss_url": "javascript:alert(1)",
    "template": "{{7*7}}",
    "template_tag": "{% debug %}",
    "template_dollar": "${7*7}",
    "traversal": "../../etc/passwd",
    "traversal_encoded": "..%2f..%2f",
    "crlf": "a\r\nSet-Cookie: x=1",
    "crlf_filename": 'report"\r\nContent-Disposition: attachment; filename="evil.html',
    "long": "测" * 3000 + "A" * 7000,
    "nul": "a\x00b",
    "surrogate": "a\ud800b",
    # Not injection as such, but what "is it a number?" checks let through: str.isdigit() accepts
    # superscripts that int() refuses, and a number too large for any integer column.
    "digits_superscript": "²",
    "number_huge": "9" * 25,
    "number_zero": "0",
}
# Every field gets these one field at a time; the rest of the corpus rotates over the fields.
EVERY_FIELD = ("xss_script", "xss_img", "sql_or")
ROTATING = tuple(name for name in PAYLOADS if name not in EVERY_FIELD)

# What an unescaped reflection looks like in a page (escaping removes every one of these).
UNESCAPED = (
    "<script>alert(1)</script>",
    "onerror=alert(1)>",
    re.compile(r"""(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:alert""", re.IGNORECASE),
)

# (persona, pages opened per route at most). The organisation-department head sees nearly every
# form; the others add their own (self-service, accounts, roles, journal).
PERSONAS = (
    ("demo_org_head", 6),
    ("demo_discipline", 2),
    ("demo_audit", 2),  # the clue officer of 审计局: the clue forms (register, receipt, feedback)
    ("demo_unit_leader", 2),
    ("demo_cadre", 2),
    ("demo_sysadmin", 2),
    ("demo_secadmin", 2),
    ("demo_auditadmin", 2),
)
# Not opened while crawling: logout; the API (its own test); generated files.
SKIP_ROUTES = {"accounts:logout", "set_language", "api-index", "api:api-root", "api-not-found", "api-docs-asset"}
FILE_ROUTE_ENDINGS = ("export", "template", "_pdf", "_file", "letter", "download", "document")
# Submitted last: they remove or end the objects other forms work on.
FINAL_WORDS = ("remove", "revoke", "discard", "withdraw", "close", "dismiss", "disable", "cancel", "void", "end", "complete", "delete")
# Fields that carry numbers or ids: each also gets a number no integer column holds.
NUMERIC = {"number", "select", "radio", "checkbox", "hidden"}
FREE_TEXT = {"text", "textarea", "search", "hidden", "number", "date", "datetime-local", "time", "email", "url", "tel", "password"}


@pytest.fixture
def quiet_request_log():
    """4xx answers are expected by the thousand here; keep django.request's warnings out of the output."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.fixture
def district(settings, quiet_request_log):
    """The small demo district, plus objects in the states the demo lacks, so that their forms
    show: a draft and an open ballot with a code to vote with, a disabled, a locked and a
    two-factor account that are nobody's persona, an API token."""
    settings.DEMO_MODE = True  # the demo accounts keep their documented password
    call_command("load_demo", "--small", stdout=io.StringIO())
    users = {u.username: u for u in User.objects.filter(username__startswith="demo_")}
    # The demo administrators come enrolled in two-factor login (load_demo, README).
    assert all(users[username].totp_enabled for username in ("demo_sysadmin", "demo_secadmin", "demo_auditadmin"))
    officer, department = users["demo_org_officer"], Unit.objects.get(short_name="组织部")
    make_ballot(unit=department, actor=officer)
    ballot = make_ballot(unit=department, actor=officer, open=True)
    _batch, codes = ballot_actions.generate_codes(actor=officer, ballot=ballot, group=ballot.groups.first(), count=2)
    make_user(role=Role.ORG_OFFICER, unit=None, username="injection_bystander")
    account_actions.disable_user(actor=users["demo_sysadmin"], user=make_user(username="injection_disabled"), reason="调离")
    make_user(username="injection_locked")
    for _ in range(10):
        account_actions.register_login_failure(username="injection_locked")
    enrol_totp(make_user(username="injection_totp"))
    make_api_token(users["demo_org_head"])
    return {"users": users, "code": codes[0]}


# --- discovering forms -----------------------------------------------------------------------------


@dataclass
class Form:
    page: str
    action: str
    method: str
    multipart: bool
    fields: list = field(default_factory=list)  # [(name, kind, value or None)] in document order
    only: frozenset | None = None  # inject into these fields only (the rest were done before)

    @property
    def route(self) -> str:
        return _route_name(urlsplit(self.action).path) or self.action

    def key(self):
        """POST forms by route and fields; GET forms (filter bars, page-size pickers, links with a
        query) by route alone: they are all parameters of the same list view, merged into one."""
        if self.method == "get":
            return (self.route, "get", self.only and tuple(sorted(self.only)))
        return (self.route, self.method, tuple(sorted({name for name, kind, _ in self.fields if kind not in ("submit", "file")})))

    def targets(self) -> list[tuple[str, str]]:
        """(name, kind) of the fields to inject into: one per name, and one per numbered family
        (cadre-1 … cadre-24 are one field of the same view code)."""
        seen, out = set(), []
        for name, kind, _value in self.fields:
            family = re.sub(r"\d+", "#", name)
            if name == "csrfmiddlewaretoken" or kind in ("submit", "file") or family in seen or (self.only is not None and name not in self.only):
                continue
            seen.add(family)
            out.append((name, kind))
        return out

    def names(self) -> set[str]:
        return {name for name, kind, _ in self.fields if name != "csrfmiddlewaretoken" and kind not in ("submit", "file")}

    def base_data(self) -> list[tuple[str, str]]:
        """What the page would submit as it stands: its values, checked boxes, selected options,
        the CSRF token and the first named submit button."""
        pairs, button = [], None
        for name, kind, value in self.fields:
            if kind == "submit":
                if button is None and name:
                    button = (name, value)
            elif kind != "file" and value is not None:
                pairs.append((name, value))
        return pairs + ([button] if button else [])

    def files(self) -> list[str]:
        return [name for name, kind, _ in self.fields if kind == "file"]


class PageParser(HTMLParser):
    def __init__(self, page):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self.links: list[str] = []
        self.form: Form | None = None
        self.select: dict | None = None
        self.option: dict | None = None
        self.textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            action = urljoin(self.page, a.get("action") or self.page)
            self.form = Form(self.page, action, (a.get("method") or "get").lower(), a.get("enctype", "").lower() == "multipart/form-data")
            self.forms.append(self.form)
        elif self.form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                self.form.fields.append((a["name"], kind, (a.get("value") or "on") if "checked" in a else None))
            elif kind in ("submit", "image", "button", "reset"):
                self.form.fields.append((a["name"], "submit", a.get("value", "")))
            else:
                self.form.fields.append((a["name"], kind, a.get("value", "")))
        elif tag == "button" and (a.get("type") or "submit") == "submit":
            self.form.fields.append((a.get("name", ""), "submit", a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self.textarea = {"name": a["name"], "text": []}
        elif tag == "select" and a.get("name"):
            self.select = {"name": a["name"], "multiple": "multiple" in a, "first": None, "chosen": False}
        elif tag == "option" and self.select is not None:
            self.option = {"value": a.get("value"), "selected": "selected" in a, "text": []}

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea["text"].append(data)
        if self.option is not None:
            self.option["text"].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "textarea" and self.textarea is not None:
            self.form.fields.append((self.textarea["name"], "textarea", "".join(self.textarea["text"]).removeprefix("\n")))
            self.textarea = None
        elif tag == "option" and self.option is not None:
            value = self.option["value"] if self.option["value"] is not None else "".join(self.option["text"]).strip()
            if self.option["selected"]:
                self.form.fields.append((self.select["name"], "select", value))
                self.select["chosen"] = True
            elif self.select["first"] is None and value:
                self.select["first"] = value
            self.option = None
        elif tag == "select" and self.select is not None:
            if not self.select["chosen"]:
                self.form.fields.append((self.select["name"], "select", None if self.select["multiple"] else self.select["first"]))
            self.select = None


def parse(page, html) -> PageParser:
    parser = PageParser(page)
    parser.feed(html)
    return parser


def _route_name(path):
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def unescaped_reflections(html: str) -> list[str]:
    hits = []
    for marker in UNESCAPED:
        if (marker in html) if isinstance(marker, str) else marker.search(html):
            hits.append(marker if isinstance(marker, str) else marker.pattern)
    return hits


# --- sending ---------------------------------------------------------------------------------------


@dataclass
class Tally:
    requests: int = 0
    server_errors: list = field(default_factory=list)
    reflections: list = field(default_factory=list)
    injected_headers: list = field(default_factory=list)
    wrong_type: list = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)


class Browser:
    """One persona's test client. Each request runs in a savepoint, so that a failed one cannot
    poison the test's transaction on PostgreSQL; a submission that ended the session (a password
    reset, "log out everywhere") is followed by a new login."""

    def __init__(self, user, tally):
        self.user = user
        self.tally = tally
        self.client = Client(raise_request_exception=True)
        self.found: list[Form] = []  # forms in answers to submissions (multi-step pages)
        if user is not None:
            log_in(self.client, user)

    @property
    def name(self):
        return self.user.username if self.user else "anonymous"

    def request(self, method, url, what, **kwargs):
        self.tally.requests += 1
        where = f"{self.name} {method.upper()} {url[:120]} [{what}]"
        sid = transaction.savepoint()
        try:
            response = getattr(self.client, method)(url, **kwargs)
        except Exception as exc:  # noqa: BLE001  (the test client re-raises what the view raised: a 5xx)
            transaction.savepoint_rollback(sid)
            self.tally.statuses[500] += 1
            self.tally.server_errors.append(f"{where}: {type(exc).__name__}: {str(exc)[:160]} at {_our_frame(exc)}")
            return None
        if response.status_code >= 500:
            transaction.savepoint_rollback(sid)
            self.tally.server_errors.append(f"{where}: HTTP {response.status_code}")
        else:
            transaction.savepoint_commit(sid)
        self.tally.statuses[response.status_code] += 1
        if "x" in response.cookies or any("\n" in str(v) or "\r" in str(v) for _k, v in response.items()):
            self.tally.injected_headers.append(where)
        if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
            html = response.content.decode("utf-8", "replace")
            hits = unescaped_reflections(html)
            if hits:
                self.tally.reflections.append(f"{where}: {hits}")
            if method == "post" and response.status_code == 200:
                self.found.extend(parse(url, html).forms)
        if self.user is not None and response.status_code == 302 and "/accounts/login/" in response.get("Location", ""):
            self.user.refresh_from_db()
            log_in(self.client, self.user)
        return response


def _our_frame(exc) -> str:
    """The innermost frame of the project's own code in a traceback: where to look."""
    ours = [f for f in traceback.extract_tb(exc.__traceback__) if "/jiandu/" in f.filename and "/site-packages/" not in f.filename]
    return " < ".join(f"{f.filename.rsplit('/jiandu/', 1)[-1]}:{f.lineno}" for f in ours[::-1][:4]) if ours else "?"


def crawl(browser, limit, skip_prefixes):
    """Open every parameterless page and every same-site link, at most `limit` pages per route
    (more while new pages keep showing new forms); returns (pages opened, forms found)."""
    queue = [r.url for r in iter_routes() if "<" not in r.pattern and "(" not in r.pattern and "^" not in r.pattern]
    seen, opened, fruitless, pages, forms, keys = set(), Counter(), Counter(), [], [], set()
    while queue:
        path = urlsplit(queue.pop(0)).path
        if path in seen:
            continue
        seen.add(path)
        route = _route_name(path)
        if route is None or route in SKIP_ROUTES or path.startswith(("/api/", "/static/", *skip_prefixes)):
            continue
        if route.split(":")[-1].endswith(FILE_ROUTE_ENDINGS) or path.endswith((".pdf", ".xlsx")):
            continue
        if opened[route] >= limit and fruitless[route] >= 2:
            continue
        response = browser.request("get", path, "crawl")
        if response is None or response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        opened[route] += 1
        pages.append(path)
        parsed = parse(path, response.content.decode("utf-8", "replace"))
        new = {f.key() for f in parsed.forms} - keys
        fruitless[route] = 0 if new else fruitless[route] + 1
        keys |= new
        forms.extend(parsed.forms)
        for href in parsed.links:
            parts = urlsplit(urljoin(path, href))
            if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
                continue
            if parts.query and _route_name(parts.path):
                # A link's query parameters are fields too (?unit=5, ?group=3, ?c=CODE).
                forms.append(Form(path, parts.path, "get", False, [(k, "text", v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]))
            if parts.path not in seen:
                queue.append(parts.path)
    return pages, forms


def _urlencoded(pairs) -> str:
    # A lone surrogate cannot be UTF-8; it travels as the bytes a careless client would send.
    return urlencode(pairs, encoding="utf-8", errors="surrogatepass")


def submit(browser, form: Form, pairs, what, filename="note.pdf"):
    path = urlsplit(form.action).path
    if form.method == "get":
        return browser.request("get", f"{path}?{_urlencoded(pairs)}", what)
    if form.multipart:
        data: dict = {}
        for name, value in pairs:
            data.setdefault(name, []).append(value.encode("utf-8", "surrogatepass").decode("utf-8", "replace"))
        for name in form.files():
            filename = filename.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
            data[name] = SimpleUploadedFile(filename, b"%PDF-1.4\n%injection\n", content_type="application/pdf")
        return browser.request("post", path, what, data=data)
    return browser.request("post", path, what, data=_urlencoded(pairs), content_type="application/x-www-form-urlencoded")


def with_payload(form: Form, names, payload):
    """The page's own submission with `payload` in the fields `names` (added where unset)."""
    return [(n, v) for n, v in form.base_data() if n not in names] + [(n, payload) for n in names]


def _order(item):
    form = item[1]
    last = any(word in form.route.split(":")[-1] for word in FINAL_WORDS)
    return (form.method == "post", last, form.route)


def inject(browser, form: Form, rotation: int) -> int:
    """Send the corpus through one form; returns the rotation counter moved on."""
    targets = form.targets()
    if not targets:
        submit(browser, form, form.base_data(), "as shown")
        return rotation
    everything = any(kind in FREE_TEXT for _n, kind in targets)
    if everything:
        names = [n for n, _k in targets]
        for payload_name, payload in PAYLOADS.items():
            submit(browser, form, with_payload(form, names, payload), f"all={payload_name}", filename=f"{payload[:60]}.pdf")
        if len(targets) == 1:
            return rotation  # the one field had every payload already
    for name, kind in targets:
        extra = (ROTATING[rotation % len(ROTATING)],) if kind in FREE_TEXT else ()
        rotation += bool(extra)
        if kind in NUMERIC and "number_huge" not in extra:
            extra += ("number_huge",)
        for payload_name in (*EVERY_FIELD, *extra):
            submit(browser, form, with_payload(form, [name], PAYLOADS[payload_name]), f"{name}={payload_name}")
    return rotation


@pytest.mark.crawl_inputs
def test_injection_corpus_through_every_html_form(district):
    """Two rounds: crawl, inject into every form found; crawl again (stored payloads are looked
    for on every page), inject into the forms that the changed objects show now and the forms
    that answers to submissions showed (the voting page's steps); then open the pages of the
    second crawl once more."""
    started = time.monotonic()
    tally = Tally()
    users = district["users"]
    # Submissions aimed at a persona's own account (disable, reset, end sessions) would end the
    # run; the same forms are exercised on the other accounts.
    own_accounts = tuple(f"/accounts/users/{u.pk}/" for u in users.values())
    anonymous = Browser(None, tally)
    anonymous.request("post", "/vote/", "voting code", data={"code": district["code"]})  # the ballot page opens
    browsers = [(anonymous, 1)] + [(Browser(users[name], tally), limit) for name, limit in PERSONAS]
    unique: dict = {}

    def discover():
        crawled, new = [], []
        for browser, limit in browsers:
            pages, forms = crawl(browser, limit, own_accounts)
            crawled.append((browser, pages))
            forms, browser.found = browser.found + forms, []
            for form in forms:
                if form.route == "accounts:logout" or urlsplit(form.action).path.startswith(own_accounts):
                    continue
                known = unique.get(form.key())
                if known is None:
                    unique[form.key()] = (browser, form)
                    new.append((browser, form))
                    continue
                extra = [f for f in form.fields if f[0] not in known[1].names() and f[1] not in ("submit", "file")]
                if form.method != "get" or not extra:
                    continue
                if any(known[1] is f for _b, f in new):  # not sent yet: one more parameter of the view
                    known[1].fields.extend(extra)
                else:  # sent in the first round: the new parameters alone
                    delta = Form(form.page, form.action, "get", False, known[1].fields + extra, frozenset(n for n, _k, _v in extra))
                    unique[delta.key()] = (browser, delta)
                    new.append((browser, delta))
        return crawled, new

    rotation = 0
    crawled, new = discover()
    first_round, pages_opened = len(new), sum(len(p) for _b, p in crawled)
    for browser, form in sorted(new, key=_order):
        rotation = inject(browser, form, rotation)
    crawled, new = discover()
    for browser, form in sorted(new, key=_order):
        rotation = inject(browser, form, rotation)
    for browser, pages in crawled:
        for path in pages:
            browser.request("get", path, "after injection")

    fields = sum(len(form.targets()) for _b, form in unique.values())
    all_fields = sum(len(form.names()) for _b, form in unique.values())
    post_forms = sum(1 for _b, f in unique.values() if f.method == "post")
    get_views = len({f.route for _b, f in unique.values() if f.method == "get"})
    print(
        f"\nHTML injection: {post_forms} POST forms and the query parameters of {get_views} GET views ({first_round} in the first round) "
        f"on {pages_opened} pages; {all_fields} fields ({fields} after counting numbered families such as cadre-1…cadre-24 once); {tally.requests} requests; "
        f"{len(tally.server_errors)} 5xx, {len(tally.reflections)} unescaped reflections, {len(tally.injected_headers)} injected headers; "
        f"statuses {dict(sorted(tally.statuses.items()))}; {time.monotonic() - started:.1f}s"
    )
    for (route, method, _names), (browser, form) in sorted(unique.items(), key=lambda item: str(item[0])):
        print(f"  {method.upper():4} {route:36} {browser.name:17} {', '.join(n for n, _k in form.targets())[:150]}")
    assert post_forms >= 90 and get_views >= 20, "fewer forms than the demo district shows: did the crawl lose its way?"
    assert tally.server_errors == [], "\n".join(tally.server_errors[:40])
    assert tally.reflections == [], "\n".join(tally.reflections[:40])
    assert tally.injected_headers == [], "\n".join(tally.injected_headers[:40])


# --- JSON API ------------------------------------------------------------------------------------


class ApiCaller:
    """The org head's API client: counts answers, and takes a new token when a request revoked
    the one in use (POST /accounts/tokens/{id}/revoke is one of the operations)."""

    def __init__(self, user, tally):
        self.user = user
        self.tally = tally
        self.client = api_client(user)

    def call(self, method, url, what, *, body=None, raw=None, multipart=None):
        for _attempt in range(2):
            self.tally.requests += 1
            where = f"{method.upper()} {url[:120]} [{what}]"
            sid = transaction.savepoint()
            kwargs = {}
            if multipart is not None:
                kwargs["data"] = multipart
            elif raw is not None or body is not None:
                kwargs = {"data": raw if raw is not None else json.dumps(body), "content_type": "application/json"}
            try:
                response = getattr(self.client, method)(url, **kwargs)
            except Exception as exc:  # noqa: BLE001  (a 5xx, counted)
                transaction.savepoint_rollback(sid)
                self.tally.statuses[500] += 1
                self.tally.server_errors.append(f"{where}: {type(exc).__name__}: {str(exc)[:160]}")
                return None
            if response.status_code >= 500:
                transaction.savepoint_rollback(sid)
                self.tally.server_errors.append(f"{where}: HTTP {response.status_code} {response.content[:160]!r}")
            else:
                transaction.savepoint_commit(sid)
            self.tally.statuses[response.status_code] += 1
            if response.content and not response.get("Content-Type", "").startswith("application/json"):
                self.tally.wrong_type.append(f"{where}: {response.status_code} {response.get('Content-Type')}")
            if "x" in response.cookies or any("\n" in str(v) or "\r" in str(v) for _k, v in response.items()):
                self.tally.injected_headers.append(where)
            if response.status_code != 401:
                return response
            self.client = api_client(self.user)
        return response


def _resolve(schema, node):
    while isinstance(node, dict) and "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _first_id(body):
    items = body.get("items") if isinstance(body, dict) else body
    if isinstance(items, list) and items and isinstance(items[0], dict) and "id" in items[0]:
        return items[0]["id"]
    return None


class Ids:
    """Real ids for path parameters and id fields, read from the API's own list endpoints."""

    def __init__(self, caller, paths):
        self.caller = caller
        self.paths = paths
        self.by_collection: dict[str, int] = {}
        for path, ops in paths.items():
            if "get" in ops and "{" not in path:
                response = caller.call("get", path, "ids")
                found = _first_id(response.json()) if response is not None and response.status_code == 200 else None
                if found is not None:
                    self.by_collection[path.rstrip("/").rsplit("/", 1)[-1]] = found

    def for_name(self, name: str):
        stem = name.removesuffix("_id").removesuffix("_ids")
        for candidate in (stem + "s", stem + "es", {"parent": "units", "source_clue": "clues", "from_unit": "units", "to_unit": "units"}.get(stem, "")):
            if candidate in self.by_collection:
                return self.by_collection[candidate]
        return None

    def concrete(self, path: str) -> str:
        """`path` with each parameter replaced by a real id: the first item of the collection the
        parameter follows, or of the matching list inside the parent object."""
        out = path
        for match in re.finditer(r"\{(\w+)\}", path):
            name = match.group(1)
            if name == "year":
                value = 2026
            else:
                collection = out[: out.index("{" + name + "}")].rstrip("/")
                value = None
                for candidate in (collection, collection + "/"):
                    if candidate in self.paths and "{" not in candidate:
                        response = self.caller.call("get", candidate, "ids")
                        value = _first_id(response.json()) if response is not None and response.status_code == 200 else None
                        break
                if value is None and "{" not in collection.rsplit("/", 1)[0]:
                    parent, _, key = collection.rpartition("/")
                    response = self.caller.call("get", parent, "ids")
                    if response is not None and response.status_code == 200 and isinstance(response.json().get(key), list):
                        value = _first_id({"items": response.json()[key]})
                value = value if value is not None else self.for_name(name) or 1
            out = out.replace("{" + name + "}", str(value), 1)
        return out


def example(schema, node, name, ids):
    """A valid-looking value for a JSON-schema node (required and optional fields alike)."""
    node = _resolve(schema, node)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in node:
            options = [o for o in node[key] if _resolve(schema, o).get("type") != "null"]
            return example(schema, options[0], name, ids) if options else None
    if "enum" in node:
        return node["enum"][0]
    if "default" in node and node["default"] is not None:
        return node["default"]
    kind = node.get("type")
    if kind == "object":
        return {prop: example(schema, sub, prop, ids) for prop, sub in node.get("properties", {}).items()}
    if kind == "array":
        n = node.get("minItems", 1)
        return [example(schema, node.get("items", {}), name, ids) for _ in range(n)]
    if kind == "integer":
        found = ids.for_name(name)
        return found if found is not None else max(node.get("minimum", 1), 1)
    if kind == "number":
        return max(node.get("minimum", 1), 1)
    if kind == "boolean":
        return False
    if kind == "string":
        if node.get("format") == "date":
            return "2026-11-20"
        if node.get("format") == "date-time":
            return "2026-11-20T09:00:00+08:00"
        return "测试" * max(1, (node.get("minLength") or 0))
    return "测试"


def string_paths(schema, node, value, prefix=()):
    """Paths (tuples of keys/indexes) of the string leaves of an example body."""
    node = _resolve(schema, node)
    if isinstance(value, dict):
        props = node.get("properties", {})
        for key, sub in value.items():
            yield from string_paths(schema, props.get(key, {}), sub, (*prefix, key))
    elif isinstance(value, list):
        for i, sub in enumerate(value[:1]):
            yield from string_paths(schema, node.get("items", {}), sub, (*prefix, i))
    elif isinstance(value, str) and "enum" not in node:
        yield prefix


def replaced(value, path, payload):
    if not path:
        return payload
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = replaced(value[path[0]], path[1:], payload)
    return copy


def raw_json(body) -> str:
    # json.dumps writes a lone surrogate as the escape \ud800, which JSON allows and the API must refuse.
    return json.dumps(body, ensure_ascii=True)


def _query(pairs) -> str:
    return _urlencoded(pairs)


@pytest.mark.crawl_inputs
def test_injection_corpus_through_every_api_operation(district):
    started = time.monotonic()
    tally = Tally()
    caller = ApiCaller(district["users"]["demo_org_head"], tally)
    document = caller.call("get", "/api/v1/openapi.json", "schema").json()
    paths = document["paths"]
    ids = Ids(caller, paths)
    operations = body_fields = query_params = path_params = 0
    rotation = 0
    for path, ops in sorted(paths.items()):
        for method, op in sorted(ops.items(), key=lambda item: (item[0] != "get", item[0])):
            operations += 1
            url = ids.concrete(path)
            content = op.get("requestBody", {}).get("content", {})
            body_schema = content.get("application/json", {}).get("schema")
            multipart_schema = content.get("multipart/form-data", {}).get("schema")
            body = example(document, body_schema, "", ids) if body_schema else None
            form = example(document, multipart_schema, "", ids) if multipart_schema else None
            params = [p for p in op.get("parameters", []) if p["in"] in ("query", "path")]

            def send(target, what, *, body=body, form=form, method=method):
                if form is not None:
                    data = {k: v for k, v in form.items() if _resolve(document, multipart_schema["properties"][k]).get("format") != "binary"}
                    data = {k: (v.encode("utf-8", "surrogatepass").decode("utf-8", "replace") if isinstance(v, str) else v) for k, v in data.items()}
                    for k, sub in multipart_schema["properties"].items():
                        if _resolve(document, sub).get("format") == "binary":
                            data[k] = SimpleUploadedFile(f"{str(data.get('reply_text', 'x'))[:40]}.pdf", b"%PDF-1.4\n", content_type="application/pdf")
                    return caller.call(method, target, what, multipart=data)
                return caller.call(method, target, what, raw=raw_json(body) if body is not None else None)

            send(url, "example")
            # Body fields: every payload in all string fields at once, and XSS/SQL plus one more
            # payload in each field alone.
            if body is not None:
                leaves = list(string_paths(document, body_schema, body))
                body_fields += len(leaves)
                for payload_name, payload in PAYLOADS.items():
                    everything = body
                    for leaf in leaves:
                        everything = replaced(everything, leaf, payload)
                    if leaves:
                        send(url, f"body all={payload_name}", body=everything)
                for leaf in leaves:
                    extra = ROTATING[rotation % len(ROTATING)]
                    rotation += 1
                    for payload_name in (*EVERY_FIELD, extra):
                        send(url, f"body {'.'.join(map(str, leaf))}={payload_name}", body=replaced(body, leaf, PAYLOADS[payload_name]))
            if form is not None:
                for key, value in form.items():
                    if isinstance(value, str):
                        body_fields += 1
                        for payload_name in (*EVERY_FIELD, "crlf_filename", "long", "nul"):
                            send(url, f"form {key}={payload_name}", form={**form, key: PAYLOADS[payload_name]})
            # Query and path parameters: the whole corpus in each.
            for param in params:
                if param["in"] == "query":
                    query_params += 1
                    for payload_name, payload in PAYLOADS.items():
                        send(f"{url}?{_query([(param['name'], payload)])}", f"query {param['name']}={payload_name}")
                else:
                    path_params += 1
                    for payload_name, payload in PAYLOADS.items():
                        encoded = quote(payload.encode("utf-8", "surrogatepass"), safe="")
                        target = ids.concrete(path.replace("{" + param["name"] + "}", encoded))
                        send(target, f"path {param['name']}={payload_name}")
    print(
        f"\nAPI injection: {operations} operations, {body_fields} body fields, {query_params} query and {path_params} path parameters; "
        f"{tally.requests} requests, {len(tally.server_errors)} 5xx, {len(tally.wrong_type)} non-JSON answers, "
        f"{len(tally.injected_headers)} injected headers; statuses {dict(sorted(tally.statuses.items()))}; {time.monotonic() - started:.1f}s"
    )
    assert operations >= 60
    assert tally.server_errors == [], "\n".join(tally.server_errors[:40])
    assert tally.wrong_type == [], "\n".join(tally.wrong_type[:40])
    assert tally.injected_headers == [], "\n".join(tally.injected_headers[:40])


# --- download names --------------------------------------------------------------------------------

HOSTILE_NAMES = (
    'a"\r\nSet-Cookie: x=1.pdf',
    "报告\r\n\r\n<script>alert(1)</script>.pdf",
    'x.pdf"; filename="evil.html',
    "..\\..\\windows\\win.ini",
    "../../etc/passwd",
    "name;with;semicolons\t.pdf",
    "\x00nul.pdf",
)


def assert_safe_disposition(value: str, where: str):
    """The header is one line, and parsing it yields only the disposition and file name(s). (Path
    separators in the name are the browser's to strip, RFC 6266 §4.3; the header must stay whole.)"""
    assert "\r" not in value and "\n" not in value and "\x00" not in value, (where, value)
    message = email.message.Message()
    message["Content-Disposition"] = value
    params = dict(message.get_params(header="Content-Disposition"))
    assert set(params) - {"attachment", "inline", "filename", "filename*"} == set(), (where, value, params)
    assert message.get_filename(), (where, value)


def test_download_helpers_keep_hostile_names_inside_the_header():
    from jiandu.ballots.views.common import _attachment
    from jiandu.core.exports import Column, export_response
    from jiandu.core.pdf import pdf_response

    checked = 0
    for name in HOSTILE_NAMES:
        responses = {
            "core.pdf.pdf_response": pdf_response(b"%PDF-1.4\n", name),
            "core.exports.export_response": export_response(name, columns=[Column("a", "A")], rows=[["1"]], sheet_title="s")[0],
            "ballots.views.common._attachment": _attachment(b"x", name, "application/pdf"),
        }
        for helper, response in responses.items():
            assert_safe_disposition(response["Content-Disposition"], f"{helper}({name!r})")
            assert not response.cookies
            checked += 1
    print(f"\ndownload names: {len(HOSTILE_NAMES)} hostile names × {len(responses)} helpers = {checked} headers, 0 split")


def test_a_hostile_attachment_name_cannot_split_the_download_header(district):
    """An attachment's name is whatever the uploader's file was called; it goes back out in
    Content-Disposition when the file is downloaded."""
    from jiandu.oversight.actions import dispositions
    from jiandu.oversight.models import Attachment, Disposition

    head = district["users"]["demo_org_head"]
    disposition = Disposition.objects.order_by("pk").first()
    assert disposition is not None, "the demo district records dispositions"
    client = log_in(Client(), head)
    for name in HOSTILE_NAMES:
        if not name.endswith(".pdf"):
            continue
        dispositions.attach_document(
            actor=head, disposition=disposition, document=SimpleUploadedFile(name, b"%PDF-1.4\n%test\n", content_type="application/pdf")
        )
        attachment = Attachment.objects.latest("pk")
        response = client.get(f"/oversight/files/{attachment.pk}/")
        assert response.status_code == 200, name
        assert_safe_disposition(response["Content-Disposition"], name)
        assert not response.cookies
        assert response["X-Content-Type-Options"] == "nosniff"


# --- numbers beyond any integer column ----------------------------------------------------------------


def test_in_lookups_with_numbers_no_column_holds_match_nothing_instead_of_failing():
    """A tampered multiple choice (ModelMultipleChoiceField filters pk__in) may carry 25-digit ids:
    they match nothing, on SQLite too (jiandu.core.lookups)."""
    from jiandu.testing import make_unit

    unit = make_unit()
    huge = 10**25
    assert not Unit.objects.filter(pk__in=[huge]).exists()
    assert not Unit.objects.filter(pk__in=[-huge]).exists()
    assert list(Unit.objects.filter(pk__in=[huge, unit.pk, 2**63]).values_list("pk", flat=True)) == [unit.pk]
    assert Unit.objects.filter(pk__in=[2**63 - 1, unit.pk]).count() == 1  # the largest id still compares
    assert Unit.objects.exclude(pk__in=[huge]).filter(pk=unit.pk).exists()
