"""Registry API: departures not yet handled and avoidance conflicts."""

import datetime as dt

from ninja import Field as F
from ninja import Query, Schema

from jiandu.accounts import access
from jiandu.core.api import Page, PageQuery, Ref, optional, paginate, text
from jiandu.core.models import DomainEvent

from .. import queries, rules
from ..models import Cadre, Unit
from .common import router

# --- departures ----------------------------------------------------------------------------


class DepartureOut(Schema):
    id: int = F(description="id of the departure event")
    occurred_at: dt.datetime
    tenure_id: int
    unit: Ref | None
    cadre: Ref | None
    position: str
    is_principal: bool
    has_financial_authority: bool
    started_on: dt.date | None
    ended_on: dt.date | None
    end_reason: str


class DepartureFilters(PageQuery):
    consumer: text(100) = optional(description="not yet handled by this consumer (default: by any registered consumer)")


@router.get("/departures", response=Page[DepartureOut], summary="Departures not yet handled")
def list_departures(request, filters: Query[DepartureFilters]):
    """Ended tenures of principals and of positions with financial authority whose follow-up
    (economic audit, handover) has not been handled yet, in the units you can see."""
    access.require(request.user, "registry.view")
    visible_units = queries.units_visible_to(request.user).values("pk")
    qs = queries.departures_unhandled(filters.consumer or None).filter(unit_id__in=visible_units).order_by("occurred_at", "id")
    page = paginate(qs, filters)
    page["items"] = _departures(page["items"])
    return page


def _departures(events: list[DomainEvent]) -> list[dict]:
    units = {u.pk: u for u in Unit.objects.filter(pk__in={e.unit_id for e in events if e.unit_id})}
    cadres = {c.pk: c for c in Cadre.objects.filter(pk__in={e.cadre_id for e in events if e.cadre_id})}
    rows = []
    for event in events:
        data = event.data or {}
        unit, cadre = units.get(event.unit_id), cadres.get(event.cadre_id)
        rows.append(
            {
                "id": event.pk,
                "occurred_at": event.occurred_at,
                "tenure_id": event.subject_id,
                "unit": {"id": unit.pk, "name": unit.name} if unit else None,
                "cadre": {"id": cadre.pk, "name": cadre.name} if cadre else None,
                "position": data.get("position", ""),
                "is_principal": bool(data.get("is_principal")),
                "has_financial_authority": bool(data.get("has_financial_authority")),
                "started_on": data.get("started_on"),
                "ended_on": data.get("ended_on"),
                "end_reason": data.get("end_reason", ""),
            }
        )
    return rows


# --- avoidance conflicts (registry.rules) ---------------------------------------------------


class ConflictOut(Schema):
    cadre: Ref
    relative: Ref = F(description="the serving cadre who is the recorded family member")
    relation: str = F(description="how they are related, as recorded")
    reason: str
    basis: str = F(description="instrument and article")


@router.get("/conflicts", response=list[ConflictOut], summary="Avoidance conflicts among the cadres you may see")
def list_conflicts(request):
    access.require(request.user, "registry.view")
    cadres = queries.cadres_visible_to(request.user).filter(status=Cadre.Status.SERVING).select_related("unit")
    return [
        {
            "cadre": {"id": row["cadre"].pk, "name": row["cadre"].name},
            "relative": {"id": row["other"].pk, "name": row["other"].name},
            "relation": row["how"],
            "reason": row["reason"],
            "basis": row["basis"],
        }
        for row in rules.current_conflicts(cadres)
    ]
