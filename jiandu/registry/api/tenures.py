"""Registry API: tenures (appointments and their end)."""

import datetime as dt

from ninja import Field as F
from ninja import Query

from jiandu.accounts import access
from jiandu.core.api import Id, InputSchema, Page, PageQuery, optional, paginate, text

from .. import actions, queries
from ..models import Tenure
from .common import EndReason, StartMethod, TenureOut, _subtree, _tenures, router

# --- tenures -------------------------------------------------------------------------------


class TenureFilters(PageQuery):
    cadre: Id = optional()
    position: Id = optional()
    unit: Id = optional(description="positions in this unit and the units below it")
    current: bool = optional(description="true: only current tenures; false: only ended ones")


class TenureIn(InputSchema):
    cadre_id: Id
    position_id: Id
    started_on: dt.date
    start_method: StartMethod = Tenure.StartMethod.APPOINTMENT.value
    is_acting: bool = False
    note: text(200) = ""
    move_cadre_to_unit: bool = F(True, description="also make the position's unit the cadre's unit")
    exception_reason: text(500) = F("", description="why the appointment goes on despite a tenure limit or avoidance conflict (refused without it)")


class TenureEnd(InputSchema):
    ended_on: dt.date
    end_reason: EndReason


@router.get("/tenures", response=Page[TenureOut], summary="List tenures")
def list_tenures(request, filters: Query[TenureFilters]):
    access.require(request.user, "registry.view")
    qs = _subtree(_tenures(request.user), request.user, filters.unit, "position__unit__path")
    if filters.cadre is not None:
        qs = qs.filter(cadre_id=filters.cadre)
    if filters.position is not None:
        qs = qs.filter(position_id=filters.position)
    if filters.current is not None:
        qs = qs.filter(ended_on__isnull=filters.current)
    return paginate(qs.order_by("-started_on", "id"), filters)


@router.get("/tenures/{tenure_id}", response=TenureOut, summary="One tenure")
def get_tenure(request, tenure_id: Id):
    return queries.get_tenure_for(request.user, tenure_id)


@router.post("/tenures", response={201: TenureOut}, summary="Appoint: start a tenure")
def appoint(request, payload: TenureIn):
    cadre = queries.get_cadre_for(request.user, payload.cadre_id)
    position = queries.get_position_for(request.user, payload.position_id)
    tenure = actions.appoint(actor=request.user, cadre=cadre, position=position, **payload.model_dump(exclude={"cadre_id", "position_id"}))
    return 201, queries.get_tenure_for(request.user, tenure.pk)


@router.post("/tenures/{tenure_id}/end", response=TenureOut, summary="End a tenure")
def end_tenure(request, tenure_id: Id, payload: TenureEnd):
    """Ending a principal's or a financial-authority tenure records a departure (see /departures)."""
    tenure = queries.get_tenure_for(request.user, tenure_id)
    actions.end_tenure(actor=request.user, tenure=tenure, ended_on=payload.ended_on, end_reason=payload.end_reason)
    return queries.get_tenure_for(request.user, tenure.pk)
