"""Writes of the audits app: keyword-only, actor required, access checked, journaled."""

from django.db import transaction
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.errors import ActionError
from jiandu.core.models import DomainEvent
from jiandu.registry.models import Cadre, Unit

from .models import DepartureAudit, DepartureExemption, Handover

REASON_MAX = 2000


def exempt_departure(*, actor, event: DomainEvent, reason: str) -> DepartureExemption:
    """Exempt a departure from the departure audit and handover, with a reason (journaled)."""
    reason = (reason or "").strip()
    if not reason:
        raise ActionError(_("Give the reason for the exemption."), field="reason")
    if len(reason) > REASON_MAX:
        raise ActionError(_("The reason is longer than %(n)d characters.") % {"n": REASON_MAX}, field="reason")
    with transaction.atomic():
        event = DomainEvent.objects.select_for_update().get(pk=event.pk, kind="registry.departure")
        unit = Unit.objects.filter(pk=event.unit_id).first()
        if unit is None or not access.can(actor, "audits.manage", unit):
            raise access.NotVisible()
        if DepartureExemption.objects.filter(event=event).exists():
            raise ActionError(_("This departure is already exempted."))
        if DepartureAudit.objects.filter(source_event_id=event.pk).exists() and Handover.objects.filter(source_event_id=event.pk).exists():
            raise ActionError(_("This departure already has its audit and handover."))
        exemption = DepartureExemption.objects.create(event=event, reason=reason, decided_by=actor)
        journal.record(
            "audits.departure.exempted",
            actor=actor,
            target=exemption,
            unit=unit,
            cadre=Cadre.objects.filter(pk=event.cadre_id).first() if event.cadre_id else None,
            data={"event": event.pk, "position": event.data.get("position", ""), "ended_on": event.data.get("ended_on", ""), "reason": reason},
        )
    return exemption
