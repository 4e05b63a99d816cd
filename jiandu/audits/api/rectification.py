"""Audits API: the rectification items of findings (jiandu.core.rectification): add an item,
progress with evidence (multipart form), verify and close, return, follow-up visits."""

import datetime as dt
from typing import Literal

from django.utils.translation import gettext as _
from ninja import File, Form, Query, Schema
from ninja.files import UploadedFile

from jiandu.core.api import Id, InputSchema, Page, PageQuery, paginate, text
from jiandu.core.errors import ActionError
from jiandu.registry.models import Cadre

from .. import actions, queries
from ..models import FollowUpVisit
from .common import _require_view, router


class AuditRectificationUpdateOut(Schema):
    id: int
    kind: str
    on: dt.date
    progress: str
    evidence_name: str


class AuditFollowUpVisitOut(Schema):
    visited_on: dt.date
    visited_by: str
    outcome: str
    note: str


class AuditRectificationItemOut(Schema):
    id: int
    finding_id: int
    measure: str
    owner: str
    owner_cadre_id: int | None
    due_on: dt.date
    due_rule: str
    status: str
    overdue: bool
    reminded_on: dt.date | None
    escalated_on: dt.date | None
    closed_on: dt.date | None
    verification_note: str
    updates: list[AuditRectificationUpdateOut]
    visits: list[AuditFollowUpVisitOut]


def item_out(item, today: dt.date | None = None) -> dict:
    today = today or dt.date.today()
    return {
        "id": item.pk,
        "finding_id": item.finding_id,
        "measure": item.measure,
        "owner": item.owner,
        "owner_cadre_id": item.owner_cadre_id,
        "due_on": item.due_on,
        "due_rule": item.due_rule,
        "status": item.status,
        "overdue": item.is_overdue(today),
        "reminded_on": item.reminded_on,
        "escalated_on": item.escalated_on,
        "closed_on": item.closed_on,
        "verification_note": item.verification_note,
        "updates": [{"id": u.pk, "kind": u.kind, "on": u.on, "progress": u.progress, "evidence_name": u.evidence_name} for u in item.updates.all()],
        "visits": [{"visited_on": v.visited_on, "visited_by": v.visited_by, "outcome": v.outcome, "note": v.note} for v in item.visits.all()],
    }


class AuditRectificationItemIn(InputSchema):
    measure: text(10000, 1)
    owner_id: Id | None = None
    owner_name: text(100) = ""
    due_on: dt.date | None = None


class AuditVerificationIn(InputSchema):
    note: text(10000) = ""


class AuditReturnIn(InputSchema):
    note: text(10000, 1)


class AuditFollowUpVisitIn(InputSchema):
    visited_on: dt.date
    visited_by: text(100, 1)
    outcome: Literal[tuple(FollowUpVisit.Outcome.values)]
    note: text(10000) = ""


class AuditRectificationFilters(PageQuery):
    overdue: bool = False


def _item(request, item_id) -> dict:
    return item_out(queries.get_rectification_item_for(request.user, item_id))


@router.post("/findings/{finding_id}/items", response={201: AuditRectificationItemOut}, summary="Add a rectification item to a finding")
def audits_add_rectification_item(request, finding_id: Id, payload: AuditRectificationItemIn):
    """The owner is a cadre of the audited unit (owner_id) or a named person (owner_name)."""
    finding = queries.get_finding_for(request.user, finding_id)
    owner = None
    if payload.owner_id is not None:
        owner = Cadre.objects.filter(pk=payload.owner_id, unit__path__startswith=finding.audit.unit.path).first()
        if owner is None:
            raise ActionError(_("Choose the rectification owner from the audited unit's cadres."), field="owner_id")
    item = actions.add_rectification_item(
        actor=request.user, finding=finding, measure=payload.measure, owner=owner, owner_name=payload.owner_name, due_on=payload.due_on
    )
    return 201, _item(request, item.pk)


@router.get("/rectification-items", response=Page[AuditRectificationItemOut], summary="Rectification items of audit findings (optionally only the overdue)")
def audits_rectification_items(request, filters: Query[AuditRectificationFilters]):
    _require_view(request.user)
    qs = queries.rectification_items_visible_to(request.user).prefetch_related("updates", "visits")
    if filters.overdue:
        qs = queries.overdue_rectification_items(qs)
    today = dt.date.today()
    return paginate(qs.order_by("due_on", "id"), filters, lambda i: item_out(i, today))


@router.post(
    "/rectification-items/{item_id}/progress", response=AuditRectificationItemOut, summary="Record a progress report with optional evidence (multipart form)"
)
def audits_record_progress(request, item_id: Id, progress: Form[text(10000, 1)], on: Form[dt.date], evidence: File[UploadedFile] = None):
    """The evidence file (PDF, JPEG, PNG, DOCX or XLSX) is checked by size, content and structure."""
    item = queries.get_rectification_item_for(request.user, item_id)
    actions.record_progress(actor=request.user, item=item, progress=progress, on=on, evidence=evidence)
    return _item(request, item_id)


@router.post("/rectification-items/{item_id}/closing", response=AuditRectificationItemOut, summary="Verify and close a reported item (销号)")
def audits_close_item(request, item_id: Id, payload: AuditVerificationIn):
    """The finding is rectified when all its items are closed; the audit closes with its last finding."""
    item = queries.get_rectification_item_for(request.user, item_id)
    actions.close_item(actor=request.user, item=item, note=payload.note)
    return _item(request, item_id)


@router.post("/rectification-items/{item_id}/return", response=AuditRectificationItemOut, summary="Return a reported item for more work, with the reason")
def audits_return_item(request, item_id: Id, payload: AuditReturnIn):
    item = queries.get_rectification_item_for(request.user, item_id)
    actions.return_item(actor=request.user, item=item, note=payload.note)
    return _item(request, item_id)


@router.post("/rectification-items/{item_id}/visits", response={201: AuditRectificationItemOut}, summary="Record a follow-up visit (跟踪回访) on a closed item")
def audits_record_visit(request, item_id: Id, payload: AuditFollowUpVisitIn):
    item = queries.get_rectification_item_for(request.user, item_id)
    actions.record_visit(actor=request.user, item=item, **payload.dict())
    return 201, _item(request, item_id)
