"""verify_journal on many entries (issue 17 §2), one line (`run() -> list[dict]`).

The bench's throwaway database gets JIANDU_BENCH_JOURNAL_ENTRIES (default 200,000) entries through
`journal.record_many` (the generator's path), shaped like load_scale's: sensitive views of
cadres and records of rows. Then, in the same run:

- value: `journal.verify()` (what `manage.py verify_journal` runs; the chain alone, no checkpoint
  file) in rows/s, streaming the table in seq order (`iterator(chunk_size=…)`: a server-side
  cursor on PostgreSQL);
- baseline: a raw hash loop over the same rows — the bare driver cursor, fetchmany, the same
  canonical JSON and the same keyed hash per row, chained — in rows/s;
- memory: tracemalloc's peak during verify, once at a quarter of the entries and once at all of
  them (a separate, untimed pass each: tracemalloc slows Python down), and the process's peak RSS.

Goal: ratio (verify ÷ raw) ≥ 0.5 and constant memory: the peak at all entries at most 1.25 × the
peak at a quarter + 1 MB. `estimate_10m_s` is what 10 million entries take at the measured rate.
"""

import datetime as dt
import json
import os
import resource
import time
import tracemalloc

ENTRIES = int(os.environ.get("JIANDU_BENCH_JOURNAL_ENTRIES", "200000"))
BATCH = 20_000
FETCH = 5000


def _fill(upto: int) -> None:
    from django.db import transaction

    from jiandu.core import journal
    from jiandu.core.models import JournalEntry

    have = JournalEntry.objects.count()
    n = have
    while n < upto:
        size = min(BATCH, upto - n)
        entries = [
            {
                "action": "registry.cadre.sensitive_viewed" if i % 4 else "registry.tenure.started",
                "target": ("registry.cadre", 1 + (n + i) % 100_000),
                "unit": 1 + (n + i) % 2000,
                "cadre": 1 + (n + i) % 100_000,
                "data": {"page": "detail"} if i % 4 else {"position": "县财政局副职1", "started_on": "2019-03-01", "start_method": "appointment"},
            }
            for i in range(size)
        ]
        with transaction.atomic():
            journal.record_many(entries)
        n += size


def _raw_loop() -> int:
    """The same check without Django: rows through the driver cursor, canonical JSON, keyed hash."""
    from django.conf import settings
    from django.db import connection, transaction

    from jiandu.core import crypto
    from jiandu.core.models import JournalEntry

    key = settings.JOURNAL_KEY.encode()
    table = JournalEntry._meta.db_table
    columns = "seq, at, actor_id, actor_username, role, ip, request_id, action, target_type, target_id, unit_id, unit_path, cadre_id, outcome, data, algorithm, prev_hash, hash"
    postgres = connection.vendor == "postgresql"
    checked, prev = 0, "0" * 64
    with transaction.atomic(), connection.cursor() as wrapper:  # a server-side cursor lives in a transaction
        raw = wrapper.connection.cursor("bench_raw_journal") if postgres else wrapper.cursor  # server-side on PostgreSQL, like iterator()
        raw.execute(f"SELECT {columns} FROM {table} ORDER BY seq, id")  # noqa: S608 - constant names
        while rows := raw.fetchmany(FETCH):
            for row in rows:
                at = row[1] if isinstance(row[1], dt.datetime) else dt.datetime.fromisoformat(row[1])
                if at.tzinfo is None:
                    at = at.replace(tzinfo=dt.UTC)
                data = row[14] if isinstance(row[14], dict) else json.loads(row[14])
                fields = dict(
                    zip(
                        (
                            "seq",
                            "actor_id",
                            "actor_username",
                            "role",
                            "ip",
                            "request_id",
                            "action",
                            "target_type",
                            "target_id",
                            "unit_id",
                            "unit_path",
                            "cadre_id",
                            "outcome",
                        ),
                        (row[0], *row[2:14]),
                        strict=True,
                    )
                )
                fields.update(at=at.astimezone(dt.UTC).isoformat(timespec="microseconds"), data=data, prev_hash=row[16])
                content = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
                if checked and row[16] != prev:
                    raise RuntimeError(f"raw loop: broken link at #{row[0]}")
                if crypto.keyed_digest(key, content, row[15]) != row[17]:
                    raise RuntimeError(f"raw loop: hash differs at #{row[0]}")
                prev = row[17]
                checked += 1
        if postgres:
            raw.close()
    return checked


def _verify() -> int:
    from jiandu.core import journal

    result = journal.verify(checkpoints=[])
    if not result.ok:
        raise RuntimeError(f"journal does not verify: {result.reason}")
    return result.checked


def _peak(func) -> int:
    tracemalloc.start()
    try:
        func()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def run() -> list[dict]:
    from django.db import connection

    goal = "ratio >= 0.5, peak memory at all entries <= 1.25 x peak at a quarter + 1 MB"
    try:
        _fill(ENTRIES // 4)
        peak_quarter = _peak(_verify)
        _fill(ENTRIES)
        peak_full = _peak(_verify)
        verify_s, raw_s = [], []
        for _ in range(2):  # alternate, keep the best of each: the machine is shared
            started = time.perf_counter()
            checked = _verify()
            verify_s.append(time.perf_counter() - started)
            started = time.perf_counter()
            raw_checked = _raw_loop()
            raw_s.append(time.perf_counter() - started)
        if raw_checked != checked:
            raise RuntimeError(f"verify checked {checked} entries, the raw loop {raw_checked}")
        rate, raw_rate = checked / min(verify_s), checked / min(raw_s)
        ratio = rate / raw_rate
        constant = peak_full <= 1.25 * peak_quarter + 1_000_000
        return [
            {
                "bench": "verify_journal",
                "value": round(rate),
                "unit": "rows/s",
                "baseline": round(raw_rate),
                "ratio": round(ratio, 2),
                "goal": goal,
                "ok": ratio >= 0.5 and constant,
                "entries": checked,
                "engine": connection.vendor,
                "verify_s": [round(s, 2) for s in verify_s],
                "raw_s": [round(s, 2) for s in raw_s],
                "peak_kb_quarter": peak_quarter // 1024,
                "peak_kb_full": peak_full // 1024,
                "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                "estimate_10m_s": round(10_000_000 / rate),
            }
        ]
    except Exception as exc:  # noqa: BLE001 - a broken run is a failed line with the reason
        return [
            {
                "bench": "verify_journal",
                "value": None,
                "unit": "rows/s",
                "baseline": None,
                "ratio": None,
                "goal": goal,
                "ok": False,
                "reason": f"{type(exc).__name__}: {exc}"[:1500],
            }
        ]


def measure_existing() -> dict:
    """`python bench/bench_journal.py`: the same measures on the journal of the database that
    JIANDU_DATABASE_URL names (e.g. one filled by load_scale), nothing written; one peak only."""
    from django.db import connection

    peak = _peak(_verify)
    started = time.perf_counter()
    checked = _verify()
    verify_s = time.perf_counter() - started
    started = time.perf_counter()
    raw_checked = _raw_loop()
    raw_s = time.perf_counter() - started
    return {
        "bench": "verify_journal_existing",
        "value": round(checked / verify_s),
        "unit": "rows/s",
        "baseline": round(raw_checked / raw_s),
        "ratio": round(raw_s / verify_s, 2),
        "entries": checked,
        "engine": connection.vendor,
        "peak_kb": peak // 1024,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "estimate_10m_s": round(10_000_000 * verify_s / checked),
    }


if __name__ == "__main__":
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    print(json.dumps(measure_existing()))
