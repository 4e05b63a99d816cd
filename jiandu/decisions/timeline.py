"""Institutional supervision's share of the cadre's dossier (core.timeline): the stances the
cadre took on collective decisions (三重一大), spoken and written.

Scope is this app's (queries.meetings_visible_to: the office that records the body's meetings,
and the body's members). The cadre in self service sees their own stances only (rule applied:
a member knows how they voted; other members' votes never show in this file)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.accounts import access
from jiandu.core.timeline import SENSITIVE, TimelineEntry, register_provider

from . import queries
from .models import ItemStatement, WrittenStance


def entries(viewer, cadre, *, since=None, year=None) -> list[TimelineEntry]:
    if access.is_self(viewer, cadre):
        meetings = None
    elif access.can(viewer, "decisions.view") or access.can(viewer, "decisions.manage"):
        meetings = queries.meetings_visible_to(viewer).values("pk")
    else:
        return []
    rows = []
    for model, kind in ((ItemStatement, _("Stance")), (WrittenStance, _("Written stance"))):
        qs = model.objects.filter(cadre_id=cadre.pk).select_related("item__meeting__body")
        if meetings is not None:
            qs = qs.filter(item__meeting__in=meetings)
        for row in qs.order_by("id"):
            meeting = row.item.meeting
            rows.append(
                TimelineEntry(
                    date=meeting.held_on,
                    kind=kind,
                    pillar="decisions",
                    title=f"{meeting.body.name}：{row.item.title}",
                    summary=row.get_stance_display(),
                    url=reverse("decisions:meeting", args=[meeting.pk]) if meetings is not None else "",
                    sensitivity=SENSITIVE,
                    key=f"{model.__name__.lower()}:{row.pk}",
                    recorded_at=meeting.recorded_at,
                )
            )
    return rows


register_provider("decisions", entries, label=gettext_lazy("Institutional supervision"), order=40)
