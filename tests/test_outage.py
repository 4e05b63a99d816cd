"""Database outage and process crash (SECURITY.md "Reliability").

Outage: a clear 503 with an incident id and no traceback, for pages and the API alike, and
automatic recovery without a restart. Crash: a write the application acknowledged survives the
writing process being killed, and a transaction cut short leaves nothing behind.

Requests go through the real WSGI handler, not the test client: the test client switches off
Django's per-request connection clean-up (close_old_connections), which is exactly what brings a
broken connection back after an outage.

Two kinds of outage:
- the database cannot be reached (PostgreSQL: nothing listens on the port; SQLite: the file
  cannot be opened) while the application keeps running, then comes back;
- PostgreSQL only: the server ends the application's persistent connection (a restart or an
  administrator's pg_terminate_backend), and the next request must reconnect by itself.
"""

import io
import json
import logging
import os
import signal
import socket
import sqlite3
import subprocess
import sys
from contextlib import contextmanager
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from django.core.wsgi import get_wsgi_application
from django.db import connection
from django.test import Client

from jiandu.accounts.models import Role
from jiandu.testing import log_in, make_api_token, make_unit, make_user

from .routes import BASE_DIR

pytestmark = pytest.mark.django_db(transaction=True)


class Wsgi:
    """A minimal WSGI client for Django's real handler: one session cookie, optional bearer token."""

    def __init__(self, cookie: str = "", token: str = ""):
        self.app = get_wsgi_application()
        self.cookie = cookie
        self.token = token

    def get(self, path: str, **extra) -> "Answer":
        return self.request("GET", path, b"", **extra)

    def post(self, path: str, form: dict, **extra) -> "Answer":
        body = urlencode(form).encode()
        return self.request("POST", path, body, CONTENT_TYPE="application/x-www-form-urlencoded", CONTENT_LENGTH=str(len(body)), **extra)

    def request(self, method: str, path: str, body: bytes, **extra) -> "Answer":
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            **extra,
        }
        if self.cookie:
            environ["HTTP_COOKIE"] = self.cookie
        if self.token:
            environ["HTTP_AUTHORIZATION"] = f"Bearer {self.token}"
        answer = Answer()
        body = self.app(environ, answer.start_response)
        try:
            answer.body = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()  # sends request_finished, as a WSGI server does
        return answer


class Answer:
    status = 0
    headers: dict
    body = b""

    def start_response(self, status, headers, exc_info=None):
        self.status = int(status.split()[0])
        self.headers = dict(headers)
        self.cookies = SimpleCookie()
        for name, value in headers:
            if name.lower() == "set-cookie":
                self.cookies.load(value)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def _closed_port() -> int:
    """A local TCP port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def database_unreachable():
    """Point the default connection at a database that cannot be reached, as a running server
    would see it during an outage; put it back afterwards (no restart, no new settings)."""
    settings_dict = connection.settings_dict
    saved = dict(settings_dict)
    keeper = None
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        # The in-memory test database lives as long as one connection to it is open.
        keeper = sqlite3.connect(settings_dict["NAME"], uri=True)
    try:
        if connection.vendor == "postgresql":
            settings_dict.update(HOST="127.0.0.1", PORT=str(_closed_port()))
        else:
            settings_dict["NAME"] = "/nonexistent/jiandu-outage/jiandu.sqlite3"
        connection.close()
        yield
    finally:
        connection.close()
        settings_dict.clear()
        settings_dict.update(saved)
        if keeper is not None:
            connection.ensure_connection()
            keeper.close()


@pytest.fixture
def people():
    unit = make_unit(name="组织部")
    officer = make_user(role=Role.ORG_OFFICER, unit=unit)
    browser = log_in(Client(), officer)
    return {
        "page": Wsgi(cookie=f"sessionid={browser.cookies['sessionid'].value}"),
        "api": Wsgi(token=make_api_token(officer)),
        "anonymous": Wsgi(),
    }


def assert_html_503(answer, where):
    assert answer.status == 503, (where, answer.status, answer.text[:300])
    assert answer.headers["Content-Type"].startswith("text/html"), where
    incident = answer.headers["X-Request-Id"]
    assert incident and incident in answer.text, where  # the incident id is on the page
    assert "数据库暂时无法连接" in answer.text and "Service unavailable" in answer.text, where
    for leak in ("Traceback", "OperationalError", "psycopg", "sqlite3", 'File "'):
        assert leak not in answer.text, (where, leak)
    assert answer.headers["Retry-After"] == "30"
    assert "Content-Security-Policy" in answer.headers  # the security headers still apply
    return incident


def assert_json_503(answer, where):
    assert answer.status == 503, (where, answer.status, answer.text[:300])
    assert answer.headers["Content-Type"].startswith("application/json"), where
    body = json.loads(answer.body)
    assert body["code"] == "unavailable" and body["incident"] == answer.headers["X-Request-Id"], (where, body)
    assert "Traceback" not in answer.text and "Error" not in answer.text, where
    return body["incident"]


@pytest.fixture
def log_lines():
    """What the application logs under "jiandu" during the test."""
    lines = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())
    logger = logging.getLogger("jiandu")
    logger.addHandler(handler)
    yield lines
    logger.removeHandler(handler)


def test_outage_gives_503_with_an_incident_id_and_recovers_without_restart(people, log_lines):
    page, api, anonymous = people["page"], people["api"], people["anonymous"]
    assert page.get("/").status == 200
    assert api.get("/api/v1/registry/units").status == 200
    csrf = anonymous.get("/vote/").cookies["csrftoken"].value
    anonymous.cookie = f"csrftoken={csrf}"

    with database_unreachable():
        incidents = [
            # A logged-in page: the session is loaded before any view runs.
            assert_html_503(page.get("/"), "dashboard"),
            assert_html_503(page.get("/registry/cadres/"), "cadre list"),
            # The API with a token: the token is checked inside the API view.
            assert_json_503(api.get("/api/v1/registry/units"), "API list"),
            # The API with a session.
            assert_json_503(page.get("/api/v1/accounts/me"), "API with a session"),
            # Anonymous: the public voting page looks the code up.
            assert_html_503(anonymous.post("/vote/", {"code": "ABCD-EFGH-JKLM-NPQR", "csrfmiddlewaretoken": csrf}), "voting code"),
        ]
    assert len(set(incidents)) == len(incidents)  # one incident id per request
    # Each incident id is in the log, so an administrator can find the request.
    for incident in incidents:
        assert any(incident in line for line in log_lines), incident

    # Back: the very next requests work, with the same process and settings.
    assert page.get("/").status == 200
    assert page.get("/registry/cadres/").status == 200
    assert api.get("/api/v1/registry/units").status == 200
    assert api.get("/api/v1/accounts/me").status == 200
    print(f"\noutage: {len(incidents)} requests during the outage, {len(incidents)} × 503 with an incident id, 0 tracebacks; 4/4 requests after it succeeded")


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a server that ends connections: PostgreSQL (SQLite has no server)")
def test_a_connection_ended_by_the_server_is_replaced_on_the_next_request(people):
    """The database restarts (or an administrator ends our session): the persistent connection is
    dead. The request that meets it gets the 503; the one after reconnects by itself."""
    page, api = people["page"], people["api"]
    assert page.get("/").status == 200
    ended = 0
    for client, path, check in ((page, "/registry/cadres/", assert_html_503), (api, "/api/v1/registry/units", assert_json_503)):
        pid = connection.connection.info.backend_pid
        with _second_connection() as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        ended += 1
        check(client.get(path), path)
        answer = client.get(path)
        assert answer.status == 200, (path, answer.status)
        assert connection.connection.info.backend_pid != pid
    print(f"\nserver-side disconnects: {ended} connections ended, {ended} × 503, {ended} reconnected on the next request")


@contextmanager
def _second_connection():
    import psycopg

    params = connection.get_connection_params()
    with psycopg.connect(**{k: v for k, v in params.items() if k in ("dbname", "user", "password", "host", "port")}, autocommit=True) as conn:
        yield conn


# --- a crash of the process that wrote -----------------------------------------------------------

WRITER = """
import os, signal
from django.db import connection, transaction
from jiandu.core.models import JournalEntry
from jiandu.testing import make_unit

if connection.vendor == "sqlite":
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
        cursor.execute("PRAGMA synchronous")
        print("PRAGMAS", mode, cursor.fetchone()[0], flush=True)
unit = make_unit(name="崩溃前已确认的单位")
# The action returned: its transaction committed, the change is acknowledged.
print("ACK", unit.pk, JournalEntry.objects.filter(action="registry.unit.created", target_id=str(unit.pk)).count(), flush=True)
with transaction.atomic():
    pending = make_unit(name="崩溃时未提交的单位")
    print("PENDING", pending.pk, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)  # killed inside the second transaction
print("NOT REACHED", flush=True)
"""

READER = """
import json
from jiandu.core.models import JournalEntry
from jiandu.registry.models import Unit

names = ["崩溃前已确认的单位", "崩溃时未提交的单位"]
found = {name: list(Unit.objects.filter(name=name).values_list("pk", flat=True)) for name in names}
journal = {name: JournalEntry.objects.filter(action="registry.unit.created", data__name=name).count() for name in names}
print(json.dumps({"units": found, "journal": journal}, ensure_ascii=False))
"""


def _database_url(tmp_path) -> str:
    """The database a separate process should use: the test database itself on PostgreSQL; on
    SQLite, whose test database lives in this process's memory, a file copy of it."""
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = settings_dict["USER"] + (f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else "")
        return f"postgresql://{auth}@{settings_dict['HOST'] or 'localhost'}:{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
    path = tmp_path / "crash.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as copy:
        connection.connection.backup(copy)
    return f"sqlite:///{path}"


def _manage(database_url, *args):
    return subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), *args],
        cwd=BASE_DIR,
        env={**os.environ, "JIANDU_DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_an_acknowledged_write_survives_the_writer_being_killed(tmp_path):
    """A process commits an action and is killed (SIGKILL: no clean-up, no close) inside its next
    transaction. Another process then finds the acknowledged change with its journal entry, nothing
    of the half-done one, and a journal that verifies. On SQLite the writer runs with WAL and
    synchronous=FULL (config/settings.py): the committed change is in the WAL file when the process
    dies, and FULL also makes it survive a power loss, which a test cannot stage."""
    url = _database_url(tmp_path)
    writer = _manage(url, "shell", "-c", WRITER)
    assert writer.returncode == -signal.SIGKILL, (writer.returncode, writer.stdout, writer.stderr[-2000:])
    lines = dict(line.split(" ", 1) for line in writer.stdout.splitlines() if line.startswith(("PRAGMAS ", "ACK ", "PENDING ", "NOT REACHED")))
    assert "NOT REACHED" not in lines
    acknowledged, journaled = (int(n) for n in lines["ACK"].split())
    assert journaled == 1
    if connection.vendor == "sqlite":
        assert lines["PRAGMAS"] == "wal 2"  # synchronous=2 is FULL
        assert (tmp_path / "crash.sqlite3-wal").exists()  # the change is in the WAL, not yet checkpointed

    reader = _manage(url, "shell", "-c", READER)
    assert reader.returncode == 0, reader.stderr[-2000:]
    state = json.loads(reader.stdout.strip().splitlines()[-1])
    assert state["units"] == {"崩溃前已确认的单位": [acknowledged], "崩溃时未提交的单位": []}
    assert state["journal"] == {"崩溃前已确认的单位": 1, "崩溃时未提交的单位": 0}
    verified = _manage(url, "verify_journal")
    assert verified.returncode == 0 and "journal ok" in verified.stdout, verified.stdout + verified.stderr
    print(
        f"\ncrash ({connection.vendor}): 1 acknowledged write survived SIGKILL with its journal entry; the killed transaction left 0 rows; {verified.stdout.strip()}"
    )
