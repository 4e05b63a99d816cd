"""JSON API of target supervision (mounted under /api/v1/appraisals/). The same actions and
scoped queries as the pages. The core glue authenticates (request.user, token or session) and
answers errors as JSON `{code, message, field}`: not visible = 404, a failed precondition = 400
(results before the evaluation closed: 400 with the code `hidden`), bad input = 422. Scores are
given exactly ("n/d") and rounded for display."""

import datetime as dt
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from jiandu.accounts import access
from jiandu.core.api import Error, Id, InputSchema, Page, PageQuery, paginate, text
from jiandu.core.errors import ActionError
from jiandu.registry import queries as registry_queries

from . import actions, queries, scoring
from .actions.cycles import MIN_YEAR
from .actions.evaluation import MAX_HEADCOUNT
from .models import AdmonishmentProposal, AppraisalCycle

router = Router(tags=["appraisals"])

CycleKind = Literal[tuple(AppraisalCycle.Kind.values)]
CycleStatus = Literal[tuple(AppraisalCycle.Status.values)]
ProposalStatus = Literal[tuple(AdmonishmentProposal.Status.values)]


class AppraisalCycleFilters(PageQuery):
    year: int | None = Field(None, ge=MIN_YEAR, le=9999)
    status: CycleStatus | None = None


class AppraisalCycleIn(InputSchema):
    unit_id: Id = Field(description="the organising unit")
    year: int = Field(ge=MIN_YEAR, le=9999, description="the year assessed (up to next year)")
    kind: CycleKind = AppraisalCycle.Kind.ANNUAL
    title: text(200) = Field("", description="leave empty for the default title (2026年度…考核)")
    description: text(5000) = ""
    uses_target_scores: bool = True


class AppraisalCycleOut(Schema):
    id: int
    year: int
    kind: CycleKind
    title: str
    unit_id: int
    unit_name: str
    status: CycleStatus
    uses_target_scores: bool
    units: int
    cadres: int
    pending_proposals: int


class AppraisalAssessedUnitOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    ballot_id: int | None
    cadres: list[str]


class AppraisalStageOut(Schema):
    code: CycleStatus
    state: Literal["done", "current", "pending"]
    problems: list[str] = Field(description="what blocks the current stage")


class AppraisalCycleDetailOut(AppraisalCycleOut):
    parameters: dict
    assessed_units: list[AppraisalAssessedUnitOut]
    stages: list[AppraisalStageOut]


class AppraisalEvaluationIn(InputSchema):
    headcounts: dict[Id, dict[text(40), int]] = Field(
        ..., description=f"{{assessed unit id: {{voter group code: headcount (1–{MAX_HEADCOUNT})}}}} for every assessed unit and voter group"
    )
    opens_at: dt.datetime | None = None
    closes_at: dt.datetime | None = None


class AppraisalUnitResultOut(Schema):
    id: int
    unit_name: str
    target_base: str | None
    democratic_score: str | None
    final_score: str | None
    target_base_exact: str
    democratic_exact: str
    final_exact: str
    rank: int | None
    votes: dict
    valid_votes: int | None
    proposed_grade: str
    grade: str


class AppraisalCadreResultOut(Schema):
    id: int
    cadre_id: int
    name: str
    unit_name: str
    post: str
    votes: dict
    valid_votes: int | None
    dimension_scores: dict
    results_element_exact: str
    score: str | None
    score_exact: str
    rank: int | None
    proposed_grade: str
    proposal_reasons: list[str]
    grade: str
    needs_post_adjustment: bool
    needs_dismissal_review: bool


class AppraisalQuotaOut(Schema):
    scope: str
    participants: int
    allowed: int
    excellent: int
    share: str
    rounding: str


class AppraisalResultsOut(Schema):
    cycle_id: int
    status: CycleStatus
    parameters: dict
    units: list[AppraisalUnitResultOut]
    cadres: list[AppraisalCadreResultOut]
    quotas: list[AppraisalQuotaOut]


class AppraisalProposalOut(Schema):
    id: int
    cycle_id: int
    cycle_title: str
    cadre_id: int
    cadre_name: str
    figures: str
    numerator: int
    denominator: int
    threshold: str
    inclusive: bool
    status: ProposalStatus
    created_at: dt.datetime
    decided_at: dt.datetime | None
    decision_note: str
    reference: str


class AppraisalProposalFilters(PageQuery):
    status: ProposalStatus | Literal["all"] = Field(AdmonishmentProposal.Status.PENDING, description="pending by default; all for every status")


class ProposalNoteIn(InputSchema):
    note: text(2000) = ""


class ProposalReasonIn(InputSchema):
    reason: text(2000)


def _cycle_out(cycle: AppraisalCycle) -> dict:
    return {
        "id": cycle.pk,
        "year": cycle.year,
        "kind": cycle.kind,
        "title": cycle.title,
        "unit_id": cycle.unit_id,
        "unit_name": cycle.unit.name,
        "status": cycle.status,
        "uses_target_scores": cycle.uses_target_scores,
        "units": cycle.units.count(),
        "cadres": cycle.cadres.count(),
        "pending_proposals": cycle.proposals.filter(status=AdmonishmentProposal.Status.PENDING).count(),
    }


def _cycle_detail(cycle: AppraisalCycle) -> dict:
    return {
        **_cycle_out(cycle),
        "parameters": cycle.parameters or {},
        "assessed_units": [
            {"id": u.pk, "unit_id": u.unit_id, "unit_name": u.unit_name, "ballot_id": u.ballot_id, "cadres": [c.cadre_name for c in u.cadres.all()]}
            for u in cycle.units.prefetch_related("cadres")
        ],
        "stages": [{"code": s["code"], "state": s["state"], "problems": [str(p) for p in s["problems"]]} for s in queries.stepper(cycle)],
    }


def _proposal_out(p: AdmonishmentProposal) -> dict:
    return {
        "id": p.pk,
        "cycle_id": p.cycle_id,
        "cycle_title": p.cycle.title,
        "cadre_id": p.cadre_id,
        "cadre_name": p.cadre.name,
        "figures": p.figures,
        "numerator": p.numerator,
        "denominator": p.denominator,
        "threshold": p.threshold,
        "inclusive": p.inclusive,
        "status": p.status,
        "created_at": p.created_at,
        "decided_at": p.decided_at,
        "decision_note": p.decision_note,
        "reference": p.reference,
    }


def _str(value):
    return None if value is None else str(value)


@router.get("/cycles", response=Page[AppraisalCycleOut], summary="Appraisal cycles in my scope")
def list_appraisal_cycles(request, filters: Query[AppraisalCycleFilters]):
    access.require(request.user, "appraisals.view")
    qs = queries.cycles_visible_to(request.user)
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return paginate(qs.order_by("-year", "-id"), filters, _cycle_out)


@router.post("/cycles", response={201: AppraisalCycleDetailOut}, summary="Create an appraisal cycle")
def create_appraisal_cycle(request, payload: AppraisalCycleIn):
    unit = registry_queries.units_visible_to(request.user, "appraisals.manage").filter(pk=payload.unit_id).first()
    if unit is None:
        raise access.NotVisible()
    cycle = actions.create_cycle(
        actor=request.user,
        unit=unit,
        year=payload.year,
        kind=payload.kind,
        title=payload.title,
        description=payload.description,
        uses_target_scores=payload.uses_target_scores,
    )
    return 201, _cycle_detail(cycle)


@router.get("/cycles/{cycle_id}", response=AppraisalCycleDetailOut, summary="One appraisal cycle with its units and stages")
def get_appraisal_cycle(request, cycle_id: Id):
    return _cycle_detail(queries.get_cycle_for(request.user, cycle_id))


@router.post("/cycles/{cycle_id}/evaluation", response={201: AppraisalCycleDetailOut}, summary="Create and open the ballots of a cycle")
def open_appraisal_evaluation(request, cycle_id: Id, payload: AppraisalEvaluationIn):
    cycle = queries.get_cycle_for(request.user, cycle_id, "appraisals.manage")
    cycle = actions.open_evaluation(actor=request.user, cycle=cycle, headcounts=payload.headcounts, opens_at=payload.opens_at, closes_at=payload.closes_at)
    return 201, _cycle_detail(cycle)


@router.post("/cycles/{cycle_id}/evaluation/close", response=AppraisalCycleDetailOut, summary="Close the ballots and compute the results")
def close_appraisal_evaluation(request, cycle_id: Id):
    cycle = queries.get_cycle_for(request.user, cycle_id, "appraisals.manage")
    return _cycle_detail(actions.close_evaluation(actor=request.user, cycle=cycle))


@router.get("/cycles/{cycle_id}/results", response={200: AppraisalResultsOut, 400: Error}, summary="Scores, votes and grades (after the evaluation closed)")
def get_appraisal_results(request, cycle_id: Id):
    """Before the evaluation has closed the answer is 400 with the code `hidden`."""
    cycle = queries.get_cycle_for(request.user, cycle_id)
    if not cycle.results_available:
        raise ActionError(_("Results are available once the evaluation has closed."), code="hidden")
    field = "grade" if cycle.grades_confirmed else "proposed_grade"
    return {
        "cycle_id": cycle.pk,
        "status": cycle.status,
        "parameters": cycle.parameters or {},
        "units": [
            {
                "id": u.pk,
                "unit_name": u.unit_name,
                "target_base": _str(u.target_base),
                "democratic_score": _str(u.democratic_score),
                "final_score": _str(u.final_score),
                "target_base_exact": u.target_base_exact,
                "democratic_exact": u.democratic_exact,
                "final_exact": u.final_exact,
                "rank": u.rank,
                "votes": u.votes,
                "valid_votes": u.valid_votes,
                "proposed_grade": u.proposed_grade,
                "grade": u.grade,
            }
            for u in cycle.units.all()
        ],
        "cadres": [
            {
                "id": c.pk,
                "cadre_id": c.cadre_id,
                "name": c.cadre_name,
                "unit_name": c.assessed_unit.unit_name,
                "post": c.post,
                "votes": c.votes,
                "valid_votes": c.valid_votes,
                "dimension_scores": c.dimension_scores,
                "results_element_exact": c.results_element_exact,
                "score": _str(c.score),
                "score_exact": c.score_exact,
                "rank": c.rank,
                "proposed_grade": c.proposed_grade,
                "proposal_reasons": [str(r) for r in queries.describe_reasons(c.proposal_reasons)],
                "grade": c.grade,
                "needs_post_adjustment": c.needs_post_adjustment,
                "needs_dismissal_review": c.needs_dismissal_review,
            }
            for c in cycle.cadres.select_related("assessed_unit")
        ],
        "quotas": [
            {
                "scope": q.label,
                "participants": q.participants,
                "allowed": q.allowed,
                "excellent": q.excellent,
                "share": scoring.text(q.share),
                "rounding": q.rounding,
            }
            for q in queries.cadre_quotas(cycle, field=field)
        ],
    }


@router.get("/proposals", response=Page[AppraisalProposalOut], summary="Yellow-card proposals in my scope")
def list_appraisal_proposals(request, filters: Query[AppraisalProposalFilters]):
    access.require(request.user, "appraisals.view")
    qs = queries.proposals_visible_to(request.user)
    if filters.status != "all":
        qs = qs.filter(status=filters.status)
    return paginate(qs.order_by("-created_at", "-id"), filters, _proposal_out)


@router.post("/proposals/{proposal_id}/confirm", response=AppraisalProposalOut, summary="Confirm a yellow card")
def confirm_appraisal_proposal(request, proposal_id: Id, payload: ProposalNoteIn):
    proposal = queries.get_proposal_for(request.user, proposal_id, "appraisals.confirm")
    return _proposal_out(actions.confirm_proposal(actor=request.user, proposal=proposal, note=payload.note))


@router.post("/proposals/{proposal_id}/dismiss", response=AppraisalProposalOut, summary="Dismiss a yellow card with a reason")
def dismiss_appraisal_proposal(request, proposal_id: Id, payload: ProposalReasonIn):
    proposal = queries.get_proposal_for(request.user, proposal_id, "appraisals.confirm")
    return _proposal_out(actions.dismiss_proposal(actor=request.user, proposal=proposal, reason=payload.reason))
