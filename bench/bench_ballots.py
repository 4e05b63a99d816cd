"""Secret-ballot benchmarks (`run() -> list[dict]`, one dict per result line).

ballots_http_postgres / ballots_http_sqlite
    Ballots submitted through the real HTTP stack — granian serving config.wsgi in a subprocess
    on a free loopback port, against a throwaway database — by 8 concurrent clients, each posting
    the final "submit" of the plain voting form (its hidden code, ballot and group, 37 answers,
    its CSRF cookie and token) over a keep-alive connection; the requests are built before the
    clock starts and read by a minimal client, because the clients share the machine's cores
    with the server and the database. Compared with
    raw transactions writing the same rows with the same statements, by 8 threads straight through
    the driver (lock the ballot row against a close, redeem the code with a conditional UPDATE,
    insert a sealed ballot of the same size: on PostgreSQL the application's own single statement,
    on SQLite its BEGIN IMMEDIATE transaction). HTTP and raw rounds alternate and the best round of
    each is kept, because the machine may be shared. Afterwards the ballot is closed through the action
    and recounted: "lost" = ballots acknowledged over HTTP minus ballots counted.
    Goals: PostgreSQL ratio ≥ 0.25, p99 ≤ 150 ms; SQLite (WAL, synchronous=FULL) ratio ≥ 0.15,
    p99 ≤ 500 ms, no "database is locked"; both 0 lost and 0 errors.

tally
    10,000 ballots × 30 subjects × 6 questions (1.8 million answers) on SQLite: the tally
    (`tally.raw_counts`) against one raw SQL GROUP BY over the same rows; goal ≤ 2 × raw + 50 ms,
    equal to the raw counts and to the stored tally's recount.

PostgreSQL comes from JIANDU_BENCH_POSTGRES_URL (a server URL; a database of our own is created and
dropped) or a probe of 127.0.0.1:5432; without one the PostgreSQL line has ok null and a reason.
Everything runs in temporary directories and databases that are removed afterwards.
"""

import contextlib
import json
import os
import re
import secrets
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(__file__).resolve()
CLIENTS = 8
HTTP_BALLOTS = int(os.environ.get("JIANDU_BENCH_BALLOTS", "1600"))
WARMUP = 24
ROUNDS = 2
RAW_BALLOTS = 4000
TALLY_BALLOTS, TALLY_SUBJECTS, TALLY_QUESTIONS = 10_000, 30, 6


# --- helpers --------------------------------------------------------------------------------


def _line(bench, value, unit, baseline, goal, ok, **extras):
    ratio = round(value / baseline, 4) if (value is not None and baseline) else None
    return {"bench": bench, "value": value, "unit": unit, "baseline": baseline, "ratio": ratio, "goal": goal, "ok": ok, **extras}


def _env(database_url: str, var_dir: Path) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "JIANDU_DATABASE_URL": database_url,
            "JIANDU_VAR_DIR": str(var_dir),
            "JIANDU_SECRET_KEY": secrets.token_urlsafe(40),
            "JIANDU_DEBUG": "0",
            "JIANDU_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "JIANDU_LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    env.pop("JIANDU_PRODUCTION", None)
    return env


def _run(args, env, timeout=300) -> str:
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, args))} failed: {done.stderr[-2000:]}")
    return done.stdout


def _helper(command, env, *args, timeout=300) -> dict:
    out = _run([str(SCRIPT), command, *map(str, args)], env, timeout=timeout)
    return json.loads(out.strip().splitlines()[-1])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _postgres_server() -> tuple[str | None, str]:
    url = os.environ.get("JIANDU_BENCH_POSTGRES_URL", "").strip()
    if not url:
        try:
            with socket.create_connection(("127.0.0.1", 5432), timeout=1):
                pass
        except OSError:
            return None, "no PostgreSQL server: set JIANDU_BENCH_POSTGRES_URL or run one on 127.0.0.1:5432"
        url = "postgresql://postgres@127.0.0.1:5432/postgres"
    try:
        import psycopg

        with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any failure means "skip with the reason"
        return None, f"PostgreSQL at {url.split('@')[-1]} not usable: {type(exc).__name__}: {exc}".strip()
    return url, ""


def _p(values, q):
    ordered = sorted(values)
    if not ordered:
        return None
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# --- the HTTP benchmark ---------------------------------------------------------------------


def _csrf(port) -> str:
    conn = HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/vote/")
    response = conn.getresponse()
    response.read()
    cookies = response.headers.get_all("Set-Cookie") or []
    conn.close()
    for cookie in cookies:
        match = re.match(r"csrftoken=([^;]+)", cookie)
        if match:
            return match.group(1)
    raise RuntimeError("no CSRF cookie from /vote/")


class _Connection:
    """A minimal keep-alive HTTP/1.1 client: the requests are built before the clock starts and the
    responses read with as little Python as possible, so that the load generator — which shares
    the machine with the server — costs little (http.client costs ~0.3 ms of CPU per request)."""

    def __init__(self, port):
        self.port, self.sock, self.buffer = port, None, b""

    def exchange(self, request: bytes) -> tuple[int, bytes]:
        if self.sock is None:
            self.sock = socket.create_connection(("127.0.0.1", self.port), timeout=60)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.buffer = b""
        self.sock.sendall(request)
        while b"\r\n\r\n" not in self.buffer:
            self._receive()
        head, _, rest = self.buffer.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(b":") for line in lines[1:])}
        length = int(headers.get(b"content-length", b"-1"))
        if length < 0:  # no length: the body ends with the connection
            while self._receive(eof_ok=True):
                pass
            rest, length = self.buffer.partition(b"\r\n\r\n")[2], None
        else:
            while len(rest) < length:
                self._receive()
                rest = self.buffer.partition(b"\r\n\r\n")[2]
        body, self.buffer = (rest, b"") if length is None else (rest[:length], rest[length:])
        if length is None or headers.get(b"connection", b"").lower() == b"close":
            self.close()
        return status, body

    def _receive(self, eof_ok=False) -> bool:
        chunk = self.sock.recv(65536)
        if not chunk:
            if eof_ok:
                return False
            raise ConnectionError("connection closed by the server")
        self.buffer += chunk
        return True

    def close(self):
        if self.sock is not None:
            self.sock.close()
        self.sock, self.buffer = None, b""


def _request(port, path, fields, token) -> bytes:
    body = urllib.parse.urlencode(fields).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\nCookie: csrftoken={token}\r\n"
        f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


def _clients(port, jobs, answers) -> dict:
    """Post every code once from CLIENTS threads (the final submit of the voting form, with its
    CSRF cookie and token); latency per request, statuses, receipts."""
    latencies, statuses, failures = [], {}, []
    accepted = 0
    lock = threading.Lock()
    shares = []
    for i in range(CLIENTS):  # each client (phone) with its own CSRF cookie, as from the voting page
        token = _csrf(port)
        shares.append(
            [_request(port, "/vote/ballot/", {"csrfmiddlewaretoken": token, "code": code, "step": "submit", **answers}, token) for code in jobs[i::CLIENTS]]
        )

    def client(requests):
        nonlocal accepted
        conn = _Connection(port)
        for request in requests:
            started = time.perf_counter()
            try:
                status, body = conn.exchange(request)
                ok = status == 200 and b'class="receipt"' in body
                text = body[:200].decode("utf-8", "replace")
            except OSError as exc:
                status, ok, text = type(exc).__name__, False, str(exc)
                conn.close()
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                statuses[str(status)] = statuses.get(str(status), 0) + 1
                if ok:
                    accepted += 1
                elif len(failures) < 5:
                    failures.append(f"{status}: {text}")
        conn.close()

    threads = [threading.Thread(target=client, args=(share,)) for share in shares]
    started, cpu = time.perf_counter(), time.process_time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    return {"wall": wall, "client_cpu": time.process_time() - cpu, "latencies": latencies, "statuses": statuses, "accepted": accepted, "failures": failures}


def _raw_postgres(url, ballot_id, group_id, codes, sealed_size) -> float:
    """The statement the application itself runs (lock the ballot row against a close, redeem the
    code, insert the sealed ballot), straight through psycopg in autocommit: what is left of a
    ballot without HTTP, Django, validation and sealing."""
    import datetime as dt

    import psycopg

    sql = (
        "WITH open_ballot AS (SELECT id FROM ballots_ballot WHERE id = %s AND status = 'open' AND (opens_at IS NULL OR opens_at <= %s) "
        "AND (closes_at IS NULL OR closes_at > %s) FOR KEY SHARE), "
        "redeemed AS (UPDATE ballots_votingcode SET is_used = true WHERE code_hash = %s AND group_id = %s AND NOT is_used AND NOT is_void "
        "AND ballot_id IN (SELECT id FROM open_ballot) RETURNING ballot_id) "
        "INSERT INTO ballots_sealedballot (id, ballot_id, sealed) SELECT %s, ballot_id, %s FROM redeemed"
    )
    shares = [h[i::CLIENTS] for h in [_code_hashes(codes)] for i in range(CLIENTS)]
    errors = []

    def worker(hashes):
        with psycopg.connect(url, autocommit=True) as conn:
            for digest in hashes:
                now = dt.datetime.now(dt.UTC)
                cur = conn.execute(sql, [ballot_id, now, now, digest, group_id, uuid.uuid4(), os.urandom(sealed_size)])
                if cur.rowcount != 1:
                    errors.append(digest)

    return _time_threads(worker, shares, errors)


def _raw_sqlite(path, ballot_id, group_id, codes, sealed_size) -> float:
    hashes = _code_hashes(codes)
    shares = [hashes[i::CLIENTS] for i in range(CLIENTS)]
    errors = []

    def worker(mine):
        conn = sqlite3.connect(path, timeout=30, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        for digest in mine:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("SELECT status FROM ballots_ballot WHERE id = ?", [ballot_id]).fetchone()
            cur = conn.execute(
                "UPDATE ballots_votingcode SET is_used = 1 WHERE code_hash = ? AND ballot_id = ? AND group_id = ? AND NOT is_used AND NOT is_void",
                [digest, ballot_id, group_id],
            )
            if cur.rowcount != 1:
                errors.append(digest)
            conn.execute("INSERT INTO ballots_sealedballot (id, ballot_id, sealed) VALUES (?, ?, ?)", [uuid.uuid4().hex, ballot_id, os.urandom(sealed_size)])
            conn.execute("COMMIT")
        conn.close()

    return _time_threads(worker, shares, errors)


def _time_threads(worker, shares, errors) -> float:
    threads = [threading.Thread(target=worker, args=(share,)) for share in shares]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"raw baseline: {len(errors)} codes not redeemed")
    return sum(len(s) for s in shares) / wall


def _code_hashes(codes) -> list[str]:
    sys.path.insert(0, str(ROOT))
    from jiandu.core import crypto

    def normalise(code):
        return code.upper().replace("-", "")

    return [crypto.digest(("ballot-code:" + normalise(c)).encode()) for c in codes]


def _wait_for(port, process, timeout=40):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the server exited early")
        try:
            conn = HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/vote/")
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not answer")


def _server_command(port: int) -> tuple[list[str], str]:
    """The production WSGI server (granian, as docs/deployment.md runs it) serving config.wsgi.

    Default: one worker process per core times two, two blocking threads each, a single-threaded
    runtime per worker (measured on 2 cores: best among 1–8 workers × 1–8 threads; the GIL makes
    more threads per process slower). JIANDU_BENCH_SERVER=gunicorn (if installed) compares with
    gunicorn's gthread workers; JIANDU_BENCH_WORKERS and JIANDU_BENCH_SERVER_ARGS override."""
    server = os.environ.get("JIANDU_BENCH_SERVER", "granian")
    workers = os.environ.get("JIANDU_BENCH_WORKERS", str(2 * max(1, os.cpu_count() or 1)))
    if server == "gunicorn":
        extra = os.environ.get("JIANDU_BENCH_SERVER_ARGS", "--worker-class gthread --threads 4").split()
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            workers,
            "--log-level",
            "warning",
            "--timeout",
            "60",
            *extra,
        ]
    else:
        extra = os.environ.get("JIANDU_BENCH_SERVER_ARGS", "--blocking-threads 2 --runtime-mode st").split()
        command = [
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
            workers,
            "--log-level",
            "warning",
            *extra,
            "config.wsgi:application",
        ]
    return command, f"{server} --workers {workers} {' '.join(extra)}".strip()


def _http_bench(engine: str) -> dict:
    name = f"ballots_http_{engine}"
    goal = {"postgres": "ratio >= 0.25, p99 <= 150 ms, 0 lost, 0 errors", "sqlite": "ratio >= 0.15, p99 <= 500 ms, 0 lost, 0 errors, 0 database-locked"}[engine]
    server_url = None
    if engine == "postgres":
        server_url, reason = _postgres_server()
        if server_url is None:
            return _line(name, None, "ballots/s", None, goal, None, reason=reason)
    tmp = Path(tempfile.mkdtemp(prefix="jiandu-bench-ballots-"))
    db_name = f"jiandu_bench_ballots_{os.getpid()}_{secrets.token_hex(3)}"
    server = None
    try:
        if engine == "postgres":
            import psycopg

            with psycopg.connect(server_url, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{db_name}"')
            parts = urllib.parse.urlsplit(server_url)
            database_url = urllib.parse.urlunsplit((parts.scheme, parts.netloc, f"/{db_name}", parts.query, ""))
        else:
            database_url = f"sqlite:///{tmp / 'bench.sqlite3'}"
        env = _env(database_url, tmp)
        _run(["manage.py", "migrate", "--no-input", "-v", "0"], env)
        setup = _helper("setup-http", env, WARMUP + HTTP_BALLOTS, RAW_BALLOTS)
        codes = setup["codes"]
        warm, measured, raw_codes = codes[:WARMUP], codes[WARMUP:], setup["raw_codes"]
        port = _free_port()
        log = open(tmp / "server.log", "w")  # noqa: SIM115 - closed below
        command, server_label = _server_command(port)
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        _wait_for(port, server)
        _clients(port, warm, setup["answers"])
        # The machine is shared: alternate HTTP and raw rounds and keep the best round of each, so
        # both sides of the ratio see the same background load. While the raw round runs the
        # server is idle (SIGSTOP would be kinder to measure, but idle workers cost nothing).
        raw = _raw_postgres if engine == "postgres" else _raw_sqlite
        target = database_url if engine == "postgres" else str(tmp / "bench.sqlite3")
        runs, raw_rates = [], []
        for i in range(ROUNDS):
            runs.append(_clients(port, measured[i::ROUNDS], setup["answers"]))
            raw_rates.append(raw(target, setup["raw_ballot_id"], setup["raw_group_id"], raw_codes[i::ROUNDS], setup["sealed_size"]))
        server.terminate()
        server.wait(timeout=30)
        server = None
        log.close()
        locked = (tmp / "server.log").read_text(errors="replace").count("database is locked")
        verify = _helper("verify-http", env, setup["ballot_id"])
        run = {
            "accepted": sum(r["accepted"] for r in runs),
            "latencies": [x for r in runs for x in r["latencies"]],
            "statuses": {k: sum(r["statuses"].get(k, 0) for r in runs) for k in {k for r in runs for k in r["statuses"]}},
            "failures": [f for r in runs for f in r["failures"]][:5],
        }
        rate = max(r["accepted"] / r["wall"] for r in runs)
        raw_rate = max(raw_rates)
        p99 = _p(run["latencies"], 0.99) * 1000
        errors = len(measured) - run["accepted"]
        lost = WARMUP + run["accepted"] - verify["counted"]
        rounds = {"http": [round(r["accepted"] / r["wall"], 1) for r in runs], "raw": [round(x, 1) for x in raw_rates]}
        ratio = rate / raw_rate
        limit_ratio, limit_p99 = (0.25, 150) if engine == "postgres" else (0.15, 500)
        ok = ratio >= limit_ratio and p99 <= limit_p99 and lost == 0 and errors == 0 and locked == 0 and verify["recount_ok"]
        return _line(
            name,
            round(rate, 1),
            "ballots/s",
            round(raw_rate, 1),
            goal,
            ok,
            p50_ms=round(_p(run["latencies"], 0.5) * 1000, 1),
            p99_ms=round(p99, 1),
            max_ms=round(max(run["latencies"]) * 1000, 1),
            lost=lost,
            errors=errors,
            database_locked=locked,
            ballots=len(measured),
            clients=CLIENTS,
            server=server_label,
            answers_per_ballot=sum(1 for name in setup["answers"] if name.startswith("a-")),
            statuses=run["statuses"],
            recount_ok=verify["recount_ok"],
            rounds=rounds,
            client_cpu_ms_per_ballot=round(min(r["client_cpu"] / max(1, r["accepted"]) for r in runs) * 1000, 3),
            failures=run["failures"],
        )
    except Exception as exc:  # noqa: BLE001 - a broken run is a failed line with the reason, not a crash of the suite
        return _line(name, None, "ballots/s", None, goal, False, reason=f"{type(exc).__name__}: {exc}"[:1500])
    finally:
        if server is not None:
            server.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.wait(timeout=30)
        if engine == "postgres" and server_url:
            with contextlib.suppress(Exception):
                import psycopg

                with psycopg.connect(server_url, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        shutil.rmtree(tmp, ignore_errors=True)


# --- the tally benchmark --------------------------------------------------------------------


def _tally_bench() -> dict:
    goal = "tally <= 2 x raw GROUP BY + 50 ms, equal to raw and to the recount"
    tmp = Path(tempfile.mkdtemp(prefix="jiandu-bench-tally-"))
    try:
        path = tmp / "tally.sqlite3"
        env = _env(f"sqlite:///{path}", tmp)
        _run(["manage.py", "migrate", "--no-input", "-v", "0"], env)
        setup = _helper("setup-tally", env)
        _fill_answers(path, setup)
        result = _helper("measure-tally", env, setup["ballot_id"], timeout=600)
        ok = result["equal_raw"] and result["recount_ok"] and result["tally_ms"] <= 2 * result["raw_ms"] + 50
        return _line(
            "tally",
            result["tally_ms"],
            "ms",
            result["raw_ms"],
            goal,
            ok,
            answers=result["answers"],
            cells=result["cells"],
            equal_raw=result["equal_raw"],
            recount_ok=result["recount_ok"],
            results_ms=result["results_ms"],
            engine="sqlite",
        )
    except Exception as exc:  # noqa: BLE001
        return _line("tally", None, "ms", None, goal, False, reason=f"{type(exc).__name__}: {exc}"[:1500])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _fill_answers(path: Path, setup: dict) -> None:
    """Write the counted ballots straight into the tables (the shape close_ballot writes)."""
    import random

    rng = random.Random(20261127)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("BEGIN")
    ballot_id = setup["ballot_id"]
    groups = setup["groups"]
    items = setup["items"]  # [subject id, [option ids]] per (subject, question)
    casts, answers = [], []
    for i in range(TALLY_BALLOTS):
        cast_id = uuid.uuid4().hex
        group = groups[i % len(groups)]
        casts.append((cast_id, ballot_id, group, 0))
        for subject_id, options in items:
            answers.append((ballot_id, cast_id, group, subject_id, options[min(int(rng.expovariate(1.2)), len(options) - 1)]))
        if len(answers) >= 200_000:
            conn.executemany("INSERT INTO ballots_answer (ballot_id, cast_id, group_id, subject_id, option_id) VALUES (?, ?, ?, ?, ?)", answers)
            answers = []
    conn.executemany("INSERT INTO ballots_castballot (id, ballot_id, group_id, is_paper) VALUES (?, ?, ?, ?)", casts)
    if answers:
        conn.executemany("INSERT INTO ballots_answer (ballot_id, cast_id, group_id, subject_id, option_id) VALUES (?, ?, ?, ?, ?)", answers)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()


# --- subprocess commands (run with Django configured for the throwaway database) -------------


def _django():
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _officer_and_unit():
    from jiandu.accounts.models import Role
    from jiandu.testing import make_unit, make_user

    unit = make_unit(name="基准测试单位")
    return make_user(role=Role.ORG_OFFICER, unit=unit, username="bench_officer"), unit


def cmd_setup_http(count: str, raw_count: str) -> dict:
    """A leadership-team evaluation (1 team + 6 members × 德能勤绩廉+overall = 37 questions) for
    the HTTP rounds, and an identical one whose codes the raw rounds redeem (same tables, same
    row shape, kept apart so that the HTTP ballot can be closed and recounted afterwards)."""
    _django()
    from jiandu.ballots import actions, sealing, structure

    officer, unit = _officer_and_unit()
    spec = {
        "title": "基准测试民主测评",
        "sections": [
            {"title": "领导班子", "questions": "team_overall", "subjects": [{"key": "team", "kind": "team", "label": "领导班子"}]},
            {"title": "班子成员", "questions": "five_dimensions", "subjects": [{"key": f"m{i}", "kind": "cadre", "label": f"成员{i}"} for i in range(1, 7)]},
        ],
        "groups": [{"code": "staff", "name": "干部职工", "weight": "1", "headcount": int(count)}],
    }

    def make(n):
        ballot = actions.open_ballot(
            actor=officer, ballot=actions.create_ballot(actor=officer, unit=unit, spec={**spec, "groups": [{**spec["groups"][0], "headcount": n}]})
        )
        group = ballot.groups.get()
        made = []
        while len(made) < n:
            made += actions.generate_codes(actor=officer, ballot=ballot, group=group, count=min(n - len(made), 2000))[1]
        return ballot, group, made

    ballot, group, codes = make(int(count))
    raw_ballot, raw_group, raw_codes = make(int(raw_count))
    shape = structure.load(ballot)
    # The fields of the voting form: its hidden ballot and group, and one answer per question.
    answers = {"ballot": str(ballot.public_id), "group": str(group.pk)}
    answers |= {f"a-{item.subject_id}-{item.question_id}": str(item.option_ids[i % 4]) for i, item in enumerate(shape.layouts[group.pk].items)}
    chosen = [item.option_ids[i % 4] for i, item in enumerate(shape.layouts[group.pk].items)]
    sample = sealing.seal(b"\0" * 32, ballot.pk, {"g": group.pk, "a": structure.encode(shape, group.pk, chosen), "r": "XXXX-XXXX-XXXX"})
    return {
        "ballot_id": ballot.pk,
        "codes": codes,
        "raw_ballot_id": raw_ballot.pk,
        "raw_group_id": raw_group.pk,
        "raw_codes": raw_codes,
        "answers": answers,
        "sealed_size": len(sample),
    }


def cmd_verify_http(ballot_id: str) -> dict:
    _django()
    from jiandu.accounts.models import User
    from jiandu.ballots import actions, tally
    from jiandu.ballots.models import Ballot, CastBallot

    ballot = Ballot.objects.get(pk=int(ballot_id))
    officer = User.objects.get(username="bench_officer")
    ballot = actions.close_ballot(actor=officer, ballot=ballot)
    return {"counted": CastBallot.objects.filter(ballot=ballot).count(), "recount_ok": tally.recount(ballot).ok}


def cmd_setup_tally() -> dict:
    _django()
    from jiandu.ballots import actions, structure

    officer, unit = _officer_and_unit()
    questions = [{"code": f"q{i}", "label": f"问题{i}", "scale": "grade"} for i in range(1, TALLY_QUESTIONS)] + [
        {"code": "overall", "label": "总体评价", "scale": "grade", "overall": True}
    ]
    spec = {
        "title": "计票基准",
        "sections": [{"title": "对象", "questions": questions, "subjects": [{"kind": "cadre", "label": f"对象{i}"} for i in range(1, TALLY_SUBJECTS + 1)]}],
        "groups": [{"code": f"g{i}", "name": f"组{i}", "weight": "1", "headcount": TALLY_BALLOTS} for i in range(1, 4)],
    }
    ballot = actions.open_ballot(actor=officer, ballot=actions.create_ballot(actor=officer, unit=unit, spec=spec))
    shape = structure.load(ballot)
    first = shape.groups[0].pk
    items = [[item.subject_id, list(item.option_ids)] for item in shape.layouts[first].items]
    return {"ballot_id": ballot.pk, "groups": [g.pk for g in shape.groups], "items": items}


def cmd_measure_tally(ballot_id: str) -> dict:
    _django()
    from collections import Counter

    from django.db import connection, transaction
    from django.utils import timezone

    from jiandu.ballots import queries, tally
    from jiandu.ballots.models import Ballot

    ballot_id = int(ballot_id)
    sql = "SELECT subject_id, group_id, option_id, COUNT(*) FROM ballots_answer WHERE ballot_id = %s GROUP BY subject_id, group_id, option_id"

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(sql, [ballot_id])
            return Counter({(s, g, o): n for s, g, o, n in cursor.fetchall()})

    raw()  # warm the page cache for both
    raw_times, tally_times = [], []
    for _ in range(3):
        started = time.perf_counter()
        expected = raw()
        raw_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        counted = tally.raw_counts(ballot_id)
        tally_times.append(time.perf_counter() - started)
    ballot = Ballot.objects.get(pk=ballot_id)
    with transaction.atomic():
        tally.store(ballot, counted, tally.raw_group_ballots(ballot_id), {})
        Ballot.objects.filter(pk=ballot_id).update(status=Ballot.Status.CLOSED, closed_at=timezone.now(), min_group_size=5, sealing_key=b"")
    ballot.refresh_from_db()
    recount = tally.recount(ballot)
    started = time.perf_counter()
    queries.results(ballot)
    results_ms = (time.perf_counter() - started) * 1000
    return {
        "raw_ms": round(statistics.median(raw_times) * 1000, 1),
        "tally_ms": round(statistics.median(tally_times) * 1000, 1),
        "equal_raw": counted == expected,
        "recount_ok": recount.ok,
        "answers": sum(expected.values()),
        "cells": len(expected),
        "results_ms": round(results_ms, 1),
    }


def run() -> list[dict]:
    return [_http_bench("postgres"), _http_bench("sqlite"), _tally_bench()]


COMMANDS = {"setup-http": cmd_setup_http, "verify-http": cmd_verify_http, "setup-tally": cmd_setup_tally, "measure-tally": cmd_measure_tally}

if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in COMMANDS:
        print(json.dumps(COMMANDS[sys.argv[1]](*sys.argv[2:])))
    else:
        for line in run():
            print(json.dumps(line, ensure_ascii=False))
