"""Durable domain events: recorded in the cause's transaction, consumed exactly once per consumer.

A lower app (registry) calls `record_event` inside its action; a higher app registers a consumer
in its AppConfig.ready(); the background worker (and `manage.py process_events`) calls
`process_pending`. A failing handler rolls back its own work, is marked failed and retried later.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .models import DomainEvent, EventHandling


@dataclass
class Consumer:
    name: str
    kinds: tuple[str, ...]
    handler: Callable[[DomainEvent], None]


_consumers: dict[str, Consumer] = {}


def register_consumer(name: str, kinds: tuple[str, ...], handler: Callable[[DomainEvent], None]) -> None:
    _consumers[name] = Consumer(name, kinds, handler)


def consumers() -> dict[str, Consumer]:
    return dict(_consumers)


def record_event(kind: str, *, subject, unit_id=None, cadre_id=None, data=None) -> DomainEvent:
    return DomainEvent.objects.create(
        kind=kind,
        subject_type=subject._meta.label_lower,
        subject_id=subject.pk,
        unit_id=unit_id,
        cadre_id=cadre_id,
        data=data or {},
        occurred_at=timezone.now(),
    )


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


def process_pending(limit: int = 500) -> int:
    """Run every consumer over its unhandled events; returns how many were handled now."""
    handled = 0
    for consumer in list(_consumers.values()):
        for event in unhandled(consumer.kinds, consumer.name).order_by("id")[:limit]:
            handled += _handle(consumer, event)
    return handled


def _handle(consumer: Consumer, event: DomainEvent) -> int:
    try:
        with transaction.atomic():
            handling, _ = EventHandling.objects.select_for_update().get_or_create(
                event=event, consumer=consumer.name, defaults={"status": EventHandling.Status.FAILED}
            )
            if handling.status == EventHandling.Status.DONE:
                return 0
            consumer.handler(event)
            handling.status = EventHandling.Status.DONE
            handling.attempts += 1
            handling.handled_at = timezone.now()
            handling.last_error = ""
            handling.save()
            return 1
    except Exception as exc:  # noqa: BLE001 - a failing consumer must not stop the others
        with transaction.atomic():
            handling, _ = EventHandling.objects.get_or_create(event=event, consumer=consumer.name, defaults={"status": EventHandling.Status.FAILED})
            handling.attempts += 1
            handling.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            handling.save()
        return 0
