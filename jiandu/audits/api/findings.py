"""Audits API: the audit's course after the notice, findings, rectification and clue transfer."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Query, Schema

from jiandu.core.api import Id, InputSchema, Page, PageQuery, paginate, text
from jiandu.core.errors import ActionError
from jiandu.registry.models import Cadre

from .. import actions, queries
from ..models import DepartureAudit, Finding
from .audits import AuditOut, _audit
from .common import _require_view, router

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
    responsibility: Literal[tuple(Finding.Responsibility.values)]
    description: text(10000, 1)
    owner_id: Id
    working_days: int | None = None


class ReportLineOut(Schema):
    kind: str
    on: dt.date
    text: str


class FindingOut(Schema):
    id: int
    audit_id: int
    category: str
    amount: Decimal
    responsibility: str
    description: str
    owner_id: int
    owner: str
    due_on: dt.date
    overdue: bool
    status: str
    verified_on: dt.date | None
    reports: list[ReportLineOut]
    clue_number: str
    clue_to: str


class ProgressIn(InputSchema):
    reported_on: dt.date
    progress: text(10000, 1)


class VerificationIn(InputSchema):
    accepted: bool
    note: text(10000) = ""


class FindingFilters(PageQuery):
    overdue: bool = False


def _finding(f) -> dict:
    return {
        "id": f.pk,
        "audit_id": f.audit_id,
        "category": f.category,
        "amount": f.amount,
        "responsibility": f.responsibility,
        "description": f.description,
        "owner_id": f.owner_id,
        "owner": f.owner.name,
        "due_on": f.due_on,
        "overdue": f.status != Finding.Status.VERIFIED and f.due_on < dt.date.today(),
        "status": f.status,
        "verified_on": f.verified_on,
        "reports": [{"kind": r.kind, "on": r.on, "text": r.text} for r in f.reports.all()],
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


@router.post("/audits/{audit_id}/findings", response={201: FindingOut}, summary="Record a finding with its rectification owner and deadline")
def audits_add_finding(request, audit_id: Id, payload: FindingIn):
    audit = queries.get_audit_for(request.user, audit_id)
    owner = Cadre.objects.filter(pk=payload.owner_id, unit__path__startswith=audit.unit.path).first()
    if owner is None:
        raise ActionError(_("Choose the rectification owner from the audited unit's cadres."), field="owner_id")
    finding = actions.add_finding(
        actor=request.user,
        audit=audit,
        category=payload.category,
        amount=payload.amount,
        responsibility=payload.responsibility,
        description=payload.description,
        owner=owner,
        working_days=payload.working_days,
    )
    return 201, _finding(finding)


@router.post("/audits/{audit_id}/closing", response=AuditOut, summary="Close the audit (every finding verified)")
def audits_close_audit(request, audit_id: Id):
    audit = queries.get_audit_for(request.user, audit_id)
    return _audit(actions.close_audit(actor=request.user, audit=audit))


@router.get("/findings", response=Page[FindingOut], summary="Audit findings (optionally only the overdue rectifications)")
def audits_findings(request, filters: Query[FindingFilters]):
    _require_view(request.user)
    qs = queries.findings_visible_to(request.user).prefetch_related("reports")
    if filters.overdue:
        qs = queries.overdue_findings(qs)
    return paginate(qs.order_by("due_on", "id"), filters, _finding)


@router.post("/findings/{finding_id}/progress", response=FindingOut, summary="Record a rectification progress report")
def audits_report_rectification(request, finding_id: Id, payload: ProgressIn):
    finding = queries.get_finding_for(request.user, finding_id)
    actions.report_rectification(actor=request.user, finding=finding, reported_on=payload.reported_on, text=payload.progress)
    return _finding(queries.get_finding_for(request.user, finding_id))


@router.post("/findings/{finding_id}/verification", response=FindingOut, summary="Verify a rectification: accepted or returned")
def audits_verify_rectification(request, finding_id: Id, payload: VerificationIn):
    """When every finding of the audit is accepted the audit is closed."""
    finding = queries.get_finding_for(request.user, finding_id)
    actions.verify_rectification(actor=request.user, finding=finding, accepted=payload.accepted, text=payload.note)
    return _finding(queries.get_finding_for(request.user, finding_id))


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
