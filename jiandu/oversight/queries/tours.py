"""Inspection tours, their findings and rectification items in the caller's scope."""

import datetime as dt

from django.db.models import QuerySet

from jiandu.accounts import access

from ..models import (
    Finding,
    InspectionTour,
    RectificationItem,
    TourTarget,
)
from .base import _get

# --- inspection tours -------------------------------------------------------------------------------


def tours_visible_to(user) -> QuerySet[InspectionTour]:
    """Tours organised in the user's oversight.view scope, or aimed at a unit in it."""
    q = access.scope_q(user, "oversight.view", "organiser__path") | access.scope_q(user, "oversight.view", "targets__unit__path")
    return InspectionTour.objects.filter(q).distinct().select_related("organiser")


def get_tour_for(user, pk) -> InspectionTour:
    return _get(tours_visible_to(user), pk)


def overdue_rectification_items(user, today: dt.date | None = None) -> QuerySet[RectificationItem]:
    today = today or dt.date.today()
    tours = tours_visible_to(user).values("pk")
    items = RectificationItem.objects.filter(tour__in=tours, due_on__lt=today).exclude(status=RectificationItem.Status.CLOSED)
    return items.select_related("tour", "unit")


def findings_visible_to(user) -> QuerySet[Finding]:
    return Finding.objects.filter(tour__in=tours_visible_to(user).values("pk")).select_related("tour", "unit")


# --- what the public portal may show ----------------------------------------------------------------


def published_tour_summaries(limit: int = 50) -> list[dict]:
    """The public summaries of rectification that the organising office marked publishable (see
    actions.tours.set_public_summary), newest first: the tour's name, kind, year, target units and
    the summary — nothing else of the tour (no findings, report, members or clues)."""
    tours = list(
        InspectionTour.objects.filter(is_publishable=True, stage__in=[InspectionTour.Stage.RECTIFICATION, InspectionTour.Stage.CLOSED], public_summary__gt="")
        .only("name", "kind", "year", "public_summary")
        .order_by("-year", "-planned_start", "-id")[:limit]
    )
    targets: dict[int, list[str]] = {}
    for tour_id, name in TourTarget.objects.filter(tour__in=[t.pk for t in tours]).order_by("unit__path").values_list("tour_id", "unit__name"):
        targets.setdefault(tour_id, []).append(name)
    return [
        {"id": t.pk, "name": t.name, "kind": t.get_kind_display(), "year": t.year, "targets": targets.get(t.pk, []), "summary": t.public_summary} for t in tours
    ]
