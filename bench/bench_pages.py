"""Page budgets on a generated province (issue 17 §2), one line per page (`run() -> list[dict]`).

A throwaway database (PostgreSQL when one is reachable, as bench_ballots finds it; else SQLite) is
migrated and filled by `manage.py load_scale --scale JIANDU_BENCH_SCALE` (default 0.01: 1,000
cadres, 10,000 oversight records, one appraisal cycle with 20,000 counted ballots, 100,000 journal
entries). A subprocess with Django set up on that database then renders each page through
Django's test client as a province-wide organisation officer: one warm-up, the query count (the
least of two renderings: the session is now and then saved), then JIANDU_BENCH_PAGE_RUNS (20)
timed renderings (the body read to its end). The baseline, measured in the same run, is the
page's own SQL: every SELECT the page issued, executed again through the bare driver cursor
(best of the same number of runs); ratio = page p95 ÷ raw p95 shows what the Python side costs.

Goals (issue 17): list and detail pages p95 ≤ 300 ms and ≤ 15 queries; results, statistics and
dashboards (the home page, the to-do list: a panel or a source per pillar) p95 ≤ 1 s;
the results workbook complete within 1 s; cadre search p95 ≤ 200 ms. The search lines run after
the registry has been filled up to JIANDU_BENCH_SEARCH_CADRES (100,000) cadres (bulk rows as the
registry stores them: name, pinyin, initials, sort keys, valid ID numbers), and say whether
PostgreSQL's plan used the search indexes of registry migration 0005.

`python bench/bench_pages.py measure` / `search N` also run against any database configured by
JIANDU_DATABASE_URL (e.g. a load_scale --scale 0.1 database) and print the lines.
"""

import contextlib
import json
import math
import os
import secrets
import shutil
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(__file__).resolve()
SCALE = os.environ.get("JIANDU_BENCH_SCALE", "0.01")
RUNS = int(os.environ.get("JIANDU_BENCH_PAGE_RUNS", "20"))
SEARCH_CADRES = int(os.environ.get("JIANDU_BENCH_SEARCH_CADRES", "100000"))
GOALS = {
    "list": ("p95 <= 0.3 s, queries <= 15", 0.3, 15),
    "detail": ("p95 <= 0.3 s, queries <= 15", 0.3, 15),
    "results": ("p95 <= 1 s", 1.0, None),
    "dashboard": ("p95 <= 1 s", 1.0, None),
    "export": ("complete <= 1 s", 1.0, None),
    "search": ("p95 <= 0.2 s", 0.2, None),
}
SEARCH_INDEXES = ("registry_cadre_name_trgm", "registry_cadre_id_number_trgm", "registry_cadre_pinyin_prefix", "registry_cadre_initials_prefix")


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


# --- the parent: a throwaway database, the generator, the measuring subprocess --------------


@contextlib.contextmanager
def throwaway_scale_database(scale: str, name: str):
    """A migrated database filled by `load_scale --scale <scale>` (PostgreSQL when reachable,
    else SQLite), removed afterwards; yields the environment for subprocesses on it and the
    figures to add to every line (scale, engine, seconds the generator took)."""
    from bench.bench_ballots import _env, _postgres_server, _run

    server_url, reason = _postgres_server()
    tmp = Path(tempfile.mkdtemp(prefix=f"jiandu-bench-{name}-"))
    db_name = f"jiandu_bench_{name}_{os.getpid()}_{secrets.token_hex(3)}"
    try:
        if server_url:
            import psycopg

            with psycopg.connect(server_url, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{db_name}"')
            parts = urllib.parse.urlsplit(server_url)
            database_url = urllib.parse.urlunsplit((parts.scheme, parts.netloc, f"/{db_name}", parts.query, ""))
        else:
            database_url = f"sqlite:///{tmp / (name + '.sqlite3')}"
        env = _env(database_url, tmp)
        env["JIANDU_ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
        _run(["manage.py", "migrate", "--no-input", "-v", "0"], env, timeout=600)
        started = time.monotonic()
        _run(["manage.py", "load_scale", "--scale", scale, "--no-verify"], env, timeout=3600)
        extra = {"scale": float(scale), "engine": "postgresql" if server_url else "sqlite", "load_scale_s": round(time.monotonic() - started, 1)}
        if not server_url:
            extra["note"] = reason
        yield env, extra
    finally:
        if server_url:
            with contextlib.suppress(Exception):
                import psycopg

                with psycopg.connect(server_url, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        shutil.rmtree(tmp, ignore_errors=True)


def _line_for_failure(bench: str, exc: Exception) -> dict:
    return {
        "bench": bench,
        "value": None,
        "unit": "s",
        "baseline": None,
        "ratio": None,
        "goal": "within its budget",
        "ok": False,
        "reason": f"{type(exc).__name__}: {exc}"[:1500],
    }


def run() -> list[dict]:
    from bench.bench_ballots import _run

    try:
        with throwaway_scale_database(SCALE, "pages") as (env, extra):
            lines = []
            for command in (["measure"], ["search", str(SEARCH_CADRES)]):
                out = _run([str(SCRIPT), *command], env, timeout=3600)
                lines += [{**json.loads(line), **extra} for line in out.strip().splitlines() if line.startswith("{")]
            return lines
    except Exception as exc:  # noqa: BLE001 - a broken run is a failed line with the reason, not a crash of the suite
        return [_line_for_failure("pages", exc)]


# --- the subprocess: Django on the generated database -----------------------------------------


def _django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _officer_client():
    from django.test import Client

    from jiandu.accounts.models import Role, User
    from jiandu.testing import make_user

    user = User.objects.filter(username="bench_pages_officer").first() or make_user(role=Role.ORG_OFFICER, unit=None, username="bench_pages_officer")
    client = Client()
    client.force_login(user)
    return client, user


def _get(client, url) -> int:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    if getattr(response, "streaming", False):
        for _chunk in response.streaming_content:
            pass
    else:
        _ = response.content
    return response.status_code


def _raw(selects: list[str]) -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor  # the driver's own cursor: no Django on the way
        for sql in selects:
            cursor.execute(sql)
            cursor.fetchall()
    return time.perf_counter() - started


def _measure(client, name: str, kind: str, url: str, runs: int, **extra) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _get(client, url)
    counts, selects = [], []
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            _get(client, url)
        counts.append(len(captured))
        selects = [q["sql"] for q in captured.captured_queries if q["sql"].lstrip()[:6].upper() in ("SELECT", "WITH ")]
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        _get(client, url)
        samples.append(time.perf_counter() - started)
    raw = [_raw(selects) for _ in range(runs)]
    goal, limit, max_queries = GOALS[kind]
    value, baseline = _p95(samples), _p95(raw)
    queries = min(counts)
    ok = value <= limit and (max_queries is None or queries <= max_queries)
    return {
        "bench": f"page_{name}",
        "value": round(value, 4),
        "unit": "s",
        "baseline": round(baseline, 4),
        "ratio": round(value / baseline, 2) if baseline else None,
        "goal": goal,
        "ok": ok,
        "kind": kind,
        "queries": queries,
        "median": round(sorted(samples)[len(samples) // 2], 4),
        "baseline_what": "the page's SELECTs through the bare driver cursor, p95",
        "runs": runs,
        **extra,
    }


def cmd_measure(runs: str = str(RUNS)) -> list[dict]:
    _django()
    from django.db.models import Count
    from django.urls import reverse

    from jiandu.appraisals.models import AppraisalCycle
    from jiandu.ballots.models import Ballot, GroupTally
    from jiandu.oversight.models import Disposition, Inquiry, Talk
    from jiandu.registry.models import Cadre, Unit

    runs = int(runs)
    client, _user = _officer_client()
    cadre = Cadre.objects.annotate(n=Count("tenures")).filter(relatives__isnull=False).order_by("-n", "pk").first()
    county = Unit.objects.filter(depth=2).order_by("pk").first() or Unit.objects.order_by("pk").first()
    cycle = AppraisalCycle.objects.annotate(n=Count("cadres")).order_by("-n", "pk").first()
    ballot_id = GroupTally.objects.values("ballot_id").annotate(n=Count("pk")).order_by("ballot_id").values_list("ballot_id", flat=True).first()
    ballot = Ballot.objects.get(pk=ballot_id) if ballot_id else None
    pages = [
        ("cadre_list", "list", reverse("registry:cadre_list"), {}),
        ("unit_tree", "list", reverse("registry:unit_tree"), {"units": Unit.objects.count()}),
        ("talk_list", "list", reverse("oversight:talk_list"), {"rows": Talk.objects.count()}),
        ("disposition_list", "list", reverse("oversight:disposition_list"), {"rows": Disposition.objects.count()}),
        ("inquiry_list", "list", reverse("oversight:inquiry_list"), {"rows": Inquiry.objects.count()}),
        ("appraisal_cycles", "list", reverse("appraisals:index"), {}),
        ("position_list", "list", reverse("registry:position_list"), {}),
        ("tenure_list", "list", reverse("registry:tenure_list"), {}),
        ("home", "dashboard", reverse("core:home"), {}),
        ("todo", "dashboard", reverse("core:todo"), {}),
        ("alert_list", "list", reverse("dossier:alerts"), {}),
        ("talk_form", "list", reverse("oversight:talk_create"), {}),  # a form choosing among 100,000 cadres
        ("dossier_statistics", "results", reverse("dossier:statistics"), {}),
        ("dossier", "detail", reverse("dossier:cadre", args=[cadre.pk]), {"tenures": cadre.n}),
        ("cadre_detail", "detail", reverse("registry:cadre_detail", args=[cadre.pk]), {"tenures": cadre.n}),
        ("unit_detail", "detail", reverse("registry:unit_detail", args=[county.pk]), {}),
        ("talk_detail", "detail", reverse("oversight:talk_detail", args=[Talk.objects.order_by("pk").first().pk]), {}),
    ]
    if cycle is not None:
        sizes = {"assessed_cadres": cycle.n, "assessed_units": cycle.units.count()}
        pages += [
            ("appraisal_cycle", "detail", reverse("appraisals:cycle_detail", args=[cycle.pk]), sizes),
            ("appraisal_grades", "results", reverse("appraisals:grades", args=[cycle.pk]), sizes),
            ("appraisal_results", "results", reverse("appraisals:results", args=[cycle.pk]), sizes),
            ("appraisal_results_xlsx", "export", reverse("appraisals:results_export", args=[cycle.pk]), sizes),
        ]
    if ballot is not None:
        pages.append(
            ("ballot_results", "results", reverse("ballots:results", args=[ballot.pk]), {"ballots": sum(t.ballots for t in ballot.group_tallies.all())})
        )
    lines = []
    for name, kind, url, extra in pages:
        try:
            lines.append(_measure(client, name, kind, url, runs, **extra))
        except Exception as exc:  # noqa: BLE001 - one broken page is a failed line, the others still run
            lines.append(
                {
                    "bench": f"page_{name}",
                    "value": None,
                    "unit": "s",
                    "baseline": None,
                    "ratio": None,
                    "goal": GOALS[kind][0],
                    "ok": False,
                    "reason": f"{type(exc).__name__}: {exc}"[:500],
                }
            )
    return lines


def _fill_cadres(total: int) -> int:
    """Cadres up to `total`, as the registry stores them (bulk rows, not journaled: the search
    reads the cadre table only), spread over the existing units."""
    import datetime as dt
    import random

    from jiandu.core.bulk import insert_rows
    from jiandu.registry import names
    from jiandu.registry.actions.cadres import pinyin_of
    from jiandu.registry.demo_data import FEMALE_GIVEN, MALE_GIVEN, NATIVE_PLACES, SURNAMES
    from jiandu.registry.models import Cadre, Unit
    from jiandu.registry.validators import make_id_number

    missing = total - Cadre.objects.count()
    if missing <= 0:
        return 0
    rng = random.Random(17)
    units = list(Unit.objects.values_list("pk", flat=True))
    used = set(Cadre.objects.values_list("id_number", flat=True).iterator())
    cache: dict[str, dict] = {}
    rows = []
    for i in range(missing):
        male = rng.random() < 0.6
        name = SURNAMES[int(rng.triangular(0, len(SURNAMES), 0))] + "".join(
            rng.choice(MALE_GIVEN if male else FEMALE_GIVEN) for _ in range(rng.choice((1, 2, 2)))
        )
        if name not in cache:
            pinyin, initials = pinyin_of(name)
            cache[name] = {"name_pinyin": pinyin, "name_initials": initials, **names.sort_keys(name)}
        born = dt.date(rng.randint(1965, 1998), rng.randint(1, 12), rng.randint(1, 28))
        region = rng.choice(NATIVE_PLACES)[0]
        while True:
            number = make_id_number(region, born, rng.randrange(0, 500) * 2 + (1 if male else 0))
            if number not in used:
                used.add(number)
                break
        rows.append(
            {
                "name": name,
                **cache[name],
                "gender": Cadre.Gender.MALE if male else Cadre.Gender.FEMALE,
                "birth_on": born,
                "id_number": number,
                "unit_id": units[i % len(units)],
            }
        )
        if len(rows) >= 20_000:
            insert_rows(Cadre, rows)
            rows = []
    insert_rows(Cadre, rows)
    return missing


def cmd_search(total: str = str(SEARCH_CADRES), runs: str = str(RUNS)) -> list[dict]:
    _django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from jiandu.registry import queries
    from jiandu.registry.models import Cadre

    added = _fill_cadres(int(total))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE registry_cadre")
    client, user = _officer_client()
    sample = Cadre.objects.filter(name__regex=r"^.{3}$").order_by("pk").first() or Cadre.objects.order_by("pk").first()
    probes = [
        ("name_2", sample.name[:2]),
        ("name_3", sample.name),
        ("pinyin", sample.name_pinyin[:5]),
        ("initials", sample.name_initials),
        ("id_digits", sample.id_number[-4:]),
        ("surname", sample.name[:1]),  # broad: a common surname matches a few per cent of the province
    ]
    cadres = Cadre.objects.count()
    lines = []
    for name, text in probes:
        with CaptureQueriesContext(connection) as captured:
            qs = queries.filter_cadres(user, q=text)  # search_cadres finds the matches here, through the search indexes
        plan = ""
        if connection.vendor == "postgresql" and captured.captured_queries:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN " + captured.captured_queries[-1]["sql"])
                plan = "\n".join(row[0] for row in cursor.fetchall())
        url = reverse("registry:cadre_list") + "?" + urllib.parse.urlencode({"q": text})
        try:
            lines.append(
                _measure(
                    client,
                    f"search_{name}",
                    "search",
                    url,
                    int(runs),
                    cadres=cadres,
                    cadres_added=added,
                    found=qs.count(),
                    indexes_used=sorted(index for index in SEARCH_INDEXES if index in plan) if plan else None,
                )
            )
        except Exception as exc:  # noqa: BLE001
            lines.append(
                {
                    "bench": f"page_search_{name}",
                    "value": None,
                    "unit": "s",
                    "baseline": None,
                    "ratio": None,
                    "goal": GOALS["search"][0],
                    "ok": False,
                    "reason": f"{type(exc).__name__}: {exc}"[:500],
                }
            )
    return lines


COMMANDS = {"measure": cmd_measure, "search": cmd_search}

if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in COMMANDS:
        for line in COMMANDS[sys.argv[1]](*sys.argv[2:]):
            print(json.dumps(line, ensure_ascii=False, default=str))
    else:
        for line in run():
            print(json.dumps(line, ensure_ascii=False, default=str))
