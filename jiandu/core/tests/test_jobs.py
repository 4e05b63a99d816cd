"""Scheduled jobs at a wall-clock time in the configured time zone (Asia/Shanghai), run once per
occurrence however many workers ask (JobLease)."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import translation

from jiandu.accounts.models import Role
from jiandu.core import jobs
from jiandu.core.models import JobLease
from jiandu.testing import admin_persona, log_in

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def local(*args):
    return dt.datetime(*args, tzinfo=SHANGHAI)


def test_weekly_schedule_boundaries_are_local_time():
    monday_noon = jobs.weekly(jobs.MONDAY, "12:00")
    assert dt.date(2026, 12, 7).weekday() == jobs.MONDAY
    assert monday_noon.next_after(local(2026, 12, 7, 11, 59, 59)) == local(2026, 12, 7, 12, 0)
    assert monday_noon.next_after(local(2026, 12, 7, 12, 0)) == local(2026, 12, 14, 12, 0)  # strictly after
    assert monday_noon.next_after(local(2026, 12, 5, 9, 0)) == local(2026, 12, 7, 12, 0)
    # 12:00 in Shanghai is 04:00 UTC: a UTC clock reading 03:59 on Monday is before it
    assert monday_noon.next_after(dt.datetime(2026, 12, 7, 3, 59, tzinfo=dt.UTC)) == local(2026, 12, 7, 12, 0)


def test_daily_schedule_and_bad_times():
    nightly = jobs.daily("02:00")
    assert nightly.next_after(local(2026, 12, 5, 1, 59)) == local(2026, 12, 5, 2, 0)
    assert nightly.next_after(local(2026, 12, 5, 2, 0)) == local(2026, 12, 6, 2, 0)
    assert nightly.next_after(local(2026, 12, 31, 23, 0)) == local(2027, 1, 1, 2, 0)
    with pytest.raises(ValueError):
        jobs.daily("24:00")
    with pytest.raises(ValueError):
        jobs.weekly(7, "12:00")
    with pytest.raises(ValueError):
        jobs.register_job("test.neither")
    with pytest.raises(ValueError):
        jobs.register_job("test.both", every_seconds=60, at=nightly)


@pytest.fixture
def nightly():
    calls = []
    state = {"fail": False}

    def run():
        calls.append(1)
        if state["fail"]:
            raise RuntimeError("scan failed")

    jobs.register_job("test.nightly", at=jobs.daily("02:00"))(run)
    yield calls, state
    jobs._jobs.pop("test.nightly", None)


def test_a_scheduled_job_runs_once_per_occurrence_whatever_the_workers(nightly):
    calls, _ = nightly
    job = jobs.jobs()["test.nightly"]
    assert not jobs.run_scheduled(job, local(2026, 12, 5, 1, 0), "worker-a")  # installed: waits for 02:00
    assert JobLease.objects.get(name="test.nightly").next_run_at == local(2026, 12, 5, 2, 0)
    assert not jobs.run_scheduled(job, local(2026, 12, 5, 1, 59, 59), "worker-a")
    assert jobs.run_scheduled(job, local(2026, 12, 5, 2, 0), "worker-a")
    assert not jobs.run_scheduled(job, local(2026, 12, 5, 2, 0), "worker-b")  # the second worker, same moment
    assert not jobs.run_scheduled(job, local(2026, 12, 5, 2, 0, 30), "worker-a")
    lease = JobLease.objects.get(name="test.nightly")
    assert (lease.holder, lease.next_run_at, lease.last_error) == ("worker-a", local(2026, 12, 6, 2, 0), "")
    assert calls == [1]
    # the machine was off for three nights: one run at start, not three
    assert jobs.run_scheduled(job, local(2026, 12, 9, 8, 0), "worker-b")
    assert not jobs.run_scheduled(job, local(2026, 12, 9, 8, 0), "worker-a")
    assert JobLease.objects.get(name="test.nightly").next_run_at == local(2026, 12, 10, 2, 0)
    assert len(calls) == 2


def test_a_failing_scheduled_job_keeps_its_error_and_still_moves_on(nightly):
    calls, state = nightly
    job = jobs.jobs()["test.nightly"]
    jobs.run_scheduled(job, local(2026, 12, 5, 1, 0), "w")
    state["fail"] = True
    assert jobs.run_scheduled(job, local(2026, 12, 5, 2, 0), "w")
    lease = JobLease.objects.get(name="test.nightly")
    assert lease.last_error == "RuntimeError: scan failed" and lease.next_run_at == local(2026, 12, 6, 2, 0)
    state["fail"] = False
    assert jobs.run_scheduled(job, local(2026, 12, 6, 2, 0), "w")
    assert JobLease.objects.get(name="test.nightly").last_error == ""


def test_run_due_runs_scheduled_jobs_by_the_wall_clock(nightly):
    calls, _ = nightly
    assert "test.nightly" not in jobs.run_due({}, now=0.0, wall=local(2026, 12, 5, 1, 0), holder="w")
    assert "test.nightly" in jobs.run_due({}, now=0.0, wall=local(2026, 12, 5, 2, 0), holder="w")
    assert "test.nightly" not in jobs.run_due({}, now=0.0, wall=local(2026, 12, 5, 2, 0), holder="v")
    assert len(calls) == 1


def test_schedules_are_described_in_the_users_language():
    with translation.override("zh-hans"):
        assert jobs.weekly(jobs.MONDAY, "12:00").describe() == "每星期一 12:00"
        assert jobs.daily("02:00").describe() == "每天 02:00"
    with translation.override("en"):
        assert jobs.weekly(jobs.MONDAY, "12:00").describe() == "every Monday at 12:00"


def test_the_events_page_shows_scheduled_jobs_with_their_last_error(nightly, client):
    _, state = nightly
    jobs._jobs["test.nightly"].label = "夜间预警扫描"
    job = jobs.jobs()["test.nightly"]
    log_in(client, admin_persona(Role.SYSTEM_ADMIN))
    assert "后台进程首次启动后确定" in client.get(reverse("core:events")).content.decode()
    jobs.run_scheduled(job, local(2026, 12, 5, 1, 0), "w")
    state["fail"] = True
    jobs.run_scheduled(job, local(2026, 12, 5, 2, 0), "w")
    html = client.get(reverse("core:events")).content.decode()
    assert "夜间预警扫描" in html and "每天 02:00" in html and "2026-12-06 02:00" in html and "RuntimeError: scan failed" in html
