"""Durable domain events: recorded in the cause's transaction, consumed exactly once per consumer.

A lower app declares each kind it produces with `declare_kind` (a label and a typed payload) and
calls `record_event` inside its action; a higher app registers a consumer in its
`consumers.py`, imported by its AppConfig.ready(), with `register_consumer(..., applies_from=)`.
The background worker (and `manage.py process_events`) calls `process_pending`.

- Exactly once: a handling row per (event, consumer) is claimed with `SELECT … FOR UPDATE SKIP
  LOCKED` (PostgreSQL; SQLite serialises writers), the handler runs in a savepoint of that
  transaction, and the row is marked done in the same commit as the handler's work.
- Retries: a failing handler's work is rolled back; the failure, the last error and the next
  attempt (exponential backoff) are stored; after MAX_FAILURES in a row the handling gives up and
  waits on the administrators' page (core:events) for a journaled retry.
- Backfill: a consumer handles only events that occurred on or after its `applies_from` date.
  Older events are listed on the same page and handled only after a journaled backfill.
- Who acts: a consumer acts as the system, for the event; `journal_as_consumer` and
  `provenance` name the consumer, the event and the user whose action caused it.
See docs/events.md.
"""

import datetime as dt
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone

from .models import DomainEvent, EventHandling

MAX_FAILURES = 5  # failures in a row before a handling gives up and waits for an administrator
BACKOFF_BASE_SECONDS = 60  # 1, 2, 4, 8 minutes …
BACKOFF_CAP_SECONDS = 3600  # … never more than an hour between two attempts
BATCH_SIZE = 500  # events a batch handler gets in one transaction


@dataclass(frozen=True)
class Kind:
    kind: str
    label: str
    payload: type  # a TypedDict: the keys of DomainEvent.data and their types
    producer: str


@dataclass
class Consumer:
    name: str
    kinds: tuple[str, ...]
    handler: Callable[[DomainEvent], None]
    applies_from: dt.date
    label: str = ""
    # Optional: handles many events in one call (set-based writes, one journal insert). The
    # worker gives it up to BATCH_SIZE due events of this consumer in one transaction; if it
    # raises, each event is run again alone through `handler`, so one bad event fails alone.
    batch_handler: Callable[[list[DomainEvent]], None] | None = None

    @property
    def starts_at(self) -> dt.datetime:
        """The first instant the consumer applies to: midnight of applies_from in the configured time zone."""
        return timezone.make_aware(dt.datetime.combine(self.applies_from, dt.time.min), timezone.get_default_timezone())


_kinds: dict[str, Kind] = {}
_consumers: dict[str, Consumer] = {}


def declare_kind(kind: str, *, label, payload: type, producer: str) -> None:
    """Declare an event kind, its human label and its payload (a TypedDict)."""
    _kinds[kind] = Kind(kind, label, payload, producer)


def kinds() -> dict[str, Kind]:
    return dict(_kinds)


def kind_label(kind: str) -> str:
    declared = _kinds.get(kind)
    return str(declared.label) if declared else kind


def register_consumer(
    name: str,
    kinds: tuple[str, ...],
    handler: Callable[[DomainEvent], None],
    *,
    applies_from: dt.date,
    label="",
    batch_handler: Callable[[list[DomainEvent]], None] | None = None,
) -> None:
    """Register a consumer of these kinds. `applies_from` is required: events that occurred before
    that day are not handled unless an administrator backfills them. `batch_handler`, when given,
    must do for a list of events exactly what `handler` does for each (the worker uses it when
    several are due, `handler` for one and for the retry of a failed batch one by one)."""
    if not isinstance(applies_from, dt.date) or isinstance(applies_from, dt.datetime):
        raise TypeError("applies_from must be a date")
    _consumers[name] = Consumer(name, tuple(kinds), handler, applies_from, label or name, batch_handler)


def consumers() -> dict[str, Consumer]:
    return dict(_consumers)


def _check_payload(kind: str, data: dict) -> None:
    declared = _kinds.get(kind)
    if declared is None:
        raise ValueError(f"undeclared event kind {kind!r}: declare it with events.declare_kind")
    hints = typing.get_type_hints(declared.payload)
    required = set(getattr(declared.payload, "__required_keys__", hints))
    missing, extra = required - set(data), set(data) - set(hints)
    if missing or extra:
        raise ValueError(f"payload of {kind!r}: missing {sorted(missing)}, unexpected {sorted(extra)}")
    for key, value in data.items():
        expected = hints[key]
        allowed = typing.get_args(expected) if isinstance(expected, types.UnionType) else (expected,)
        if not isinstance(value, tuple(type(None) if t is None else t for t in allowed)):
            raise ValueError(f"payload of {kind!r}: {key} is {type(value).__name__}, expected {expected}")


def record_event(kind: str, *, subject, unit_id=None, cadre_id=None, data=None, caused_by=None) -> DomainEvent:
    """Record an event in the caller's transaction. `caused_by` is the user whose action caused it."""
    data = data or {}
    _check_payload(kind, data)
    event = DomainEvent.objects.create(
        kind=kind,
        subject_type=subject._meta.label_lower,
        subject_id=subject.pk,
        unit_id=unit_id,
        cadre_id=cadre_id,
        data=data,
        occurred_at=timezone.now(),
        caused_by_id=getattr(caused_by, "pk", None),
        caused_by_username=(getattr(caused_by, "username", "") or "")[:150],
    )
    due = [
        EventHandling(event=event, consumer=c.name, status=EventHandling.Status.PENDING, next_attempt_at=event.occurred_at)
        for c in _consumers.values()
        if kind in c.kinds and event.occurred_at >= c.starts_at
    ]
    EventHandling.objects.bulk_create(due)
    return event


def unhandled(kinds: tuple[str, ...] | str, consumer: str | None = None):
    """Events of these kinds that a consumer (or any registered consumer of them) has not yet handled."""
    if isinstance(kinds, str):
        kinds = (kinds,)
    names = [consumer] if consumer else [c.name for c in _consumers.values() if set(kinds) & set(c.kinds)]
    qs = DomainEvent.objects.filter(kind__in=kinds)
    if not names:
        return qs
    pending = DomainEvent.objects.none()
    for name in names:
        done = EventHandling.objects.filter(consumer=name, status=EventHandling.Status.DONE).values("event_id")
        pending = pending | qs.exclude(pk__in=done)
    return pending.distinct()


def enroll(now: dt.datetime | None = None) -> int:
    """Create the pending handling rows of events in each consumer's period that have none yet
    (events recorded before the consumer was installed, after its applies_from). Idempotent."""
    created = 0
    now = now or timezone.now()
    for consumer in list(_consumers.values()):
        missing = (
            DomainEvent.objects.filter(kind__in=consumer.kinds, occurred_at__gte=consumer.starts_at)
            .exclude(handlings__consumer=consumer.name)
            .values_list("pk", flat=True)
        )
        rows = [EventHandling(event_id=pk, consumer=consumer.name, status=EventHandling.Status.PENDING, next_attempt_at=now) for pk in missing]
        EventHandling.objects.bulk_create(rows, ignore_conflicts=True)
        created += len(rows)
    return created


def backfill_candidates(consumer: Consumer):
    """Events of the consumer's kinds older than its applies_from that it has not been given."""
    return DomainEvent.objects.filter(kind__in=consumer.kinds, occurred_at__lt=consumer.starts_at).exclude(handlings__consumer=consumer.name)


def backoff(failures: int) -> dt.timedelta:
    """Delay before the next attempt after `failures` failures in a row: 1, 2, 4, 8 … minutes, at most an hour."""
    return dt.timedelta(seconds=min(BACKOFF_BASE_SECONDS * 2 ** max(failures - 1, 0), BACKOFF_CAP_SECONDS))


def process_pending(limit: int = 500, now: dt.datetime | None = None) -> int:
    """Run due handlings (pending, or failed whose backoff has passed), at most `limit`; returns
    how many were handled now. Safe to run from several workers at once."""
    enroll(now)
    handled = 0
    remaining = limit
    while remaining > 0:
        outcome = _claim_and_run(now or timezone.now(), remaining)
        if outcome is None:
            break
        done, claimed = outcome
        handled += done
        remaining -= claimed
    return handled


def _claim_and_run(now: dt.datetime, room: int) -> tuple[int, int] | None:
    """Claim the next due handling — with up to BATCH_SIZE more of the same consumer when it
    handles batches — and run it; returns (handled, claimed), or None when nothing is due."""
    with transaction.atomic():
        due = (
            EventHandling.objects.select_for_update(skip_locked=True)
            .filter(status__in=[EventHandling.Status.PENDING, EventHandling.Status.FAILED], next_attempt_at__lte=now)
            .order_by("next_attempt_at", "id")
        )
        first = due.filter(consumer__in=list(_consumers)).first()
        if first is None:
            return None
        consumer = _consumers[first.consumer]
        handlings = [first]
        size = min(BATCH_SIZE, room)
        if consumer.batch_handler is not None and size > 1:
            handlings += list(due.filter(consumer=consumer.name).exclude(pk=first.pk)[: size - 1])
        by_id = DomainEvent.objects.in_bulk([h.event_id for h in handlings])
        batch = [by_id[h.event_id] for h in handlings]
        for event in batch:
            event.consumer_name = consumer.name
        if len(batch) > 1 and _run_batch(consumer, handlings, batch):
            return len(batch), len(batch)
        return sum(_run_one(consumer, h, e, now) for h, e in zip(handlings, batch, strict=True)), len(batch)


def _run_batch(consumer: Consumer, handlings: list[EventHandling], batch: list[DomainEvent]) -> bool:
    """Run the batch handler in a savepoint and mark every handling done; False (nothing kept)
    if it raised, for the caller to run the events one by one."""
    started = timezone.now()
    try:
        with transaction.atomic():
            consumer.batch_handler(batch)
    except Exception:  # noqa: BLE001 - retried one by one, where the failure is recorded per event
        return False
    EventHandling.objects.filter(pk__in=[h.pk for h in handlings]).update(
        status=EventHandling.Status.DONE,
        attempts=models.F("attempts") + 1,
        last_attempt_at=started,
        handled_at=timezone.now(),
        next_attempt_at=None,
    )
    return True


def _run_one(consumer: Consumer, handling: EventHandling, event: DomainEvent, now: dt.datetime) -> int:
    """Run one handling in a savepoint of the claiming transaction; 1 if handled, 0 if it failed."""
    handling.attempts += 1
    handling.last_attempt_at = timezone.now()
    try:
        with transaction.atomic():
            consumer.handler(event)
    except Exception as exc:  # noqa: BLE001 - a failing consumer must not stop the others
        handling.failures += 1
        handling.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if handling.failures >= MAX_FAILURES:
            handling.status = EventHandling.Status.GAVE_UP
            handling.next_attempt_at = None
        else:
            handling.status = EventHandling.Status.FAILED
            handling.next_attempt_at = now + backoff(handling.failures)
        handling.save()
        return 0
    handling.status = EventHandling.Status.DONE
    handling.handled_at = timezone.now()
    handling.next_attempt_at = None
    handling.save()
    return 1


# Who acts: a consumer acts as the system, for an event that a user's action caused.


@dataclass(frozen=True)
class SystemActor:
    """The actor of a consumer's writes in the journal: no user id, the consumer's name."""

    consumer: str
    pk: None = None

    @property
    def username(self) -> str:
        return f"system:{self.consumer}"


def provenance(event: DomainEvent) -> dict:
    """Fields for a record a consumer creates (models.CreatedByEvent)."""
    return {"source_event_id": event.pk, "caused_by_id": event.caused_by_id}


def journal_as_consumer(action: str, event: DomainEvent, *, target=None, unit=None, cadre=None, data: dict | None = None):
    """Journal a consumer's write: the actor is the system (named after the consumer); the data
    names the event and the user whose action caused it."""
    from . import journal

    consumer = getattr(event, "consumer_name", "") or "unknown"
    payload = dict(data or {})
    payload.update({"by_system": True, "event": event.pk, "event_kind": event.kind, "caused_by": event.caused_by_username or None})
    return journal.record(action, actor=SystemActor(consumer), target=target, unit=unit, cadre=cadre, data=payload, role="system")


def journal_many_as_consumer(writes: list[tuple[str, DomainEvent, dict]]):
    """`journal_as_consumer` for a batch: (action, event, keyword arguments) per entry, written
    in order with one insert (journal.record_many)."""
    from . import journal

    entries = []
    for action, event, kwargs in writes:
        payload = dict(kwargs.get("data") or {})
        payload.update({"by_system": True, "event": event.pk, "event_kind": event.kind, "caused_by": event.caused_by_username or None})
        consumer = getattr(event, "consumer_name", "") or "unknown"
        entries.append(
            {
                "action": action,
                "actor": SystemActor(consumer),
                "target": kwargs.get("target"),
                "unit": kwargs.get("unit"),
                "cadre": kwargs.get("cadre"),
                "data": payload,
                "role": "system",
            }
        )
    return journal.record_many(entries)
