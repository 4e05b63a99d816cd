"""Two hosts against one PostgreSQL and one Redis (scale issue, part 3): what an operator who runs
more than one web process needs to be true, driven for a bounded time and checked afterwards.

Layout simulated on this machine: two web servers (granian as docs/deployment.md runs it, each
its own process tree on its own port, as two hosts behind a load balancer would be), two
`run_worker` processes, one throwaway PostgreSQL database, Redis for the shared cache (rate limits,
lockouts). Traffic, for `duration` seconds, alternating between the two hosts request by request:

* voters submit ballots of an open democratic evaluation (the ballot lane's final submit);
* an officer ends principals' tenures through the API (writes; each one is a departure, an event
  that the workers' `audits.departure` consumer turns into a departure audit and a handover);
* an officer logged in on the first host reads list pages, the tenures xlsx export and the API on
  both hosts with the same session (sessions live in the database).

Then a rate-limit probe: failed logins from the same address alternate between the hosts until
the limit (4 in this run) is reached; the next attempt must be refused on the host that saw only
half of them. Finally the checks (`check` below): 0 server errors and 0 failed requests, 0 lost
writes (every acknowledged tenure end stored, every acknowledged ballot counted when the ballot is
closed), every departure event handled exactly once (one attempt, one audit), every scheduled job
that was due run by exactly one of the two workers, and the journal one valid chain.

`simulate(duration)` returns a dict with the figures and the checks; `bench/bench_two_hosts.py`
prints it as a bench line and `tests/test_two_hosts.py` asserts it. Needs a PostgreSQL server
(JIANDU_BENCH_POSTGRES_URL, JIANDU_TEST_POSTGRES_URL or 127.0.0.1:5432) and Redis
(JIANDU_BENCH_REDIS_URL, default redis://127.0.0.1:6379/13 — that database is emptied).
"""

import contextlib
import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from http.client import HTTPConnection
from pathlib import Path

if __package__ in (None, ""):  # run as a script by the setup/verify subprocesses
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_ballots import _Connection, _csrf, _env, _free_port, _p, _request, _run, _wait_for

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(__file__).resolve()
RATE_LIMIT = 4  # failed logins per address before the pause, in this run
PASSWORD_PROBE = "nobody-at-all"


# --- servers --------------------------------------------------------------------------------


def postgres_server() -> tuple[str | None, str]:
    for name in ("JIANDU_BENCH_POSTGRES_URL", "JIANDU_TEST_POSTGRES_URL"):
        url = os.environ.get(name, "").strip()
        if url:
            break
    else:
        url = "postgresql://postgres@127.0.0.1:5432/postgres"
    try:
        import psycopg

        with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any failure means "not available", with the reason
        return None, f"no usable PostgreSQL server ({type(exc).__name__}: {exc})".strip()
    return url, ""


def redis_server() -> tuple[str | None, str]:
    url = os.environ.get("JIANDU_BENCH_REDIS_URL", "redis://127.0.0.1:6379/13").strip()
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=3)
        client.ping()
        client.flushdb()
    except Exception as exc:  # noqa: BLE001
        return None, f"no usable Redis server at {url} ({type(exc).__name__}: {exc})"
    return url, ""


def _helper(command, env, *args, timeout=300) -> dict:
    out = _run([str(SCRIPT), command, *map(str, args)], env, timeout=timeout)
    return json.loads(out.strip().splitlines()[-1])


def _granian(port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "2",
        "--blocking-threads",
        "2",
        "--runtime-mode",
        "st",
        "--respawn-failed-workers",
        "--log-level",
        "warning",
        "config.wsgi:application",
    ]


# --- traffic --------------------------------------------------------------------------------


class _Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.statuses: dict[str, int] = {}
        self.by_kind: dict[str, list[float]] = {}
        self.failures: list[str] = []

    def add(self, kind: str, status, elapsed: float, ok: bool, detail: str = ""):
        with self.lock:
            self.statuses[str(status)] = self.statuses.get(str(status), 0) + 1
            self.by_kind.setdefault(kind, []).append(elapsed)
            if not ok and len(self.failures) < 10:
                self.failures.append(f"{kind} {status}: {detail}"[:300])

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if not status.isdigit() or int(status) >= 500)


def _voter(ports, codes, answers, deadline, tally, accepted):
    tokens = {port: _csrf(port) for port in ports}
    connections = {port: _Connection(port) for port in ports}
    for i, code in enumerate(codes):
        if time.monotonic() > deadline:
            break
        port = ports[i % len(ports)]
        request = _request(port, "/vote/ballot/", {"csrfmiddlewaretoken": tokens[port], "code": code, "step": "submit", **answers}, tokens[port])
        started = time.perf_counter()
        try:
            status, body = connections[port].exchange(request)
            ok = status == 200 and b'class="receipt"' in body
            detail = body[:200].decode("utf-8", "replace")
        except OSError as exc:
            status, ok, detail = type(exc).__name__, False, str(exc)
            connections[port].close()
        tally.add("vote", status, time.perf_counter() - started, ok, detail)
        if ok:
            with tally.lock:
                accepted.append(code)
    for conn in connections.values():
        conn.close()


def _http(port, method, path, *, headers=None, body=None, timeout=60):
    conn = HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers={"Host": f"127.0.0.1:{port}", **(headers or {})})
        response = conn.getresponse()
        return response.status, response.read(), response.headers
    finally:
        conn.close()


def _writer(ports, token, tenure_ids, deadline, tally, acknowledged, today):
    pause = max(0.0, (deadline - time.monotonic()) / max(1, len(tenure_ids)) / 2)
    for i, tenure_id in enumerate(tenure_ids):
        if time.monotonic() > deadline:
            break
        port = ports[i % len(ports)]
        body = json.dumps({"ended_on": today, "end_reason": "transfer"}).encode()
        started = time.perf_counter()
        try:
            status, content, _ = _http(
                port,
                "POST",
                f"/api/v1/registry/tenures/{tenure_id}/end",
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
                body=body,
            )
            ok = status == 200 and json.loads(content).get("ended_on") == today
            detail = content[:200].decode("utf-8", "replace")
        except (OSError, ValueError) as exc:
            status, ok, detail = type(exc).__name__, False, str(exc)
        tally.add("write", status, time.perf_counter() - started, ok, detail)
        if ok:
            with tally.lock:
                acknowledged.append(tenure_id)
        time.sleep(pause)  # spread the writes over the run (pacing the traffic, not awaiting a result)


def _log_in(port, username, password) -> str:
    status, _, headers = _http(port, "GET", "/accounts/login/")
    cookie = next(c for c in headers.get_all("Set-Cookie") if c.startswith("csrftoken="))
    token = cookie.split(";")[0].split("=", 1)[1]
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password}).encode()
    status, body, headers = _http(
        port,
        "POST",
        "/accounts/login/",
        headers={"Cookie": f"csrftoken={token}", "Origin": f"http://127.0.0.1:{port}", "Content-Type": "application/x-www-form-urlencoded"},
        body=form,
    )
    session = [c for c in headers.get_all("Set-Cookie") or [] if c.startswith("sessionid=")]
    if status != 302 or not session:
        raise RuntimeError(f"login failed: {status} {body[:200]!r}")
    return session[0].split(";")[0]


READS = [
    ("list", "/registry/cadres/", b"<table"),
    ("list", "/registry/tenures/", b"<table"),
    ("export", "/registry/tenures/export/", b"PK"),
    ("api", "/api/v1/registry/cadres?page_size=50", b'"items"'),
]


def _reader(ports, session_cookie, deadline, tally):
    i = 0
    while time.monotonic() < deadline:
        port = ports[i % len(ports)]
        kind, path, expect = READS[i % len(READS)]
        started = time.perf_counter()
        try:
            status, body, _ = _http(port, "GET", path, headers={"Cookie": session_cookie, "Accept-Language": "zh-hans"})
            ok = status == 200 and (body.startswith(expect) if expect == b"PK" else expect in body)
            detail = body[:200].decode("utf-8", "replace")
        except OSError as exc:
            status, ok, detail = type(exc).__name__, False, str(exc)
        tally.add(kind, status, time.perf_counter() - started, ok, detail)
        i += 1


def _rate_limit_probe(ports) -> dict:
    """Failed logins alternate between the hosts; after RATE_LIMIT of them the address waits, on
    either host. With a per-process cache each host would have seen only half."""
    outcomes = []
    for i in range(RATE_LIMIT + 1):
        port = ports[i % len(ports)]
        status, _, headers = _http(port, "GET", "/accounts/login/")
        token = next(c for c in headers.get_all("Set-Cookie") if c.startswith("csrftoken=")).split(";")[0].split("=", 1)[1]
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": PASSWORD_PROBE, "password": "wrong-password-1"}).encode()
        status, _, _ = _http(
            port,
            "POST",
            "/accounts/login/",
            headers={"Cookie": f"csrftoken={token}", "Origin": f"http://127.0.0.1:{port}", "Content-Type": "application/x-www-form-urlencoded"},
            body=form,
        )
        outcomes.append(status)
    return {"statuses": outcomes, "shared": outcomes[:RATE_LIMIT] == [200] * RATE_LIMIT and outcomes[RATE_LIMIT] == 429}


# --- the simulation ---------------------------------------------------------------------------


def simulate(duration: float = 30.0, *, voters: int = 4, codes: int = 400, tenures: int = 40) -> dict:
    server_url, reason = postgres_server()
    if server_url is None:
        return {"ok": None, "reason": reason}
    redis_url, reason = redis_server()
    if redis_url is None:
        return {"ok": None, "reason": reason}
    import psycopg

    tmp = Path(tempfile.mkdtemp(prefix="jiandu-two-hosts-"))
    db_name = f"jiandu_two_hosts_{os.getpid()}_{int(time.time())}"
    processes: list[subprocess.Popen] = []
    logs = []
    try:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{db_name}"')
        parts = urllib.parse.urlsplit(server_url)
        database_url = urllib.parse.urlunsplit((parts.scheme, parts.netloc, f"/{db_name}", parts.query, ""))
        env = {**_env(database_url, tmp), "JIANDU_REDIS_URL": redis_url}
        started = time.monotonic()
        _run(["manage.py", "migrate", "--no-input", "-v", "0"], env)
        setup = _helper("setup", env, codes, tenures)
        prepared = time.monotonic() - started
        ports = [_free_port(), _free_port()]
        for name, command, extra in [
            ("web-a", _granian(ports[0]), {}),
            ("web-b", _granian(ports[1]), {}),
            ("worker-a", [sys.executable, "manage.py", "run_worker", "--tick", "1"], {"JIANDU_LOG_LEVEL": "INFO"}),
            ("worker-b", [sys.executable, "manage.py", "run_worker", "--tick", "1"], {"JIANDU_LOG_LEVEL": "INFO"}),
        ]:
            log = open(tmp / f"{name}.log", "w")  # noqa: SIM115 - closed in finally
            logs.append(log)
            processes.append(subprocess.Popen(command, cwd=ROOT, env={**env, **extra}, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        for port, process in zip(ports, processes[:2], strict=True):
            _wait_for(port, process)
        session = _log_in(ports[0], setup["officer"], setup["password"])

        tally, accepted, acknowledged = _Tally(), [], []
        deadline = time.monotonic() + duration
        threads = [threading.Thread(target=_voter, args=(ports, setup["codes"][i::voters], setup["answers"], deadline, tally, accepted)) for i in range(voters)]
        threads.append(threading.Thread(target=_writer, args=(ports, setup["token"], setup["tenures"], deadline, tally, acknowledged, setup["today"])))
        threads += [threading.Thread(target=_reader, args=(ports[i:] + ports[:i], session, deadline, tally)) for i in range(2)]
        traffic_started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        traffic = time.monotonic() - traffic_started
        probe = _rate_limit_probe(ports)

        verify = _helper("verify", env, json.dumps({"accepted": len(accepted), "tenures": sorted(acknowledged), "wait": 90}), timeout=200)
        for process in processes:
            process.terminate()
        for process in processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=30)
        for log in logs:
            log.close()
        ran = {}
        for name in ("worker-a", "worker-b"):
            for match in re.finditer(r"scheduled job (\S+) run by", (tmp / f"{name}.log").read_text(errors="replace")):
                ran[match.group(1)] = ran.get(match.group(1), 0) + 1
        due = setup["scheduled"]
        jobs_once = sorted(ran) == sorted(due) and all(n == 1 for n in ran.values())
        server_logs = "".join((tmp / f"{name}.log").read_text(errors="replace") for name in ("web-a", "web-b"))
        tracebacks = server_logs.count("Traceback")
        checks = {
            "no_server_errors": tally.server_errors == 0 and tracebacks == 0,
            "no_failed_requests": not tally.failures,
            "no_lost_ballots": verify["counted"] == len(accepted) and verify["recount_ok"],
            "no_lost_writes": verify["tenures_stored"] and len(acknowledged) > 0,
            "events_once": verify["events_once"],
            "jobs_once": jobs_once,
            "rate_limit_shared": probe["shared"],
            "journal_valid": verify["journal_ok"],
        }
        latency = {
            kind: {"n": len(v), "p50_ms": round(_p(v, 0.5) * 1000, 1), "p95_ms": round(_p(v, 0.95) * 1000, 1)} for kind, v in sorted(tally.by_kind.items())
        }
        return {
            "ok": all(checks.values()),
            "checks": checks,
            "requests": sum(tally.statuses.values()),
            "statuses": tally.statuses,
            "failures": tally.failures,
            "ballots": len(accepted),
            "writes": len(acknowledged),
            "departure_events": verify["events"],
            "scheduled_jobs_run": ran,
            "scheduled_jobs_due": due,
            "rate_limit_probe": probe["statuses"],
            "journal_entries": verify["journal_entries"],
            "latency": latency,
            "traffic_s": round(traffic, 1),
            "setup_s": round(prepared, 1),
            "tracebacks": tracebacks,
        }
    finally:
        for process in processes:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, 9)
        for log in logs:
            log.close()
        with contextlib.suppress(Exception):
            with psycopg.connect(server_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        shutil.rmtree(tmp, ignore_errors=True)


# --- setup and verification (run in a subprocess against the throwaway database) -------------


def _django():
    import django

    django.setup()


def cmd_setup(codes: str, tenures: str) -> dict:
    """An officer with an API token, principals' tenures to end, an open evaluation with codes,
    the login limits of this run, and every scheduled job due now (a run missed while no worker
    ran happens once at the next start: one of the two workers must take it, not both)."""
    _django()
    from django.utils import timezone

    from jiandu.accounts.models import Role
    from jiandu.ballots import actions as ballot_actions
    from jiandu.ballots import structure
    from jiandu.core import jobs
    from jiandu.core.actions import change_setting
    from jiandu.core.models import JobLease
    from jiandu.testing import PASSWORD, make_api_token, make_cadre, make_position, make_tenure, make_unit, make_user, security_admin

    district = make_unit(name="两机演练区")
    officer = make_user(role=Role.ORG_OFFICER, unit=district, username="twohosts_officer")
    tenure_ids = []
    for i in range(int(tenures)):
        unit = make_unit(name=f"演练单位{i + 1}", parent=district)
        position = make_position(unit=unit, title="局长", is_principal=True)
        tenure_ids.append(make_tenure(cadre=make_cadre(unit=unit), position=position, started_on=dt.date(2021, 3, 1)).pk)
    spec = {
        "title": "两机演练民主测评",
        "sections": [{"title": "领导班子", "questions": "team_overall", "subjects": [{"key": "team", "kind": "team", "label": "领导班子"}]}],
        "groups": [{"code": "staff", "name": "干部职工", "weight": "1", "headcount": int(codes)}],
    }
    ballot = ballot_actions.open_ballot(actor=officer, ballot=ballot_actions.create_ballot(actor=officer, unit=district, spec=spec))
    group = ballot.groups.get()
    plain = ballot_actions.generate_codes(actor=officer, ballot=ballot, group=group, count=int(codes))[1]
    shape = structure.load(ballot)
    answers = {"ballot": str(ballot.public_id), "group": str(group.pk)}
    answers |= {f"a-{item.subject_id}-{item.question_id}": str(item.option_ids[i % 4]) for i, item in enumerate(shape.layouts[group.pk].items)}
    admin = security_admin()
    change_setting(actor=admin, key="security.login_rate_limit", value=RATE_LIMIT)
    change_setting(actor=admin, key="security.login_challenge_after", value=0)
    now = timezone.now()
    due = []
    for job in jobs.jobs().values():
        if job.at is not None:
            JobLease.objects.update_or_create(name=job.name, defaults={"next_run_at": now - dt.timedelta(minutes=1)})
            due.append(job.name)
    return {
        "officer": officer.username,
        "password": PASSWORD,
        "token": make_api_token(officer),
        "tenures": tenure_ids,
        "ballot_id": ballot.pk,
        "codes": plain,
        "answers": answers,
        "today": timezone.localdate().isoformat(),
        "scheduled": sorted(due),
    }


def cmd_verify(raw: str) -> dict:
    """After the traffic: wait (bounded) for the workers to handle the departures, then check
    writes, ballots, events and the journal."""
    _django()
    from django.db.models import Count

    from jiandu.accounts.models import User
    from jiandu.audits.models import DepartureAudit
    from jiandu.ballots import actions as ballot_actions
    from jiandu.ballots import tally
    from jiandu.ballots.models import Ballot, CastBallot
    from jiandu.core import journal
    from jiandu.core.models import DomainEvent, EventHandling, JournalEntry
    from jiandu.registry.models import Tenure

    given = json.loads(raw)
    acknowledged = set(given["tenures"])
    ended = set(Tenure.objects.filter(ended_on__isnull=False).values_list("pk", flat=True))
    events = DomainEvent.objects.filter(kind="registry.departure")
    handlings = EventHandling.objects.filter(event__in=events, consumer="audits.departure")
    deadline = time.monotonic() + given["wait"]
    while handlings.exclude(status=EventHandling.Status.DONE).exists() and time.monotonic() < deadline:
        time.sleep(1)  # polling the workers, which handle events every 30 s
    per_event = dict(DepartureAudit.objects.filter(source_event_id__isnull=False).values_list("source_event_id").annotate(n=Count("id")))
    events_once = (
        events.count() == len(ended)
        and handlings.count() == events.count()
        and not handlings.exclude(status=EventHandling.Status.DONE).exists()
        and not handlings.exclude(attempts=1).exists()
        and sorted(per_event) == sorted(events.values_list("pk", flat=True))
        and set(per_event.values()) <= {1}
    )
    ballot = Ballot.objects.get(pk=Ballot.objects.filter(status=Ballot.Status.OPEN).values_list("pk", flat=True).get())
    ballot = ballot_actions.close_ballot(actor=User.objects.get(username="twohosts_officer"), ballot=ballot)
    result = journal.verify()
    return {
        "tenures_stored": ended == acknowledged,
        "events": events.count(),
        "events_once": events_once,
        "counted": CastBallot.objects.filter(ballot=ballot).count(),
        "recount_ok": tally.recount(ballot).ok,
        "journal_ok": bool(result.ok),
        "journal_entries": JournalEntry.objects.count(),
    }


COMMANDS = {"setup": cmd_setup, "verify": cmd_verify}

if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in COMMANDS:
        print(json.dumps(COMMANDS[sys.argv[1]](*sys.argv[2:])))
    else:
        print(json.dumps(simulate(float(sys.argv[1]) if len(sys.argv) > 1 else 30.0), ensure_ascii=False))
