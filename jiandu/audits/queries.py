"""Scoped reads of the audits app (access.scope_q on audits.view)."""

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet

from jiandu.accounts import access
from jiandu.core.calendar import add_months
from jiandu.core.models import DomainEvent
from jiandu.registry.models import Tenure

from .models import DepartureAudit, DepartureExemption, Handover


def subjects_visible_to(user, *, today: dt.date | None = None) -> list[Tenure]:
    """Audit subjects (DOMAIN.md §5): tenures of principals and of financial-authority posts, and
    acting/presiding tenures (Tenure.is_acting) of at least one year, each with its period of
    responsibility; `last_audit` is the cadre's latest departure audit (None when none yet)."""
    today = today or dt.date.today()
    qs = (
        Tenure.objects.filter(access.scope_q(user, "audits.view", "position__unit__path"))
        .filter(Q(position__is_principal=True) | Q(position__has_financial_authority=True) | Q(is_acting=True))
        .select_related("cadre", "position__unit")
        .order_by("position__unit__path", "position__order", "-started_on", "id")
    )
    rows = [t for t in qs if not (t.is_acting and not t.position.is_principal and not t.position.has_financial_authority) or presided_a_year(t, today)]
    last = {}
    for audit in DepartureAudit.objects.filter(cadre_id__in={t.cadre_id for t in rows}).order_by("period_end", "id"):
        last[audit.cadre_id] = audit
    for tenure in rows:
        tenure.last_audit = last.get(tenure.cadre_id)
        tenure.responsibility_until = tenure.ended_on
    return rows


def presided_a_year(tenure: Tenure, today: dt.date) -> bool:
    """An acting/presiding tenure counts from one full year: the same date a year later (or today)."""
    return add_months(tenure.started_on, 12) <= (tenure.ended_on or today)


def open_departures_visible_to(user) -> QuerySet[DomainEvent]:
    """Departure events of visible units without a departure audit or without a handover, and
    not exempted; oldest first."""
    from jiandu.registry.models import Unit

    units = Unit.objects.filter(access.scope_q(user, "audits.view", "path")).values("pk")
    has_audit = DepartureAudit.objects.filter(source_event_id=OuterRef("pk"))
    has_handover = Handover.objects.filter(source_event_id=OuterRef("pk"))
    exempted = DepartureExemption.objects.filter(event_id=OuterRef("pk"))
    return (
        DomainEvent.objects.filter(kind="registry.departure", unit_id__in=units)
        .annotate(has_audit=Exists(has_audit), has_handover=Exists(has_handover), exempted=Exists(exempted))
        .filter(Q(has_audit=False) | Q(has_handover=False))
        .filter(exempted=False)
        .order_by("occurred_at", "id")
    )


def get_open_departure_for(user, pk) -> DomainEvent:
    event = open_departures_visible_to(user).filter(pk=pk).first()
    if event is None:
        raise access.NotVisible()
    return event


def handovers_visible_to(user) -> QuerySet[Handover]:
    """Handovers of units the user may read audits of, and those the user is a party to (the
    leaver or the successor through the linked cadre record, or the named supervisor)."""
    party = Q(supervisor_id=user.pk)
    cadre_id = getattr(user, "cadre_id", None)
    if cadre_id:
        party |= Q(cadre_id=cadre_id) | Q(successor_id=cadre_id)
    return Handover.objects.filter(access.scope_q(user, "audits.view", "unit__path") | party).select_related("cadre", "unit", "successor", "supervisor")


def get_handover_for(user, pk) -> Handover:
    handover = handovers_visible_to(user).filter(pk=pk).first()
    if handover is None:
        raise access.NotVisible()
    return handover


def overdue(qs: QuerySet[Handover], today: dt.date | None = None) -> QuerySet[Handover]:
    """Open handovers past their due date: on the due date itself a handover is not yet overdue."""
    return qs.filter(status=Handover.Status.OPEN, due_on__lt=today or dt.date.today())


def audits_visible_to(user) -> QuerySet[DepartureAudit]:
    return DepartureAudit.objects.filter(access.scope_q(user, "audits.view", "unit__path")).select_related("cadre", "unit")


def get_audit_for(user, pk) -> DepartureAudit:
    audit = audits_visible_to(user).filter(pk=pk).first()
    if audit is None:
        raise access.NotVisible()
    return audit
