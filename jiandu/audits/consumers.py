"""The first consumer of `registry.departure` (docs/events.md): 凡离必审 — on a departure of an
audit subject, open a departure audit and a departure handover, exactly once per event."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from jiandu.core import events
from jiandu.core.calendar import add_working_days
from jiandu.core.practice import get_setting
from jiandu.registry.models import Tenure

from .models import DepartureAudit, Handover, HandoverItem

CONSUMER = "audits.departure"


def open_for_departure(event) -> None:
    """Open the departure audit and the handover of one departure event (idempotent)."""
    if not get_setting("audits.every_departure"):
        events.journal_as_consumer("audits.departure.left_to_plan", event, unit=_unit(event), cadre=_cadre(event), data={"position": event.data["position"]})
        return
    tenure = Tenure.objects.select_related("position__unit", "cadre").get(pk=event.subject_id)
    ended_on = dt.date.fromisoformat(event.data["ended_on"])
    started_on = dt.date.fromisoformat(event.data["started_on"])
    unit, cadre = tenure.position.unit, tenure.cadre
    if not DepartureAudit.objects.filter(source_event_id=event.pk).exists():
        audit = DepartureAudit.objects.create(tenure=tenure, cadre=cadre, unit=unit, period_start=started_on, period_end=ended_on, **events.provenance(event))
        events.journal_as_consumer(
            "audits.departure_audit.opened",
            event,
            target=audit,
            unit=unit,
            cadre=cadre,
            data={"position": event.data["position"], "period": f"{started_on.isoformat()}–{ended_on.isoformat()}"},
        )
    if not Handover.objects.filter(source_event_id=event.pk).exists():
        due = add_working_days(ended_on, int(get_setting("audits.handover_working_days")))
        handover = Handover.objects.create(tenure=tenure, cadre=cadre, unit=unit, departed_on=ended_on, due_on=due.due, **events.provenance(event))
        items = [str(t).strip()[:200] for t in get_setting("audits.handover_checklist") if str(t).strip()]
        HandoverItem.objects.bulk_create([HandoverItem(handover=handover, order=n, title=title) for n, title in enumerate(items, start=1)])
        events.journal_as_consumer(
            "audits.handover.opened",
            event,
            target=handover,
            unit=unit,
            cadre=cadre,
            data={"position": event.data["position"], "due_on": due.due.isoformat(), "deadline": str(due.explain())},
        )


def _unit(event):
    from jiandu.registry.models import Unit

    return Unit.objects.filter(pk=event.unit_id).first() if event.unit_id else None


def _cadre(event):
    from jiandu.registry.models import Cadre

    return Cadre.objects.filter(pk=event.cadre_id).first() if event.cadre_id else None


events.register_consumer(
    CONSUMER,
    ("registry.departure",),
    open_for_departure,
    applies_from=dt.date(2026, 12, 5),
    label=_("Departure audit and handover (凡离必审)"),
)
