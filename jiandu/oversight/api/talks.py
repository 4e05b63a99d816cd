"""Oversight API: talks (谈心谈话, 提醒谈话, 诫勉谈话) and their follow-up."""

import datetime as dt

from ninja import Field as F
from ninja import Query, Schema

from jiandu.accounts import access
from jiandu.core.api import Id, InputSchema, Page, PageQuery, Ref, optional, paginate, text

from .. import deadlines, queries
from ..actions import talks as talk_actions
from .common import (
    ExplanationState,
    LongText,
    ReasonIn,
    TalkKind,
    TalkStatus,
    _cadre,
    _in_unit,
    _ref,
    _request_fields,
    router,
)

# --- talks ---------------------------------------------------------------------------------


class TalkOut(Schema):
    id: int
    cadre: Ref
    unit: Ref
    kind: TalkKind
    kind_label: str
    status: TalkStatus
    due_on: dt.date | None
    due_explanation: str = F(description="how the due date was computed (working days)")
    talked_on: dt.date | None
    place: str
    talkers: str
    talker_role: str
    recorder: str
    reason: str
    summary: str
    response: str
    follow_up: str
    follow_up_due_on: dt.date | None
    follow_up_done_on: dt.date | None
    follow_up_result: str
    explanation: ExplanationState
    disposition_id: int | None

    @staticmethod
    def resolve_cadre(obj):
        return _ref(obj.cadre)

    @staticmethod
    def resolve_unit(obj):
        return _ref(obj.unit)

    @staticmethod
    def resolve_kind_label(obj):
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_due_explanation(obj):
        return deadlines.explain(obj.due_rule)


class TalkFilters(PageQuery):
    cadre: Id = optional()
    unit: Id = optional(description="this unit and the units below it")
    kind: TalkKind = optional()
    status: TalkStatus = optional()


class TalkIn(InputSchema):
    cadre_id: Id
    kind: TalkKind
    talked_on: dt.date = F(description="not in the future")
    talkers: text(200, 1)
    reason: text(10_000, 1)
    summary: text(10_000, 1)
    place: text(100) = ""
    talker_role: text(100) = ""
    recorder: text(50) = ""
    response: LongText = ""
    follow_up: LongText = ""
    follow_up_due_on: dt.date | None = F(None, description="required with a follow-up; not in the past")
    explanation_required: bool = F(False, description="only after a reminder or an admonishment talk")


@router.get("/talks", response=Page[TalkOut], summary="List talks")
def oversight_list_talks(request, filters: Query[TalkFilters]):
    access.require(request.user, "oversight.view")
    qs = _in_unit(queries.talks_visible_to(request.user), request.user, filters.unit)
    if filters.cadre is not None:
        qs = qs.filter(cadre_id=filters.cadre)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return paginate(qs.order_by("-talked_on", "-id"), filters)


@router.get("/talks/{talk_id}", response=TalkOut, summary="One talk")
def oversight_get_talk(request, talk_id: Id):
    return queries.get_talk_for(request.user, talk_id)


@router.post("/talks", response={201: TalkOut}, summary="Record a talk that was held")
def oversight_create_talk(request, payload: TalkIn):
    cadre = _cadre(request.user, payload.cadre_id, "oversight.manage")
    values = payload.model_dump(exclude={"cadre_id"})
    with _request_fields(cadre="cadre_id"):
        return 201, talk_actions.record_talk(actor=request.user, cadre=cadre, **values)


class HoldTalkIn(InputSchema):
    talked_on: dt.date = F(description="not in the future, nor before the decision that required the talk")
    talkers: text(200, 1)
    summary: text(10_000, 1)
    place: text(100) = ""
    talker_role: text(100) = ""
    recorder: text(50) = ""
    reason: LongText = F("", description="defaults to the reason the talk was required for")
    response: LongText = ""
    follow_up: LongText = ""
    follow_up_due_on: dt.date | None = F(None, description="required with a follow-up; not in the past")
    explanation_required: bool = F(True, description="only after a reminder or an admonishment talk")


@router.post("/talks/{talk_id}/hold", response=TalkOut, summary="Record that a required talk was held")
def oversight_hold_talk(request, talk_id: Id, payload: HoldTalkIn):
    talk = queries.get_talk_for(request.user, talk_id)
    return talk_actions.hold_talk(actor=request.user, talk=talk, **payload.model_dump())


@router.post("/talks/{talk_id}/cancel", response=TalkOut, summary="Cancel a required talk, with the reason")
def oversight_cancel_talk(request, talk_id: Id, payload: ReasonIn):
    talk = queries.get_talk_for(request.user, talk_id)
    return talk_actions.cancel_talk(actor=request.user, talk=talk, reason=payload.reason)


class FollowUpDoneIn(InputSchema):
    done_on: dt.date = F(description="not in the future, nor before the talk")
    result: text(10_000, 1)


@router.post("/talks/{talk_id}/follow-up", response=TalkOut, summary="Record that a talk's follow-up was completed")
def oversight_complete_talk_follow_up(request, talk_id: Id, payload: FollowUpDoneIn):
    talk = queries.get_talk_for(request.user, talk_id)
    return talk_actions.complete_follow_up(actor=request.user, talk=talk, done_on=payload.done_on, result=payload.result)
