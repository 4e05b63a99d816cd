"""Oversight API: duty-report sessions (述责述廉) and the yearly statistics."""

import datetime as dt

from ninja import Field as F
from ninja import Path, Query, Schema

from jiandu.accounts import access
from jiandu.core.api import Id, InputSchema, Page, PageQuery, Ref, optional, paginate, text

from .. import queries
from ..actions import duty as duty_actions
from .common import (
    LongText,
    SessionMode,
    _in_unit,
    _managed_unit,
    _ref,
    _request_fields,
    router,
)

# --- duty-report sessions (述责述廉) --------------------------------------------------------


class DutySessionOut(Schema):
    id: int
    unit: Ref
    year: int
    held_on: dt.date
    mode: SessionMode
    mode_label: str
    place: str
    audience: str
    ballot_id: int | None = F(description="the audience evaluation ballot, once created")
    report_ids: list[int] = F(description="the duty reports heard at the session")

    @staticmethod
    def resolve_unit(obj):
        return _ref(obj.unit)

    @staticmethod
    def resolve_mode_label(obj):
        return str(obj.get_mode_display())

    @staticmethod
    def resolve_report_ids(obj):
        return list(obj.reports.order_by("id").values_list("pk", flat=True))


class DutySessionFilters(PageQuery):
    year: int = optional(ge=2000, le=2100)
    unit: Id = optional(description="this unit and the units below it")


class DutySessionIn(InputSchema):
    unit_id: Id = F(description="the unit holding the session (you manage oversight there)")
    year: int = F(..., ge=2000, le=2100, description="the year the reports are for")
    held_on: dt.date = F(description="not in the future")
    mode: SessionMode
    report_ids: list[Id] = F(..., min_length=1, max_length=500, description="submitted reports of that year, heard at the session")
    place: text(100) = ""
    audience: LongText = ""


@router.get("/duty-sessions", response=Page[DutySessionOut], summary="List duty-report sessions")
def oversight_list_duty_sessions(request, filters: Query[DutySessionFilters]):
    access.require(request.user, "oversight.view")
    qs = _in_unit(queries.duty_sessions_visible_to(request.user), request.user, filters.unit)
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    return paginate(qs, filters)


@router.get("/duty-sessions/{session_id}", response=DutySessionOut, summary="One duty-report session")
def oversight_get_duty_session(request, session_id: Id):
    return queries.get_duty_session_for(request.user, session_id)


@router.post("/duty-sessions", response={201: DutySessionOut}, summary="Record a session where submitted duty reports were heard")
def oversight_create_duty_session(request, payload: DutySessionIn):
    unit = _managed_unit(request.user, payload.unit_id)
    reports = [queries.get_duty_report_for(request.user, pk) for pk in dict.fromkeys(payload.report_ids)]
    with _request_fields(reports="report_ids"):
        session = duty_actions.record_duty_session(
            actor=request.user,
            unit=unit,
            year=payload.year,
            held_on=payload.held_on,
            mode=payload.mode,
            reports=reports,
            place=payload.place,
            audience=payload.audience,
        )
    return 201, queries.get_duty_session_for(request.user, session.pk)


# --- statistics ----------------------------------------------------------------------------


class StatisticsRow(Schema):
    label: str
    count: int


class StatisticsSection(Schema):
    title: str
    rows: list[StatisticsRow]


class StatisticsOut(Schema):
    year: int
    talks: StatisticsSection
    dispositions: StatisticsSection
    inquiries: StatisticsSection
    tours: StatisticsSection
    tour_stages: StatisticsSection
    clues: StatisticsSection
    units: StatisticsSection


@router.get("/statistics/{year}", response=StatisticsOut, summary="Yearly counts by kind and by unit")
def oversight_statistics(request, year: int = Path(..., ge=2000, le=2100)):
    """The counts of the statistics page, over the records you may read."""
    from ..statistics import yearly

    access.require(request.user, "oversight.view")
    sections = yearly(request.user, year)
    return {
        "year": year,
        **{
            key: {"title": str(section["title"]), "rows": [{"label": str(label), "count": n} for label, n in section["rows"]]}
            for key, section in sections.items()
        },
    }
