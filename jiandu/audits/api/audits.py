"""Audits API: departure and in-term audits from the notice onwards."""

import datetime as dt
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Query, Schema

from jiandu.accounts import access
from jiandu.core.api import Id, InputSchema, Page, PageQuery, paginate, text
from jiandu.core.errors import ActionError
from jiandu.registry.models import Tenure

from .. import actions, queries
from ..models import DepartureAudit
from .common import _require_view, router

# --- departure audits -----------------------------------------------------------------------


class AuditOut(Schema):
    id: int
    kind: str
    reason: str
    cadre_id: int
    cadre: str
    unit: str
    period_start: dt.date
    period_end: dt.date
    stage: str
    notice_number: str
    notice_served_on: dt.date | None
    fieldwork_starts_on: dt.date | None
    fieldwork_started_on: dt.date | None
    draft_sent_on: dt.date | None
    comments_due_on: dt.date | None
    comments_received_on: dt.date | None
    no_objection: bool
    report_issued_on: dt.date | None
    report_number: str
    grade: str
    conclusion: str
    closed_on: dt.date | None


class NoticeIn(InputSchema):
    served_on: dt.date
    fieldwork_starts_on: dt.date


def _audit(a) -> dict:
    return {
        "id": a.pk,
        "kind": a.kind,
        "reason": a.reason,
        "cadre_id": a.cadre_id,
        "cadre": a.cadre.name,
        "unit": a.unit.label,
        "period_start": a.period_start,
        "period_end": a.period_end,
        "stage": a.stage,
        "notice_number": a.notice_number,
        "notice_served_on": a.notice_served_on,
        "fieldwork_starts_on": a.fieldwork_starts_on,
        "fieldwork_started_on": a.fieldwork_started_on,
        "draft_sent_on": a.draft_sent_on,
        "comments_due_on": a.comments_due_on,
        "comments_received_on": a.comments_received_on,
        "no_objection": a.no_objection,
        "report_issued_on": a.report_issued_on,
        "report_number": a.report_number,
        "grade": a.grade,
        "conclusion": a.conclusion,
        "closed_on": a.closed_on,
    }


@router.get("/audits/{audit_id}", response=AuditOut, summary="A departure audit")
def audits_audit(request, audit_id: Id):
    return _audit(queries.get_audit_for(request.user, audit_id))


@router.post("/audits/{audit_id}/notice", response=AuditOut, summary="Serve the audit notice (≥ 3 working days before fieldwork)")
def audits_serve_notice(request, audit_id: Id, payload: NoticeIn):
    """Numbers the notice (审通〔year〕N号); refused when fieldwork starts earlier than the
    configured working days after the notice, with the computation in the message."""
    audit = queries.get_audit_for(request.user, audit_id)
    return _audit(actions.serve_notice(actor=request.user, audit=audit, served_on=payload.served_on, fieldwork_starts_on=payload.fieldwork_starts_on))


class AuditFilters(PageQuery):
    kind: Literal[tuple(DepartureAudit.Kind.values)] | None = None


@router.get("/audits", response=Page[AuditOut], summary="Audits, departure and in-term")
def audits_audits(request, filters: Query[AuditFilters]):
    _require_view(request.user)
    qs = queries.audits_visible_to(request.user)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    return paginate(qs.order_by("-period_end", "-id"), filters, _audit)


class InTermIn(InputSchema):
    tenure_id: Id
    reason: text(2000, 1)


def _tenure(user, tenure_id):
    tenure = Tenure.objects.filter(access.scope_q(user, "audits.view", "position__unit__path"), pk=tenure_id).first()
    if tenure is None:
        raise ActionError(_("Choose a serving audit subject from the list."), field="tenure_id")
    return tenure


@router.post("/audits", response={201: AuditOut}, summary="Start an in-term audit directly, with a reason")
def audits_start_in_term(request, payload: InTermIn):
    """A serving audit subject chosen by the audit office (audits.manage on its unit); journaled."""
    if not access.can(request.user, "audits.manage"):
        raise access.NotVisible()
    return 201, _audit(actions.start_in_term_audit(actor=request.user, tenure=_tenure(request.user, payload.tenure_id), reason=payload.reason))
