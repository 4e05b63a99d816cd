"""Batched handling (docs/events.md): a consumer with a batch handler gets the due events of
one claim in one call, in one transaction; a batch that fails is retried one event at a time, so
one bad event fails alone; `limit` still bounds what is claimed; the journal written in one
insert (journal.record_many) is one valid chain."""

import datetime as dt

import pytest
from django.utils import timezone

from jiandu.core import events, journal
from jiandu.core.models import DomainEvent, EventHandling, JournalEntry

pytestmark = pytest.mark.django_db

NAME = "test.batch"
PAYLOAD = {
    "position": "局长",
    "is_principal": True,
    "has_financial_authority": True,
    "started_on": "2020-01-01",
    "ended_on": "2026-06-30",
    "end_reason": "transfer",
}


@pytest.fixture
def consumer():
    others = {name: c for name, c in events._consumers.items() if name != NAME}
    for name in others:
        events._consumers.pop(name)
    state = {"batches": [], "singles": [], "poison": set()}

    def handler(event):
        state["singles"].append(event.pk)
        batch_handler([event], record=False)

    def batch_handler(batch, record=True):
        if record:
            state["batches"].append([e.pk for e in batch])
        events.journal_many_as_consumer([("test.batch.handled", e, {"target": ("core.domainevent", e.pk)}) for e in batch])
        if state["poison"] & {e.pk for e in batch}:
            raise RuntimeError("poison event")

    events.register_consumer(NAME, ("registry.departure",), handler, applies_from=dt.date(2000, 1, 1), batch_handler=batch_handler)
    yield state
    events._consumers.pop(NAME, None)
    events._consumers.update(others)


def _events(n):
    now = timezone.now()
    made = DomainEvent.objects.bulk_create(
        [DomainEvent(kind="registry.departure", subject_type="registry.tenure", subject_id=i, data=PAYLOAD, occurred_at=now) for i in range(1, n + 1)]
    )
    EventHandling.objects.bulk_create(EventHandling(event=e, consumer=NAME, next_attempt_at=now) for e in made)
    return [e.pk for e in made]


def test_due_events_go_to_the_batch_handler_in_one_call_and_are_marked_done_once(consumer):
    ids = _events(7)
    assert events.process_pending() == 7
    assert consumer["batches"] == [ids] and consumer["singles"] == []
    assert EventHandling.objects.filter(consumer=NAME, status="done", attempts=1, handled_at__isnull=False).count() == 7
    entries = list(JournalEntry.objects.filter(action="test.batch.handled").order_by("seq"))
    assert [e.data["event"] for e in entries] == ids  # in the batch's order
    assert [e.seq for e in entries] == list(range(entries[0].seq, entries[0].seq + 7))  # contiguous
    assert all(e.actor_username == f"system:{NAME}" and e.data["by_system"] for e in entries)
    assert journal.verify().ok
    assert events.process_pending() == 0 and len(consumer["batches"]) == 1


def test_batches_are_bounded_by_the_batch_size_and_by_the_limit(consumer, monkeypatch):
    monkeypatch.setattr(events, "BATCH_SIZE", 3)
    ids = _events(8)
    assert events.process_pending(limit=5) == 5  # a batch of 3, then 2 (the limit's room)
    assert consumer["batches"] == [ids[:3], ids[3:5]]
    assert events.process_pending() == 3
    assert consumer["batches"][-1] == ids[5:]


def test_a_failing_batch_is_rolled_back_and_retried_one_by_one_so_only_the_bad_event_fails(consumer):
    ids = _events(4)
    consumer["poison"] = {ids[2]}
    now = timezone.now()
    assert events.process_pending(now=now) == 3
    assert consumer["singles"] == ids  # every event again, alone
    done = set(EventHandling.objects.filter(consumer=NAME, status="done").values_list("event_id", flat=True))
    assert done == {ids[0], ids[1], ids[3]}
    bad = EventHandling.objects.get(consumer=NAME, event_id=ids[2])
    assert (bad.status, bad.attempts, bad.failures, bad.last_error) == ("failed", 1, 1, "RuntimeError: poison event")
    # Nothing of the failed batch nor of the bad event's run is kept: one entry per good event.
    assert sorted(JournalEntry.objects.filter(action="test.batch.handled").values_list("data__event", flat=True)) == sorted(done)
    assert journal.verify().ok
    consumer["poison"] = set()
    assert events.process_pending(now=bad.next_attempt_at) == 1
    assert EventHandling.objects.filter(consumer=NAME, status="done").count() == 4


def test_record_many_continues_the_chain_of_single_entries():
    journal.record("test.before")
    written = journal.record_many([{"action": "test.many", "data": {"n": n}} for n in range(3)])
    journal.record("test.after")
    seqs = list(JournalEntry.objects.order_by("seq").values_list("action", "seq"))
    assert [a for a, _ in seqs][-5:] == ["test.before", "test.many", "test.many", "test.many", "test.after"]
    assert [w.seq for w in written] == [seqs[-4][1], seqs[-3][1], seqs[-2][1]]
    assert journal.verify().ok
    # The same rules as record(): forbidden keys refused, nothing written.
    count = JournalEntry.objects.count()
    with pytest.raises(ValueError):
        journal.record_many([{"action": "test.ok"}, {"action": "test.bad", "data": {"id_number": "x"}}])
    assert JournalEntry.objects.count() == count and journal.record_many([]) == []
