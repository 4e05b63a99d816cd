"""Responsibility supervision's share of the cadre's dossier (core.timeline): departure audits
(economic-responsibility audits) and departure handovers, from the existing models.

Scope is this app's (queries.audits_visible_to, handovers_visible_to: `audits.view` on the unit,
and the parties to a handover). The cadre in self service (rule applied: the audited person is
served the notice) sees their own departure audits' stage and the handovers they are party to.

Training (培训与警示教育): the sessions the cadre attended, with their hours, for a viewer with
`audits.view` on the cadre's unit or on the organising unit, and for the cadre in self service
(their own training record); the session's page is linked only when it opens for the viewer."""

import datetime as dt
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.accounts import access
from jiandu.core import timeline
from jiandu.core.alerts import SERIOUS, WARNING, Match, register_rule
from jiandu.core.models import DomainEvent
from jiandu.core.practice import declare, get_setting
from jiandu.core.timeline import Source, TimelineEntry, label_of, register_sources

from . import queries, training_queries
from .models import AuditAppeal, DepartureAudit, DepartureExemption, Handover, RectificationItem, TrainingSession


def sources(viewer, cadre) -> list[Source]:
    """Departure audits (linked when the viewer may open them; the cadre in self service sees
    their own unlinked), their appeals, handovers, the rectification items the cadre owns and
    the training attended."""
    scope = access.scope_q(viewer, "audits.view", "unit__path")
    own = access.is_self(viewer, cadre)
    officer = access.can(viewer, "audits.view", cadre.unit)  # self service: the handover pages lead on to officers' lists

    def audit(openable):
        def format(row) -> TimelineEntry:
            summary = [
                _("responsibility %(start)s … %(end)s") % {"start": row["start"], "end": row["end"]},
                label_of(DepartureAudit, "stage", row["stage"]),
            ]
            if row["notice"]:
                summary.append(row["notice"])
            return TimelineEntry(
                date=row.date,
                kind=_("Departure audit"),
                pillar="audits",
                title=row["unit"],
                summary="；".join(summary),
                url=reverse("audits:audit_detail", args=[row.pk]) if openable else "",
                key=f"audit:{row.pk}",
                recorded_at=row.recorded_at,
            )

        return format

    def appeal(openable):
        def format(row) -> TimelineEntry:
            summary = [_("applied on %(day)s") % {"day": row["applied"]}]
            if row["decided"]:
                summary.append(_("decided on %(day)s: %(outcome)s") % {"day": row["decided"], "outcome": label_of(AuditAppeal, "outcome", row["outcome"])})
            else:
                summary.append(_("decision due by %(day)s") % {"day": row["due"]})
            return TimelineEntry(
                date=row.date,
                kind=label_of(AuditAppeal, "level", row["level"]),
                pillar="audits",
                title=row["unit"],
                summary="；".join(summary),
                url=reverse("audits:audit_detail", args=[row["audit"]]) if openable else "",
                key=f"appeal:{row.pk}",
                recorded_at=row.recorded_at,
            )

        return format

    def handover(row) -> TimelineEntry:
        role = _("leaver") if row["leaver"] == cadre.pk else _("successor")
        summary = [role, label_of(Handover, "status", row["status"])]
        if row["completed"]:
            summary.append(_("completed on %(day)s") % {"day": row["completed"]})
        else:
            summary.append(_("due by %(day)s") % {"day": row["due"]})
        return TimelineEntry(
            date=row.date,
            kind=_("Handover"),
            pillar="audits",
            title=row["unit"],
            summary="；".join(summary),
            url=reverse("audits:handover_detail", args=[row.pk]) if officer else "",
            key=f"handover:{row.pk}",
            recorded_at=row.recorded_at,
        )

    def rectification(row) -> TimelineEntry:
        summary = [label_of(RectificationItem, "status", row["status"]), _("due by %(day)s") % {"day": row["due"]}]
        if row["closed"]:
            summary.append(_("closed on %(day)s") % {"day": row["closed"]})
        return TimelineEntry(
            date=row.date,
            kind=_("Audit rectification item"),
            pillar="audits",
            title=(row["measure"] or "")[:60],
            summary="；".join(summary),
            url=reverse("audits:audit_detail", args=[row["audit"]]),
            key=f"rectification:{row.pk}",
            recorded_at=row.recorded_at,
        )

    def training(row) -> TimelineEntry:
        hours = Decimal(str(row["hours"])).quantize(Decimal("0.1"))
        summary = [label_of(TrainingSession, "kind", row["kind"]), _("%(hours)s hours") % {"hours": hours}]
        if row["place"]:
            summary.append(row["place"])
        return TimelineEntry(
            date=row.date,
            kind=_("Training"),
            pillar="audits",
            title=row["title"],
            summary="；".join(str(part) for part in summary),
            url=reverse("audits:training_detail", args=[row["session"]]) if row["openable"] else "",
            key=f"training:{row.pk}",
            recorded_at=row.recorded_at,
        )

    audit_payload = {"unit": "unit__name", "start": "period_start", "end": "period_end", "stage": "stage", "notice": "notice_number"}
    audit_date = Coalesce("notice_served_on", TruncDate("opened_at", tzinfo=dt.UTC))
    appeal_payload = {
        "unit": "audit__unit__name",
        "audit": "audit_id",
        "level": "level",
        "applied": "applied_on",
        "decided": "decided_on",
        "outcome": "outcome",
        "due": "decision_due_on",
    }
    visible = DepartureAudit.objects.filter(scope, cadre_id=cadre.pk)
    result = [
        Source("audits.audit", audit(True), visible, date=audit_date, recorded="opened_at", payload=audit_payload),
        Source(
            "audits.appeal",
            appeal(True),
            AuditAppeal.objects.filter(audit__in=visible.values("pk")),
            date="applied_on",
            recorded="recorded_at",
            payload=appeal_payload,
        ),
    ]
    if own:
        # the audited person is served the notice: their own audits, unlinked (the pages are the officers')
        mine = DepartureAudit.objects.filter(cadre_id=cadre.pk).exclude(scope)
        result += [
            Source("audits.own_audit", audit(False), mine, date=audit_date, recorded="opened_at", payload=audit_payload),
            Source(
                "audits.own_appeal",
                appeal(False),
                AuditAppeal.objects.filter(audit__in=mine.values("pk")),
                date="applied_on",
                recorded="recorded_at",
                payload=appeal_payload,
            ),
        ]
    handovers = queries.handovers_visible_to(viewer).filter(Q(cadre_id=cadre.pk) | Q(successor_id=cadre.pk))
    result.append(
        Source(
            "audits.handover",
            handover,
            handovers,
            date="departed_on",
            recorded="opened_at",
            payload={"unit": "unit__name", "leaver": "cadre_id", "status": "status", "completed": "completed_on", "due": "due_on"},
        )
    )
    result.append(
        Source(
            "audits.rectification",
            rectification,
            queries.rectification_items_visible_to(viewer).filter(owner_cadre_id=cadre.pk),
            date=TruncDate("created_at", tzinfo=dt.UTC),
            recorded="created_at",
            payload={"status": "status", "due": "due_on", "closed": "closed_on", "measure": "measure", "audit": "finding__audit_id"},
        )
    )
    attended = training_queries.attended_by(cadre)
    if not (officer or own):
        attended = attended.filter(session__in=training_queries.sessions_visible_to(viewer).values("pk"))
    attended = attended.annotate(openable=Exists(training_queries.sessions_visible_to(viewer).filter(pk=OuterRef("session_id"))))
    result.append(
        Source(
            "audits.training",
            training,
            attended,
            date="session__held_on",
            recorded=Coalesce("recorded_at", "added_at"),
            payload={
                "kind": "session__kind",
                "hours": "session__hours",
                "place": "session__place",
                "title": "session__title",
                "session": "session_id",
                "openable": F("openable"),
            },
        )
    )
    return result


def entries(viewer, cadre, *, since=None, year=None) -> list[TimelineEntry]:
    return timeline.entries(viewer, cadre, sources(viewer, cadre))


register_sources("audits", sources, label=gettext_lazy("Responsibility supervision"), order=30)


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
