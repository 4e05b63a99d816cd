"""Appeals against an audit's result (《党政主要领导干部和国有企事业单位主要领导人员经济责任审计规定》
2019): the audited cadre applies for review (复查) within the review window after receiving the
final report; the audit office decides within its window; against the review decision a
reconsideration (复核) by the higher audit office may be applied for within its window, decided
within its own. All windows are calendar days (settings audits.review_* and
audits.reconsideration_*, [R?]); each use is recorded with its computed deadlines.

    (final report) → review applied → review decided (维持/变更/撤销, 复查决定书 numbered)
                   → reconsideration applied → reconsideration decided (复核决定书 numbered)

While an appeal is undecided the audit cannot be closed (course.close_audit)."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.calendar import Deadline, days_deadline
from jiandu.core.documents import next_document_number
from jiandu.core.errors import ActionError
from jiandu.core.practice import get_setting

from ..models import AuditAppeal, DepartureAudit
from .base import _clean_reason

GROUNDS_MAX = 2000
APPEALABLE_STAGES = (DepartureAudit.Stage.REPORTED, DepartureAudit.Stage.CLOSED)

# level → (application days setting, decision days setting, number prefix setting)
LEVEL_SETTINGS = {
    AuditAppeal.Level.REVIEW: ("audits.review_application_days", "audits.review_decision_days", "audits.review_number_prefix"),
    AuditAppeal.Level.RECONSIDERATION: (
        "audits.reconsideration_application_days",
        "audits.reconsideration_decision_days",
        "audits.reconsideration_number_prefix",
    ),
}


def application_deadline(appeal: AuditAppeal) -> Deadline:
    """The application window as it was computed (the day count kept on the row)."""
    return days_deadline(appeal.received_on, appeal.application_days)


def decision_deadline(appeal: AuditAppeal) -> Deadline:
    return days_deadline(appeal.applied_on, appeal.decision_days)


def open_appeals(audit: DepartureAudit):
    return AuditAppeal.objects.filter(audit_id=audit.pk, decided_on__isnull=True)


def _date(day, field: str) -> dt.date:
    if not isinstance(day, dt.date):
        raise ActionError(_("Give the date."), field=field)
    if day > dt.date.today():
        raise ActionError(_("The date cannot be in the future."), field=field)
    return day


def _window_name(level: str) -> str:
    if level == AuditAppeal.Level.REVIEW:
        return _("the review window (复查: %(n)d days from receiving the audit report)")
    return _("the reconsideration window (复核: %(n)d days from receiving the review decision)")


def apply_for_appeal(*, actor, audit: DepartureAudit, level: str, received_on: dt.date, applied_on: dt.date, grounds: str) -> AuditAppeal:
    """Record the audited cadre's application: a review after the final report (received on
    `received_on`, not before it was issued), or a reconsideration after the review was decided
    (received on or after the decision). Refused after the window's last day, naming the window."""
    if level not in AuditAppeal.Level.values:
        raise ActionError(_("Choose review or reconsideration."), field="level")
    grounds = _clean_reason(grounds, field="grounds")
    received_on = _date(received_on, "received_on")
    applied_on = _date(applied_on, "applied_on")
    if applied_on < received_on:
        raise ActionError(_("The application cannot precede the receipt of the document it contests."), field="applied_on")
    with transaction.atomic():
        audit = DepartureAudit.objects.select_for_update().select_related("unit", "cadre").get(pk=audit.pk)
        if not access.can(actor, "audits.manage", audit.unit):
            raise access.NotVisible()
        if audit.stage not in APPEALABLE_STAGES:
            raise ActionError(_("An appeal is possible only against an issued final report."))
        if AuditAppeal.objects.filter(audit=audit, level=level).exists():
            raise ActionError(_("This appeal has already been applied for; each level is used once."), field="level")
        if level == AuditAppeal.Level.REVIEW:
            if received_on < audit.report_issued_on:
                raise ActionError(
                    _("The final report was issued on %(day)s; it cannot have been received earlier.") % {"day": audit.report_issued_on.isoformat()},
                    field="received_on",
                )
        else:
            review = AuditAppeal.objects.filter(audit=audit, level=AuditAppeal.Level.REVIEW).first()
            if review is None or review.decided_on is None:
                raise ActionError(_("A reconsideration is applied for against the review decision; the review must be decided first."), field="level")
            if received_on < review.decided_on:
                raise ActionError(
                    _("The review was decided on %(day)s; its decision cannot have been received earlier.") % {"day": review.decided_on.isoformat()},
                    field="received_on",
                )
        application_setting, decision_setting, _prefix = LEVEL_SETTINGS[level]
        application_days, decision_days = int(get_setting(application_setting)), int(get_setting(decision_setting))
        window = days_deadline(received_on, application_days)
        if applied_on > window.due:
            raise ActionError(
                _("The application is late: %(window)s ended on %(due)s (%(rule)s).")
                % {"window": _window_name(level) % {"n": application_days}, "due": window.due.isoformat(), "rule": window.explain()},
                field="applied_on",
            )
        decision = days_deadline(applied_on, decision_days)
        appeal = AuditAppeal.objects.create(
            audit=audit,
            level=level,
            received_on=received_on,
            application_days=application_days,
            application_due_on=window.due,
            applied_on=applied_on,
            grounds=grounds,
            decision_days=decision_days,
            decision_due_on=decision.due,
            recorded_by=actor,
        )
        journal.record(
            "audits.appeal.applied",
            actor=actor,
            target=audit,
            unit=audit.unit,
            cadre=audit.cadre,
            data={
                "appeal": appeal.pk,
                "level": appeal.get_level_display(),
                "received_on": received_on,
                "applied_on": applied_on,
                "application_rule": window.explain(),
                "decision_due_on": decision.due,
                "decision_rule": decision.explain(),
            },
        )
    return appeal


def decide_appeal(*, actor, appeal: AuditAppeal, decided_on: dt.date, outcome: str, note: str) -> AuditAppeal:
    """Record the decision on an appeal — upheld (维持), changed (变更) or revoked (撤销), with a
    note (required unless upheld) — numbering the decision letter in this transaction. A decision
    after its due day is recorded and marked late in the journal."""
    if outcome not in AuditAppeal.Outcome.values:
        raise ActionError(_("Choose the outcome: upheld, changed or revoked."), field="outcome")
    note = _clean_reason(note, field="note", required=outcome != AuditAppeal.Outcome.UPHELD)
    decided_on = _date(decided_on, "decided_on")
    with transaction.atomic():
        appeal = AuditAppeal.objects.select_for_update().select_related("audit__unit", "audit__cadre").get(pk=appeal.pk)
        audit = appeal.audit
        if not access.can(actor, "audits.manage", audit.unit):
            raise access.NotVisible()
        if appeal.decided_on is not None:
            raise ActionError(_("This appeal is already decided."))
        if decided_on < appeal.applied_on:
            raise ActionError(_("The decision cannot precede the application (%(day)s).") % {"day": appeal.applied_on.isoformat()}, field="decided_on")
        appeal.decision_number = next_document_number(str(get_setting(LEVEL_SETTINGS[appeal.level][2])), decided_on.year)
        appeal.decided_on, appeal.outcome, appeal.decision_note, appeal.decided_by = decided_on, outcome, note, actor
        appeal.save(update_fields=["decision_number", "decided_on", "outcome", "decision_note", "decided_by"])
        journal.record(
            "audits.appeal.decided",
            actor=actor,
            target=audit,
            unit=audit.unit,
            cadre=audit.cadre,
            data={
                "appeal": appeal.pk,
                "level": appeal.get_level_display(),
                "number": appeal.decision_number,
                "decided_on": decided_on,
                "outcome": appeal.get_outcome_display(),
                "late": decided_on > appeal.decision_due_on,
            },
        )
    return appeal


DOCUMENTS = ("notice", "report", "review_decision", "reconsideration_decision")


def record_document_download(*, actor, audit: DepartureAudit, document: str, number: str = ""):
    """Journal `audits.document.downloaded`: `actor` took an audit's official document (notice,
    report or a decision letter) away as a PDF. Preconditions: the actor may read the audit
    (queries.get_audit_for). Writes only the journal."""
    if document not in DOCUMENTS:
        raise ActionError(_("Unknown document."))
    with transaction.atomic():
        return journal.record(
            "audits.document.downloaded", actor=actor, target=audit, unit=audit.unit, cadre=audit.cadre, data={"document": document, "number": number}
        )
