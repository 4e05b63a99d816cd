"""Private passports and travel documents (因私出国（境）证照): custody, travel requests, loans and returns."""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jiandu.accounts import access
from jiandu.core import journal, notifications
from jiandu.core.errors import ActionError
from jiandu.core.practice import get_setting
from jiandu.registry.models import Cadre

from .. import queries
from ..models import (
    Loan,
    PassportHolder,
    TravelDocument,
    TravelRequest,
)
from .base import PASSPORTS, _date, _text

# --- passports (因私出国（境）证照) ------------------------------------------------------------------


def _passports(actor, cadre) -> None:
    if not access.can(actor, PASSPORTS, cadre.unit):
        raise access.NotVisible()


def register_holder(*, actor, cadre: Cadre, registered_on: dt.date, filing_kind: str = PassportHolder.FilingKind.LEADING_CADRE) -> PassportHolder:
    """Put a cadre on the register of registered staff (登记备案人员) under its filing kind."""
    _passports(actor, cadre)
    registered_on = _date(registered_on, "registered_on", _("registered on"))
    if filing_kind not in PassportHolder.FilingKind.values:
        raise ActionError(_("Choose the filing kind."), field="filing_kind")
    with transaction.atomic():
        if PassportHolder.objects.select_for_update().filter(cadre=cadre).exists():
            raise ActionError(_("This cadre is already registered."), field="cadre")
        holder = PassportHolder.objects.create(cadre=cadre, registered_on=registered_on, registered_by=actor, filing_kind=filing_kind)
        journal.record(
            "matters.passport.holder_registered",
            actor=actor,
            target=holder,
            unit=cadre.unit,
            cadre=cadre,
            data={"registered_on": registered_on, "filing_kind": filing_kind},
        )
    return holder


def receive_document(*, actor, holder: PassportHolder, kind: str, number: str, received_on: dt.date, expires_on: dt.date | None = None) -> TravelDocument:
    """Take a registered cadre's passport or permit into custody."""
    _passports(actor, holder.cadre)
    if kind not in TravelDocument.Kind.values:
        raise ActionError(_("Choose the kind of document."), field="kind")
    number = _text(number, "number", _("document number"), max_length=30)
    received_on = _date(received_on, "received_on", _("received on"))
    with transaction.atomic():
        if TravelDocument.objects.select_for_update().filter(kind=kind, number=number).exists():
            raise ActionError(_("This document is already in the register."), field="number")
        document = TravelDocument.objects.create(holder=holder, kind=kind, number=number, received_on=received_on, expires_on=expires_on)
        journal.record(
            "matters.passport.received",
            actor=actor,
            target=document,
            unit=holder.cadre.unit,
            cadre=holder.cadre,
            data={"kind": kind, "received_on": received_on},
        )
    return document


def request_travel(*, actor, holder: PassportHolder, destination: str, purpose: str, departs_on: dt.date, returns_on: dt.date) -> TravelRequest:
    """Record a private travel request (the cadre's own, or entered by an officer)."""
    if not access.is_self(actor, holder.cadre):
        _passports(actor, holder.cadre)
    destination = _text(destination, "destination", _("destination"), max_length=100)
    purpose = _text(purpose, "purpose", _("purpose"), max_length=200)
    departs_on = _date(departs_on, "departs_on", _("departs on"), not_future=False)
    returns_on = _date(returns_on, "returns_on", _("returns on"), not_future=False)
    if returns_on < departs_on:
        raise ActionError(_("The return cannot be before the departure."), field="returns_on")
    with transaction.atomic():
        travel = TravelRequest.objects.create(
            holder=holder, destination=destination, purpose=purpose, departs_on=departs_on, returns_on=returns_on, requested_by=actor
        )
        journal.record(
            "matters.travel.requested",
            actor=actor,
            target=travel,
            unit=holder.cadre.unit,
            cadre=holder.cadre,
            data={"destination": destination, "departs_on": departs_on, "returns_on": returns_on},
        )
    return travel


def decide_travel(*, actor, travel: TravelRequest, approve: bool) -> TravelRequest:
    """The head approves or refuses a travel request; never his or her own."""
    if not access.can(actor, "matters.approve_travel", travel.holder.cadre.unit):
        raise access.NotVisible()
    if access.is_self(actor, travel.holder.cadre) or getattr(actor, "cadre_id", None) == travel.holder.cadre_id:
        raise ActionError(_("Nobody decides his or her own travel request."))
    with transaction.atomic():
        travel = TravelRequest.objects.select_for_update().select_related("holder__cadre__unit").get(pk=travel.pk)
        if travel.status != TravelRequest.Status.REQUESTED:
            raise ActionError(_("This travel request has already been decided."))
        travel.status = TravelRequest.Status.APPROVED if approve else TravelRequest.Status.REFUSED
        travel.decided_by = actor
        travel.decided_on = dt.date.today()
        travel.save(update_fields=["status", "decided_by", "decided_on"])
        journal.record(
            "matters.travel.decided", actor=actor, target=travel, unit=travel.holder.cadre.unit, cadre=travel.holder.cadre, data={"status": travel.status}
        )
    return travel


def lend_document(*, actor, document: TravelDocument, travel: TravelRequest, lent_on: dt.date) -> Loan:
    """Lend a kept document for an approved trip of its holder; due back the configured days
    after the trip's return."""
    _passports(actor, document.holder.cadre)
    lent_on = _date(lent_on, "lent_on", _("lent on"))
    with transaction.atomic():
        document = TravelDocument.objects.select_for_update().select_related("holder__cadre__unit").get(pk=document.pk)
        travel = TravelRequest.objects.get(pk=travel.pk)
        if travel.holder_id != document.holder_id:
            raise ActionError(_("The travel request is not the document holder's."), field="travel")
        if travel.status != TravelRequest.Status.APPROVED:
            raise ActionError(_("Only a document for an approved travel request can be lent."), field="travel")
        if document.status != TravelDocument.Status.KEPT:
            raise ActionError(_("The document is not in custody."), field="document")
        if lent_on > travel.departs_on:
            raise ActionError(_("The document is lent on or before the departure."), field="lent_on")
        due_on = travel.returns_on + dt.timedelta(days=int(get_setting("matters.passport_return_days")))
        loan = Loan.objects.create(document=document, travel=travel, lent_on=lent_on, due_on=due_on)
        document.status = TravelDocument.Status.LENT
        document.save(update_fields=["status"])
        cadre = document.holder.cadre
        journal.record(
            "matters.passport.lent", actor=actor, target=loan, unit=cadre.unit, cadre=cadre, data={"kind": document.kind, "lent_on": lent_on, "due_on": due_on}
        )
    return loan


def return_document(*, actor, loan: Loan, returned_on: dt.date) -> Loan:
    """Take a lent document back; after its due date the return is recorded as late."""
    cadre = loan.document.holder.cadre
    _passports(actor, cadre)
    returned_on = _date(returned_on, "returned_on", _("returned on"))
    with transaction.atomic():
        loan = Loan.objects.select_for_update().select_related("document").get(pk=loan.pk)
        if loan.returned_on is not None:
            raise ActionError(_("The document has already been returned."))
        if returned_on < loan.lent_on:
            raise ActionError(_("The return cannot be before the loan."), field="returned_on")
        loan.returned_on = returned_on
        loan.save(update_fields=["returned_on"])
        loan.document.status = TravelDocument.Status.KEPT
        loan.document.save(update_fields=["status"])
        journal.record(
            "matters.passport.returned",
            actor=actor,
            target=loan,
            unit=cadre.unit,
            cadre=cadre,
            data={"returned_on": returned_on, "due_on": loan.due_on, "late_days": max(0, (returned_on - loan.due_on).days)},
        )
    return loan


EXPORT_COLUMNS = ("name", "gender", "birth_on", "id_number", "unit_and_post", "rank", "filing_kind")


def _post(cadre) -> str:
    from jiandu.registry.models import Tenure

    tenure = Tenure.objects.filter(cadre=cadre, ended_on__isnull=True).select_related("position").order_by("-started_on", "-id").first()
    return f"{cadre.unit.name}{tenure.position.title}" if tenure else cadre.unit.name


def export_register(*, actor) -> list[list]:
    """The register of registered staff in the columns the exit-entry authorities take (name,
    sex, birth date, ID number, unit and post, rank, filing kind): the head's action only
    (matters.export_reports with the custody right), journaled with the count. The ID number
    and birth date in clear only with registry.view_sensitive."""
    from jiandu.core.masking import mask_birth_date, mask_id_number

    if not (access.can(actor, "matters.export_reports") and access.can(actor, PASSPORTS)):
        raise access.NotVisible()
    rows = []
    for holder in queries.holders_visible_to(actor):
        cadre = holder.cadre
        sensitive = access.can(actor, "registry.view_sensitive", cadre.unit)
        rank = cadre.get_rank_display() if cadre.rank else cadre.get_leadership_level_display()
        rows.append(
            [
                cadre.name,
                cadre.get_gender_display(),
                cadre.birth_on if sensitive else mask_birth_date(cadre.birth_on),
                cadre.id_number if sensitive else mask_id_number(cadre.id_number),
                _post(cadre),
                rank,
                holder.get_filing_kind_display(),
            ]
        )
    journal.record("matters.passports.exported", actor=actor, data={"rows": len(rows)})
    return rows


# --- background work (jobs.py): the return of lent documents -------------------------------------


def send_passport_reminders(today: dt.date | None = None) -> int:
    """Remind the holder of each lent document due back within the configured days (from that
    day to the due date itself), once per loan. Journaled with the due date only."""
    today = today or dt.date.today()
    window = int(get_setting("matters.passport_reminder_days"))
    sent = 0
    for pk in Loan.objects.filter(
        returned_on__isnull=True, reminded_on__isnull=True, due_on__gte=today, due_on__lte=today + dt.timedelta(days=window)
    ).values_list("pk", flat=True):
        with transaction.atomic():
            loan = Loan.objects.select_for_update().select_related("document__holder__cadre__unit").get(pk=pk)
            if loan.returned_on or loan.reminded_on:
                continue
            loan.reminded_on = today
            loan.save(update_fields=["reminded_on"])
            cadre = loan.document.holder.cadre
            journal.record("matters.passport.reminded", target=loan, unit=cadre.unit, cadre=cadre, data={"due_on": loan.due_on}, role="system")
            notifications.notify(
                [access.user_for_cadre(cadre.pk)],
                notifications.REMINDER,
                gettext_noop("Your lent travel document is due back on %(day)s"),
                reverse("matters:mine"),
                params={"day": loan.due_on.isoformat()},
                cause=f"matters.passport.reminded:{loan.pk}",
                sensitive=True,
                today=today,
            )
            sent += 1
    return sent


def escalate_overdue_passports(today: dt.date | None = None) -> int:
    """Report each lent document the configured days or more past its due date to the head
    (the overdue list and the head's card show it), once per loan."""
    today = today or dt.date.today()
    days = int(get_setting("matters.passport_escalation_days"))
    escalated = 0
    for pk in Loan.objects.filter(returned_on__isnull=True, escalated_on__isnull=True, due_on__lte=today - dt.timedelta(days=days)).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            loan = Loan.objects.select_for_update().select_related("document__holder__cadre__unit").get(pk=pk)
            if loan.returned_on or loan.escalated_on:
                continue
            loan.escalated_on = today
            loan.save(update_fields=["escalated_on"])
            cadre = loan.document.holder.cadre
            journal.record(
                "matters.passport.escalated",
                target=loan,
                unit=cadre.unit,
                cadre=cadre,
                data={"due_on": loan.due_on, "days_overdue": (today - loan.due_on).days},
                role="system",
            )
            notifications.notify(
                access.holders("matters.approve_travel", cadre.unit),
                notifications.ESCALATION,
                gettext_noop("A lent travel document is overdue since %(day)s"),
                reverse("matters:passports"),
                params={"day": loan.due_on.isoformat()},
                cause=f"matters.passport.escalated:{loan.pk}",
                sensitive=True,
                today=today,
            )
            escalated += 1
    return escalated
