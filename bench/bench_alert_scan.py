"""The nightly early-warning scan on a generated province (dossier issue, "Performance").

A throwaway database (PostgreSQL when one is reachable, else SQLite) is migrated and filled by
`manage.py load_scale --scale JIANDU_BENCH_SCALE` (default 0.01). A subprocess with Django set up
on it then:

* evaluates every rule's query once under CaptureQueriesContext (the rules' own SQL), and times
  those SELECTs again through the bare driver cursor: the baseline (best of 3);
* runs the scan as the nightly job does (`dossier.actions.scan_alerts`: every rule, alerts raised,
  updated and closed, notifications, the journal entry) — the first night, which raises every
  alert — with the peak of Python's allocations (tracemalloc) and the process's peak RSS;
* runs it again three times (the nights after: nothing changed) and keeps the median.

Lines: `alert_scan_first` and `alert_scan_nightly`, ratio = scan ÷ the rules' raw SQL.
Goals: nightly ≤ 3 × raw + 50 ms and idempotent (the second run raises, updates and closes
nothing); peak memory ≤ 300 MB. The first night is reported against the same baseline (it also
writes an alert and notifications per match).
"""

import datetime as dt
import json
import os
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(__file__).resolve()
SCALE = os.environ.get("JIANDU_BENCH_SCALE", "0.01")


def run() -> list[dict]:
    from bench.bench_pages import _line_for_failure, throwaway_scale_database

    try:
        with throwaway_scale_database(SCALE, "alerts") as (env, extra):
            from bench.bench_ballots import _run

            out = _run([str(SCRIPT), "measure"], env, timeout=3600)
            return [{**json.loads(line), **extra} for line in out.strip().splitlines() if line.startswith("{")]
    except Exception as exc:  # noqa: BLE001 - a broken run is a failed line with the reason
        return [_line_for_failure("alert_scan", exc)]


def _raw(selects: list[str]) -> float:
    from django.db import connection

    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        with connection.cursor() as wrapper:
            cursor = wrapper.cursor  # the driver's own cursor: no Django on the way
            for sql in selects:
                cursor.execute(sql)
                cursor.fetchall()
        best = min(best, time.perf_counter() - started)
    return best


def measure() -> list[dict]:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from jiandu.core import alerts as rules
    from jiandu.dossier.actions import scan_alerts
    from jiandu.dossier.models import Alert

    today = dt.date.today()
    matches = 0
    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        for rule in rules.rules():
            matches += len(list(rule.query(today)))
    selects = [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]
    raw = _raw(selects)

    # The URLconf is loaded on the first reverse() (about 2 s, once per process): a worker that
    # has run for a day has it; the bench measures the scan, not the import.
    from django.urls import reverse

    reverse("core:home")
    tracemalloc.start()
    started = time.perf_counter()
    first = scan_alerts(actor=None, today=today)
    first_s = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    nights, again = [], []
    for _ in range(3):
        started = time.perf_counter()
        again.append(scan_alerts(actor=None, today=today))
        nights.append(time.perf_counter() - started)
    nightly = statistics.median(nights)
    idempotent = all(r["raised"] == r["updated"] == r["closed"] == 0 for r in again)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_mb = peak / 2**20
    common = {
        "rules": len(rules.rules()),
        "matches": matches,
        "open_alerts": Alert.objects.filter(closed_at__isnull=True).count(),
        "raw_selects": len(selects),
        "peak_python_mb": round(peak_mb, 1),
        "peak_rss_mb": round(rss_mb, 1),
        "engine": connection.vendor,
    }
    budget = 3 * raw + 0.05
    return [
        {
            "bench": "alert_scan_nightly",
            "value": round(nightly, 4),
            "unit": "s",
            "baseline": round(raw, 4),
            "ratio": round(nightly / raw, 2) if raw else None,
            "goal": "<= 3 x the rules' raw SQL + 50 ms, idempotent, peak memory <= 300 MB",
            "ok": nightly <= budget and idempotent and rss_mb <= 300,
            "idempotent": idempotent,
            "runs_s": [round(x, 4) for x in nights],
            **common,
        },
        {
            "bench": "alert_scan_first",
            "value": round(first_s, 4),
            "unit": "s",
            "baseline": round(raw, 4),
            "ratio": round(first_s / raw, 2) if raw else None,
            "goal": "reported (the first night raises every alert and its notifications); peak memory <= 300 MB",
            "ok": rss_mb <= 300 and first["raised"] == matches,
            "raised": first["raised"],
            **common,
        },
    ]


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "measure":
        for line in measure():
            print(json.dumps(line, ensure_ascii=False))
    else:
        for line in run():
            print(json.dumps(line, ensure_ascii=False))
