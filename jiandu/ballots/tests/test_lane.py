"""The ballot lane (jiandu/ballots/lane.py): the final submit answered past the full request cycle.

Requests go through config.wsgi.application, the WSGI callable the production server runs, so
they meet the lane exactly as a phone's request does. Every test compares with what Django
itself answers (settings.BALLOT_LANE = False) or checks that the lane left the request to it."""

import io
import re
import sys
import threading
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.core import signals
from django.db import close_old_connections, connection

from config.wsgi import application
from jiandu.accounts.models import Role
from jiandu.ballots import actions, codes, structure
from jiandu.ballots.models import SealedBallot, VotingCode
from jiandu.core.actions import change_setting
from jiandu.core.errors import ActionError
from jiandu.core.models import JournalEntry
from jiandu.testing import ballot_spec, make_ballot, make_unit, make_user, registrar

pytestmark = pytest.mark.django_db

BALLOT = "/vote/ballot/"


class WSGIClient:
    """A browser talking to config.wsgi.application: cookies kept, responses as (status, headers,
    body). Inside a test transaction, Django's per-request connection clean-up is held off, as
    Django's own test client does."""

    def __init__(self, remote_addr="127.0.0.1", host="testserver"):
        self.cookies: dict[str, str] = {}
        self.remote_addr, self.host = remote_addr, host

    def request(self, method, path, body=b"", content_type="application/x-www-form-urlencoded", extra=None):
        path, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "SCRIPT_NAME": "",
            "QUERY_STRING": query,
            "SERVER_NAME": self.host,
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": self.host,
            "REMOTE_ADDR": self.remote_addr,
            "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
            "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": content_type if body else "",
        }
        if self.cookies:
            environ["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        environ.update(extra or {})
        started = []
        in_test_transaction = connection.in_atomic_block
        if in_test_transaction:
            signals.request_started.disconnect(close_old_connections)
            signals.request_finished.disconnect(close_old_connections)
        try:
            response = application(environ, lambda status, headers, exc_info=None: started.append((status, headers)))
            try:
                body = b"".join(response)
            finally:
                if hasattr(response, "close"):
                    response.close()
        finally:
            if in_test_transaction:
                signals.request_started.connect(close_old_connections)
                signals.request_finished.connect(close_old_connections)
        status, headers = started[0]
        for name, value in headers:
            if name.lower() == "set-cookie":
                for morsel in SimpleCookie(value).values():
                    self.cookies[morsel.key] = morsel.value
        return int(status.split()[0]), headers, body.decode()

    def post(self, path, fields, **kwargs):
        return self.request("POST", path, urllib.parse.urlencode(fields).encode(), **kwargs)

    def voting_page(self, code):
        """The ballot form for `code` (GET /vote/?c=…): sets the CSRF cookie; returns its fields."""
        status, _headers, html = self.request("GET", f"/vote/?c={code}")
        assert status == 200
        fields = dict(re.findall(r'<input type="hidden" name="(csrfmiddlewaretoken|code|ballot|group)" value="([^"]*)"', html))
        for name, value in re.findall(r'type="radio" name="(a-\d+-\d+)" value="(\d+)"', html):
            fields.setdefault(name, value)
        return {**fields, "step": "submit"}


@pytest.fixture
def unit():
    return make_unit(name="区发改局")


@pytest.fixture
def officer(unit):
    return make_user(role=Role.ORG_OFFICER, unit=unit)


@pytest.fixture
def ballot(unit, officer):
    spec = ballot_spec(subjects=("张伟明", "李红"), questions="five_dimensions", groups=(("干部职工", "1", 10), ("服务对象", "1", 10)))
    return make_ballot(unit=unit, actor=officer, spec=spec, open=True)


@pytest.fixture
def plain(ballot, officer):
    """Four codes of the first group and two of the second."""
    first, second = ballot.groups.order_by("pk")
    return (
        actions.generate_codes(actor=officer, ballot=ballot, group=first, count=4)[1]
        + actions.generate_codes(actor=officer, ballot=ballot, group=second, count=2)[1]
    )


@pytest.fixture
def passes_on(monkeypatch):
    """Counts the requests the lane hands to Django."""
    seen = []
    inner = application.application

    def counting(environ, start_response):
        seen.append(environ["PATH_INFO"])
        return inner(environ, start_response)

    monkeypatch.setattr(application, "application", counting)
    return seen


def _receipt(html):
    return re.search(r'class="receipt">([0-9A-Z-]+)<', html).group(1)


def _normalised(headers, html, receipt):
    """Headers and page with what differs by nature between two answers (the request id, the
    second of the Expires date, the receipt) taken out; Vary as a set."""
    kept = {}
    for name, value in headers:
        if name in ("X-Request-Id", "Expires"):
            continue
        kept[name] = frozenset(v.strip() for v in value.split(",")) if name == "Vary" else value
    return kept, html.replace(receipt, "RECEIPT")


def test_the_lane_answers_exactly_as_django_does(ballot, plain, passes_on, settings):
    client = WSGIClient()
    status, headers, html = client.post(BALLOT, client.voting_page(plain[0]))
    assert status == 200 and passes_on == ["/vote/"]  # the form came from Django, the submit did not
    lane = _normalised(headers, html, _receipt(html))

    settings.BALLOT_LANE = False
    status, headers, html = client.post(BALLOT, client.voting_page(plain[1]))
    assert status == 200 and passes_on == ["/vote/", "/vote/", BALLOT]
    django = _normalised(headers, html, _receipt(html))

    assert lane == django
    assert lane[0]["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    assert {"Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy"} <= set(lane[0])
    assert SealedBallot.objects.filter(ballot=ballot).count() == 2
    assert VotingCode.objects.filter(ballot=ballot, is_used=True).count() == 2


def test_the_lane_in_english(ballot, plain):
    client = WSGIClient()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    status, headers, html = client.post(BALLOT, client.voting_page(plain[0]))
    assert status == 200 and "Your ballot has been recorded" in html and '<html lang="en">' in html
    assert dict(headers)["Content-Language"] == "en"


def test_the_lane_casts_what_the_voter_chose(ballot, plain, officer):
    """The sealed ballot opens to the answers posted, in the code's group, and is counted."""
    client = WSGIClient()
    fields = client.voting_page(plain[4])  # a code of the second group
    shape = structure.load(ballot)
    group = ballot.groups.order_by("pk")[1]
    for i, item in enumerate(shape.layouts[group.pk].items):  # not always the first option
        fields[f"a-{item.subject_id}-{item.question_id}"] = str(item.option_ids[i % len(item.option_ids)])
    status, _headers, html = client.post(BALLOT, fields)
    assert status == 200
    closed = actions.close_ballot(actor=officer, ballot=ballot)
    from jiandu.ballots import tally

    counted = tally.raw_counts(closed.pk)
    expected = {(item.subject_id, group.pk, item.option_ids[i % len(item.option_ids)]) for i, item in enumerate(shape.layouts[group.pk].items)}
    assert {key for key, n in counted.items() if n} == expected
    assert tally.recount(closed).ok


@pytest.mark.parametrize(
    "change, status",
    [
        pytest.param(lambda f, other: f.update(code=other), 200, id="code of another group than the form says"),
        pytest.param(lambda f, other: f.update(group="999999"), 200, id="unknown group"),
        pytest.param(lambda f, other: f.update(ballot="00000000-0000-4000-8000-000000000000"), 200, id="unknown ballot"),
        pytest.param(lambda f, other: f.update(ballot="not-a-uuid"), 200, id="malformed ballot"),
        pytest.param(lambda f, other: (f.pop("ballot"), f.pop("group")), 200, id="without the hidden fields"),
        pytest.param(lambda f, other: f.pop(next(k for k in f if k.startswith("a-"))), 400, id="incomplete"),
        pytest.param(lambda f, other: f.update({next(k for k in f if k.startswith("a-")): "999999"}), 400, id="foreign option"),
        pytest.param(lambda f, other: f.update(step="review"), 200, id="review step"),
    ],
)
def test_what_the_lane_cannot_cast_django_answers(ballot, plain, passes_on, change, status):
    """Claims that do not hold, or another step: Django answers as without the lane (a code of the
    other group still votes in its own group: the group on the form is only a hint)."""
    client = WSGIClient()
    fields = client.voting_page(plain[0])
    change(fields, plain[4])
    got, _headers, html = client.post(BALLOT, fields)
    assert got == status
    assert passes_on[-1] == BALLOT
    if status == 200 and fields.get("step") == "submit":
        assert codes.receipt_problem(_receipt(html)) is None
        assert SealedBallot.objects.filter(ballot=ballot).count() == 1
    else:
        assert not SealedBallot.objects.exists()


def test_a_used_code_is_refused_once_and_journaled_once(ballot, plain, passes_on):
    client = WSGIClient()
    fields = client.voting_page(plain[0])
    assert client.post(BALLOT, fields)[0] == 200
    before = JournalEntry.objects.filter(action="ballots.code.rejected").count()
    status, _headers, html = client.post(BALLOT, fields)
    assert status == 409 and passes_on[-1] == BALLOT
    assert JournalEntry.objects.filter(action="ballots.code.rejected").count() == before + 1
    assert SealedBallot.objects.filter(ballot=ballot).count() == 1


def test_csrf_is_django_s(ballot, plain, passes_on):
    client = WSGIClient()
    fields = client.voting_page(plain[0])
    for bad in ({**fields, "csrfmiddlewaretoken": "x" * 64}, {k: v for k, v in fields.items() if k != "csrfmiddlewaretoken"}):
        assert client.post(BALLOT, bad)[0] == 403
    stranger = WSGIClient()
    assert stranger.post(BALLOT, fields)[0] == 403  # no CSRF cookie
    assert client.post(BALLOT, fields, extra={"HTTP_ORIGIN": "http://evil.example"})[0] == 403
    assert client.post(BALLOT, fields, extra={"HTTP_HOST": "evil.example"})[0] == 400  # not in ALLOWED_HOSTS
    assert not SealedBallot.objects.exists() and passes_on.count(BALLOT) == 5
    assert client.post(BALLOT, fields, extra={"HTTP_ORIGIN": "http://testserver"})[0] == 200


def test_wrong_kinds_of_request_go_to_django(ballot, plain, passes_on):
    client = WSGIClient()
    fields = client.voting_page(plain[0])
    body = urllib.parse.urlencode(fields).encode()
    assert client.request("POST", BALLOT, body, content_type="text/plain")[0] == 415
    assert client.post(BALLOT, {**fields, "padding": "x" * 300_000})[0] == 413
    assert passes_on.count(BALLOT) == 2 and not SealedBallot.objects.exists()
    # Not UTF-8: the lane's strict decoding refuses, Django decodes with replacement and casts.
    assert client.request("POST", BALLOT, body + b"&note=\xff\xfe")[0] == 200
    assert passes_on.count(BALLOT) == 3 and SealedBallot.objects.count() == 1


def test_a_blocked_address_waits_even_with_a_good_code(ballot, plain, passes_on):
    change_setting(actor=registrar(), key="ballots.code_attempt_limit", value="2")
    client = WSGIClient(remote_addr="10.1.2.3")
    fields = client.voting_page(plain[0])
    for _ in range(2):
        client.request("GET", f"/vote/?c={codes.new_code()}")
    assert client.post(BALLOT, fields)[0] == 429
    assert not SealedBallot.objects.exists()


def test_a_closed_ballot_takes_nothing(ballot, plain, officer, passes_on):
    client = WSGIClient()
    fields = client.voting_page(plain[0])
    actions.close_ballot(actor=officer, ballot=ballot)
    status, _headers, _html = client.post(BALLOT, fields)
    assert status == 410 and passes_on[-1] == BALLOT
    assert not SealedBallot.objects.exists()


def test_switched_off(ballot, plain, passes_on, settings):
    settings.BALLOT_LANE = False
    client = WSGIClient()
    assert client.post(BALLOT, client.voting_page(plain[0]))[0] == 200
    assert passes_on[-1] == BALLOT


def test_cast_ballot_on_checks_every_claim(ballot, plain, officer, unit):
    """The action behind the lane: the code must belong to the ballot and group named."""
    shape = structure.load(ballot)
    first, second = ballot.groups.order_by("pk")
    answers = {(i.subject_id, i.question_id): i.option_ids[0] for i in shape.layouts[first.pk].items}
    other = make_ballot(unit=unit, actor=officer, spec=ballot_spec(), open=True)
    for claim in ({"ballot": other.public_id, "group": first.pk}, {"ballot": ballot.public_id, "group": second.pk}):
        with pytest.raises(ActionError) as refused:
            actions.cast_ballot_on(code=plain[0], answers=answers, **claim)
        assert refused.value.code in ("not_redeemed", "incomplete", "foreign_subject")
    assert not SealedBallot.objects.exists() and not VotingCode.objects.filter(is_used=True).exists()
    with pytest.raises(ActionError) as refused:
        actions.cast_ballot_on(code="K7QD-9X2M-4HTR-B8WA", answers=answers, ballot=ballot.public_id, group=first.pk)
    assert refused.value.code in ("mistyped", "malformed")
    done = actions.cast_ballot_on(code=plain[0], answers=answers, ballot=str(ballot.public_id), group=str(first.pk))
    assert codes.receipt_problem(done.receipt) is None and done.ballot.pk == ballot.pk
    with pytest.raises(ActionError):
        actions.cast_ballot_on(code=plain[0], answers=answers, ballot=ballot.public_id, group=first.pk)
    assert SealedBallot.objects.count() == 1


def _on_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
@pytest.mark.skipif(not _on_postgres(), reason="needs PostgreSQL (make test runs the suite on it when JIANDU_TEST_POSTGRES_URL is set)")
def test_duplicate_submissions_through_the_lane_count_once():
    """120 codes × 4 simultaneous submits through the WSGI application (the prepared statement of
    the lane, autocommit, real threads): 120 receipts, the rest 409, nothing lost or doubled."""
    codes_n, dupes = 120, 4
    unit = make_unit()
    officer = make_user(role=Role.ORG_OFFICER, unit=unit)
    ballot = make_ballot(unit=unit, actor=officer, spec=ballot_spec(groups=(("职工", "1", codes_n),)), open=True)
    _batch, plain = actions.generate_codes(actor=officer, ballot=ballot, group=ballot.groups.get(), count=codes_n)
    client = WSGIClient()
    forms = {code: client.voting_page(code) for code in plain}
    connection.close()
    statuses, lock = [], threading.Lock()

    def submit(code, barrier):
        try:
            barrier.wait(timeout=60)
            phone = WSGIClient()
            phone.cookies = dict(client.cookies)
            status = phone.post(BALLOT, forms[code])[0]
        except Exception as exc:  # noqa: BLE001 - counted below
            status = repr(exc)
        finally:
            connection.close()
        with lock:
            statuses.append(status)

    with ThreadPoolExecutor(max_workers=4 * dupes) as pool:
        for code in plain:
            barrier = threading.Barrier(dupes)
            for _ in range(dupes):
                pool.submit(submit, code, barrier)
    assert len(statuses) == codes_n * dupes
    assert statuses.count(200) == codes_n and statuses.count(409) == codes_n * (dupes - 1), sorted(set(map(str, statuses)))
    assert SealedBallot.objects.filter(ballot=ballot).count() == codes_n
    closed = actions.close_ballot(actor=officer, ballot=ballot)
    from jiandu.ballots.models import CastBallot

    assert CastBallot.objects.filter(ballot=closed).count() == codes_n


def test_a_spoofed_x_real_ip_does_not_unblock_an_address_in_the_lane(ballot, plain, passes_on):
    """Attack (issue #8 part 5): rotating X-Real-IP from an address that is not a trusted proxy
    must not escape the wrong-code limit, in the lane as in Django."""
    change_setting(actor=registrar(), key="ballots.code_attempt_limit", value="2")
    client = WSGIClient(remote_addr="10.1.2.4")
    fields = client.voting_page(plain[0])
    for i in range(2):
        client.request("GET", f"/vote/?c={codes.new_code()}", extra={"HTTP_X_REAL_IP": f"172.16.0.{i + 1}"})
    status, _headers, _html = client.post(BALLOT, fields, extra={"HTTP_X_REAL_IP": "172.16.0.99"})
    assert status == 429 and passes_on[-1] == BALLOT  # the lane left it to Django, which refused
    assert not SealedBallot.objects.exists()
    assert set(JournalEntry.objects.filter(action="ballots.code.rejected").values_list("ip", flat=True)) == {"10.1.2.4"}


def test_behind_a_trusted_proxy_lane_and_django_use_the_forwarded_address(ballot, plain, passes_on, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    change_setting(actor=registrar(), key="ballots.code_attempt_limit", value="2")
    proxy = WSGIClient(remote_addr="10.0.0.1")
    fields = proxy.voting_page(plain[0])
    for _ in range(2):  # one phone behind the proxy guesses
        proxy.request("GET", f"/vote/?c={codes.new_code()}", extra={"HTTP_X_REAL_IP": "172.16.5.5"})
    assert proxy.post(BALLOT, fields, extra={"HTTP_X_REAL_IP": "172.16.5.5"})[0] == 429  # that phone waits
    assert passes_on[-1] == BALLOT
    count = len(passes_on)
    other = proxy.voting_page(plain[1])
    status, _headers, _html = proxy.post(BALLOT, other, extra={"HTTP_X_REAL_IP": "172.16.5.6"})
    assert status == 200 and len(passes_on) == count + 1  # another phone votes, answered by the lane
    assert set(JournalEntry.objects.filter(action="ballots.code.rejected").values_list("ip", flat=True)) == {"172.16.5.5"}
