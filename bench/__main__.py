"""Run the benchmarks: every `bench/bench_*.py` module's `run() -> list[dict]`, one JSON object
per line (keys: bench, value, unit, baseline, ratio, goal, ok, and extras such as median and
samples). `python -m bench [name ...]` runs only the modules whose names contain a given word.

Django is set up here on a throwaway SQLite database in a temporary directory (migrated at
start, deleted at the end), so a benchmark never touches var/jiandu.sqlite3 or its media.
Exits with status 1 when a benchmark misses its goal.
"""

import importlib
import json
import os
import pkgutil
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup(workdir: Path) -> None:
    # Everything the settings read from the environment points into the throwaway directory
    # (the caller's database URL is kept for the benches that run on PostgreSQL when asked to:
    # bench_dossier, on a throwaway database of that server).
    os.environ.setdefault("JIANDU_BENCH_CALLER_DATABASE_URL", os.environ.get("JIANDU_DATABASE_URL", ""))
    os.environ["JIANDU_DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["JIANDU_VAR_DIR"] = str(workdir)
    os.environ["JIANDU_MEDIA_ROOT"] = str(workdir / "media")
    os.environ["JIANDU_SECRET_KEY"] = "bench-" + secrets.token_hex(24)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django
    from django.conf import settings

    django.setup()
    database = Path(settings.DATABASES["default"]["NAME"])
    assert database.parent == workdir, "benchmarks must run on their throwaway database"
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _modules(selected: list[str]):
    names = sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.name.startswith("bench_"))
    for name in names:
        if not selected or any(word in name for word in selected):
            yield name


def main(argv: list[str]) -> int:
    workdir = Path(tempfile.mkdtemp(prefix="jiandu-bench-"))
    missed = 0
    try:
        _setup(workdir)
        for name in _modules(argv):
            module = importlib.import_module(f"bench.{name}")
            started = time.perf_counter()
            for result in module.run():
                result.setdefault("module", name)
                missed += not result.get("ok", True)
                print(json.dumps(result, ensure_ascii=False, default=str), flush=True)
            print(json.dumps({"module": name, "elapsed_s": round(time.perf_counter() - started, 2)}), file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
