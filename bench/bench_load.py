"""The load scenario (bench/locustfile.py), bounded, against a local server.

A throwaway PostgreSQL database (migrated, the same set-up as bench/two_hosts.py: an officer, an
open evaluation with one code per voter, principals' tenures to end), one granian server as
docs/deployment.md runs it and one worker; Locust (headless, in its own process) spawns
JIANDU_BENCH_LOAD_VOTERS voters (default 300) over the first half of JIANDU_BENCH_LOAD_SECONDS
(default 60) while JIANDU_BENCH_LOAD_OFFICERS officers (default 10) work, think time 0.5–2 s.

One line, `load_meeting`: requests per second overall; per request kind its count, failures and
p50/p95/p99 (ms); the ballots counted when the evaluation is closed afterwards against the
receipts handed out. Baseline: the same server's p95 for the cheapest page (the voting entry page)
measured in the same run, so the ratio says how much a vote submit costs against it.
Goal: 0 failures, every voter's ballot counted, vote submit p95 ≤ 1 s.
"""

import contextlib
import csv
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from bench.bench_ballots import _env, _free_port, _run, _wait_for
from bench.two_hosts import _granian, _helper, postgres_server, redis_server

ROOT = Path(__file__).resolve().parent.parent
VOTERS = int(os.environ.get("JIANDU_BENCH_LOAD_VOTERS", "300"))
OFFICERS = int(os.environ.get("JIANDU_BENCH_LOAD_OFFICERS", "10"))
SECONDS = int(os.environ.get("JIANDU_BENCH_LOAD_SECONDS", "60"))
GOAL = "0 failures, every ballot counted, vote submit p95 <= 1000 ms"


def _line(value, baseline, ok, **extras) -> dict:
    ratio = round(value / baseline, 3) if value is not None and baseline else None
    return {"bench": "load_meeting", "value": value, "unit": "ms (vote submit p95)", "baseline": baseline, "ratio": ratio, "goal": GOAL, "ok": ok, **extras}


def run() -> list[dict]:
    server_url, reason = postgres_server()
    if server_url is None:
        return [_line(None, None, None, reason=reason)]
    redis_url, _reason = redis_server()
    if importlib.util.find_spec("locust") is None:  # not imported here: it monkey-patches the process (gevent)
        return [_line(None, None, None, reason="Locust is not installed (make install installs it)")]
    import psycopg

    tmp = Path(tempfile.mkdtemp(prefix="jiandu-bench-load-"))
    db_name = f"jiandu_bench_load_{os.getpid()}_{int(time.time())}"
    processes = []
    try:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{db_name}"')
        parts = urllib.parse.urlsplit(server_url)
        env = _env(urllib.parse.urlunsplit((parts.scheme, parts.netloc, f"/{db_name}", parts.query, "")), tmp)
        if redis_url:
            env["JIANDU_REDIS_URL"] = redis_url
        _run(["manage.py", "migrate", "--no-input", "-v", "0"], env)
        setup = _helper("setup", env, VOTERS, 40)
        plan = tmp / "plan.json"
        plan.write_text(
            json.dumps(
                {
                    "codes": setup["codes"],
                    "officers": [{"username": setup["officer"], "password": setup["password"]}],
                    "tenures": setup["tenures"],
                    "today": setup["today"],
                }
            )
        )
        port = _free_port()
        for name, command in [("web", _granian(port)), ("worker", [sys.executable, "manage.py", "run_worker"])]:
            log = open(tmp / f"{name}.log", "w")  # noqa: SIM115 - the process owns it until killed
            processes.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        _wait_for(port, processes[0])
        rate = max(1.0, (VOTERS + OFFICERS) / max(1, SECONDS / 2))
        started = time.monotonic()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--host",
                f"http://127.0.0.1:{port}",
                "-u",
                str(VOTERS + OFFICERS),
                "-r",
                f"{rate:.2f}",
                "-t",
                f"{SECONDS}s",
                "--csv",
                str(tmp / "load"),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env={**env, "JIANDU_LOAD_PLAN": str(plan), "JIANDU_LOAD_THINK": "0.5,2", "JIANDU_LOAD_OFFICERS": str(OFFICERS)},
            capture_output=True,
            timeout=SECONDS + 120,
            check=False,
        )
        wall = time.monotonic() - started
        kinds, total, failures = {}, 0, 0
        with open(tmp / "load_stats.csv", encoding="utf-8") as stats:
            for row in csv.DictReader(stats):
                if row["Name"] == "Aggregated":
                    total, failures = int(row["Request Count"]), int(row["Failure Count"])
                    continue
                kinds[row["Name"]] = {
                    "n": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "p50_ms": float(row["50%"]),
                    "p95_ms": float(row["95%"]),
                    "p99_ms": float(row["99%"]),
                }
        submits = kinds.get("vote: submit", {})
        receipts = submits.get("n", 0) - submits.get("failures", 0)
        verify = _helper("verify", env, json.dumps({"accepted": receipts, "tenures": [], "wait": 0}), timeout=200)
        value = submits.get("p95_ms")
        baseline = kinds.get("vote: entry page", {}).get("p95_ms")
        ok = failures == 0 and receipts == VOTERS == verify["counted"] and value is not None and value <= 1000
        return [
            _line(
                value,
                baseline,
                ok,
                requests=total,
                requests_per_s=round(total / wall, 1),
                failures=failures,
                voters=VOTERS,
                officers=OFFICERS,
                seconds=SECONDS,
                ballots_counted=verify["counted"],
                receipts=receipts,
                kinds=kinds,
                cache="redis" if redis_url else "local memory",
            )
        ]
    except Exception as exc:  # noqa: BLE001 - a broken run is a failed line with the reason
        return [_line(None, None, False, reason=f"{type(exc).__name__}: {exc}"[:1500])]
    finally:
        for process in processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, 9)
        with contextlib.suppress(Exception):
            with psycopg.connect(server_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        shutil.rmtree(tmp, ignore_errors=True)
