"""JSON API of selection cases: the same actions as the pages, with the same access and journal.
A vetting department's officers see and answer only the requests addressed to their department."""

import datetime as dt
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from jiandu.accounts import access
from jiandu.core.api import Id, InputSchema, Page, PageQuery, paginate, text
from jiandu.core.errors import ActionError
from jiandu.decisions.models import Body
from jiandu.registry.models import Cadre, Position, Unit

from . import actions, four_checks, queries, sheet
from .models import Objection

router = Router(tags=["selection"])


class CaseOut(Schema):
    id: int
    title: str
    unit: str
    next_stage: str | None


class StageOut(Schema):
    id: int
    stage: str
    held_on: dt.date
    handler: str
    responsible: str
    participants: str
    result: str


class VettingOut(Schema):
    id: int
    candidate: str
    position: str
    department: str
    sent_on: dt.date
    due_on: dt.date
    result: str
    details: str
    replied_on: dt.date | None
    resolution: str


class FourCheckOut(Schema):
    code: str
    label: str
    done: bool
    state: str


class SelectionCandidateOut(Schema):
    id: int
    cadre: str
    position: str
    exceptional: str
    outcome: str
    outcome_note: str
    explanation: list[str]
    vetting: list[VettingOut]
    missing: list[str]
    probation_until: dt.date | None
    four_checks: list[FourCheckOut]


class CaseDetailOut(CaseOut):
    stages: list[StageOut]
    candidates: list[SelectionCandidateOut]
    notice_starts_on: dt.date | None
    notice_ends_on: dt.date | None


def _case(case) -> dict:
    return {"id": case.pk, "title": case.title, "unit": case.unit.name, "next_stage": case.next_stage()}


def _vetting(v) -> dict:
    return {
        "id": v.pk,
        "candidate": v.candidate.cadre.name,
        "position": str(v.candidate.position),
        "department": v.department.name,
        "sent_on": v.sent_on,
        "due_on": v.due_on,
        "result": v.result,
        "details": v.details,
        "replied_on": v.replied_on,
        "resolution": v.resolution,
    }


def _require_view(user):
    if not access.can(user, "selection.view"):
        raise access.NotVisible()


@router.get("/cases", response=Page[CaseOut], summary="Selection cases", url_name="list_selection_cases")
def list_cases(request, page: Query[PageQuery]):
    _require_view(request.user)
    return paginate(queries.cases_visible_to(request.user), page, _case)


@router.get("/cases/{int:case_id}", response=CaseDetailOut, summary="One selection case", url_name="get_selection_case")
def get_case(request, case_id: int):
    """The stages recorded, and each candidate with vetting replies, the decision's arithmetic and
    what the record sheet still misses."""
    _require_view(request.user)
    case = queries.get_case_for(request.user, case_id)
    candidates = []
    for c in case.candidates.select_related("cadre", "position__unit", "file_review").prefetch_related("vetting__department"):
        result = queries.candidate_verdict(c)
        candidates.append(
            {
                "id": c.pk,
                "cadre": c.cadre.name,
                "position": str(c.position),
                "exceptional": c.exceptional,
                "outcome": c.outcome,
                "outcome_note": c.outcome_note,
                "explanation": result.explanation if result else [],
                "vetting": [_vetting(v) for v in c.vetting.select_related("department", "candidate__cadre", "candidate__position__unit")],
                "missing": sheet.missing(c),
                "probation_until": c.probation_until,
                "four_checks": [vars(check) for check in four_checks.four_checks(c)],
            }
        )
    stages = [
        {
            "id": s.pk,
            "stage": s.stage,
            "held_on": s.held_on,
            "handler": s.handler,
            "responsible": s.responsible,
            "participants": s.participants,
            "result": s.result,
        }
        for s in case.stages.order_by("id")
    ]
    return {**_case(case), "stages": stages, "candidates": candidates, "notice_starts_on": case.notice_starts_on, "notice_ends_on": case.notice_ends_on}


def _managed_case(request, case_id):
    case = queries.get_case_for(request.user, case_id)
    if not access.can(request.user, "selection.manage", case.unit):
        raise access.NotVisible()
    return case


def _cadre(pk):
    cadre = Cadre.objects.filter(pk=pk).first()
    if cadre is None:
        raise ActionError(_("Unknown cadre."), field="cadre_id")
    return cadre


class CaseIn(InputSchema):
    unit_id: Id
    title: text(200)
    position_ids: list[Id] = Field(max_length=50)
    reasons: text(4000)
    qualifications: text(4000) = ""
    scope: text(4000) = ""
    proposed_by: text(100)
    held_on: dt.date
    handler: text(50)
    responsible: text(50)
    participants: text(2000) = ""


@router.post("/cases", response={201: CaseDetailOut}, summary="Open a case with its motion", url_name="create_selection_case")
def create_case(request, payload: CaseIn):
    unit = Unit.objects.filter(pk=payload.unit_id).first()
    if unit is None or not access.can(request.user, "selection.manage", unit):
        raise access.NotVisible()
    data = payload.model_dump()
    positions = list(Position.objects.filter(pk__in=data.pop("position_ids")).select_related("unit"))
    data.pop("unit_id")
    case = actions.create_case(actor=request.user, unit=unit, positions=positions, **data)
    return 201, get_case(request, case.pk)


class StageIn(InputSchema):
    stage: Literal["recommendation", "candidates", "vetting", "inspection", "consultation"]
    held_on: dt.date
    handler: text(50)
    responsible: text(50)
    participants: text(2000) = ""
    result: text(4000)


@router.post("/cases/{int:case_id}/stages", response=CaseDetailOut, summary="Record a stage", url_name="record_selection_stage")
def record_stage(request, case_id: int, payload: StageIn):
    case = _managed_case(request, case_id)
    actions.record_stage(actor=request.user, case=case, **payload.model_dump())
    return get_case(request, case.pk)


class CanvassingIn(InputSchema):
    cadre_id: Id
    found_on: dt.date
    details: text(4000)


@router.post("/cases/{int:case_id}/canvassing", response=CaseDetailOut, summary="Record canvassing", url_name="record_selection_canvassing")
def record_canvassing(request, case_id: int, payload: CanvassingIn):
    case = _managed_case(request, case_id)
    actions.record_canvassing(actor=request.user, case=case, cadre=_cadre(payload.cadre_id), found_on=payload.found_on, details=payload.details)
    return get_case(request, case.pk)


class CandidateIn(InputSchema):
    cadre_id: Id
    position_id: Id
    listed_on: dt.date
    recommendation_votes: int | None = Field(None, ge=0, le=100000)
    emigration_exception: text(4000) = Field(
        "", description="the head's reason the emigration block (art. 24 (5)) does not apply; with the approval's reference"
    )
    emigration_approval_ref: text(100) = Field("", description="the reference of the approval that allows the exception")


@router.post("/cases/{int:case_id}/candidates", response=CaseDetailOut, summary="List an inspection subject", url_name="add_selection_candidate")
def add_candidate(request, case_id: int, payload: CandidateIn):
    case = _managed_case(request, case_id)
    position = case.positions.filter(pk=payload.position_id).first()
    if position is None:
        raise ActionError(_("The post is not one of this case's positions."), field="position_id")
    actions.add_candidate(
        actor=request.user,
        case=case,
        cadre=_cadre(payload.cadre_id),
        position=position,
        listed_on=payload.listed_on,
        recommendation_votes=payload.recommendation_votes,
        emigration_exception=payload.emigration_exception,
        emigration_approval_ref=payload.emigration_approval_ref,
    )
    return get_case(request, case.pk)


class ApprovalIn(InputSchema):
    approved_on: dt.date
    reference: text(100)


@router.post("/cases/{int:case_id}/approval", response=CaseDetailOut, summary="Record the prior approval (破格)", url_name="record_selection_approval")
def record_prior_approval(request, case_id: int, payload: ApprovalIn):
    case = _managed_case(request, case_id)
    actions.record_prior_approval(actor=request.user, case=case, **payload.model_dump())
    return get_case(request, case.pk)


class SendIn(InputSchema):
    sent_on: dt.date


@router.post("/cases/{int:case_id}/vetting", response=CaseDetailOut, summary="Send vetting requests", url_name="send_selection_vetting")
def send_vetting(request, case_id: int, payload: SendIn):
    case = _managed_case(request, case_id)
    actions.send_vetting(actor=request.user, case=case, sent_on=payload.sent_on)
    return get_case(request, case.pk)


class SelectionReasonIn(InputSchema):
    reason: text(4000)


@router.post("/candidates/{int:candidate_id}/override", response=CaseDetailOut, summary="Override the vetting (head)", url_name="override_selection_vetting")
def override_vetting(request, candidate_id: int, payload: SelectionReasonIn):
    candidate = queries.get_candidate_for(request.user, candidate_id)
    actions.override_vetting(actor=request.user, candidate=candidate, reason=payload.reason)
    return get_case(request, candidate.case_id)


@router.get("/vetting", response=Page[VettingOut], summary="Vetting requests to your department", url_name="list_selection_vetting")
def list_vetting(request, page: Query[PageQuery]):
    return paginate(queries.vetting_requests_for_department(request.user).order_by("due_on", "id"), page, _vetting)


@router.get("/vetting/overdue", response=Page[VettingOut], summary="Overdue vetting replies", url_name="list_selection_vetting_overdue")
def list_overdue(request, page: Query[PageQuery]):
    return paginate(queries.overdue(queries.vetting_requests_visible_to(request.user)).order_by("due_on", "id"), page, _vetting)


@router.get("/vetting/{int:request_id}", response=VettingOut, summary="One vetting request", url_name="get_selection_vetting")
def get_vetting(request, request_id: int):
    return _vetting(queries.get_vetting_request_for(request.user, request_id))


class VettingReplyIn(InputSchema):
    result: Literal["no_problem", "problem", "verify"]
    details: text(4000) = ""
    replied_on: dt.date


@router.post("/vetting/{int:request_id}/reply", response=VettingOut, summary="Reply to a vetting request", url_name="reply_selection_vetting")
def reply_vetting(request, request_id: int, payload: VettingReplyIn):
    vetting = queries.get_vetting_request_for(request.user, request_id)
    return _vetting(actions.reply_vetting(actor=request.user, request=vetting, **payload.model_dump()))


class ResolutionIn(InputSchema):
    resolution: text(4000)


@router.post(
    "/vetting/{int:request_id}/resolve", response=VettingOut, summary="Record how a vetting problem was resolved", url_name="resolve_selection_vetting"
)
def resolve_vetting(request, request_id: int, payload: ResolutionIn):
    vetting = queries.get_vetting_request_for(request.user, request_id)
    return _vetting(actions.resolve_vetting(actor=request.user, request=vetting, resolution=payload.resolution))


class SelectionStatementIn(InputSchema):
    member_id: Id
    stance: Literal["agree", "disagree", "defer"]


class CandidateStatementsIn(InputSchema):
    candidate_id: Id
    statements: list[SelectionStatementIn] = Field(max_length=200, description="in speaking order, the principal last")


class SelectionDecisionIn(InputSchema):
    body_id: Id
    held_on: dt.date
    handler: text(50)
    absent_ids: list[Id] = Field(default_factory=list, max_length=200)
    candidates: list[CandidateStatementsIn] = Field(max_length=50)


@router.post("/cases/{int:case_id}/decision", response=CaseDetailOut, summary="Record the decision", url_name="record_selection_decision")
def record_decision(request, case_id: int, payload: SelectionDecisionIn):
    """Members absent, then each candidate's statements in speaking order; the verdict is computed."""
    case = _managed_case(request, case_id)
    body = Body.objects.filter(access.scope_q(request.user, "decisions.manage", "unit__path"), pk=payload.body_id).first()
    if body is None:
        raise access.NotVisible()
    members = {m.cadre_id: m.cadre for m in body.memberships.select_related("cadre")}

    def member(pk):
        if pk not in members:
            raise ActionError(_("That person is not a member of this body."), field="member_id")
        return members[pk]

    by_id = {c.pk: c for c in case.candidates.all()}
    statements = {}
    for item in payload.candidates:
        if item.candidate_id not in by_id:
            raise ActionError(_("That candidate is not in this case."), field="candidate_id")
        statements[by_id[item.candidate_id]] = [(member(s.member_id), s.stance) for s in item.statements]
    actions.record_decision(
        actor=request.user,
        case=case,
        body=body,
        held_on=payload.held_on,
        handler=payload.handler,
        absent=[member(pk) for pk in payload.absent_ids],
        statements=statements,
    )
    return get_case(request, case.pk)


class SelectionNoticeIn(InputSchema):
    starts_on: dt.date
    ends_on: dt.date
    handler: text(50)
    responsible: text(50)
    result: text(4000)


@router.post("/cases/{int:case_id}/notice", response=CaseDetailOut, summary="Record the public notice", url_name="start_selection_notice")
def start_notice(request, case_id: int, payload: SelectionNoticeIn):
    case = _managed_case(request, case_id)
    actions.start_notice(actor=request.user, case=case, **payload.model_dump())
    return get_case(request, case.pk)


class ObjectionIn(InputSchema):
    candidate_id: Id
    received_on: dt.date
    content: text(4000)


@router.post("/cases/{int:case_id}/objections", response=CaseDetailOut, summary="Record an objection", url_name="record_selection_objection")
def record_objection(request, case_id: int, payload: ObjectionIn):
    case = _managed_case(request, case_id)
    candidate = case.candidates.filter(pk=payload.candidate_id).first()
    if candidate is None:
        raise access.NotVisible()
    actions.record_objection(actor=request.user, candidate=candidate, received_on=payload.received_on, content=payload.content)
    return get_case(request, case.pk)


class ResolveObjectionIn(InputSchema):
    verification: text(4000)
    resolved_on: dt.date


@router.post("/objections/{int:objection_id}/resolve", response=CaseDetailOut, summary="Resolve an objection", url_name="resolve_selection_objection")
def resolve_objection(request, objection_id: int, payload: ResolveObjectionIn):
    objection = Objection.objects.filter(pk=objection_id, case__in=queries.cases_visible_to(request.user)).first()
    if objection is None:
        raise access.NotVisible()
    actions.resolve_objection(actor=request.user, objection=objection, **payload.model_dump())
    return get_case(request, objection.case_id)


class AppointIn(InputSchema):
    started_on: dt.date
    handler: text(50)
    talkers: text(200)
    talked_on: dt.date
    exception_reason: text(4000) = ""


@router.post("/candidates/{int:candidate_id}/appoint", response=CaseDetailOut, summary="Appoint a candidate", url_name="appoint_selection_candidate")
def appoint_candidate(request, candidate_id: int, payload: AppointIn):
    candidate = queries.get_candidate_for(request.user, candidate_id)
    actions.appoint_candidate(actor=request.user, candidate=candidate, **payload.model_dump())
    return get_case(request, candidate.case_id)


class ProbationIn(InputSchema):
    result: Literal["confirmed", "removed"]
    reviewed_on: dt.date


@router.post("/candidates/{int:candidate_id}/probation", response=CaseDetailOut, summary="Review a probation", url_name="review_selection_probation")
def review_probation(request, candidate_id: int, payload: ProbationIn):
    candidate = queries.get_candidate_for(request.user, candidate_id)
    actions.review_probation(actor=request.user, candidate=candidate, **payload.model_dump())
    return get_case(request, candidate.case_id)


# Operations written in their own modules, on this router: the trace-back report and accountability
# reviews, 干部档案必审 (凡提四必), and 一报告两评议 (the yearly survey).
from . import api_accountability, api_checks, api_materials, api_recommendation, api_reconsider, api_survey  # noqa: E402, F401
