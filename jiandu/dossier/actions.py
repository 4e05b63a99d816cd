"""Dossier writes: only the journal of who read or exported which cadre's file, and the reader's
last look (for "what changed since I last looked"). Every read of the file is journaled."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.errors import ActionError

from . import queries
from .models import Alert, LastLook

VIAS = ("page", "api")
FORMATS = ("pdf", "xlsx")


def record_view(*, actor, cadre, via: str = "page", pillar: str = "", year: int | None = None, reads: list[dict] | None = None) -> None:
    """Journal `dossier.cadre.viewed`, with the reads the owning apps journal for what the page
    showed (`reads`: core.timeline's `Timeline.journal`, e.g. clue reads), in one write, and move
    the reader's last look at this cadre to now. The page reads the previous look before
    (queries.last_look) to mark what is new. Preconditions: the actor may open the file (the
    registry's scope, or self service; checked again here without a query)."""
    if not (access.can(actor, "registry.view", cadre.unit) or (access.is_self(actor, cadre) and access.can(actor, "self.view"))):
        raise access.NotVisible()
    if via not in VIAS:
        raise ValueError(via)
    data = {"via": via}
    if pillar:
        data["pillar"] = pillar
    if year:
        data["year"] = year
    # No savepoint of its own: inside a caller's transaction this write stands or falls with it.
    with transaction.atomic(savepoint=False):
        now = timezone.now()
        if not LastLook.objects.filter(user_id=actor.pk, cadre_id=cadre.pk).update(seen_at=now):
            LastLook.objects.create(user=actor, cadre=cadre, seen_at=now)
        view = {"action": "dossier.cadre.viewed", "actor": actor, "target": cadre, "unit": cadre.unit, "cadre": cadre, "data": data}
        journal.record_many([view, *(reads or ())])


def record_export(*, actor, cadre, fmt: str, entries: int, reads: list[dict] | None = None) -> None:
    """Journal `dossier.cadre.exported` (a PDF print or a workbook of the file), with the reads
    the owning apps journal for what it holds (`reads`). Preconditions: the actor may open the
    file; masking is the documents' (documents.header_fields)."""
    cadre = queries.get_cadre_for(actor, cadre.pk)
    if fmt not in FORMATS:
        raise ValueError(fmt)
    with transaction.atomic():
        export = {
            "action": "dossier.cadre.exported",
            "actor": actor,
            "target": cadre,
            "unit": cadre.unit,
            "cadre": cadre,
            "data": {"format": fmt, "entries": entries},
        }
        journal.record_many([export, *(reads or ())])


def scan_alerts(*, actor=None, today: dt.date | None = None) -> dict:
    """Run the early-warning scan (core.alerts rules): the nightly job (actor None) or on demand
    (`dossier.handle_alerts`). Journals `dossier.alerts.scanned` with the counts."""
    from . import alerts

    if actor is not None:
        access.require(actor, "dossier.handle_alerts")
    with transaction.atomic():
        result = alerts.scan(today)
        journal.record("dossier.alerts.scanned", actor=actor, data=result.as_dict())
    return result.as_dict()


def acknowledge_alert(*, actor, alert, note: str) -> Alert:
    """Acknowledge an open or closed alert with a note (`dossier.handle_alerts` on its unit)."""
    note = _clean_note(note)
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        access.require(actor, "dossier.handle_alerts", alert.unit)
        if alert.acknowledged_at:
            raise ActionError(_("This alert has already been acknowledged."), code="state")
        alert.acknowledged_at = timezone.now()
        alert.acknowledged_by = actor
        alert.note = note
        alert.save(update_fields=["acknowledged_at", "acknowledged_by", "note"])
        journal.record("dossier.alert.acknowledged", actor=actor, target=alert, unit=alert.unit_id, cadre=alert.cadre_id, data={"rule": alert.rule})
    return alert


def _clean_note(note: str, *, field: str = "note") -> str:
    if "\x00" in (note or ""):
        raise ActionError(_("The note contains a character that cannot be stored (NUL); remove it and try again."), field=field)
    note = (note or "").strip()
    if not note:
        raise ActionError(_("Write a note: what was done about this alert."), field=field)
    if len(note) > 2000:
        raise ActionError(_("The note is too long (at most 2000 characters)."), field=field)
    return note


def handle_alert(*, actor, alert, note: str) -> Alert:
    """Mark an open alert handled (处置) with a note (`dossier.handle_alerts` on its unit): it leaves
    the open list and stays handled while the same cause lasts; the scan closes it when the cause
    ends and raises a new alert if the cause returns afterwards. Journals `dossier.alert.handled`."""
    note = _clean_note(note)
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        access.require(actor, "dossier.handle_alerts", alert.unit)
        if alert.handled_at:
            raise ActionError(_("This alert has already been handled."), code="state")
        if alert.closed_at:
            raise ActionError(_("This alert is closed: its cause has ended."), code="state")
        alert.handled_at = timezone.now()
        alert.handled_by = actor
        alert.handling_note = note
        alert.save(update_fields=["handled_at", "handled_by", "handling_note"])
        journal.record("dossier.alert.handled", actor=actor, target=alert, unit=alert.unit_id, cadre=alert.cadre_id, data={"rule": alert.rule})
    return alert
