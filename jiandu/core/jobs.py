"""Background work: periodic jobs (reminders, scans, event consumers) registered by apps.

In the embedded default `make run` starts `manage.py run_worker` beside the web server; in
production the same command runs as its own worker process(es). Jobs must be idempotent: a
job run twice (two workers, a restart) does no harm.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

log = logging.getLogger("jiandu.jobs")


@dataclass
class Job:
    name: str
    every_seconds: int
    run: Callable[[], object]


_jobs: dict[str, Job] = {}


def register_job(name: str, every_seconds: int) -> Callable:
    def wrap(func):
        _jobs[name] = Job(name, every_seconds, func)
        return func

    return wrap


def jobs() -> dict[str, Job]:
    return dict(_jobs)


def run_due(last_run: dict[str, float], now: float | None = None) -> list[str]:
    """Run every job whose interval has passed; returns the names run."""
    now = now if now is not None else time.monotonic()
    ran = []
    for job in list(_jobs.values()):
        if now - last_run.get(job.name, float("-inf")) >= job.every_seconds:
            try:
                job.run()
            except Exception:  # noqa: BLE001 - one failing job must not stop the worker
                log.exception("job %s failed", job.name)
            last_run[job.name] = now
            ran.append(job.name)
    return ran


@register_job("core.process_events", every_seconds=30)
def _process_events():
    from .events import process_pending

    return process_pending()


@register_job("core.journal_checkpoint", every_seconds=settings.JOURNAL_CHECKPOINT_SECONDS)
def _journal_checkpoint():
    """Anchor the journal's head outside the database (journal.write_checkpoint): a signed
    checkpoint whenever entries were added since the last one."""
    from . import journal

    try:
        return journal.write_checkpoint()
    except journal.CheckpointError:
        return None  # logged as an error by write_checkpoint; the next run tries again
