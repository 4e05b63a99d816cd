"""JSON API of collective decisions (read): the meetings you may see, and one meeting with each
item's verdict and its arithmetic."""

import datetime as dt

from ninja import Query, Router, Schema

from jiandu.accounts import access
from jiandu.core.api import Page, PageQuery, paginate

from . import queries

router = Router(tags=["decisions"])


class MeetingOut(Schema):
    id: int
    body: str
    held_on: dt.date
    title: str


class StatementOut(Schema):
    order: int
    member: str
    stance: str
    reason: str


class ItemOut(Schema):
    order: int
    title: str
    category: str
    amount: str | None
    proposer: str | None
    outcome: str  # void / passed / failed
    total: int
    present: int
    quorum_needed: int
    agree: int
    disagree: int
    defer: int
    majority_needed: int
    written_opinions: int
    explanation: list[str]
    statements: list[StatementOut]


class MeetingDetailOut(MeetingOut):
    members: int
    present: int
    items: list[ItemOut]


def _require_view(user):
    if not (access.can(user, "decisions.view") or access.can(user, "decisions.manage")):
        raise access.NotVisible()


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
