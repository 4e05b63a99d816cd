"""Audits API: training and warning education (issue #13 §7)."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Schema

from jiandu.accounts import access
from jiandu.core.api import Id, InputSchema, Page, PageQuery, paginate, text
from jiandu.core.errors import ActionError

from .. import training_actions, training_queries
from ..models import TrainingParticipant, TrainingSession
from .common import _require_view, router

# --- training and warning education (issue #13 §7) ---------------------------------------------


class TrainingSessionOut(Schema):
    id: int
    kind: str
    title: str
    held_on: dt.date
    place: str
    hours: Decimal
    required: bool
    organiser_id: int
    organiser: str
    materials: str


class TrainingParticipantOut(Schema):
    id: int
    cadre_id: int
    cadre: str
    unit: str
    attendance: str
    reason: str


class TrainingSessionDetailOut(TrainingSessionOut):
    participants: list[TrainingParticipantOut]


class TrainingSessionIn(InputSchema):
    kind: Literal["economic_responsibility", "warning_education", "regulation_study"]
    title: text(200, 1)
    held_on: dt.date
    place: text(200) = ""
    hours: Decimal
    required: bool = False
    organiser_id: Id
    materials: text(5000) = ""


class TrainingSessionFilters(PageQuery):
    year: int | None = Field(None, ge=1949, le=2200)
    kind: Literal["economic_responsibility", "warning_education", "regulation_study"] | None = None


class TrainingParticipantIn(InputSchema):
    cadre_id: Id


class TrainingAttendanceIn(InputSchema):
    participant_id: Id
    attendance: Literal["attended", "absent", "excused"]
    reason: text(500) = ""


class TrainingYearQuery(PageQuery):
    year: int | None = Field(None, ge=1949, le=2200, description="default: this year")


class TrainingHoursOut(Schema):
    cadre_id: int
    cadre: str
    unit: str
    year: int
    hours: Decimal


class TrainingMissedOut(Schema):
    participant_id: int
    cadre_id: int
    cadre: str
    unit: str
    session_id: int
    session: str
    held_on: dt.date
    hours: Decimal
    reason: str


def _training_session(s: TrainingSession) -> dict:
    return {
        "id": s.pk,
        "kind": s.kind,
        "title": s.title,
        "held_on": s.held_on,
        "place": s.place,
        "hours": s.hours,
        "required": s.required,
        "organiser_id": s.organiser_id,
        "organiser": s.organiser.name,
        "materials": s.materials,
    }


def _training_detail(s: TrainingSession) -> dict:
    data = _training_session(s)
    data["participants"] = [
        {"id": p.pk, "cadre_id": p.cadre_id, "cadre": p.cadre.name, "unit": p.cadre.unit.name, "attendance": p.attendance, "reason": p.reason}
        for p in training_queries.participants_of(s)
    ]
    return data


def _training_unit(user, unit_id):
    from jiandu.registry.models import Unit

    unit = Unit.objects.filter(access.scope_q(user, "audits.manage", "path"), pk=unit_id).first()
    if unit is None:
        raise ActionError(_("Choose an organising unit whose training you manage."), field="organiser_id")
    return unit


def _training_values(user, payload: TrainingSessionIn) -> dict:
    values = payload.model_dump()
    values["organiser"] = _training_unit(user, values.pop("organiser_id"))
    return values


def _training_year(value: int | None) -> int:
    return value or dt.date.today().year


@router.get("/training/sessions", response=Page[TrainingSessionOut], summary="Training and warning-education sessions (by year and kind)")
def audits_training_sessions(request, filters: Query[TrainingSessionFilters]):
    _require_view(request.user)
    year = filters.year
    qs = training_queries.filter_sessions(request.user, year=year, kind=filters.kind or "").order_by("-held_on", "-id")
    return paginate(qs, filters, _training_session)


@router.post("/training/sessions", response={201: TrainingSessionDetailOut}, summary="Record a training session")
def audits_training_create_session(request, payload: TrainingSessionIn):
    if not access.can(request.user, "audits.manage"):
        raise access.NotVisible()
    session = training_actions.create_session(actor=request.user, **_training_values(request.user, payload))
    return 201, _training_detail(session)


@router.get("/training/sessions/{session_id}", response=TrainingSessionDetailOut, summary="A training session with its participants and attendance")
def audits_training_session(request, session_id: Id):
    return _training_detail(training_queries.get_session_for(request.user, session_id))


@router.put("/training/sessions/{session_id}", response=TrainingSessionDetailOut, summary="Change a training session")
def audits_training_update_session(request, session_id: Id, payload: TrainingSessionIn):
    session = training_queries.get_session_for(request.user, session_id)
    if not access.can(request.user, "audits.manage", session.organiser):
        raise access.NotVisible()
    return _training_detail(training_actions.update_session(actor=request.user, session=session, **_training_values(request.user, payload)))


@router.delete("/training/sessions/{session_id}", response={204: None}, summary="Delete a training session (only while no attendance is recorded)")
def audits_training_delete_session(request, session_id: Id):
    session = training_queries.get_session_for(request.user, session_id)
    training_actions.delete_session(actor=request.user, session=session)
    return 204, None


@router.post("/training/sessions/{session_id}/participants", response={201: TrainingSessionDetailOut}, summary="Invite a cadre of the registry")
def audits_training_add_participant(request, session_id: Id, payload: TrainingParticipantIn):
    from jiandu.registry import queries as registry_queries

    session = training_queries.get_session_for(request.user, session_id)
    if not access.can(request.user, "audits.manage", session.organiser):
        raise access.NotVisible()
    cadre = registry_queries.cadres_visible_to(request.user).filter(pk=payload.cadre_id).first()
    if cadre is None:
        raise ActionError(_("Choose the cadre from the registry."), field="cadre_id")
    training_actions.add_participant(actor=request.user, session=session, cadre=cadre)
    return 201, _training_detail(session)


@router.delete("/training/sessions/{session_id}/participants/{participant_id}", response=TrainingSessionDetailOut, summary="Take a cadre off the participants")
def audits_training_remove_participant(request, session_id: Id, participant_id: Id):
    session = training_queries.get_session_for(request.user, session_id)
    training_actions.remove_participant(actor=request.user, session=session, participant_id=participant_id)
    return _training_detail(session)


@router.post("/training/sessions/{session_id}/attendance", response=TrainingSessionDetailOut, summary="Record a participant's attendance")
def audits_training_record_attendance(request, session_id: Id, payload: TrainingAttendanceIn):
    """Absent needs the reason; not before the day of the session."""
    session = training_queries.get_session_for(request.user, session_id)
    training_actions.record_attendance(
        actor=request.user, session=session, participant_id=payload.participant_id, attendance=payload.attendance, reason=payload.reason
    )
    return _training_detail(session)


@router.get("/training/hours", response=Page[TrainingHoursOut], summary="Training hours per cadre in a year (default: this year)")
def audits_training_hours(request, filters: Query[TrainingYearQuery]):
    _require_view(request.user)
    year = _training_year(filters.year)
    qs = training_queries.cadre_hours(request.user, year).order_by("sort_pinyin", "id")
    return paginate(
        qs, filters, lambda c: {"cadre_id": c.pk, "cadre": c.name, "unit": c.unit.name, "year": year, "hours": Decimal(c.hours).quantize(Decimal("0.1"))}
    )


@router.get("/training/missed", response=Page[TrainingMissedOut], summary="Absences without leave from required sessions in a year")
def audits_training_missed(request, filters: Query[TrainingYearQuery]):
    _require_view(request.user)
    qs = training_queries.missed_required(request.user, year=_training_year(filters.year)).order_by("session__held_on", "id")

    def row(p: TrainingParticipant) -> dict:
        return {
            "participant_id": p.pk,
            "cadre_id": p.cadre_id,
            "cadre": p.cadre.name,
            "unit": p.cadre.unit.name,
            "session_id": p.session_id,
            "session": p.session.title,
            "held_on": p.session.held_on,
            "hours": p.session.hours,
            "reason": p.reason,
        }

    return paginate(qs, filters, row)
