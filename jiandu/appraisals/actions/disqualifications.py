"""Disqualifying events (受到诫勉, 组织处理, 党纪政务处分, serious accident…) recorded by officers;
a cadre with one in the year cannot be 优秀 [R, 2019 考核条例]."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.errors import ActionError
from jiandu.core.practice import get_setting
from jiandu.registry.models import Cadre

from ..models import DisqualifyingEvent
from .common import clean_text


def record_disqualifying_event(*, actor, cadre: Cadre, occurred_on, kind: str, note: str = "") -> DisqualifyingEvent:
    """Record an event for a cadre in scope (appraisals.manage on the cadre's unit). The kind is
    one of the setting's list; the date is not in the future."""
    if cadre is None or not getattr(cadre, "pk", None):
        raise ActionError(_("Choose a cadre."), field="cadre")
    cadre = Cadre.objects.select_related("unit").get(pk=cadre.pk)
    access.require(actor, "appraisals.manage", cadre.unit)
    kind = (kind or "").strip()
    kinds = [str(k).strip() for k in get_setting("appraisals.disqualifying_kinds") or []]
    if kind not in kinds:
        raise ActionError(_("Choose one of the listed kinds of event."), field="kind")
    if not isinstance(occurred_on, dt.date):
        raise ActionError(_("Enter the date of the event."), field="occurred_on")
    if occurred_on > timezone.localdate():
        raise ActionError(_("The date is in the future."), field="occurred_on")
    note = clean_text(note, "note", _("Note"), max_length=500)
    with transaction.atomic():
        event = DisqualifyingEvent.objects.create(cadre=cadre, occurred_on=occurred_on, kind=kind, note=note, recorded_by_id=actor.pk)
        journal.record(
            "appraisals.disqualification.recorded",
            actor=actor,
            target=event,
            unit=cadre.unit,
            cadre=cadre,
            data={"kind": kind, "occurred_on": occurred_on, "note": note},
        )
    return event


def withdraw_disqualifying_event(*, actor, event: DisqualifyingEvent, reason: str) -> DisqualifyingEvent:
    """Withdraw an event recorded in error (the row stays, marked withdrawn, with the reason)."""
    with transaction.atomic():
        event = DisqualifyingEvent.objects.select_for_update().select_related("cadre__unit").get(pk=event.pk)
        access.require(actor, "appraisals.manage", event.cadre.unit)
        if event.is_withdrawn:
            raise ActionError(_("This event has already been withdrawn."), code="withdrawn")
        reason = clean_text(reason, "reason", _("Reason"), required=True, max_length=500)
        event.withdrawn_at = timezone.now()
        event.withdrawn_by_id = actor.pk
        event.withdrawal_reason = reason
        event.save(update_fields=["withdrawn_at", "withdrawn_by_id", "withdrawal_reason"])
        journal.record(
            "appraisals.disqualification.withdrawn",
            actor=actor,
            target=event,
            unit=event.cadre.unit,
            cadre=event.cadre_id,
            data={"kind": event.kind, "occurred_on": event.occurred_on, "reason": reason},
        )
    return event
