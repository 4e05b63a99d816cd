"""Responsibility supervision's share of the cadre's dossier (core.timeline): departure audits
(economic-responsibility audits) and departure handovers, from the existing models.

Scope is this app's (queries.audits_visible_to, handovers_visible_to: `audits.view` on the unit,
and the parties to a handover). The cadre in self service (rule applied: the audited person is
served the notice) sees their own departure audits' stage and the handovers they are party to."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.accounts import access
from jiandu.core.timeline import TimelineEntry, register_provider

from . import queries
from .models import DepartureAudit


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
    handovers = queries.handovers_visible_to(viewer).filter(Q(cadre_id=cadre.pk) | Q(successor_id=cadre.pk))
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
                url=reverse("audits:handover_detail", args=[handover.pk]),
                key=f"handover:{handover.pk}",
                recorded_at=handover.opened_at,
            )
        )
    return rows


register_provider("audits", entries, label=gettext_lazy("Responsibility supervision"), order=30)
