"""Audits JSON API (/api/v1/audits/): audit subjects, departures without their audit or
handover, and exempting one. Reads through audits.queries (scoped; not visible = 404), writes
through the actions. Operation names carry the `audits_` prefix (one namespace for every app)."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from jiandu.accounts import access
from jiandu.core.api import Id, InputSchema, Page, PageQuery, paginate, text
from jiandu.core.errors import ActionError
from jiandu.registry.models import Cadre, Tenure

from . import actions, queries, risk, training_actions, training_queries
from .models import AuditPlan, DepartureAudit, Finding, Handover, HandoverSignature, TrainingParticipant, TrainingSession

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


# --- departure handovers ----------------------------------------------------------------------


class HandoverItemOut(Schema):
    id: int
    order: int
    title: str
    figures: str
    notes: str


class SignatureOut(Schema):
    party: str
    user: str
    signed_at: dt.datetime


class HandoverOut(Schema):
    id: int
    cadre_id: int
    cadre: str
    unit: str
    departed_on: dt.date
    due_on: dt.date
    overdue: bool
    status: str
    successor_id: int | None
    supervisor: str | None
    completed_on: dt.date | None


class HandoverDetailOut(HandoverOut):
    items: list[HandoverItemOut]
    signatures: list[SignatureOut]


class HandoverFilters(PageQuery):
    overdue: bool = False


class PartiesIn(InputSchema):
    successor_id: Id | None = None
    supervisor: text(150, 1) | None = None


class HandoverItemIn(InputSchema):
    item_id: Id
    figures: text(500) = ""
    notes: text(5000) = ""


class SignIn(InputSchema):
    party: Literal[tuple(HandoverSignature.Party.values)]


def _handover(h) -> dict:
    return {
        "id": h.pk,
        "cadre_id": h.cadre_id,
        "cadre": h.cadre.name,
        "unit": h.unit.label,
        "departed_on": h.departed_on,
        "due_on": h.due_on,
        "overdue": h.status == Handover.Status.OPEN and h.due_on < dt.date.today(),
        "status": h.status,
        "successor_id": h.successor_id,
        "supervisor": h.supervisor.username if h.supervisor_id else None,
        "completed_on": h.completed_on,
    }


def _handover_detail(h) -> dict:
    h = Handover.objects.select_related("cadre", "unit", "supervisor").get(pk=h.pk)
    data = _handover(h)
    data["items"] = [{"id": i.pk, "order": i.order, "title": i.title, "figures": i.figures, "notes": i.notes} for i in h.items.all()]
    data["signatures"] = [{"party": s.party, "user": s.user.username, "signed_at": s.signed_at} for s in h.signatures.select_related("user")]
    return data


@router.get("/handovers", response=Page[HandoverOut], summary="Departure handovers (optionally only the overdue)")
def audits_handovers(request, filters: Query[HandoverFilters]):
    """Handovers of the units the caller may read audits of, and those the caller is a party to."""
    qs = queries.handovers_visible_to(request.user)
    if filters.overdue:
        qs = queries.overdue(qs)
    return paginate(qs.order_by("due_on", "id"), filters, _handover)


@router.get("/handovers/{handover_id}", response=HandoverDetailOut, summary="A departure handover with its checklist and confirmations")
def audits_handover(request, handover_id: Id):
    return _handover_detail(queries.get_handover_for(request.user, handover_id))


@router.post("/handovers/{handover_id}/parties", response=HandoverDetailOut, summary="Name the successor and the handover supervisor")
def audits_handover_parties(request, handover_id: Id, payload: PartiesIn):
    """The successor is a cadre of the handover's unit (or below); the supervisor an account by
    user name. The successor (or the leaver) cannot be the supervisor."""
    handover = queries.get_handover_for(request.user, handover_id)
    successor = supervisor = None
    if payload.successor_id is not None:
        successor = Cadre.objects.filter(pk=payload.successor_id, unit__path__startswith=handover.unit.path).first()
        if successor is None:
            raise ActionError(_("Choose the successor from the unit's cadres."), field="successor_id")
    if payload.supervisor:
        supervisor = get_user_model().objects.filter(username=payload.supervisor).first()
        if supervisor is None:
            raise ActionError(_("No account has this user name."), field="supervisor")
    return _handover_detail(actions.set_handover_parties(actor=request.user, handover=handover, successor=successor, supervisor=supervisor))


@router.post("/handovers/{handover_id}/items", response=HandoverDetailOut, summary="Record the figures and notes of a checklist item")
def audits_handover_item(request, handover_id: Id, payload: HandoverItemIn):
    handover = queries.get_handover_for(request.user, handover_id)
    actions.record_handover_item(actor=request.user, handover=handover, item_id=payload.item_id, figures=payload.figures, notes=payload.notes)
    return _handover_detail(handover)


@router.post("/handovers/{handover_id}/confirmation", response=HandoverDetailOut, summary="Confirm the handover as one of its parties")
def audits_handover_sign(request, handover_id: Id, payload: SignIn):
    """The leaver and the successor through the account linked to their cadre record, the
    supervisor as the account named; a successor cannot confirm as supervisor."""
    handover = queries.get_handover_for(request.user, handover_id)
    actions.sign_handover(actor=request.user, handover=handover, party=payload.party)
    return _handover_detail(handover)


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


# --- training and warning education (issue #13 §7) ---------------------------------------------


class TrainingSessionOut(Schema):
    id: int
    kind: str
    title: str
    held_on: dt.date
    place: str
    hours: Decimal
    required: bool
    organiser_id: int
    organiser: str
    materials: str


class TrainingParticipantOut(Schema):
    id: int
    cadre_id: int
    cadre: str
    unit: str
    attendance: str
    reason: str


class TrainingSessionDetailOut(TrainingSessionOut):
    participants: list[TrainingParticipantOut]


class TrainingSessionIn(InputSchema):
    kind: Literal["economic_responsibility", "warning_education", "regulation_study"]
    title: text(200, 1)
    held_on: dt.date
    place: text(200) = ""
    hours: Decimal
    required: bool = False
    organiser_id: Id
    materials: text(5000) = ""


class TrainingSessionFilters(PageQuery):
    year: int | None = Field(None, ge=1949, le=2200)
    kind: Literal["economic_responsibility", "warning_education", "regulation_study"] | None = None


class TrainingParticipantIn(InputSchema):
    cadre_id: Id


class TrainingAttendanceIn(InputSchema):
    participant_id: Id
    attendance: Literal["attended", "absent", "excused"]
    reason: text(500) = ""


class TrainingYearQuery(PageQuery):
    year: int | None = Field(None, ge=1949, le=2200, description="default: this year")


class TrainingHoursOut(Schema):
    cadre_id: int
    cadre: str
    unit: str
    year: int
    hours: Decimal


class TrainingMissedOut(Schema):
    participant_id: int
    cadre_id: int
    cadre: str
    unit: str
    session_id: int
    session: str
    held_on: dt.date
    hours: Decimal
    reason: str


def _training_session(s: TrainingSession) -> dict:
    return {
        "id": s.pk,
        "kind": s.kind,
        "title": s.title,
        "held_on": s.held_on,
        "place": s.place,
        "hours": s.hours,
        "required": s.required,
        "organiser_id": s.organiser_id,
        "organiser": s.organiser.name,
        "materials": s.materials,
    }


def _training_detail(s: TrainingSession) -> dict:
    data = _training_session(s)
    data["participants"] = [
        {"id": p.pk, "cadre_id": p.cadre_id, "cadre": p.cadre.name, "unit": p.cadre.unit.name, "attendance": p.attendance, "reason": p.reason}
        for p in training_queries.participants_of(s)
    ]
    return data


def _training_unit(user, unit_id):
    from jiandu.registry.models import Unit

    unit = Unit.objects.filter(access.scope_q(user, "audits.manage", "path"), pk=unit_id).first()
    if unit is None:
        raise ActionError(_("Choose an organising unit whose training you manage."), field="organiser_id")
    return unit


def _training_values(user, payload: TrainingSessionIn) -> dict:
    values = payload.model_dump()
    values["organiser"] = _training_unit(user, values.pop("organiser_id"))
    return values


def _training_year(value: int | None) -> int:
    return value or dt.date.today().year


@router.get("/training/sessions", response=Page[TrainingSessionOut], summary="Training and warning-education sessions (by year and kind)")
def audits_training_sessions(request, filters: Query[TrainingSessionFilters]):
    _require_view(request.user)
    year = filters.year
    qs = training_queries.filter_sessions(request.user, year=year, kind=filters.kind or "").order_by("-held_on", "-id")
    return paginate(qs, filters, _training_session)


@router.post("/training/sessions", response={201: TrainingSessionDetailOut}, summary="Record a training session")
def audits_training_create_session(request, payload: TrainingSessionIn):
    if not access.can(request.user, "audits.manage"):
        raise access.NotVisible()
    session = training_actions.create_session(actor=request.user, **_training_values(request.user, payload))
    return 201, _training_detail(session)


@router.get("/training/sessions/{session_id}", response=TrainingSessionDetailOut, summary="A training session with its participants and attendance")
def audits_training_session(request, session_id: Id):
    return _training_detail(training_queries.get_session_for(request.user, session_id))


@router.put("/training/sessions/{session_id}", response=TrainingSessionDetailOut, summary="Change a training session")
def audits_training_update_session(request, session_id: Id, payload: TrainingSessionIn):
    session = training_queries.get_session_for(request.user, session_id)
    if not access.can(request.user, "audits.manage", session.organiser):
        raise access.NotVisible()
    return _training_detail(training_actions.update_session(actor=request.user, session=session, **_training_values(request.user, payload)))


@router.post("/training/sessions/{session_id}/participants", response={201: TrainingSessionDetailOut}, summary="Invite a cadre of the registry")
def audits_training_add_participant(request, session_id: Id, payload: TrainingParticipantIn):
    from jiandu.registry import queries as registry_queries

    session = training_queries.get_session_for(request.user, session_id)
    if not access.can(request.user, "audits.manage", session.organiser):
        raise access.NotVisible()
    cadre = registry_queries.cadres_visible_to(request.user).filter(pk=payload.cadre_id).first()
    if cadre is None:
        raise ActionError(_("Choose the cadre from the registry."), field="cadre_id")
    training_actions.add_participant(actor=request.user, session=session, cadre=cadre)
    return 201, _training_detail(session)


@router.delete("/training/sessions/{session_id}/participants/{participant_id}", response=TrainingSessionDetailOut, summary="Take a cadre off the participants")
def audits_training_remove_participant(request, session_id: Id, participant_id: Id):
    session = training_queries.get_session_for(request.user, session_id)
    training_actions.remove_participant(actor=request.user, session=session, participant_id=participant_id)
    return _training_detail(session)


@router.post("/training/sessions/{session_id}/attendance", response=TrainingSessionDetailOut, summary="Record a participant's attendance")
def audits_training_record_attendance(request, session_id: Id, payload: TrainingAttendanceIn):
    """Absent needs the reason; not before the day of the session."""
    session = training_queries.get_session_for(request.user, session_id)
    training_actions.record_attendance(
        actor=request.user, session=session, participant_id=payload.participant_id, attendance=payload.attendance, reason=payload.reason
    )
    return _training_detail(session)


@router.get("/training/hours", response=Page[TrainingHoursOut], summary="Training hours per cadre in a year (default: this year)")
def audits_training_hours(request, filters: Query[TrainingYearQuery]):
    _require_view(request.user)
    year = _training_year(filters.year)
    qs = training_queries.cadre_hours(request.user, year).order_by("sort_pinyin", "id")
    return paginate(
        qs, filters, lambda c: {"cadre_id": c.pk, "cadre": c.name, "unit": c.unit.name, "year": year, "hours": Decimal(c.hours).quantize(Decimal("0.1"))}
    )


@router.get("/training/missed", response=Page[TrainingMissedOut], summary="Absences without leave from required sessions in a year")
def audits_training_missed(request, filters: Query[TrainingYearQuery]):
    _require_view(request.user)
    qs = training_queries.missed_required(request.user, year=_training_year(filters.year)).order_by("session__held_on", "id")

    def row(p: TrainingParticipant) -> dict:
        return {
            "participant_id": p.pk,
            "cadre_id": p.cadre_id,
            "cadre": p.cadre.name,
            "unit": p.cadre.unit.name,
            "session_id": p.session_id,
            "session": p.session.title,
            "held_on": p.session.held_on,
            "hours": p.session.hours,
            "reason": p.reason,
        }

    return paginate(qs, filters, row)
