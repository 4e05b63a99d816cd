"""Oversight API: inspection tours (巡察), their teams and stationing work."""

import datetime as dt

from ninja import Field as F
from ninja import Query, Schema

from jiandu.accounts import access
from jiandu.core.api import Id, InputSchema, Page, PageQuery, Ref, optional, paginate, text

from .. import queries
from ..actions import tours as tour_actions
from ..models import InspectionTour, TourMember
from .common import (
    Count,
    LongText,
    MemberRole,
    ReasonIn,
    TourKind,
    TourStage,
    WorkMethod,
    _managed_unit,
    _ref,
    _request_fields,
    router,
)

# --- inspection tours ----------------------------------------------------------------------


class TourMemberOut(Schema):
    id: int
    name: str
    role: MemberRole
    declared_on: dt.date | None = F(description="conflict-of-interest declaration; null until declared")
    has_conflict: bool
    declaration: str
    is_removed: bool


class TourOut(Schema):
    id: int
    name: str
    kind: TourKind
    kind_label: str
    year: int
    organiser: Ref
    targets: list[Ref]
    planned_start: dt.date
    planned_end: dt.date
    stage: TourStage
    stage_label: str
    stationed_on: dt.date | None
    reported_on: dt.date | None
    feedback_on: dt.date | None
    rectification_due_on: dt.date | None
    rectification_reported_on: dt.date | None
    closed_on: dt.date | None
    team: list[TourMemberOut]
    next_stage_blockers: list[str] = F(description="what must be done before the tour moves to its next stage")

    @staticmethod
    def resolve_kind_label(obj):
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_team(obj):
        return list(obj.members.order_by("id"))

    @staticmethod
    def resolve_next_stage_blockers(obj):
        return [str(b) for b in obj.next_stage_blockers()]

    @staticmethod
    def resolve_stage_label(obj):
        return str(obj.get_stage_display())

    @staticmethod
    def resolve_organiser(obj):
        return _ref(obj.organiser)

    @staticmethod
    def resolve_targets(obj):
        return [_ref(t.unit) for t in obj.targets.select_related("unit").order_by("unit__path")]


class TourFilters(PageQuery):
    year: int = optional(ge=2000, le=2100)
    stage: TourStage = optional()


class TourIn(InputSchema):
    organiser_id: Id = F(description="the organising unit (you manage oversight there)")
    name: text(200, 1)
    kind: TourKind = InspectionTour.Kind.PATROL
    year: int = F(..., ge=2000, le=2100)
    planned_start: dt.date
    planned_end: dt.date = F(description="not before planned_start")
    target_ids: list[Id] = F([], max_length=200, description="the inspected units (you manage oversight there)")


@router.get("/tours", response=Page[TourOut], summary="List inspection tours (巡察)")
def oversight_list_tours(request, filters: Query[TourFilters]):
    access.require(request.user, "oversight.view")
    qs = queries.tours_visible_to(request.user)
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    return paginate(qs.order_by("-year", "-id"), filters)


@router.get("/tours/{tour_id}", response=TourOut, summary="One inspection tour")
def oversight_get_tour(request, tour_id: Id):
    return queries.get_tour_for(request.user, tour_id)


@router.post("/tours", response={201: TourOut}, summary="Plan an inspection tour")
def oversight_create_tour(request, payload: TourIn):
    organiser = _managed_unit(request.user, payload.organiser_id)
    targets = [_managed_unit(request.user, pk) for pk in payload.target_ids]
    with _request_fields(organiser="organiser_id", targets="target_ids"):
        tour = tour_actions.plan_tour(
            actor=request.user,
            organiser=organiser,
            name=payload.name,
            kind=payload.kind,
            year=payload.year,
            planned_start=payload.planned_start,
            planned_end=payload.planned_end,
            targets=targets,
        )
    return 201, tour


class TourTargetIn(InputSchema):
    unit_id: Id = F(description="a unit you manage oversight records of")


class TourMemberIn(InputSchema):
    name: text(50, 1)
    role: MemberRole = TourMember.Role.MEMBER


class DeclarationIn(InputSchema):
    has_conflict: bool
    declaration: LongText = F("", description="required when declaring a conflict")
    declared_on: dt.date | None = F(None, description="defaults to today; not in the future")


class StationingIn(InputSchema):
    stationed_on: dt.date | None = F(None, description="defaults to today; not in the future")


class EmptyIn(InputSchema):
    pass


class WorkLogIn(InputSchema):
    unit_id: Id = F(description="a target unit of the tour")
    method: WorkMethod
    on: dt.date = F(description="not in the future, nor before the stationing")
    description: text(10_000, 1)
    participants: Count = 0


class WorkLogOut(Schema):
    id: int
    unit: Ref
    method: WorkMethod
    on: dt.date
    description: str
    participants: int

    @staticmethod
    def resolve_unit(obj):
        return _ref(obj.unit)


def _tour_member(user, tour_id: int, member_id: int) -> TourMember:
    tour = queries.get_tour_for(user, tour_id)
    member = tour.members.filter(pk=member_id).first()
    if member is None:
        raise access.NotVisible()
    return member


@router.post("/tours/{tour_id}/targets", response=TourOut, summary="Add a target unit (preparation)")
def oversight_add_tour_target(request, tour_id: Id, payload: TourTargetIn):
    tour = queries.get_tour_for(request.user, tour_id)
    unit = _managed_unit(request.user, payload.unit_id)
    with _request_fields(unit="unit_id"):
        tour_actions.add_target(actor=request.user, tour=tour, unit=unit)
    return queries.get_tour_for(request.user, tour_id)


@router.post("/tours/{tour_id}/members", response={201: TourMemberOut}, summary="Add a team member (preparation; one leader)")
def oversight_add_tour_member(request, tour_id: Id, payload: TourMemberIn):
    tour = queries.get_tour_for(request.user, tour_id)
    return 201, tour_actions.add_team_member(actor=request.user, tour=tour, name=payload.name, role=payload.role)


@router.post("/tours/{tour_id}/members/{member_id}/declaration", response=TourMemberOut, summary="Record a member's conflict-of-interest declaration")
def oversight_declare_interest(request, tour_id: Id, member_id: Id, payload: DeclarationIn):
    member = _tour_member(request.user, tour_id, member_id)
    return tour_actions.declare_interest(actor=request.user, member=member, **payload.model_dump())


@router.post("/tours/{tour_id}/members/{member_id}/remove", response=TourMemberOut, summary="Remove a team member, with the reason (preparation)")
def oversight_remove_tour_member(request, tour_id: Id, member_id: Id, payload: ReasonIn):
    member = _tour_member(request.user, tour_id, member_id)
    return tour_actions.remove_team_member(actor=request.user, member=member, reason=payload.reason)


@router.post("/tours/{tour_id}/stationing", response=TourOut, summary="Start stationing (the team is complete and declared)")
def oversight_start_stationing(request, tour_id: Id, payload: StationingIn):
    tour = queries.get_tour_for(request.user, tour_id)
    tour_actions.start_stationing(actor=request.user, tour=tour, stationed_on=payload.stationed_on)
    return queries.get_tour_for(request.user, tour_id)


@router.post("/tours/{tour_id}/work-log", response={201: WorkLogOut}, summary="Log stationing work at a target unit")
def oversight_log_tour_work(request, tour_id: Id, payload: WorkLogIn):
    tour = queries.get_tour_for(request.user, tour_id)
    unit = _managed_unit(request.user, payload.unit_id)
    with _request_fields(unit="unit_id"):
        values = payload.model_dump(exclude={"unit_id"})
        return 201, tour_actions.log_work(actor=request.user, tour=tour, unit=unit, **values)


@router.post("/tours/{tour_id}/stationing/finish", response=TourOut, summary="Finish stationing: the tour moves on to its report")
def oversight_finish_stationing(request, tour_id: Id, payload: EmptyIn):
    tour = queries.get_tour_for(request.user, tour_id)
    tour_actions.finish_stationing(actor=request.user, tour=tour)
    return queries.get_tour_for(request.user, tour_id)
