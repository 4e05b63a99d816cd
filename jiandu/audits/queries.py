"""Scoped reads of the audits app (access.scope_q on audits.view)."""

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from jiandu.accounts import access
from jiandu.core.models import DomainEvent
from jiandu.registry.models import Tenure

from . import risk
from .models import AuditPlan, DepartureAudit, DepartureExemption, Finding, Handover, RectificationItem, RectificationUpdate


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


presided_a_year = risk.presided_a_year


def open_departures_visible_to(user) -> QuerySet[DomainEvent]:
    """Departure events of visible units without a departure audit or without a handover, and
    without an approved exemption (a requested one is shown: `pending_exemption`); oldest first."""
    from jiandu.registry.models import Unit

    units = Unit.objects.filter(access.scope_q(user, "audits.view", "path")).values("pk")
    has_audit = DepartureAudit.objects.filter(source_event_id=OuterRef("pk"))
    has_handover = Handover.objects.filter(source_event_id=OuterRef("pk"))
    exempted = DepartureExemption.objects.filter(event_id=OuterRef("pk"), status=DepartureExemption.Status.APPROVED)
    pending = DepartureExemption.objects.filter(event_id=OuterRef("pk"), status=DepartureExemption.Status.REQUESTED)
    return (
        DomainEvent.objects.filter(kind="registry.departure", unit_id__in=units)
        .annotate(
            has_audit=Exists(has_audit),
            has_handover=Exists(has_handover),
            exempted=Exists(exempted),
            pending_exemption=Subquery(pending.values("pk")[:1]),
        )
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


def exemptions_visible_to(user) -> QuerySet[DepartureExemption]:
    """Exemption requests of departures in units the user may read audits of."""
    from jiandu.registry.models import Unit

    units = Unit.objects.filter(access.scope_q(user, "audits.view", "path")).values("pk")
    events = DomainEvent.objects.filter(kind="registry.departure", unit_id__in=units).values("pk")
    return DepartureExemption.objects.filter(event_id__in=events).select_related("requested_by", "decided_by")


def pending_exemptions_for_approver(user) -> QuerySet[DepartureExemption]:
    """Requested exemptions the user may decide on (audits.approve on the departure's unit)."""
    from jiandu.registry.models import Unit

    units = Unit.objects.filter(access.scope_q(user, "audits.approve", "path")).values("pk")
    events = DomainEvent.objects.filter(kind="registry.departure", unit_id__in=units).values("pk")
    return DepartureExemption.objects.filter(event_id__in=events, status=DepartureExemption.Status.REQUESTED).select_related("requested_by")


def get_exemption_for(user, pk) -> DepartureExemption:
    exemption = exemptions_visible_to(user).filter(pk=pk).first()
    if exemption is None:
        raise access.NotVisible()
    return exemption


def risk_candidates(user, *, on: dt.date | None = None) -> list[Tenure]:
    """Serving audit subjects of the user's units, highest risk score first; each tenure carries
    `risk` (a risk.Score with its parts) and `last_audit_end`."""
    on = on or dt.date.today()
    tenures = [
        t
        for t in Tenure.objects.filter(access.scope_q(user, "audits.view", "position__unit__path"), ended_on__isnull=True)
        .filter(Q(position__is_principal=True) | Q(position__has_financial_authority=True) | Q(is_acting=True))
        .select_related("cadre", "position__unit")
        if risk.is_subject(t, on)
    ]
    last = {}
    for cadre_id, end in DepartureAudit.objects.filter(cadre_id__in={t.cadre_id for t in tenures}).order_by("period_end").values_list("cadre_id", "period_end"):
        last[cadre_id] = end
    for tenure in tenures:
        tenure.last_audit_end = last.get(tenure.cadre_id)
        tenure.risk = risk.score(tenure, on, tenure.last_audit_end, lookup=False)
    tenures.sort(key=lambda t: (-t.risk.total, t.position.unit.path, t.position.order, t.pk))
    return tenures


def plans_visible_to(user) -> QuerySet[AuditPlan]:
    """Yearly plans: district-wide documents, read by whoever reads audits (their entries are
    filtered by `plan_entries_visible_to`)."""
    if not access.can(user, "audits.view") and not access.can(user, "audits.approve"):
        return AuditPlan.objects.none()
    return AuditPlan.objects.select_related("drafted_by", "approved_by")


def get_plan_for(user, pk) -> AuditPlan:
    plan = plans_visible_to(user).filter(pk=pk).first()
    if plan is None:
        raise access.NotVisible()
    return plan


def plan_entries_visible_to(user, plan: AuditPlan):
    return plan.entries.filter(access.scope_q(user, "audits.view", "unit__path")).select_related("cadre", "unit", "tenure__position", "audit")


def findings_visible_to(user) -> QuerySet[Finding]:
    return Finding.objects.filter(access.scope_q(user, "audits.view", "audit__unit__path")).select_related("audit__cadre", "audit__unit")


def get_finding_for(user, pk) -> Finding:
    finding = findings_visible_to(user).filter(pk=pk).first()
    if finding is None:
        raise access.NotVisible()
    return finding


def rectification_items_visible_to(user) -> QuerySet[RectificationItem]:
    return RectificationItem.objects.filter(access.scope_q(user, "audits.view", "finding__audit__unit__path")).select_related(
        "finding__audit__cadre", "finding__audit__unit", "owner_cadre"
    )


def get_rectification_item_for(user, pk) -> RectificationItem:
    item = rectification_items_visible_to(user).filter(pk=pk).first()
    if item is None:
        raise access.NotVisible()
    return item


def get_rectification_update_for(user, pk) -> RectificationUpdate:
    update = (
        RectificationUpdate.objects.filter(item__in=rectification_items_visible_to(user).values("pk"), pk=pk).select_related("item__finding__audit").first()
    )
    if update is None:
        raise access.NotVisible()
    return update


def overdue_rectification_items(qs: QuerySet[RectificationItem], today: dt.date | None = None) -> QuerySet[RectificationItem]:
    """Items not closed after their deadline: on the deadline itself not yet overdue."""
    return qs.exclude(status=RectificationItem.Status.CLOSED).filter(due_on__lt=today or dt.date.today())


def audit_clearance(cadre, on: dt.date | None = None) -> list[str]:
    """Why the cadre does NOT have the completed economic-responsibility audit a selection needs
    before its inspection stage (DOMAIN.md §5), as translated sentences; an empty list = clear.

    Who needs one: a cadre whose latest audit-subject tenure (a principal's post, a post with
    financial authority, or presiding for a year) started on or before `on`. Clear when an audit
    of that tenure was closed on or before `on` (every finding's rectification verified), or when
    that tenure's departure was exempted with the head's approval. Not access-scoped: the
    selection workflow asks about its own candidates."""
    from django.utils.translation import gettext as _

    on = on or dt.date.today()
    tenures = [
        t
        for t in Tenure.objects.filter(cadre=cadre, started_on__lte=on)
        .filter(Q(position__is_principal=True) | Q(position__has_financial_authority=True) | Q(is_acting=True))
        .select_related("position__unit")
        .order_by("-started_on", "-id")
        if risk.is_subject(t, on)
    ]
    if not tenures:
        return []
    tenure = tenures[0]
    post = str(tenure.position)
    audits = list(DepartureAudit.objects.filter(tenure=tenure).order_by("-opened_at", "-id"))
    if any(a.stage == DepartureAudit.Stage.CLOSED and a.closed_on and a.closed_on <= on for a in audits):
        return []
    exempted = DepartureExemption.objects.filter(
        status=DepartureExemption.Status.APPROVED, event__kind="registry.departure", event__subject_id=tenure.pk, decided_at__date__lte=on
    ).exists()
    if exempted:
        return []
    if not audits:
        return [
            _("No economic-responsibility audit of the post %(post)s (from %(start)s) has been started.")
            % {"post": post, "start": tenure.started_on.isoformat()}
        ]
    latest = audits[0]
    if latest.stage == DepartureAudit.Stage.CLOSED:
        return [_("The audit of the post %(post)s was completed only on %(day)s.") % {"post": post, "day": latest.closed_on.isoformat()}]
    if latest.stage == DepartureAudit.Stage.REPORTED:
        open_count = latest.findings.exclude(status="verified").count()
        return [_("The audit of the post %(post)s has its report, but %(n)d findings are not yet verified as rectified.") % {"post": post, "n": open_count}]
    return [_("The audit of the post %(post)s is not completed (stage: %(stage)s).") % {"post": post, "stage": latest.get_stage_display()}]
