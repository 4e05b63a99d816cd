"""Responsibility supervision's share of the cadre's dossier (core.timeline): departure audits
(economic-responsibility audits) and departure handovers, from the existing models.

Scope is this app's (queries.audits_visible_to, handovers_visible_to: `audits.view` on the unit,
and the parties to a handover). The cadre in self service (rule applied: the audited person is
served the notice) sees their own departure audits' stage and the handovers they are party to.

Training (培训与警示教育): the sessions the cadre attended, with their hours, for a viewer with
`audits.view` on the cadre's unit or on the organising unit, and for the cadre in self service
(their own training record); the session's page is linked only when it opens for the viewer."""

import datetime as dt

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.accounts import access
from jiandu.core.alerts import SERIOUS, WARNING, Match, register_rule
from jiandu.core.models import DomainEvent
from jiandu.core.practice import declare, get_setting
from jiandu.core.timeline import TimelineEntry, register_provider

from . import queries, training_queries
from .models import AuditAppeal, DepartureAudit, DepartureExemption, Handover, RectificationItem


def entries(viewer, cadre, *, since=None, year=None) -> list[TimelineEntry]:
    rows = []
    audits = queries.audits_visible_to(viewer).filter(cadre_id=cadre.pk)
    openable = True
    if not audits.exists() and access.is_self(viewer, cadre):
        audits, openable = DepartureAudit.objects.filter(cadre_id=cadre.pk).select_related("unit"), False
    for audit in audits.order_by("id"):
        summary = [
            _("responsibility %(start)s … %(end)s") % {"start": audit.period_start.isoformat(), "end": audit.period_end.isoformat()},
            audit.get_stage_display(),
        ]
        if audit.notice_number:
            summary.append(audit.notice_number)
        rows.append(
            TimelineEntry(
                date=audit.notice_served_on or audit.opened_at.date(),
                kind=_("Departure audit"),
                pillar="audits",
                title=audit.unit.name,
                summary="；".join(summary),
                url=reverse("audits:audit_detail", args=[audit.pk]) if openable else "",
                key=f"audit:{audit.pk}",
                recorded_at=audit.opened_at,
            )
        )
    rows.extend(_appeals(audits, openable))
    handovers = queries.handovers_visible_to(viewer).filter(Q(cadre_id=cadre.pk) | Q(successor_id=cadre.pk))
    officer = access.can(viewer, "audits.view", cadre.unit)  # self service: the handover pages lead on to officers' lists
    for handover in handovers.order_by("id"):
        role = _("leaver") if handover.cadre_id == cadre.pk else _("successor")
        summary = [role, handover.get_status_display()]
        if handover.completed_on:
            summary.append(_("completed on %(day)s") % {"day": handover.completed_on.isoformat()})
        else:
            summary.append(_("due by %(day)s") % {"day": handover.due_on.isoformat()})
        rows.append(
            TimelineEntry(
                date=handover.departed_on,
                kind=_("Handover"),
                pillar="audits",
                title=handover.unit.name,
                summary="；".join(summary),
                url=reverse("audits:handover_detail", args=[handover.pk]) if officer else "",
                key=f"handover:{handover.pk}",
                recorded_at=handover.opened_at,
            )
        )
    rows.extend(_rectification(viewer, cadre))
    rows.extend(_training(viewer, cadre))
    return rows


def _appeals(audits, openable: bool) -> list[TimelineEntry]:
    """复查 and 复核 of the cadre's audits (those the viewer sees): applied on, and the outcome once decided."""
    rows = []
    for appeal in AuditAppeal.objects.filter(audit__in=audits.values("pk")).select_related("audit__unit").order_by("id"):
        summary = [_("applied on %(day)s") % {"day": appeal.applied_on.isoformat()}]
        if appeal.decided_on:
            summary.append(_("decided on %(day)s: %(outcome)s") % {"day": appeal.decided_on.isoformat(), "outcome": appeal.get_outcome_display()})
        else:
            summary.append(_("decision due by %(day)s") % {"day": appeal.decision_due_on.isoformat()})
        rows.append(
            TimelineEntry(
                date=appeal.applied_on,
                kind=appeal.get_level_display(),
                pillar="audits",
                title=appeal.audit.unit.name,
                summary="；".join(summary),
                url=reverse("audits:audit_detail", args=[appeal.audit_id]) if openable else "",
                key=f"appeal:{appeal.pk}",
                recorded_at=appeal.recorded_at,
            )
        )
    return rows


def _training(viewer, cadre) -> list[TimelineEntry]:
    attended = training_queries.attended_by(cadre)
    if not (access.can(viewer, "audits.view", cadre.unit) or access.is_self(viewer, cadre)):
        attended = attended.filter(session__in=training_queries.sessions_visible_to(viewer))
    participations = list(attended.order_by("session__held_on", "id"))
    openable = set(training_queries.sessions_visible_to(viewer).filter(pk__in={p.session_id for p in participations}).values_list("pk", flat=True))
    rows = []
    for participation in participations:
        session = participation.session
        summary = [session.get_kind_display(), _("%(hours)s hours") % {"hours": session.hours}]
        if session.place:
            summary.append(session.place)
        rows.append(
            TimelineEntry(
                date=session.held_on,
                kind=_("Training"),
                pillar="audits",
                title=session.title,
                summary="；".join(str(part) for part in summary),
                url=reverse("audits:training_detail", args=[session.pk]) if session.pk in openable else "",
                key=f"training:{participation.pk}",
                recorded_at=participation.recorded_at or participation.added_at,
            )
        )
    return rows


register_provider("audits", entries, label=gettext_lazy("Responsibility supervision"), order=30)


# --- early warning (core.alerts) -----------------------------------------------------------------

declare(
    "alerts.departure_days",
    30,
    gettext_lazy("Early warning: days after a departure without its audit or handover"),
    gettext_lazy("A departure still without its departure audit or its handover this many days later raises an early warning."),
    kind="int",
    source=gettext_lazy("Local practice of the district: 30 days"),
)


def departure_without_audit_or_handover(today) -> list[Match]:
    """Departures (registry.departure events) without a departure audit or a handover, not
    exempted, N days or more after the departure date (setting alerts.departure_days)."""
    days = int(get_setting("alerts.departure_days"))
    has_audit = DepartureAudit.objects.filter(source_event_id=OuterRef("pk"))
    has_handover = Handover.objects.filter(source_event_id=OuterRef("pk"))
    exempted = DepartureExemption.objects.filter(event_id=OuterRef("pk"))
    events = (
        DomainEvent.objects.filter(kind="registry.departure")
        .annotate(has_audit=Exists(has_audit), has_handover=Exists(has_handover), exempted=Exists(exempted))
        .filter(Q(has_audit=False) | Q(has_handover=False), exempted=False)
    )
    rows = []
    for event in events:
        ended = dt.date.fromisoformat(event.data["ended_on"])
        if (today - ended).days < days:
            continue
        missing = [str(_("departure audit"))] if not event.has_audit else []
        if not event.has_handover:
            missing.append(str(_("handover")))
        text = _("%(post)s: left on %(day)s, %(days)s days ago, still without: %(missing)s.") % {
            "post": event.data.get("position", ""),
            "day": ended.isoformat(),
            "days": (today - ended).days,
            "missing": "、".join(missing),
        }
        rows.append(Match(f"departure:{event.pk}", event.cadre_id, event.unit_id, text))
    return rows


register_rule(
    "audits.departure_without_audit_or_handover",
    gettext_lazy("A departure has no departure audit or no handover some days after the departure (setting)."),
    SERIOUS,
    departure_without_audit_or_handover,
    settings=("alerts.departure_days",),
)


def _rectification(viewer, cadre) -> list[TimelineEntry]:
    """Rectification items of audit findings the cadre owns, for a viewer who may read the audit."""
    rows = []
    for item in queries.rectification_items_visible_to(viewer).filter(owner_cadre_id=cadre.pk).order_by("id"):
        summary = [item.get_status_display(), _("due by %(day)s") % {"day": item.due_on.isoformat()}]
        if item.closed_on:
            summary.append(_("closed on %(day)s") % {"day": item.closed_on.isoformat()})
        rows.append(
            TimelineEntry(
                date=item.created_at.date(),
                kind=_("Audit rectification item"),
                pillar="audits",
                title=item.measure[:60],
                summary="；".join(summary),
                url=reverse("audits:audit_detail", args=[item.finding.audit_id]),
                key=f"rectification:{item.pk}",
                recorded_at=item.created_at,
            )
        )
    return rows


def finding_rectification_overdue(today) -> list[Match]:
    """Rectification items of audit findings not verified and closed after their deadline (on the
    deadline itself: not yet), against the owner when a cadre, else the audited cadre."""
    rows = queries.overdue_rectification_items(RectificationItem.objects.select_related("finding__audit"), today)
    return [
        Match(
            f"rectification:{i.pk}",
            i.owner_cadre_id or i.finding.audit.cadre_id,
            i.finding.audit.unit_id,
            _("Audit finding (%(category)s): the rectification item was due by %(day)s and is not verified and closed (%(days)s days overdue).")
            % {"category": i.finding.get_category_display(), "day": i.due_on.isoformat(), "days": (today - i.due_on).days},
        )
        for i in rows
    ]


register_rule(
    "audits.finding_rectification_overdue",
    gettext_lazy("A rectification item of an audit finding is not verified and closed by its deadline."),
    WARNING,
    finding_rectification_overdue,
)
