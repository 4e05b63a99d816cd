"""Background work: periodic jobs (reminders, scans, event consumers) registered by apps.

In the embedded default `make run` starts `manage.py run_worker` beside the web server; in
production the same command runs as its own worker process(es).

Two kinds of jobs:
- `register_job(name, every_seconds=N)`: every N seconds in each worker. Such jobs must be
  idempotent: a job run twice (two workers, a restart) does no harm.
- `register_job(name, at=daily("02:00"))` or `at=weekly(MONDAY, "12:00")`: at a wall-clock time in
  the configured time zone (settings.TIME_ZONE), once per occurrence however many workers run. A
  `JobLease` row holds the next run; a worker takes a run by moving it forward with a conditional
  UPDATE (`… WHERE next_run_at = <what it read>`), which exactly one worker wins. A run missed
  while no worker ran (the machine was off at 02:00) happens once at the next start, not once per
  missed occurrence. See docs/decisions/0009-keep-run-worker.md.
"""

import datetime as dt
import logging
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError
from django.utils import timezone

log = logging.getLogger("jiandu.jobs")

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = range(7)


@dataclass(frozen=True)
class Schedule:
    """Every day (weekday None) or every given weekday (0 = Monday) at hour:minute, local time."""

    hour: int
    minute: int
    weekday: int | None = None

    def next_after(self, moment: dt.datetime) -> dt.datetime:
        """The first occurrence strictly after `moment` (an aware datetime)."""
        zone = timezone.get_default_timezone()
        local = timezone.localtime(moment, zone)
        day = local.date()
        for _ in range(9):
            if self.weekday is None or day.weekday() == self.weekday:
                candidate = timezone.make_aware(dt.datetime.combine(day, dt.time(self.hour, self.minute)), zone)
                if candidate > moment:
                    return candidate
            day += dt.timedelta(days=1)
        raise AssertionError("no occurrence within nine days")  # unreachable

    def describe(self) -> str:
        from django.utils.dates import WEEKDAYS
        from django.utils.translation import gettext as _

        clock = f"{self.hour:02d}:{self.minute:02d}"
        if self.weekday is None:
            return _("every day at %(time)s") % {"time": clock}
        return _("every %(weekday)s at %(time)s") % {"weekday": WEEKDAYS[self.weekday], "time": clock}


def _parse(clock: str) -> tuple[int, int]:
    hour, minute = (int(part) for part in clock.split(":"))
    if not (0 <= hour < 24 and 0 <= minute < 60):
        raise ValueError(f"not a time of day: {clock!r}")
    return hour, minute


def daily(clock: str) -> Schedule:
    return Schedule(*_parse(clock))


def weekly(weekday: int, clock: str) -> Schedule:
    if weekday not in range(7):
        raise ValueError("weekday is 0 (Monday) … 6 (Sunday)")
    return Schedule(*_parse(clock), weekday=weekday)


@dataclass
class Job:
    name: str
    every_seconds: int | None
    run: Callable[[], object]
    at: Schedule | None = None
    label: str = ""


_jobs: dict[str, Job] = {}


def register_job(name: str, every_seconds: int | None = None, *, at: Schedule | None = None, label="") -> Callable:
    """`label` (translated) names a scheduled job on the administrators' events page."""
    if (every_seconds is None) == (at is None):
        raise ValueError("give either every_seconds or at")

    def wrap(func):
        _jobs[name] = Job(name, every_seconds, func, at, label or name)
        return func

    return wrap


def jobs() -> dict[str, Job]:
    return dict(_jobs)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def run_due(last_run: dict[str, float], now: float | None = None, wall: dt.datetime | None = None, holder: str | None = None) -> list[str]:
    """Run every interval job whose interval has passed (`now`, monotonic seconds) and every
    scheduled job whose time has come (`wall`, an aware datetime) and that this worker wins;
    returns the names run."""
    now = now if now is not None else time.monotonic()
    ran = []
    for job in list(_jobs.values()):
        if job.at is not None:
            if run_scheduled(job, wall or timezone.now(), holder or worker_name()):
                ran.append(job.name)
            continue
        if now - last_run.get(job.name, float("-inf")) >= job.every_seconds:
            _run(job)
            last_run[job.name] = now
            ran.append(job.name)
    return ran


def _run(job: Job) -> str:
    try:
        job.run()
    except Exception as exc:  # noqa: BLE001 - one failing job must not stop the worker
        log.exception("job %s failed", job.name)
        return f"{type(exc).__name__}: {exc}"[:2000]
    return ""


def run_scheduled(job: Job, wall: dt.datetime, holder: str) -> bool:
    """Run a scheduled job if its time has come and this worker takes the run; True if it ran."""
    from .models import JobLease

    try:
        lease, created = JobLease.objects.get_or_create(name=job.name, defaults={"next_run_at": job.at.next_after(wall)})
    except IntegrityError:  # another worker created it at the same moment
        lease, created = JobLease.objects.get(name=job.name), False
    if created or lease.next_run_at > wall:
        return False
    taken = JobLease.objects.filter(pk=lease.pk, next_run_at=lease.next_run_at).update(
        next_run_at=job.at.next_after(wall), holder=holder, last_started_at=timezone.now()
    )
    if taken != 1:
        return False  # another worker took this run
    log.info("scheduled job %s run by %s", job.name, holder)
    error = _run(job)
    JobLease.objects.filter(pk=lease.pk).update(last_finished_at=timezone.now(), last_error=error)
    return True


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


@register_job("core.notification_mail", every_seconds=60)
def _notification_mail():
    """Mail the pending notifications (only when an SMTP server is configured)."""
    from .notifications import send_pending_mail

    return send_pending_mail()
