"""Exemptions from the departure audit: requested with a reason, decided by the head."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.errors import ActionError
from jiandu.core.models import DomainEvent
from jiandu.registry.models import Cadre, Unit

from ..models import DepartureAudit, DepartureExemption, Handover
from .base import _clean_reason


def request_exemption(*, actor, event: DomainEvent, reason: str) -> DepartureExemption:
    """Ask the head to exempt a departure from the departure audit and handover, with a reason
    (journaled). Not effective before the head approves it (`decide_exemption`)."""
    reason = _clean_reason(reason)
    with transaction.atomic():
        event = DomainEvent.objects.select_for_update().get(pk=event.pk, kind="registry.departure")
        unit = Unit.objects.filter(pk=event.unit_id).first()
        if unit is None or not access.can(actor, "audits.manage", unit):
            raise access.NotVisible()
        live = DepartureExemption.objects.filter(event=event, status__in=[DepartureExemption.Status.REQUESTED, DepartureExemption.Status.APPROVED]).first()
        if live is not None:
            if live.status == DepartureExemption.Status.APPROVED:
                raise ActionError(_("This departure is already exempted."))
            raise ActionError(_("An exemption of this departure is already awaiting approval."))
        if DepartureAudit.objects.filter(source_event_id=event.pk).exists() and Handover.objects.filter(source_event_id=event.pk).exists():
            raise ActionError(_("This departure already has its audit and handover."))
        exemption = DepartureExemption.objects.create(event=event, reason=reason, requested_by=actor)
        journal.record(
            "audits.departure.exemption_requested",
            actor=actor,
            target=exemption,
            unit=unit,
            cadre=Cadre.objects.filter(pk=event.cadre_id).first() if event.cadre_id else None,
            data={"event": event.pk, "position": event.data.get("position", ""), "ended_on": event.data.get("ended_on", ""), "reason": reason},
        )
    return exemption


def decide_exemption(*, actor, exemption: DepartureExemption, approve: bool, note: str = "") -> DepartureExemption:
    """The head approves or rejects a requested exemption (a rejection needs a note). Whoever
    asked for the exemption cannot decide on it."""
    note = _clean_reason(note, required=not approve, field="note")
    with transaction.atomic():
        exemption = DepartureExemption.objects.select_for_update().get(pk=exemption.pk)
        event = DomainEvent.objects.get(pk=exemption.event_id)
        unit = Unit.objects.filter(pk=event.unit_id).first()
        if unit is None or not access.can(actor, "audits.approve", unit):
            raise access.NotVisible()
        if exemption.status != DepartureExemption.Status.REQUESTED:
            raise ActionError(_("This exemption has already been decided."))
        if exemption.requested_by_id == actor.pk:
            raise ActionError(_("Whoever asked for the exemption cannot approve or reject it."))
        exemption.status = DepartureExemption.Status.APPROVED if approve else DepartureExemption.Status.REJECTED
        exemption.decided_by = actor
        exemption.decided_at = timezone.now()
        exemption.decision_note = note
        exemption.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        context = {
            "actor": actor,
            "target": exemption,
            "unit": unit,
            "cadre": Cadre.objects.filter(pk=event.cadre_id).first() if event.cadre_id else None,
            "data": {"event": event.pk, "position": event.data.get("position", ""), "reason": exemption.reason, "note": note},
        }
        if approve:
            journal.record("audits.departure.exempted", **context)
        else:
            journal.record("audits.departure.exemption_rejected", **context)
    return exemption
