"""Registry API: positions."""

from django.db.models import Count, Q
from ninja import Field as F
from ninja import Query, Schema

from jiandu.accounts import access
from jiandu.core.api import MAX_POSITIVE_INT, Id, InputSchema, Page, PageQuery, Ref, optional, paginate, text

from .. import actions, queries
from ..models import LeadershipLevel, Position
from .common import MAX_HEADCOUNT, LevelValue, PositionKind, _subtree, router

# --- positions -----------------------------------------------------------------------------


class PositionOut(Schema):
    id: int
    unit: Ref
    title: str
    kind: PositionKind
    is_principal: bool
    has_financial_authority: bool
    level: LevelValue
    level_label: str
    headcount: int
    current_holders: int = F(description="current tenures of this position")
    portfolio: str
    public_contact: str
    order: int
    is_active: bool

    @staticmethod
    def resolve_unit(obj):
        return {"id": obj.unit_id, "name": obj.unit.name}

    @staticmethod
    def resolve_level_label(obj):
        return str(obj.get_level_display())


class PositionFilters(PageQuery):
    unit: Id = optional(description="this unit and the units below it")
    kind: PositionKind = optional()
    is_principal: bool = optional()
    active: bool = optional()
    q: text(100) = optional(description="part of the title")


class PositionIn(InputSchema):
    unit_id: Id
    title: text(100, 1)
    kind: PositionKind = Position.Kind.LEADING.value
    is_principal: bool = False
    has_financial_authority: bool = False
    level: LevelValue = LeadershipLevel.SECTION_CHIEF.value
    headcount: int = F(1, ge=1, le=MAX_HEADCOUNT)
    portfolio: text(4000) = ""
    public_contact: text(100) = ""
    order: int = F(0, ge=0, le=MAX_POSITIVE_INT)


class PositionPatch(InputSchema):
    title: text(100, 1) = optional()
    kind: PositionKind = optional()
    is_principal: bool = optional()
    has_financial_authority: bool = optional()
    level: LevelValue = optional()
    headcount: int = optional(ge=1, le=MAX_HEADCOUNT)
    portfolio: text(4000) = optional()
    public_contact: text(100) = optional()
    order: int = optional(ge=0, le=MAX_POSITIVE_INT)
    is_active: bool = optional()


def _positions(user):
    return queries.positions_visible_to(user).annotate(current_holders=Count("tenures", filter=Q(tenures__ended_on__isnull=True)))


def _position_for(user, pk) -> Position:
    position = _positions(user).filter(pk=pk).first()
    if position is None:
        raise access.NotVisible()
    return position


@router.get("/positions", response=Page[PositionOut], summary="List positions")
def list_positions(request, filters: Query[PositionFilters]):
    access.require(request.user, "registry.view")
    qs = _subtree(_positions(request.user), request.user, filters.unit, "unit__path")
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.is_principal is not None:
        qs = qs.filter(is_principal=filters.is_principal)
    if filters.active is not None:
        qs = qs.filter(is_active=filters.active)
    if filters.q:
        qs = qs.filter(title__contains=filters.q)
    return paginate(qs.order_by("unit__path", "order", "id"), filters)


@router.get("/positions/{position_id}", response=PositionOut, summary="One position")
def get_position(request, position_id: Id):
    return _position_for(request.user, position_id)


@router.post("/positions", response={201: PositionOut}, summary="Create a position")
def create_position(request, payload: PositionIn):
    unit = queries.get_unit_for(request.user, payload.unit_id)
    position = actions.create_position(actor=request.user, unit=unit, **payload.model_dump(exclude={"unit_id"}))
    return 201, _position_for(request.user, position.pk)


@router.patch("/positions/{position_id}", response=PositionOut, summary="Change a position")
def update_position(request, position_id: Id, payload: PositionPatch):
    position = queries.get_position_for(request.user, position_id)
    actions.update_position(actor=request.user, position=position, **payload.model_dump(exclude_unset=True))
    return _position_for(request.user, position.pk)
