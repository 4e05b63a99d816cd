"""Audits API: risk-ranked candidates and the yearly audit plan."""

import datetime as dt

from ninja import Query, Schema

from jiandu.core.api import Id, InputSchema, Page, PageQuery, paginate, text

from .. import actions, queries, risk
from ..models import AuditPlan
from .audits import _tenure
from .common import _require_view, router

# --- risk-ranked candidates and the yearly audit plan -----------------------------------------


class ScorePart(Schema):
    key: str
    count: int | None
    weight: int
    points: int


class AuditCandidateOut(Schema):
    tenure_id: int
    cadre_id: int
    cadre: str
    position: str
    score: int
    parts: list[ScorePart]
    computation: str
    last_audit_end: dt.date | None


@router.get("/candidates", response=Page[AuditCandidateOut], summary="Serving audit subjects ranked by risk score, with its parts")
def audits_candidates(request, page: Query[PageQuery]):
    _require_view(request.user)
    rows = queries.risk_candidates(request.user)
    items = [
        {
            "tenure_id": t.pk,
            "cadre_id": t.cadre_id,
            "cadre": t.cadre.name,
            "position": str(t.position),
            "score": t.risk.total,
            "parts": t.risk.stored(),
            "computation": t.risk.explain(),
            "last_audit_end": t.last_audit_end,
        }
        for t in rows[page.offset : page.offset + page.limit]
    ]
    return {"count": len(rows), "limit": page.limit, "offset": page.offset, "items": items}


class PlanEntryOut(Schema):
    id: int
    tenure_id: int
    cadre: str
    score: int
    parts: list[ScorePart]
    computation: str
    reason: str
    audit_id: int | None


class PlanOut(Schema):
    id: int
    year: int
    status: str
    drafted_by: str
    approved_by: str | None
    approved_on: dt.date | None


class PlanDetailOut(PlanOut):
    entries: list[PlanEntryOut]


class PlanIn(InputSchema):
    year: int


class PlanEntryIn(InputSchema):
    tenure_id: Id
    reason: text(2000) = ""


def _plan(p) -> dict:
    return {
        "id": p.pk,
        "year": p.year,
        "status": p.status,
        "drafted_by": p.drafted_by.username,
        "approved_by": p.approved_by.username if p.approved_by_id else None,
        "approved_on": p.approved_on,
    }


def _plan_detail(user, p) -> dict:
    p = AuditPlan.objects.select_related("drafted_by", "approved_by").get(pk=p.pk)
    data = _plan(p)
    data["entries"] = [
        {
            "id": e.pk,
            "tenure_id": e.tenure_id,
            "cadre": e.cadre.name,
            "score": e.score,
            "parts": e.parts,
            "computation": risk.explain_parts(e.parts),
            "reason": e.reason,
            "audit_id": e.audit_id,
        }
        for e in queries.plan_entries_visible_to(user, p)
    ]
    return data


@router.get("/plans", response=Page[PlanOut], summary="Yearly audit plans")
def audits_plans(request, page: Query[PageQuery]):
    _require_view(request.user)
    return paginate(queries.plans_visible_to(request.user), page, _plan)


@router.post("/plans", response={201: PlanDetailOut}, summary="Draft the yearly audit plan of a year")
def audits_draft_plan(request, payload: PlanIn):
    return 201, _plan_detail(request.user, actions.draft_plan(actor=request.user, year=payload.year))


@router.get("/plans/{plan_id}", response=PlanDetailOut, summary="A yearly audit plan with its subjects and their scores")
def audits_plan(request, plan_id: Id):
    _require_view(request.user)
    return _plan_detail(request.user, queries.get_plan_for(request.user, plan_id))


@router.post("/plans/{plan_id}/entries", response=PlanDetailOut, summary="Put a serving subject into the draft plan")
def audits_add_plan_entry(request, plan_id: Id, payload: PlanEntryIn):
    plan = queries.get_plan_for(request.user, plan_id)
    actions.add_plan_entry(actor=request.user, plan=plan, tenure=_tenure(request.user, payload.tenure_id), reason=payload.reason)
    return _plan_detail(request.user, plan)


@router.delete("/plans/{plan_id}/entries/{entry_id}", response=PlanDetailOut, summary="Take a subject out of the draft plan")
def audits_remove_plan_entry(request, plan_id: Id, entry_id: Id):
    plan = queries.get_plan_for(request.user, plan_id)
    actions.remove_plan_entry(actor=request.user, plan=plan, entry_id=entry_id)
    return _plan_detail(request.user, plan)


@router.post("/plans/{plan_id}/approval", response=PlanDetailOut, summary="Approve the plan (the head); starts its in-term audits")
def audits_approve_plan(request, plan_id: Id):
    """Needs audits.approve; whoever drafted the plan cannot approve it."""
    plan = queries.get_plan_for(request.user, plan_id)
    return _plan_detail(request.user, actions.approve_plan(actor=request.user, plan=plan))
