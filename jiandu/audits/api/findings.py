"""Audits API: the audit's course after the notice, findings and clue transfer (their rectification
items: rectification.py)."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Query, Schema

from jiandu.core.api import Id, InputSchema, Page, PageQuery, paginate, text
from jiandu.core.errors import ActionError
from jiandu.registry.models import Cadre

from .. import actions, queries
from ..models import DepartureAudit, Finding, RectificationItem
from .audits import AuditOut, _audit
from .common import _require_view, router
from .rectification import AuditRectificationItemOut, item_out

# --- the audit's course after the notice, findings and rectification ---------------------------


class FieldworkIn(InputSchema):
    started_on: dt.date


class DraftIn(InputSchema):
    sent_on: dt.date


class CommentsIn(InputSchema):
    received_on: dt.date
    comments: text(10000, 1)


class ReportIn(InputSchema):
    issued_on: dt.date
    grade: Literal[tuple(DepartureAudit.Grade.values)]
    conclusion: text(10000, 1)


class FindingIn(InputSchema):
    category: Literal[tuple(Finding.Category.values)]
    amount: Decimal = Decimal(0)
    severity: Literal[tuple(Finding.Severity.values)] = Finding.Severity.MEDIUM
    responsibility: Literal[tuple(Finding.Responsibility.values)]
    description: text(10000, 1)
    evidence: text(10000) = ""
    owner_id: Id | None = None
    owner_name: text(100) = ""
    measure: text(10000) = ""
    due_on: dt.date | None = None


class FindingOut(Schema):
    id: int
    audit_id: int
    category: str
    amount: Decimal
    severity: str
    responsibility: str
    description: str
    evidence: str
    status: str
    verified_on: dt.date | None
    items: list[AuditRectificationItemOut]
    clue_number: str
    clue_to: str


class FindingFilters(PageQuery):
    overdue: bool = False


def _finding(f) -> dict:
    today = dt.date.today()
    return {
        "id": f.pk,
        "audit_id": f.audit_id,
        "category": f.category,
        "amount": f.amount,
        "severity": f.severity,
        "responsibility": f.responsibility,
        "description": f.description,
        "evidence": f.evidence,
        "status": f.status,
        "verified_on": f.verified_on,
        "items": [item_out(i, today) for i in f.items.all()],
        "clue_number": f.clue_number,
        "clue_to": f.clue_to,
    }


@router.post("/audits/{audit_id}/fieldwork", response=AuditOut, summary="Record the start of fieldwork (not before the notice's date)")
def audits_start_fieldwork(request, audit_id: Id, payload: FieldworkIn):
    audit = queries.get_audit_for(request.user, audit_id)
    return _audit(actions.start_fieldwork(actor=request.user, audit=audit, started_on=payload.started_on))


@router.post("/audits/{audit_id}/draft-report", response=AuditOut, summary="Record the draft report sent to the audited cadre")
def audits_send_draft_report(request, audit_id: Id, payload: DraftIn):
    audit = queries.get_audit_for(request.user, audit_id)
    return _audit(actions.send_draft_report(actor=request.user, audit=audit, sent_on=payload.sent_on))


@router.post("/audits/{audit_id}/comments", response=AuditOut, summary="Record the audited cadre's written comments (within the window)")
def audits_record_comments(request, audit_id: Id, payload: CommentsIn):
    audit = queries.get_audit_for(request.user, audit_id)
    return _audit(actions.record_comments(actor=request.user, audit=audit, received_on=payload.received_on, comments=payload.comments))


@router.post("/audits/{audit_id}/report", response=AuditOut, summary="Issue the final report with its evaluation grade")
def audits_issue_final_report(request, audit_id: Id, payload: ReportIn):
    """After the comments, or after the window without them (recorded as no objection)."""
    audit = queries.get_audit_for(request.user, audit_id)
    return _audit(actions.issue_final_report(actor=request.user, audit=audit, issued_on=payload.issued_on, grade=payload.grade, conclusion=payload.conclusion))


@router.post("/audits/{audit_id}/findings", response={201: FindingOut}, summary="Record a finding, with its first rectification item when an owner is given")
def audits_add_finding(request, audit_id: Id, payload: FindingIn):
    """The owner is a cadre of the audited unit (owner_id) or a named person (owner_name); the
    deadline defaults to the setting rectification.default_days after the report."""
    audit = queries.get_audit_for(request.user, audit_id)
    owner = None
    if payload.owner_id is not None:
        owner = Cadre.objects.filter(pk=payload.owner_id, unit__path__startswith=audit.unit.path).first()
        if owner is None:
            raise ActionError(_("Choose the rectification owner from the audited unit's cadres."), field="owner_id")
    finding = actions.add_finding(
        actor=request.user,
        audit=audit,
        category=payload.category,
        amount=payload.amount,
        severity=payload.severity,
        responsibility=payload.responsibility,
        description=payload.description,
        evidence=payload.evidence,
        owner=owner,
        owner_name=payload.owner_name,
        measure=payload.measure,
        due_on=payload.due_on,
    )
    return 201, _finding(finding)


@router.post("/audits/{audit_id}/closing", response=AuditOut, summary="Close the audit (every finding rectified)")
def audits_close_audit(request, audit_id: Id):
    audit = queries.get_audit_for(request.user, audit_id)
    return _audit(actions.close_audit(actor=request.user, audit=audit))


@router.get("/findings", response=Page[FindingOut], summary="Audit findings with their rectification items (optionally only those with overdue items)")
def audits_findings(request, filters: Query[FindingFilters]):
    _require_view(request.user)
    qs = queries.findings_visible_to(request.user).prefetch_related("items__updates", "items__visits")
    if filters.overdue:
        qs = qs.filter(items__in=queries.overdue_rectification_items(RectificationItem.objects.all())).distinct()
    return paginate(qs.order_by("audit__report_issued_on", "id"), filters, _finding)


class ClueTransferIn(InputSchema):
    to_unit_id: Id
    note: text(2000) = ""


@router.post("/findings/{finding_id}/clue", response=FindingOut, summary="Transfer a finding to the discipline inspection department as a clue (once)")
def audits_transfer_finding_as_clue(request, finding_id: Id, payload: ClueTransferIn):
    """Registered in the caller's clue department and transferred at once (daily supervision's
    clue registry); a second transfer of the same finding is refused."""
    finding = queries.get_finding_for(request.user, finding_id)
    actions.transfer_finding_as_clue(actor=request.user, finding=finding, to_unit=payload.to_unit_id, note=payload.note)
    return _finding(queries.get_finding_for(request.user, finding_id))
