"""JSON API of the reconsideration (复议) of a decision on a candidate: the same action as the
page, with the same access and journal."""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field

from jiandu.accounts import access
from jiandu.core.api import Id, InputSchema, text
from jiandu.core.errors import ActionError

from . import actions, queries
from .api import CaseDetailOut, SelectionStatementIn, get_case, router
from .reconsider_views import may_reconsider


class SelectionReconsiderationIn(InputSchema):
    held_on: dt.date
    agreeing: int = Field(ge=0, le=1000, description="members who agreed to reconsider")
    reason: text(4000)
    absent_ids: list[Id] = Field(default_factory=list, max_length=200)
    statements: list[SelectionStatementIn] = Field(max_length=200, description="in speaking order, the principal last")


@router.post(
    "/candidates/{int:candidate_id}/reconsideration",
    response=CaseDetailOut,
    summary="Record the reconsideration of the decision on a candidate",
    url_name="reconsider_selection_decision",
)
def reconsider_decision(request, candidate_id: int, payload: SelectionReconsiderationIn):
    """More than half of all members must agree to reconsider; the verdict is computed again from the statements."""
    candidate = queries.get_candidate_for(request.user, candidate_id)
    decision = getattr(candidate.case, "decision", None)
    if not access.can(request.user, "selection.manage", candidate.case.unit) or (decision is not None and not may_reconsider(request.user, candidate.case)):
        raise access.NotVisible()
    members = {m.cadre_id: m.cadre for m in decision.members.select_related("cadre")} if decision else {}

    def member(pk):
        if pk not in members:
            raise ActionError(_("That person is not a member of this body."), field="member_id")
        return members[pk]

    actions.reconsider_decision(
        actor=request.user,
        candidate=candidate,
        held_on=payload.held_on,
        agreeing=payload.agreeing,
        reason=payload.reason,
        absent=[member(pk) for pk in payload.absent_ids],
        statements=[(member(s.member_id), s.stance) for s in payload.statements],
    )
    return get_case(request, candidate.case_id)
