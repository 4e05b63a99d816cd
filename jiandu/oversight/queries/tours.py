"""Inspection tours, their findings and rectification items in the caller's scope."""

import datetime as dt

from django.db.models import QuerySet

from jiandu.accounts import access

from ..models import (
    Finding,
    InspectionTour,
    RectificationItem,
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
