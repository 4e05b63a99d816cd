"""Registry API (/api/v1/registry/): units, cadres, positions, tenures, leadership teams and
unhandled departures. Reads go through registry.queries (scoped; not visible = 404), writes
through registry.actions only. ID numbers and phones are masked, and the birth date given as
its year only, unless the viewer may see them (queries.may_see_sensitive), exactly as on the pages
(docs/decisions/0007). Reads that return them in clear are journaled: a cadre as the detail page
does (`registry.cadre.viewed_sensitive`, page "api"), a list page as one entry naming the cadres
(`registry.cadres.viewed_sensitive`).

A `unit` filter always means "this unit and every unit below it".
"""

import datetime as dt
from typing import Literal

from django.db.models import Count, Q
from ninja import Field as F
from ninja import Query, Router, Schema

from jiandu.accounts import access
from jiandu.core.api import MAX_POSITIVE_INT, Id, InputSchema, Page, PageQuery, Ref, optional, paginate, text
from jiandu.core.masking import mask_id_number, mask_phone
from jiandu.core.models import DomainEvent

from . import actions, queries, rules
from .models import Cadre, LeadershipLevel, Position, Rank, Tenure, Unit

router = Router(tags=["registry"])

UnitKind = Literal[tuple(Unit.Kind.values)]
RankValue = Literal[("", *Rank.values)]  # "": not recorded
LevelValue = Literal[("", *LeadershipLevel.values)]  # "": no leading post
Gender = Literal[tuple(Cadre.Gender.values)]
PoliticalStatus = Literal[tuple(Cadre.PoliticalStatus.values)]
Education = Literal[tuple(Cadre.Education.values)]
CadreStatus = Literal[tuple(Cadre.Status.values)]
PositionKind = Literal[tuple(Position.Kind.values)]
StartMethod = Literal[tuple(Tenure.StartMethod.values)]
EndReason = Literal[tuple(Tenure.EndReason.values)]
CadreSort = Literal["name", "-name", "strokes", "-strokes", "post", "-post", "birth", "-birth", "unit", "-unit", "rank", "-rank"]
MAX_HEADCOUNT = 32767


def _subtree(qs, user, unit_id: int | None, path_field: str):
    """Rows under a unit the user can see (none when the unit is not visible)."""
    if unit_id is None:
        return qs
    unit = queries.units_visible_to(user).filter(pk=unit_id).first()
    return qs.filter(**{f"{path_field}__startswith": unit.path}) if unit else qs.none()


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


# --- tenures (schemas first: units and cadres show them) -----------------------------------


class PositionRef(Schema):
    id: int
    title: str
    unit: Ref

    @staticmethod
    def resolve_unit(obj):
        return {"id": obj.unit_id, "name": obj.unit.name}


class TenureOut(Schema):
    id: int
    cadre: Ref
    position: PositionRef
    started_on: dt.date
    start_method: StartMethod
    ended_on: dt.date | None
    end_reason: EndReason | Literal[""]
    is_acting: bool
    is_current: bool
    note: str


def _tenures(user):
    return queries.tenures_visible_to(user).select_related("cadre", "position__unit")


class TeamQuery(Schema):
    on: dt.date = optional(description="the team on this date; leave out for today's")


@router.get("/units/{unit_id}/team", response=list[TenureOut], summary="Leadership team of a unit")
def unit_team(request, unit_id: Id, params: Query[TeamQuery]):
    """Current (or, with `on`, then-current) tenures of the unit's leading positions, principal first."""
    unit = queries.get_unit_for(request.user, unit_id)
    return list(queries.leadership_team(unit, on=params.on).select_related("cadre", "position__unit"))


# --- cadres --------------------------------------------------------------------------------


class CadreOut(Schema):
    id: int
    name: str
    gender: Gender
    birth_on: dt.date | None = F(description="null unless you may see it (sensitive_visible); birth_year always")
    birth_year: int
    unit: Ref
    leadership_level: LevelValue
    leadership_level_label: str
    rank: RankValue
    rank_label: str
    status: CadreStatus
    political_status: PoliticalStatus
    education: Education
    managed_by_district: bool
    id_number: str = F(description="masked (64**************34) unless you may see it")
    phone: str = F(description="masked (138****5678) unless you may see it")
    sensitive_visible: bool = F(description="whether id_number and phone are shown in clear")


class CadreDetail(CadreOut):
    ethnicity: str
    native_place: str
    work_start_on: dt.date | None
    party_join_on: dt.date | None
    current_tenures: list[TenureOut]
    created_at: dt.datetime
    updated_at: dt.datetime


def cadre_out(user, cadre: Cadre, *, detail: bool = False) -> dict:
    """A cadre as the API shows it to `user`: sensitive fields masked unless allowed."""
    visible = queries.may_see_sensitive(user, cadre)
    data = {
        "id": cadre.pk,
        "name": cadre.name,
        "gender": cadre.gender,
        "birth_on": cadre.birth_on if visible else None,
        "birth_year": cadre.birth_on.year,
        "unit": {"id": cadre.unit_id, "name": cadre.unit.name},
        "leadership_level": cadre.leadership_level,
        "leadership_level_label": str(cadre.get_leadership_level_display()),
        "rank": cadre.rank,
        "rank_label": str(cadre.get_rank_display()),
        "status": cadre.status,
        "political_status": cadre.political_status,
        "education": cadre.education,
        "managed_by_district": cadre.managed_by_district,
        "id_number": cadre.id_number if visible else mask_id_number(cadre.id_number),
        "phone": cadre.phone if visible else mask_phone(cadre.phone),
        "sensitive_visible": visible,
    }
    if detail:
        data.update(
            ethnicity=cadre.ethnicity,
            native_place=cadre.native_place,
            work_start_on=cadre.work_start_on,
            party_join_on=cadre.party_join_on,
            current_tenures=list(queries.current_tenures(cadre).select_related("cadre", "position__unit")),
            created_at=cadre.created_at,
            updated_at=cadre.updated_at,
        )
    return data


class CadreFilters(PageQuery):
    q: text(50) = optional(
        description="name, full pinyin or pinyin initials (zwm), or the last 4–6 characters of the ID number (matched only where you may see ID numbers in clear)"
    )
    unit: Id = optional(description="this unit and the units below it")
    status: CadreStatus = optional()
    leadership_level: LevelValue = optional()
    rank: RankValue = optional()
    sort: CadreSort = "name"


class CadreIn(InputSchema):
    unit_id: Id
    name: text(50, 1)
    gender: Gender
    birth_on: dt.date
    id_number: text(30, 1) = F(description="18 characters, GB 11643 (check digit verified)")
    ethnicity: text(20, 1) = "汉族"
    native_place: text(100) = ""
    political_status: PoliticalStatus = Cadre.PoliticalStatus.CPC.value
    education: Education = Cadre.Education.BACHELOR.value
    leadership_level: LevelValue = ""
    rank: RankValue = ""
    phone: text(20) = ""
    work_start_on: dt.date | None = None
    party_join_on: dt.date | None = None
    managed_by_district: bool = False
    status: CadreStatus = Cadre.Status.SERVING.value


class CadrePatch(InputSchema):
    name: text(50, 1) = optional()
    gender: Gender = optional()
    birth_on: dt.date = optional()
    id_number: text(30, 1) = optional()
    ethnicity: text(20, 1) = optional()
    native_place: text(100) = optional()
    political_status: PoliticalStatus = optional()
    education: Education = optional()
    leadership_level: LevelValue = optional()
    rank: RankValue = optional()
    phone: text(20) = optional()
    work_start_on: dt.date | None = optional()
    party_join_on: dt.date | None = optional()
    managed_by_district: bool = optional()
    status: CadreStatus = optional()


class CadreMove(InputSchema):
    unit_id: Id


@router.get("/cadres", response=Page[CadreOut], summary="List cadres")
def list_cadres(request, filters: Query[CadreFilters]):
    user = request.user
    access.require(user, "registry.view")
    qs = queries.search_cadres(queries.cadres_visible_to(user), filters.q or "", user=user)
    qs = _subtree(qs, user, filters.unit, "unit__path")
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.rank:
        qs = qs.filter(rank=filters.rank)
    if filters.leadership_level:
        qs = qs.filter(leadership_level=filters.leadership_level)
    qs = queries.order_cadres(qs.select_related("unit"), user, filters.sort)
    in_clear = []

    def out(cadre):
        data = cadre_out(user, cadre)
        if data["sensitive_visible"]:
            in_clear.append(cadre)
        return data

    result = paginate(qs, filters, out)
    actions.record_sensitive_list_view(actor=user, cadres=in_clear, via="api")
    return result


@router.get("/cadres/{cadre_id}", response=CadreDetail, summary="One cadre, with current tenures")
def get_cadre(request, cadre_id: Id):
    cadre = queries.get_cadre_for(request.user, cadre_id)
    data = cadre_out(request.user, cadre, detail=True)
    if data["sensitive_visible"]:
        actions.record_sensitive_view(actor=request.user, cadre=cadre, page="api")
    return data


@router.post("/cadres", response={201: CadreDetail}, summary="Register a cadre")
def create_cadre(request, payload: CadreIn):
    unit = queries.get_unit_for(request.user, payload.unit_id)
    cadre = actions.create_cadre(actor=request.user, unit=unit, **payload.model_dump(exclude={"unit_id"}))
    return 201, cadre_out(request.user, cadre, detail=True)


@router.patch("/cadres/{cadre_id}", response=CadreDetail, summary="Change a cadre's personal data")
def update_cadre(request, cadre_id: Id, payload: CadrePatch):
    cadre = queries.get_cadre_for(request.user, cadre_id)
    cadre = actions.update_cadre(actor=request.user, cadre=cadre, **payload.model_dump(exclude_unset=True))
    return cadre_out(request.user, cadre, detail=True)


@router.post("/cadres/{cadre_id}/move", response=CadreDetail, summary="Move a cadre to another unit")
def move_cadre(request, cadre_id: Id, payload: CadreMove):
    cadre = queries.get_cadre_for(request.user, cadre_id)
    unit = queries.get_unit_for(request.user, payload.unit_id)
    cadre = actions.move_cadre(actor=request.user, cadre=cadre, unit=unit)
    return cadre_out(request.user, cadre, detail=True)


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
