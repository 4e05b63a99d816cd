"""Audits API: audit subjects, departures without an audit or handover, exemptions."""

import datetime as dt

from ninja import Query, Schema

from jiandu.core.api import Id, InputSchema, Page, PageQuery, paginate, text

from .. import actions, queries
from .common import _require_view, router


class SubjectOut(Schema):
    tenure_id: int
    cadre_id: int
    cadre: str
    position: str
    is_acting: bool
    responsible_from: dt.date
    responsible_until: dt.date | None
    last_audit_id: int | None
    last_audit_stage: str | None


class AuditDepartureOut(Schema):
    id: int
    cadre_id: int | None
    position: str
    ended_on: dt.date
    age_days: int
    has_audit: bool
    has_handover: bool


class ExemptionIn(InputSchema):
    reason: text(2000, 1)


class ExemptionOut(Schema):
    id: int
    event_id: int
    reason: str
    status: str
    requested_by: str | None
    decided_by: str | None
    decision_note: str


class ExemptionDecisionIn(InputSchema):
    approve: bool
    note: text(2000) = ""


class ExemptionFilters(PageQuery):
    pending: bool = False


def _exemption(e) -> dict:
    return {
        "id": e.pk,
        "event_id": e.event_id,
        "reason": e.reason,
        "status": e.status,
        "requested_by": e.requested_by.username if e.requested_by_id else None,
        "decided_by": e.decided_by.username if e.decided_by_id else None,
        "decision_note": e.decision_note,
    }


@router.get("/subjects", response=Page[SubjectOut], summary="Audit subjects and their last audit")
def audits_subjects(request, page: Query[PageQuery]):
    _require_view(request.user)
    rows = queries.subjects_visible_to(request.user)
    items = [
        {
            "tenure_id": t.pk,
            "cadre_id": t.cadre_id,
            "cadre": t.cadre.name,
            "position": str(t.position),
            "is_acting": t.is_acting,
            "responsible_from": t.started_on,
            "responsible_until": t.ended_on,
            "last_audit_id": t.last_audit.pk if t.last_audit else None,
            "last_audit_stage": t.last_audit.stage if t.last_audit else None,
        }
        for t in rows[page.offset : page.offset + page.limit]
    ]
    return {"count": len(rows), "limit": page.limit, "offset": page.offset, "items": items}


def _departure(event) -> dict:
    ended = dt.date.fromisoformat(event.data["ended_on"])
    return {
        "id": event.pk,
        "cadre_id": event.cadre_id,
        "position": event.data["position"],
        "ended_on": ended,
        "age_days": (dt.date.today() - ended).days,
        "has_audit": event.has_audit,
        "has_handover": event.has_handover,
    }


@router.get("/departures", response=Page[AuditDepartureOut], summary="Departures without a departure audit or handover")
def audits_open_departures(request, page: Query[PageQuery]):
    _require_view(request.user)
    return paginate(queries.open_departures_visible_to(request.user), page, _departure)


@router.post("/departures/{event_id}/exemption", response={201: ExemptionOut}, summary="Ask for a departure to be exempted, with a reason")
def audits_exempt_departure(request, event_id: Id, payload: ExemptionIn):
    """Needs audits.manage on the departure's unit; journaled. Not effective before the head
    approves it (`POST /exemptions/{id}/decision`)."""
    event = queries.get_open_departure_for(request.user, event_id)
    exemption = actions.request_exemption(actor=request.user, event=event, reason=payload.reason)
    return 201, _exemption(exemption)


@router.get("/exemptions", response=Page[ExemptionOut], summary="Exemption requests (optionally only those awaiting approval)")
def audits_exemptions(request, filters: Query[ExemptionFilters]):
    _require_view(request.user)
    qs = queries.exemptions_visible_to(request.user)
    if filters.pending:
        qs = qs.filter(status="requested")
    return paginate(qs.order_by("requested_at", "id"), filters, _exemption)


@router.post("/exemptions/{exemption_id}/decision", response=ExemptionOut, summary="Approve or reject an exemption (the head)")
def audits_decide_exemption(request, exemption_id: Id, payload: ExemptionDecisionIn):
    """Needs audits.approve on the departure's unit; whoever asked cannot decide; a rejection needs a note."""
    exemption = queries.get_exemption_for(request.user, exemption_id)
    return _exemption(actions.decide_exemption(actor=request.user, exemption=exemption, approve=payload.approve, note=payload.note))
