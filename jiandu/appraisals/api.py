"""JSON API of target supervision (mounted under /api/v1/appraisals/). The same actions and
scoped queries as the pages: not visible = 404, a failed precondition = 400 with the message and
the field, results before the evaluation closed = 409. Scores are given exactly ("n/d") and
rounded for display."""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from jiandu.accounts import access
from jiandu.core.api import Text
from jiandu.core.errors import ActionError, RowErrors
from jiandu.registry import queries as registry_queries

from . import actions, queries, scoring
from .models import AdmonishmentProposal, AppraisalCycle

router = Router(tags=["appraisals"])


class ErrorOut(Schema):
    detail: str
    field: str | None = None
    code: str = "invalid"
    errors: list[dict] = []


class CycleIn(Schema):
    unit_id: int
    year: int
    kind: str = AppraisalCycle.Kind.ANNUAL
    title: str = Field("", max_length=200)
    description: str = Field("", max_length=5000)
    uses_target_scores: bool = True


class CycleOut(Schema):
    id: int
    year: int
    kind: str
    title: str
    unit_id: int
    unit_name: str
    status: str
    uses_target_scores: bool
    units: int
    cadres: int
    pending_proposals: int


class AssessedUnitOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    ballot_id: int | None
    cadres: list[str]


class CycleDetailOut(CycleOut):
    parameters: dict
    assessed_units: list[AssessedUnitOut]
    stages: list[dict]


class EvaluationIn(Schema):
    headcounts: dict[int, dict[str, int]] = Field(..., description="{assessed unit id: {voter group code: headcount}}")
    opens_at: dt.datetime | None = None
    closes_at: dt.datetime | None = None


class UnitResultOut(Schema):
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


class CadreResultOut(Schema):
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


class ResultsOut(Schema):
    cycle_id: int
    status: str
    parameters: dict
    units: list[UnitResultOut]
    cadres: list[CadreResultOut]
    quotas: list[dict]


class ProposalOut(Schema):
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
    status: str
    created_at: dt.datetime
    decided_at: dt.datetime | None
    decision_note: str
    reference: str


class NoteIn(Schema):
    note: str = Field("", max_length=2000)


class ReasonIn(Schema):
    reason: str = Field(..., max_length=2000)


def _user(request):
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        raise HttpError(401, _("Authentication required."))
    return user


def _error(exc: ActionError):
    body = {"detail": str(exc.message), "field": exc.field, "code": exc.code, "errors": []}
    if isinstance(exc, RowErrors):
        body["detail"] = str(_("Nothing was stored: correct the rows and try again."))
        body["errors"] = exc.errors
    return 400, body


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


@router.get("/cycles", response=list[CycleOut], summary="Appraisal cycles in the user's scope")
def list_cycles(request, year: int | None = None, status: Text | None = None):
    user = _user(request)
    access.require(user, "appraisals.view")
    qs = queries.cycles_visible_to(user)
    if year is not None:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    return [_cycle_out(c) for c in qs.order_by("-year", "-id")[:500]]


@router.post("/cycles", response={201: CycleDetailOut, 400: ErrorOut, 404: ErrorOut}, summary="Create an appraisal cycle")
def create_cycle(request, payload: CycleIn):
    user = _user(request)
    unit = registry_queries.units_visible_to(user, "appraisals.manage").filter(pk=payload.unit_id).first()
    if unit is None:
        raise access.NotVisible()
    try:
        cycle = actions.create_cycle(
            actor=user,
            unit=unit,
            year=payload.year,
            kind=payload.kind,
            title=payload.title,
            description=payload.description,
            uses_target_scores=payload.uses_target_scores,
        )
    except ActionError as exc:
        return _error(exc)
    return 201, _cycle_detail(cycle)


@router.get("/cycles/{cycle_id}", response=CycleDetailOut, summary="One appraisal cycle with its units and stages")
def get_cycle(request, cycle_id: int):
    return _cycle_detail(queries.get_cycle_for(_user(request), cycle_id))


@router.post("/cycles/{cycle_id}/evaluation", response={201: CycleDetailOut, 400: ErrorOut, 404: ErrorOut}, summary="Create and open the ballots of a cycle")
def open_evaluation(request, cycle_id: int, payload: EvaluationIn):
    user = _user(request)
    cycle = queries.get_cycle_for(user, cycle_id, "appraisals.manage")
    try:
        cycle = actions.open_evaluation(actor=user, cycle=cycle, headcounts=payload.headcounts, opens_at=payload.opens_at, closes_at=payload.closes_at)
    except ActionError as exc:
        return _error(exc)
    return 201, _cycle_detail(cycle)


@router.post(
    "/cycles/{cycle_id}/evaluation/close", response={200: CycleDetailOut, 400: ErrorOut, 404: ErrorOut}, summary="Close the ballots and compute the results"
)
def close_evaluation(request, cycle_id: int):
    user = _user(request)
    cycle = queries.get_cycle_for(user, cycle_id, "appraisals.manage")
    try:
        cycle = actions.close_evaluation(actor=user, cycle=cycle)
    except ActionError as exc:
        return _error(exc)
    return 200, _cycle_detail(cycle)


@router.get(
    "/cycles/{cycle_id}/results", response={200: ResultsOut, 404: ErrorOut, 409: ErrorOut}, summary="Scores, votes and grades (after the evaluation closed)"
)
def get_results(request, cycle_id: int):
    cycle = queries.get_cycle_for(_user(request), cycle_id)
    if not cycle.results_available:
        return 409, {"detail": str(_("Results are available once the evaluation has closed.")), "code": "hidden"}
    field = "grade" if cycle.grades_confirmed else "proposed_grade"
    return 200, {
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


@router.get("/proposals", response=list[ProposalOut], summary="Yellow-card proposals in the user's scope")
def list_proposals(request, status: Text | None = AdmonishmentProposal.Status.PENDING):
    user = _user(request)
    access.require(user, "appraisals.view")
    qs = queries.proposals_visible_to(user)
    if status and status != "all":
        qs = qs.filter(status=status)
    return [_proposal_out(p) for p in qs.order_by("-created_at", "-id")[:500]]


@router.post("/proposals/{proposal_id}/confirm", response={200: ProposalOut, 400: ErrorOut, 404: ErrorOut}, summary="Confirm a yellow card")
def confirm_proposal(request, proposal_id: int, payload: NoteIn):
    user = _user(request)
    proposal = queries.get_proposal_for(user, proposal_id, "appraisals.confirm")
    try:
        proposal = actions.confirm_proposal(actor=user, proposal=proposal, note=payload.note)
    except ActionError as exc:
        return _error(exc)
    return 200, _proposal_out(proposal)


@router.post("/proposals/{proposal_id}/dismiss", response={200: ProposalOut, 400: ErrorOut, 404: ErrorOut}, summary="Dismiss a yellow card with a reason")
def dismiss_proposal(request, proposal_id: int, payload: ReasonIn):
    user = _user(request)
    proposal = queries.get_proposal_for(user, proposal_id, "appraisals.confirm")
    try:
        proposal = actions.dismiss_proposal(actor=user, proposal=proposal, reason=payload.reason)
    except ActionError as exc:
        return _error(exc)
    return 200, _proposal_out(proposal)
