"""What the parts of the decisions API share: the router and the view check."""

import datetime as dt

from ninja import Router, Schema

from jiandu.accounts import access

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
