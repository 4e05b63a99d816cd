"""Audits JSON API (/api/v1/audits/): audit subjects, departures without their audit or
handover, and exempting one. Reads through audits.queries (scoped; not visible = 404), writes
through the actions. Operation names carry the `audits_` prefix (one namespace for every app)."""

import datetime as dt

from ninja import Query, Router, Schema

from jiandu.accounts import access
from jiandu.core.api import Id, InputSchema, Page, PageQuery, paginate, text

from . import actions, queries

router = Router(tags=["audits"])


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


class DepartureOut(Schema):
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


def _require_view(user):
    if not access.can(user, "audits.view"):
        raise access.NotVisible()


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


@router.get("/departures", response=Page[DepartureOut], summary="Departures without a departure audit or handover")
def audits_open_departures(request, page: Query[PageQuery]):
    _require_view(request.user)
    return paginate(queries.open_departures_visible_to(request.user), page, _departure)


@router.post("/departures/{event_id}/exemption", response={201: ExemptionOut}, summary="Exempt a departure, with a reason")
def audits_exempt_departure(request, event_id: Id, payload: ExemptionIn):
    """Needs audits.manage on the departure's unit; journaled."""
    event = queries.get_open_departure_for(request.user, event_id)
    exemption = actions.exempt_departure(actor=request.user, event=event, reason=payload.reason)
    return 201, {"id": exemption.pk, "event_id": exemption.event_id, "reason": exemption.reason}
