"""Tenures: appoint, end (with the departure event), record past tenures."""

import datetime as dt
import typing

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.core import blockers, events, journal
from jiandu.core.errors import ActionError

from .. import hooks, rules
from ..models import Cadre, Position, Tenure
from .base import _require_unit

# --- tenures -------------------------------------------------------------------------------


def appoint(
    *,
    actor,
    cadre: Cadre,
    position: Position,
    started_on: dt.date,
    start_method: str = Tenure.StartMethod.APPOINTMENT,
    is_acting: bool = False,
    note: str = "",
    move_cadre_to_unit: bool = True,
    exception_reason: str = "",
) -> Tenure:
    """Start a tenure. The position must be active and have a free place; the cadre must be
    serving and not already hold it. Tenure limits and avoidance (registry.rules) refuse it unless
    `exception_reason` records why it goes on; the findings and the reason are journaled."""
    if start_method not in Tenure.StartMethod.values:
        raise ActionError(_("Unknown way of taking office."), field="start_method")
    with transaction.atomic():
        position = Position.objects.select_for_update().select_related("unit").get(pk=position.pk)
        cadre = Cadre.objects.select_for_update().select_related("unit").get(pk=cadre.pk)
        _require_unit(actor, position.unit)
        if not position.is_active:
            raise ActionError(_("This position is no longer active."), field="position")
        if cadre.status != Cadre.Status.SERVING:
            raise ActionError(_("Only a serving cadre can be appointed."), field="cadre")
        if started_on > dt.date.today() + dt.timedelta(days=366):
            raise ActionError(_("The start date is more than a year ahead."), field="started_on")
        if cadre.birth_on and started_on < cadre.birth_on:
            raise ActionError(_("The start date is before the cadre's birth."), field="started_on")
        # A higher app may hold the move (audits: the departure handover not yet signed).
        blockers.refuse(hooks.move_holds(cadre), code="move_held")
        current = Tenure.objects.filter(position=position, ended_on__isnull=True)
        if current.filter(cadre=cadre).exists():
            raise ActionError(_("%(name)s already holds this position.") % {"name": cadre.name}, field="cadre")
        if current.count() >= position.headcount:
            raise ActionError(
                _("%(position)s has no free place (headcount %(n)d); end a current tenure first.") % {"position": position, "n": position.headcount},
                field="position",
            )
        exception_reason = (exception_reason or "").strip()
        findings = rules.appointment_findings(cadre, position, started_on, viewer=actor)
        if findings and not exception_reason:
            raise ActionError(
                _("This appointment needs a recorded reason to go on: %(findings)s") % {"findings": " ".join(f"{f.text}（{f.basis}）" for f in findings)},
                field="exception_reason",
                code="needs_reason",
            )
        tenure = Tenure.objects.create(cadre=cadre, position=position, started_on=started_on, start_method=start_method, is_acting=is_acting, note=note)
        if move_cadre_to_unit and cadre.unit_id != position.unit_id:
            cadre.unit = position.unit
            cadre.save(update_fields=["unit", "updated_at"])
        journal.record(
            "registry.tenure.started",
            actor=actor,
            target=tenure,
            unit=position.unit,
            cadre=cadre,
            data={
                "position": str(position),
                "started_on": started_on,
                "start_method": start_method,
                "is_acting": is_acting,
                **({"findings": [f"{f.text}（{f.basis}）" for f in findings], "exception_reason": exception_reason} if findings else {}),
            },
        )
    return tenure


class DeparturePayload(typing.TypedDict):
    """`registry.departure`: a principal's or financial-authority tenure ended (docs/events.md).
    Subject: the Tenure; unit_id and cadre_id of the event are the post's unit and the cadre."""

    position: str  # the post as shown ("示范区教育局 局长")
    is_principal: bool
    has_financial_authority: bool
    started_on: str  # ISO dates
    ended_on: str
    end_reason: str  # Tenure.EndReason value


events.declare_kind(
    "registry.departure",
    label=gettext_lazy("Departure from a principal or financial-authority post"),
    payload=DeparturePayload,
    producer="registry: end_tenure (tenure form, API, tenures import)",
)


def end_tenure(*, actor, tenure: Tenure, ended_on: dt.date, end_reason: str) -> Tenure:
    """End a current tenure. A principal's or financial-authority tenure records a departure event."""
    if end_reason not in Tenure.EndReason.values:
        raise ActionError(_("Unknown end reason."), field="end_reason")
    with transaction.atomic():
        tenure = Tenure.objects.select_for_update().select_related("position__unit", "cadre").get(pk=tenure.pk)
        _require_unit(actor, tenure.position.unit)
        if tenure.ended_on is not None:
            raise ActionError(_("This tenure already ended on %(date)s.") % {"date": tenure.ended_on.isoformat()})
        if ended_on < tenure.started_on:
            raise ActionError(_("The end date is before the start date (%(date)s).") % {"date": tenure.started_on.isoformat()}, field="ended_on")
        if ended_on > dt.date.today() + dt.timedelta(days=366):
            raise ActionError(_("The end date is more than a year ahead."), field="ended_on")
        tenure.ended_on = ended_on
        tenure.end_reason = end_reason
        tenure.save(update_fields=["ended_on", "end_reason"])
        departure = tenure.is_departure()
        journal.record(
            "registry.tenure.ended",
            actor=actor,
            target=tenure,
            unit=tenure.position.unit,
            cadre=tenure.cadre,
            data={"position": str(tenure.position), "ended_on": ended_on, "end_reason": end_reason, "departure": departure},
        )
        if departure:
            events.record_event(
                "registry.departure",
                subject=tenure,
                unit_id=tenure.position.unit_id,
                cadre_id=tenure.cadre_id,
                data={
                    "position": str(tenure.position),
                    "is_principal": tenure.position.is_principal,
                    "has_financial_authority": tenure.position.has_financial_authority,
                    "started_on": tenure.started_on.isoformat(),
                    "ended_on": ended_on.isoformat(),
                    "end_reason": end_reason,
                },
                caused_by=actor,
            )
    return tenure


def record_past_tenure(
    *,
    actor,
    cadre: Cadre,
    position: Position,
    started_on: dt.date,
    ended_on: dt.date,
    end_reason: str,
    start_method: str = Tenure.StartMethod.APPOINTMENT,
    is_acting: bool = False,
    note: str = "",
) -> Tenure:
    """Record a tenure that had already ended before it was entered (rosters, history imports).
    It must not overlap another tenure of the same cadre in the same position. It records no
    departure event: a departure is a present event that starts an audit and a handover, and an
    old one is handled (or was) outside the platform."""
    if start_method not in Tenure.StartMethod.values:
        raise ActionError(_("Unknown way of taking office."), field="start_method")
    if end_reason not in Tenure.EndReason.values:
        raise ActionError(_("Unknown end reason."), field="end_reason")
    if ended_on < started_on:
        raise ActionError(_("The end date is before the start date (%(date)s).") % {"date": started_on.isoformat()}, field="ended_on")
    if ended_on > dt.date.today():
        raise ActionError(_("A past tenure must have ended by today; record a current one by appointing."), field="ended_on")
    with transaction.atomic():
        position = Position.objects.select_for_update().select_related("unit").get(pk=position.pk)
        cadre = Cadre.objects.select_for_update().select_related("unit").get(pk=cadre.pk)
        _require_unit(actor, position.unit)
        if cadre.birth_on and started_on < cadre.birth_on:
            raise ActionError(_("The start date is before the cadre's birth."), field="started_on")
        overlapping = Tenure.objects.filter(cadre=cadre, position=position, started_on__lte=ended_on).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=started_on)
        )
        if overlapping.exists():
            raise ActionError(_("%(name)s already has a tenure in this position during these dates.") % {"name": cadre.name}, field="started_on")
        tenure = Tenure.objects.create(
            cadre=cadre,
            position=position,
            started_on=started_on,
            start_method=start_method,
            ended_on=ended_on,
            end_reason=end_reason,
            is_acting=is_acting,
            note=note,
        )
        journal.record(
            "registry.tenure.recorded",
            actor=actor,
            target=tenure,
            unit=position.unit,
            cadre=cadre,
            data={"position": str(position), "started_on": started_on, "ended_on": ended_on, "end_reason": end_reason},
        )
    return tenure
