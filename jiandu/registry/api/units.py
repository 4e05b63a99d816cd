"""Registry API: units and their leadership teams."""

from django.db.models import Q
from ninja import Field as F
from ninja import Query, Schema

from jiandu.accounts import access
from jiandu.core.api import MAX_POSITIVE_INT, Id, InputSchema, Page, PageQuery, optional, paginate, text

from .. import actions, queries
from .common import TeamQuery, TenureOut, UnitKind, router

# --- units ---------------------------------------------------------------------------------


class UnitOut(Schema):
    id: int
    name: str
    short_name: str
    kind: UnitKind
    kind_label: str
    parent_id: int | None
    depth: int
    order: int
    is_active: bool

    @staticmethod
    def resolve_kind_label(obj):
        return str(obj.get_kind_display())


class UnitFilters(PageQuery):
    parent: Id = optional(description="only the direct children of this unit")
    kind: UnitKind = optional()
    q: text(100) = optional(description="part of the name or short name")
    active: bool = optional()


class UnitIn(InputSchema):
    name: text(100, 1)
    kind: UnitKind
    parent_id: Id | None = F(None, description="the parent unit; leave out for a top unit (needs district-wide rights)")
    short_name: text(40) = ""
    order: int = F(0, ge=0, le=MAX_POSITIVE_INT)


class UnitPatch(InputSchema):
    name: text(100, 1) = optional()
    short_name: text(40) = optional()
    kind: UnitKind = optional()
    order: int = optional(ge=0, le=MAX_POSITIVE_INT)
    is_active: bool = optional()


@router.get("/units", response=Page[UnitOut], summary="List units")
def list_units(request, filters: Query[UnitFilters]):
    access.require(request.user, "registry.view")
    qs = queries.units_visible_to(request.user)
    if filters.parent is not None:
        qs = qs.filter(parent_id=filters.parent)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.q:
        qs = qs.filter(Q(name__contains=filters.q) | Q(short_name__contains=filters.q))
    if filters.active is not None:
        qs = qs.filter(is_active=filters.active)
    return paginate(qs.order_by("path"), filters)


@router.get("/units/{unit_id}", response=UnitOut, summary="One unit")
def get_unit(request, unit_id: Id):
    return queries.get_unit_for(request.user, unit_id)


@router.post("/units", response={201: UnitOut}, summary="Create a unit")
def create_unit(request, payload: UnitIn):
    parent = queries.get_unit_for(request.user, payload.parent_id) if payload.parent_id is not None else None
    unit = actions.create_unit(actor=request.user, name=payload.name, kind=payload.kind, parent=parent, short_name=payload.short_name, order=payload.order)
    return 201, unit


@router.patch("/units/{unit_id}", response=UnitOut, summary="Change a unit")
def update_unit(request, unit_id: Id, payload: UnitPatch):
    unit = queries.get_unit_for(request.user, unit_id)
    return actions.update_unit(actor=request.user, unit=unit, **payload.model_dump(exclude_unset=True))


@router.get("/units/{unit_id}/team", response=list[TenureOut], summary="Leadership team of a unit")
def unit_team(request, unit_id: Id, params: Query[TeamQuery]):
    """Current (or, with `on`, then-current) tenures of the unit's leading positions, principal first."""
    unit = queries.get_unit_for(request.user, unit_id)
    return list(queries.leadership_team(unit, on=params.on).select_related("cadre", "position__unit"))
