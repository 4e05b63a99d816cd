"""Two workers on PostgreSQL: every event handled exactly once (SKIP LOCKED claims), retries
counted exactly, and a scheduled job run once. SQLite serialises writers by itself
(transaction_mode IMMEDIATE), so these races exist only on PostgreSQL."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from jiandu.core import events, jobs
from jiandu.core.models import DomainEvent, EventHandling, JobLease, JournalEntry

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent workers on PostgreSQL row locks; SQLite serialises writers itself"),
    pytest.mark.django_db(transaction=True),
]

NAME = "test.pg.departures"
PAYLOAD = {
    "position": "局长",
    "is_principal": True,
    "has_financial_authority": True,
    "started_on": "2020-01-01",
    "ended_on": "2026-06-30",
    "end_reason": "transfer",
}


def _workers(target, count=2):
    barrier = threading.Barrier(count)
    errors = []

    def run(number):
        try:
            barrier.wait()
            target(number)
        except Exception as exc:  # noqa: BLE001 - reported by the test
            errors.append(f"worker {number}: {type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors, errors


@pytest.fixture
def consumer():
    # The production consumers (audits.departure) are set aside: these tests count one consumer.
    others = {name: c for name, c in events._consumers.items() if name != NAME}
    for name in others:
        events._consumers.pop(name)
    state = {"calls": [], "fail": {}, "lock": threading.Lock()}

    def handler(event):
        with state["lock"]:
            state["calls"].append(event.pk)
            remaining = state["fail"].get(event.pk, 0)
            if remaining:
                state["fail"][event.pk] = remaining - 1
        events.journal_as_consumer("test.pg.handled", event, target=("core.domainevent", event.pk))
        if remaining:
            raise RuntimeError("downstream failure")

    events.register_consumer(NAME, ("registry.departure",), handler, applies_from=dt.date(2000, 1, 1))
    yield state
    events._consumers.pop(NAME, None)
    events._consumers.update(others)


def _events(n):
    now = timezone.now()
    DomainEvent.objects.bulk_create(
        [DomainEvent(kind="registry.departure", subject_type="registry.tenure", subject_id=i, data=PAYLOAD, occurred_at=now) for i in range(1, n + 1)]
    )
    return list(DomainEvent.objects.values_list("pk", flat=True))


def test_two_workers_handle_a_thousand_events_exactly_once(consumer):
    ids = _events(1000)
    handled = [0, 0]

    def work(number):
        handled[number] = events.process_pending(limit=5000)

    _workers(work)
    assert sum(handled) == 1000 and all(handled), handled  # both took part, together exactly 1000
    assert sorted(consumer["calls"]) == sorted(ids)  # no event ran twice, not even rolled back
    assert EventHandling.objects.filter(consumer=NAME, status="done", attempts=1).count() == 1000
    assert JournalEntry.objects.filter(action="test.pg.handled").count() == 1000
    assert set(JournalEntry.objects.filter(action="test.pg.handled").values_list("data__event", flat=True)) == set(ids)


def test_two_workers_a_handler_failing_twice_is_handled_once_with_three_attempts(consumer):
    (event_id,) = _events(1)
    consumer["fail"][event_id] = 2
    start = timezone.now()
    for minutes in (0, 1, 3):  # the backoff: due 1 minute after the first failure, 2 after the second
        _workers(lambda number, at=start + dt.timedelta(minutes=minutes): events.process_pending(now=at))
    handling = EventHandling.objects.get(consumer=NAME)
    assert (handling.status, handling.attempts, handling.failures) == ("done", 3, 2)
    assert consumer["calls"] == [event_id] * 3
    assert JournalEntry.objects.filter(action="test.pg.handled").count() == 1  # the two failures rolled back


def test_two_workers_run_a_scheduled_job_once():
    calls = []
    jobs.register_job("test.pg.nightly", at=jobs.daily("02:00"))(lambda: calls.append(1))
    try:
        job = jobs.jobs()["test.pg.nightly"]
        shanghai = timezone.get_default_timezone()
        jobs.run_scheduled(job, dt.datetime(2026, 12, 5, 1, 0, tzinfo=shanghai), "setup")
        ran = []
        _workers(lambda number: ran.append(jobs.run_scheduled(job, dt.datetime(2026, 12, 5, 2, 0, tzinfo=shanghai), f"worker-{number}")))
        assert sorted(ran) == [False, True] and calls == [1]
        assert JobLease.objects.get(name="test.pg.nightly").next_run_at == dt.datetime(2026, 12, 6, 2, 0, tzinfo=shanghai)
    finally:
        jobs._jobs.pop("test.pg.nightly", None)


def test_two_workers_with_a_batch_handler_handle_each_event_once(consumer):
    calls, lock = [], threading.Lock()

    def batch_handler(batch):
        with lock:
            calls.extend(e.pk for e in batch)
        events.journal_many_as_consumer([("test.pg.handled", e, {"target": ("core.domainevent", e.pk)}) for e in batch])

    events._consumers[NAME].batch_handler = batch_handler
    ids = _events(3000)
    handled = [0, 0]

    def work(number):
        handled[number] = events.process_pending(limit=5000)

    _workers(work)
    assert sum(handled) == 3000, handled
    assert sorted(calls) == sorted(ids)  # no event in two batches
    assert EventHandling.objects.filter(consumer=NAME, status="done", attempts=1).count() == 3000
    assert set(JournalEntry.objects.filter(action="test.pg.handled").values_list("data__event", flat=True)) == set(ids)
    from jiandu.core import journal

    assert journal.verify().ok
