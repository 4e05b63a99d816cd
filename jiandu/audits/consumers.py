"""The first consumer of `registry.departure` (docs/events.md): 凡离必审 — on a departure of an
audit subject, open a departure audit and a departure handover, exactly once per event."""

import datetime as dt

from django.db import connection
from django.utils.translation import gettext_lazy as _

from jiandu.core import bulk, events
from jiandu.core.calendar import add_working_days
from jiandu.core.practice import get_setting
from jiandu.registry.models import Cadre, Tenure, Unit

from .models import DepartureAudit, Handover, HandoverItem

CONSUMER = "audits.departure"


def open_for_departure(event) -> None:
    """Open the departure audit and the handover of one departure event (idempotent)."""
    open_for_departures([event])


def open_for_departures(batch) -> None:
    """The same for many departure events at once (the worker's batches, docs/events.md): one
    query per table to read, one insert per table to write, one journal insert. Idempotent: an
    event whose audit or handover exists already gets only what it lacks."""
    if not get_setting("audits.every_departure"):
        units = Unit.objects.in_bulk({e.unit_id for e in batch if e.unit_id})
        cadres = Cadre.objects.in_bulk({e.cadre_id for e in batch if e.cadre_id})
        events.journal_many_as_consumer(
            [
                ("audits.departure.left_to_plan", e, {"unit": units.get(e.unit_id), "cadre": cadres.get(e.cadre_id), "data": {"position": e.data["position"]}})
                for e in batch
            ]
        )
        return
    rows = {
        pk: (unit_id, cadre_id)
        for pk, unit_id, cadre_id in Tenure.objects.filter(pk__in=[e.subject_id for e in batch]).values_list("pk", "position__unit_id", "cadre_id")
    }
    units = Unit.objects.only("pk", "path").in_bulk({unit_id for unit_id, _ in rows.values()})
    ids = [e.pk for e in batch]
    audited = set(DepartureAudit.objects.filter(source_event_id__in=ids).values_list("source_event_id", flat=True))
    handed = set(Handover.objects.filter(source_event_id__in=ids).values_list("source_event_id", flat=True))
    working_days = int(get_setting("audits.handover_working_days"))
    titles = [str(t).strip()[:200] for t in get_setting("audits.handover_checklist") if str(t).strip()]
    deadlines = {}
    audits, handovers, opened = [], [], []
    for event in batch:
        if event.subject_id not in rows:
            raise Tenure.DoesNotExist(f"tenure {event.subject_id} of event {event.pk}")
        unit_id, cadre_id = rows[event.subject_id]
        ended_on = dt.date.fromisoformat(event.data["ended_on"])
        started_on = dt.date.fromisoformat(event.data["started_on"])
        common = {"tenure_id": event.subject_id, "cadre_id": cadre_id, "unit_id": unit_id, **events.provenance(event)}
        if event.pk not in audited:
            audits.append(common | {"period_start": started_on, "period_end": ended_on})
            opened.append(("audit", event, unit_id, cadre_id, started_on, ended_on))
        if event.pk not in handed:
            if ended_on not in deadlines:
                computed = add_working_days(ended_on, working_days)
                deadlines[ended_on] = (computed.due, str(computed.explain()))
            due = deadlines[ended_on]
            handovers.append(common | {"departed_on": ended_on, "due_on": due[0]})
            opened.append(("handover", event, unit_id, cadre_id, due, None))
    bulk.insert_rows(DepartureAudit, audits)
    bulk.insert_rows(Handover, handovers)
    audit_ids = dict(DepartureAudit.objects.filter(source_event_id__in=ids).values_list("source_event_id", "pk"))
    handover_ids = dict(Handover.objects.filter(source_event_id__in=ids).values_list("source_event_id", "pk"))
    _add_checklist([handover_ids[h["source_event_id"]] for h in handovers], titles)
    writes = []
    for what, event, unit_id, cadre_id, first, last in opened:
        scope = {"unit": units[unit_id], "cadre": cadre_id}
        if what == "audit":
            scope["target"] = (DepartureAudit._meta.label_lower, audit_ids[event.pk])
            writes.append(
                (
                    "audits.departure_audit.opened",
                    event,
                    scope | {"data": {"position": event.data["position"], "period": f"{first.isoformat()}–{last.isoformat()}"}},
                )
            )
        else:
            scope["target"] = (Handover._meta.label_lower, handover_ids[event.pk])
            writes.append(
                (
                    "audits.handover.opened",
                    event,
                    scope | {"data": {"position": event.data["position"], "due_on": first[0].isoformat(), "deadline": first[1]}},
                )
            )
    events.journal_many_as_consumer(writes)


def _add_checklist(handover_ids: list[int], titles: list[str]) -> None:
    """The checklist items of new handovers, set-based: one INSERT … SELECT per item for a whole
    batch (twelve objects per departure built one by one cost more than the rest of the batch)."""
    quote = connection.ops.quote_name
    item, column = HandoverItem._meta, (lambda name: quote(HandoverItem._meta.get_field(name).column))
    columns = ", ".join(column(name) for name in ("handover", "order", "title", "figures", "notes"))
    table, key = quote(item.db_table), quote(Handover._meta.pk.column)
    for start in range(0, len(handover_ids), 500):
        chunk = handover_ids[start : start + 500]
        marks = ", ".join(["%s"] * len(chunk))
        # Identifiers come from the models' meta and are quoted; every value is a parameter.
        sql = f"INSERT INTO {table} ({columns}) SELECT {key}, %s, %s, '', '' FROM {quote(Handover._meta.db_table)} WHERE {key} IN ({marks})"  # noqa: S608
        with connection.cursor() as cursor:
            for order, title in enumerate(titles, start=1):
                cursor.execute(sql, [order, title, *chunk])


events.register_consumer(
    CONSUMER,
    ("registry.departure",),
    open_for_departure,
    batch_handler=open_for_departures,
    applies_from=dt.date(2026, 12, 5),
    label=_("Departure audit and handover (凡离必审)"),
)
