"""Audits API: appeals against an audit's result — review (复查) and reconsideration (复核) — with
their deadlines and how they were computed; the decision numbers its letter."""

import datetime as dt
from typing import Literal

from ninja import Schema

from jiandu.accounts import access
from jiandu.core.api import Id, InputSchema, text

from .. import actions, queries
from ..actions.appeals import application_deadline, decision_deadline
from ..models import AuditAppeal
from .common import router


class AuditAppealOut(Schema):
    id: int
    audit_id: int
    level: str
    received_on: dt.date
    applied_on: dt.date
    grounds: str
    application_due_on: dt.date
    application_rule: str
    decision_due_on: dt.date
    decision_rule: str
    decision_overdue: bool
    decided_on: dt.date | None
    outcome: str
    decision_note: str
    decision_number: str


class AuditAppealIn(InputSchema):
    level: Literal[tuple(AuditAppeal.Level.values)]
    received_on: dt.date
    applied_on: dt.date
    grounds: text(2000, 1)


class AuditAppealDecisionIn(InputSchema):
    decided_on: dt.date
    outcome: Literal[tuple(AuditAppeal.Outcome.values)]
    note: text(2000) = ""


def _appeal(a: AuditAppeal) -> dict:
    return {
        "id": a.pk,
        "audit_id": a.audit_id,
        "level": a.level,
        "received_on": a.received_on,
        "applied_on": a.applied_on,
        "grounds": a.grounds,
        "application_due_on": a.application_due_on,
        "application_rule": application_deadline(a).explain(),
        "decision_due_on": a.decision_due_on,
        "decision_rule": decision_deadline(a).explain(),
        "decision_overdue": a.is_decision_overdue(dt.date.today()),
        "decided_on": a.decided_on,
        "outcome": a.outcome,
        "decision_note": a.decision_note,
        "decision_number": a.decision_number,
    }


@router.get("/audits/{audit_id}/appeals", response=list[AuditAppealOut], summary="Appeals against an audit (review, reconsideration)")
def audits_appeals(request, audit_id: Id):
    audit = queries.get_audit_for(request.user, audit_id)
    return [_appeal(a) for a in audit.appeals.all()]


@router.post("/audits/{audit_id}/appeals", response={201: AuditAppealOut}, summary="Record an application for review or reconsideration")
def audits_apply_for_appeal(request, audit_id: Id, payload: AuditAppealIn):
    """Refused after the window's last day (calendar days from receipt; settings
    audits.review_application_days and audits.reconsideration_application_days), naming the window."""
    audit = queries.get_audit_for(request.user, audit_id)
    appeal = actions.apply_for_appeal(
        actor=request.user, audit=audit, level=payload.level, received_on=payload.received_on, applied_on=payload.applied_on, grounds=payload.grounds
    )
    return 201, _appeal(appeal)


@router.post("/appeals/{appeal_id}/decision", response=AuditAppealOut, summary="Record the decision on an appeal (numbers its letter)")
def audits_decide_appeal(request, appeal_id: Id, payload: AuditAppealDecisionIn):
    appeal = AuditAppeal.objects.filter(audit__in=queries.audits_visible_to(request.user), pk=appeal_id).first()
    if appeal is None:
        raise access.NotVisible()
    appeal = actions.decide_appeal(actor=request.user, appeal=appeal, decided_on=payload.decided_on, outcome=payload.outcome, note=payload.note)
    return _appeal(appeal)
