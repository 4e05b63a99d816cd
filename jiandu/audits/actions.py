"""Writes of the audits app: keyword-only, actor required, access checked, journaled."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.calendar import add_working_days
from jiandu.core.documents import next_document_number
from jiandu.core.errors import ActionError
from jiandu.core.models import DomainEvent
from jiandu.core.practice import get_setting
from jiandu.registry.models import Cadre, Unit

from .models import DepartureAudit, DepartureExemption, Handover, HandoverItem, HandoverSignature

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


FIGURES_MAX = 500
NOTES_MAX = 5000


def _locked_handover(actor, handover: Handover, perm: str = "audits.manage") -> Handover:
    handover = Handover.objects.select_for_update().select_related("unit", "cadre").get(pk=handover.pk)
    if not access.can(actor, perm, handover.unit):
        raise access.NotVisible()
    return handover


def _refuse_if_completed(handover: Handover) -> None:
    if handover.status == Handover.Status.COMPLETED:
        raise ActionError(_("The handover is completed and can no longer be changed."))


def set_handover_parties(*, actor, handover: Handover, successor: Cadre | None, supervisor) -> Handover:
    """Name the successor (a cadre) and the handover supervisor (监交人, a user). The supervisor
    must be neither the leaver nor the successor; signatures already given stay only if the
    party they were given for is unchanged."""
    with transaction.atomic():
        handover = _locked_handover(actor, handover)
        _refuse_if_completed(handover)
        if successor is not None and successor.pk == handover.cadre_id:
            raise ActionError(_("The leaver cannot be his or her own successor."), field="successor")
        if supervisor is not None:
            if not supervisor.is_active:
                raise ActionError(_("The supervisor's account is disabled."), field="supervisor")
            linked = getattr(supervisor, "cadre_id", None)
            if linked and linked == handover.cadre_id:
                raise ActionError(_("The leaver cannot supervise his or her own handover."), field="supervisor")
            if linked and successor is not None and linked == successor.pk:
                raise ActionError(_("The successor cannot be the handover supervisor."), field="supervisor")
        before = {"successor": handover.successor_id, "supervisor": handover.supervisor_id}
        handover.successor = successor
        handover.supervisor = supervisor
        handover.save(update_fields=["successor", "supervisor"])
        changed = [p for p, old in (("successor", before["successor"]), ("supervisor", before["supervisor"])) if old != getattr(handover, f"{p}_id")]
        handover.signatures.filter(party__in=changed).delete()
        journal.record(
            "audits.handover.parties_set",
            actor=actor,
            target=handover,
            unit=handover.unit,
            cadre=handover.cadre,
            data={
                "successor": successor.name if successor else None,
                "supervisor": supervisor.username if supervisor else None,
                "signatures_withdrawn": changed,
            },
        )
    return handover


def record_handover_item(*, actor, handover: Handover, item_id: int, figures: str, notes: str) -> HandoverItem:
    """Record the figures and notes of one checklist item."""
    figures, notes = (figures or "").strip(), (notes or "").strip()
    if len(figures) > FIGURES_MAX:
        raise ActionError(_("The figures are longer than %(n)d characters.") % {"n": FIGURES_MAX}, field="figures")
    if len(notes) > NOTES_MAX:
        raise ActionError(_("The notes are longer than %(n)d characters.") % {"n": NOTES_MAX}, field="notes")
    with transaction.atomic():
        handover = _locked_handover(actor, handover)
        _refuse_if_completed(handover)
        item = handover.items.filter(pk=item_id).first()
        if item is None:
            raise ActionError(_("This item is not on the handover's checklist."), field="item")
        if handover.signatures.exists():
            raise ActionError(_("The handover has been confirmed by a party; its items can no longer be changed."))
        item.figures, item.notes = figures, notes
        item.save(update_fields=["figures", "notes"])
        journal.record(
            "audits.handover.item_recorded",
            actor=actor,
            target=handover,
            unit=handover.unit,
            cadre=handover.cadre,
            data={"item": item.title, "figures": figures, "notes": notes},
        )
    return item


def sign_handover(*, actor, handover: Handover, party: str) -> HandoverSignature:
    """Confirm the handover as one of its parties: the leaver and the successor through the
    account linked to their cadre record, the supervisor as the user named. A successor cannot
    sign as supervisor. With the third confirmation the handover is completed."""
    if party not in HandoverSignature.Party.values:
        raise ActionError(_("Unknown party to the handover."), field="party")
    with transaction.atomic():
        handover = Handover.objects.select_for_update().select_related("unit", "cadre").get(pk=handover.pk)
        _refuse_if_completed(handover)
        linked = getattr(actor, "cadre_id", None)
        if party == HandoverSignature.Party.LEAVER:
            if not linked or linked != handover.cadre_id:
                raise ActionError(_("Only the leaver can confirm as the leaver."), field="party")
        elif party == HandoverSignature.Party.SUCCESSOR:
            if handover.successor_id is None:
                raise ActionError(_("No successor has been named yet."), field="party")
            if not linked or linked != handover.successor_id:
                raise ActionError(_("Only the successor can confirm as the successor."), field="party")
        else:
            if linked and linked in (handover.successor_id, handover.cadre_id):
                raise ActionError(_("The successor or the leaver cannot confirm as the handover supervisor."), field="party")
            if handover.supervisor_id is None or handover.supervisor_id != actor.pk:
                raise ActionError(_("Only the named handover supervisor can confirm as supervisor."), field="party")
        if handover.signatures.filter(party=party).exists():
            raise ActionError(_("This party has already confirmed the handover."), field="party")
        signature = HandoverSignature.objects.create(handover=handover, party=party, user=actor)
        data = {"party": party}
        if handover.signatures.count() == len(HandoverSignature.Party.values):
            handover.status = Handover.Status.COMPLETED
            handover.completed_on = dt.date.today()
            handover.save(update_fields=["status", "completed_on"])
            data["completed"] = True
        journal.record("audits.handover.signed", actor=actor, target=handover, unit=handover.unit, cadre=handover.cadre, data=data)
    return signature


def serve_notice(*, actor, audit: DepartureAudit, served_on: dt.date, fieldwork_starts_on: dt.date) -> DepartureAudit:
    """Plan → notice: serve the audit notice (审计通知书), numbered in this transaction, at least
    the configured working days (3) before fieldwork starts (DOMAIN.md §5)."""
    if not access.can(actor, "audits.manage", audit.unit):
        raise access.NotVisible()
    if served_on is None or fieldwork_starts_on is None:
        raise ActionError(_("Give the date the notice is served and the date fieldwork starts."), field="served_on")
    if served_on > dt.date.today():
        raise ActionError(_("The notice cannot be recorded as served in the future."), field="served_on")
    days = int(get_setting("audits.notice_working_days"))
    earliest = add_working_days(served_on, days)
    if fieldwork_starts_on < earliest.due:
        raise ActionError(
            _("Fieldwork may start on %(due)s at the earliest (%(rule)s).") % {"due": earliest.due.isoformat(), "rule": earliest.explain()},
            field="fieldwork_starts_on",
        )
    with transaction.atomic():
        audit = DepartureAudit.objects.select_for_update().select_related("unit", "cadre").get(pk=audit.pk)
        if not access.can(actor, "audits.manage", audit.unit):
            raise access.NotVisible()
        if audit.stage != DepartureAudit.Stage.PLANNED:
            raise ActionError(_("The notice of this audit has already been served."))
        audit.notice_number = next_document_number(str(get_setting("audits.notice_number_prefix")), served_on.year)
        audit.notice_served_on = served_on
        audit.fieldwork_starts_on = fieldwork_starts_on
        audit.stage = DepartureAudit.Stage.NOTICE
        audit.save(update_fields=["notice_number", "notice_served_on", "fieldwork_starts_on", "stage"])
        journal.record(
            "audits.audit.notice_served",
            actor=actor,
            target=audit,
            unit=audit.unit,
            cadre=audit.cadre,
            data={"number": audit.notice_number, "served_on": served_on, "fieldwork_starts_on": fieldwork_starts_on, "rule": earliest.explain()},
        )
    return audit
