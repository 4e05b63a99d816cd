"""Departure handovers (离任经济事项交接): parties, items and the three confirmations."""

import datetime as dt
import hashlib
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import journal, uploads
from jiandu.core.errors import ActionError
from jiandu.core.rectification import evidence
from jiandu.registry.models import Cadre

from ..models import Handover, HandoverAttachment, HandoverItem, HandoverSignature

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


def attach_handover_file(*, actor, handover: Handover, item_id: int, upload) -> HandoverAttachment:
    """Attach a supporting file to one checklist item (PDF, JPEG, PNG, DOCX or XLSX, checked by
    size, content and structure before anything is stored), while no party has confirmed."""
    checked = evidence.check(upload)  # before the lock: a refused file stores nothing
    with transaction.atomic():
        handover = _locked_handover(actor, handover)
        _refuse_if_completed(handover)
        item = handover.items.filter(pk=item_id).first()
        if item is None:
            raise ActionError(_("This item is not on the handover's checklist."), field="item")
        if handover.signatures.exists():
            raise ActionError(_("The handover has been confirmed by a party; its items can no longer be changed."))
        stored_name = evidence.write(checked, attachment_root())
        try:
            attachment = HandoverAttachment.objects.create(
                item=item,
                name=checked.name,
                stored_name=stored_name,
                content_type=uploads.ATTACHMENT_KINDS[checked.kind][0],
                size=len(checked.data),
                sha256=hashlib.sha256(checked.data).hexdigest(),
                uploaded_by=actor,
            )
            journal.record(
                "audits.handover.file_attached",
                actor=actor,
                target=handover,
                unit=handover.unit,
                cadre=handover.cadre,
                data={"item": item.title, "file": checked.name, "size": len(checked.data)},
            )
        except Exception:
            attachment_path(stored_name).unlink(missing_ok=True)
            raise
    return attachment


def attachment_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "handovers"


def attachment_path(stored_name: str) -> Path:
    return attachment_root() / stored_name[:2] / stored_name


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
