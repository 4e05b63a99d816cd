"""Decisions API: collective-decision meetings, each item's verdict and its arithmetic."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Query

from jiandu.accounts import access
from jiandu.core.api import Id, InputSchema, Page, PageQuery, paginate, text
from jiandu.core.errors import ActionError

from .. import actions, queries
from ..models import Body
from .common import MeetingDetailOut, MeetingOut, _require_view, router


def _meeting(meeting) -> dict:
    return {"id": meeting.pk, "body": meeting.body.name, "held_on": meeting.held_on, "title": meeting.title}


@router.get("/meetings", response=Page[MeetingOut], summary="Meetings", url_name="list_decision_meetings")
def list_meetings(request, page: Query[PageQuery]):
    """Meetings of the bodies whose decisions you record, or that you are a member of."""
    _require_view(request.user)
    return paginate(queries.meetings_visible_to(request.user), page, _meeting)


@router.get("/meetings/{int:meeting_id}", response=MeetingDetailOut, summary="One meeting", url_name="get_decision_meeting")
def get_meeting(request, meeting_id: int):
    """The meeting's attendance counts and each agenda item's verdict with its arithmetic."""
    _require_view(request.user)
    meeting = queries.get_meeting_for(request.user, meeting_id)
    items = []
    for item in meeting.items.select_related("proposer").prefetch_related("statements__cadre", "written_opinions"):
        result = queries.item_verdict(item)
        items.append(
            {
                "order": item.order,
                "title": item.title,
                "category": item.category,
                "amount": None if item.amount is None else str(item.amount),
                "proposer": item.proposer.name if item.proposer else None,
                "outcome": result.outcome,
                "total": result.total,
                "present": result.present,
                "quorum_needed": result.quorum_needed,
                "agree": result.agree,
                "disagree": result.disagree,
                "defer": result.defer,
                "majority_needed": result.majority_needed,
                "written_opinions": len(result.written_opinions),
                "explanation": result.explanation,
                "statements": [{"order": s.order, "member": s.cadre.name, "stance": s.stance, "reason": s.reason} for s in item.statements.all()],
            }
        )
    attendances = list(meeting.attendances.all())
    return {**_meeting(meeting), "members": len(attendances), "present": sum(1 for a in attendances if a.present), "items": items}


Stance = Literal["agree", "disagree", "defer"]


class StatementIn(InputSchema):
    member_id: Id
    stance: Stance
    reason: text(2000) = ""


class OpinionIn(InputSchema):
    item: int = Field(ge=1, le=100, description="number of the agenda item, from 1")
    stance: Stance
    reason: text(2000) = ""


class AbsenceIn(InputSchema):
    member_id: Id
    reason: text(200)
    opinions: list[OpinionIn] = Field(default_factory=list, max_length=100)


class ItemIn(InputSchema):
    title: text(200)
    category: Literal["major_decision", "appointment", "major_project", "large_funds", "other"]
    amount: Decimal | None = Field(None, ge=0, lt=Decimal("1e14"), description="yuan")
    proposer_id: Id | None = None
    statements: list[StatementIn] = Field(default_factory=list, max_length=200, description="in speaking order, the principal last")


class MeetingIn(InputSchema):
    body_id: Id
    held_on: dt.date
    title: text(200)
    absences: list[AbsenceIn] = Field(default_factory=list, max_length=200)
    items: list[ItemIn] = Field(max_length=100)


@router.post("/meetings", response={201: MeetingDetailOut}, summary="Record a meeting", url_name="record_decision_meeting")
def record_meeting(request, payload: MeetingIn):
    """Record a meeting of a body whose decisions you record: absent members with reasons (and
    their written opinions, recorded and not counted), then each agenda item with the present
    members' statements in speaking order, the principal last. Each item's verdict is computed;
    nothing is stored if any part is refused."""
    body = Body.objects.filter(access.scope_q(request.user, "decisions.manage", "unit__path"), pk=payload.body_id).first()
    if body is None:
        raise access.NotVisible()
    members = {m.cadre_id: m.cadre for m in body.memberships.select_related("cadre")}

    def member(pk):
        if pk not in members:
            raise ActionError(_("That person is not a member of this body."), field="member_id")
        return members[pk]

    absences = {}
    for absence in payload.absences:
        opinions = {o.item: (o.stance, o.reason) for o in absence.opinions}
        absences[member(absence.member_id)] = {"reason": absence.reason, "opinions": opinions}
    items = []
    for item in payload.items:
        items.append(
            {
                "title": item.title,
                "category": item.category,
                "amount": item.amount,
                "proposer": member(item.proposer_id) if item.proposer_id else None,
                "statements": [(member(s.member_id), s.stance, s.reason) for s in item.statements],
            }
        )
    meeting = actions.record_meeting(actor=request.user, body=body, held_on=payload.held_on, title=payload.title, absences=absences, items=items)
    return 201, get_meeting(request, meeting.pk)
