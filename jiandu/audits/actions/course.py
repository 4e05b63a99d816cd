"""The audit's course: notice, fieldwork, draft report, comments, final report and closing (findings and
their rectification: rectification.py)."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.calendar import add_working_days
from jiandu.core.documents import next_document_number
from jiandu.core.errors import ActionError
from jiandu.core.practice import get_setting

from ..models import DepartureAudit, Finding
from .appeals import open_appeals


def serve_notice(*, actor, audit: DepartureAudit, served_on: dt.date, fieldwork_starts_on: dt.date) -> DepartureAudit:
    """Plan → notice: serve the audit notice (审计通知书), numbered in this transaction, at least
    the configured working days (3) before fieldwork starts (DOMAIN.md §5)."""
    if not access.can(actor, "audits.manage", audit.unit):
        raise access.NotVisible()
    if served_on is None or fieldwork_starts_on is None:
        raise ActionError(_("Give the date the notice is served and the date fieldwork starts."), field="served_on")
    if served_on > dt.date.today():
        raise ActionError(_("The notice cannot be recorded as served in the future."), field="served_on")
    days = int(get_setting("audits.notice_working_days"))
    earliest = add_working_days(served_on, days)
    if fieldwork_starts_on < earliest.due:
        raise ActionError(
            _("Fieldwork may start on %(due)s at the earliest (%(rule)s).") % {"due": earliest.due.isoformat(), "rule": earliest.explain()},
            field="fieldwork_starts_on",
        )
    with transaction.atomic():
        audit = DepartureAudit.objects.select_for_update().select_related("unit", "cadre").get(pk=audit.pk)
        if not access.can(actor, "audits.manage", audit.unit):
            raise access.NotVisible()
        if audit.stage != DepartureAudit.Stage.PLANNED:
            raise ActionError(_("The notice of this audit has already been served."))
        audit.notice_number = next_document_number(str(get_setting("audits.notice_number_prefix")), served_on.year)
        audit.notice_served_on = served_on
        audit.fieldwork_starts_on = fieldwork_starts_on
        audit.stage = DepartureAudit.Stage.NOTICE
        audit.save(update_fields=["notice_number", "notice_served_on", "fieldwork_starts_on", "stage"])
        journal.record(
            "audits.audit.notice_served",
            actor=actor,
            target=audit,
            unit=audit.unit,
            cadre=audit.cadre,
            data={"number": audit.notice_number, "served_on": served_on, "fieldwork_starts_on": fieldwork_starts_on, "rule": earliest.explain()},
        )
    return audit


# --- the audit's course after the notice ------------------------------------------------------

TEXT_MAX = 10000


def _clean_text(value: str, *, field: str, required: bool = True, limit: int = TEXT_MAX) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ActionError(_("This field is required."), field=field)
    if "\x00" in value:
        raise ActionError(_("The text contains a character that cannot be stored."), field=field)
    if len(value) > limit:
        raise ActionError(_("The text is longer than %(n)d characters.") % {"n": limit}, field=field)
    return value


def _locked_audit(actor, audit: DepartureAudit, stage: str) -> DepartureAudit:
    audit = DepartureAudit.objects.select_for_update().select_related("unit", "cadre").get(pk=audit.pk)
    if not access.can(actor, "audits.manage", audit.unit):
        raise access.NotVisible()
    if audit.stage != stage:
        raise ActionError(_("This step does not fit the audit's stage (%(stage)s).") % {"stage": audit.get_stage_display()})
    return audit


def _not_future(day: dt.date | None, field: str) -> dt.date:
    if day is None:
        raise ActionError(_("Give the date."), field=field)
    if day > dt.date.today():
        raise ActionError(_("The date cannot be in the future."), field=field)
    return day


def start_fieldwork(*, actor, audit: DepartureAudit, started_on: dt.date) -> DepartureAudit:
    """Notice → fieldwork, not before the date the notice gave (≥ the notice's working days)."""
    started_on = _not_future(started_on, "started_on")
    with transaction.atomic():
        audit = _locked_audit(actor, audit, DepartureAudit.Stage.NOTICE)
        if started_on < audit.fieldwork_starts_on:
            raise ActionError(
                _("Fieldwork may not start before %(day)s, the date the notice gave.") % {"day": audit.fieldwork_starts_on.isoformat()}, field="started_on"
            )
        audit.fieldwork_started_on = started_on
        audit.stage = DepartureAudit.Stage.FIELDWORK
        audit.save(update_fields=["fieldwork_started_on", "stage"])
        journal.record("audits.audit.fieldwork_started", actor=actor, target=audit, unit=audit.unit, cadre=audit.cadre, data={"started_on": started_on})
    return audit


def send_draft_report(*, actor, audit: DepartureAudit, sent_on: dt.date) -> DepartureAudit:
    """Fieldwork → draft report sent to the audited cadre; the comment window (setting
    audits.comment_days, calendar days) starts the day after."""
    from jiandu.core.calendar import days_deadline

    sent_on = _not_future(sent_on, "sent_on")
    with transaction.atomic():
        audit = _locked_audit(actor, audit, DepartureAudit.Stage.FIELDWORK)
        if sent_on < audit.fieldwork_started_on:
            raise ActionError(_("The draft report cannot be sent before fieldwork started."), field="sent_on")
        due = days_deadline(sent_on, int(get_setting("audits.comment_days")))
        audit.draft_sent_on, audit.comments_due_on = sent_on, due.due
        audit.stage = DepartureAudit.Stage.DRAFT_REPORT
        audit.save(update_fields=["draft_sent_on", "comments_due_on", "stage"])
        journal.record(
            "audits.audit.draft_sent",
            actor=actor,
            target=audit,
            unit=audit.unit,
            cadre=audit.cadre,
            data={"sent_on": sent_on, "comments_due_on": due.due, "rule": str(due.explain())},
        )
    return audit


def record_comments(*, actor, audit: DepartureAudit, received_on: dt.date, comments: str) -> DepartureAudit:
    """The audited cadre's written comments, received within the window (the due day included)."""
    comments = _clean_text(comments, field="comments")
    received_on = _not_future(received_on, "received_on")
    with transaction.atomic():
        audit = _locked_audit(actor, audit, DepartureAudit.Stage.DRAFT_REPORT)
        if audit.comments_received_on:
            raise ActionError(_("The comments are already recorded."))
        if received_on < audit.draft_sent_on:
            raise ActionError(_("Comments cannot be received before the draft report was sent."), field="received_on")
        if received_on > audit.comments_due_on:
            raise ActionError(
                _("The comment window closed on %(day)s; without comments by then the cadre is taken to have no objection.")
                % {"day": audit.comments_due_on.isoformat()},
                field="received_on",
            )
        audit.comments_received_on, audit.comments = received_on, comments
        audit.save(update_fields=["comments_received_on", "comments"])
        journal.record("audits.audit.comments_recorded", actor=actor, target=audit, unit=audit.unit, cadre=audit.cadre, data={"received_on": received_on})
    return audit


def issue_final_report(*, actor, audit: DepartureAudit, issued_on: dt.date, grade: str, conclusion: str) -> DepartureAudit:
    """Draft report → final report with the evaluation grade and conclusion: after the cadre's
    comments, or once the window has passed without them (then recorded as no objection)."""
    conclusion = _clean_text(conclusion, field="conclusion")
    if grade not in DepartureAudit.Grade.values:
        raise ActionError(_("Choose the evaluation grade."), field="grade")
    issued_on = _not_future(issued_on, "issued_on")
    with transaction.atomic():
        audit = _locked_audit(actor, audit, DepartureAudit.Stage.DRAFT_REPORT)
        if audit.comments_received_on is None:
            if issued_on <= audit.comments_due_on:
                raise ActionError(
                    _("The audited cadre may comment until %(day)s; the final report can be issued after that, or once the comments are in.")
                    % {"day": audit.comments_due_on.isoformat()},
                    field="issued_on",
                )
            audit.no_objection = True
        elif issued_on < audit.comments_received_on:
            raise ActionError(_("The final report cannot precede the comments it answers."), field="issued_on")
        audit.report_issued_on, audit.grade, audit.conclusion = issued_on, grade, conclusion
        audit.report_number = next_document_number(str(get_setting("audits.report_number_prefix")), issued_on.year)
        audit.stage = DepartureAudit.Stage.REPORTED
        audit.save(update_fields=["report_issued_on", "grade", "conclusion", "no_objection", "report_number", "stage"])
        journal.record(
            "audits.audit.report_issued",
            actor=actor,
            target=audit,
            unit=audit.unit,
            cadre=audit.cadre,
            data={"issued_on": issued_on, "number": audit.report_number, "grade": audit.get_grade_display(), "no_objection": audit.no_objection},
        )
    return audit


def _close(actor, audit: DepartureAudit, on: dt.date) -> None:
    audit = DepartureAudit.objects.select_for_update().get(pk=audit.pk)
    if open_appeals(audit).exists():
        return  # an undecided appeal keeps the audit open; close_audit closes it after the decision
    audit.stage, audit.closed_on = DepartureAudit.Stage.CLOSED, on
    audit.save(update_fields=["stage", "closed_on"])
    journal.record(
        "audits.audit.closed", actor=actor, target=audit, unit=audit.unit, cadre=audit.cadre, data={"closed_on": on, "findings": audit.findings.count()}
    )


def close_audit(*, actor, audit: DepartureAudit, on: dt.date | None = None) -> DepartureAudit:
    """Close an audit after its final report: only when every finding's rectification is
    verified (an audit without findings closes at once)."""
    on = _not_future(on or dt.date.today(), "on")
    with transaction.atomic():
        audit = _locked_audit(actor, audit, DepartureAudit.Stage.REPORTED)
        if open_appeals(audit).exists():
            raise ActionError(_("An appeal against this audit is not yet decided; the audit closes after the decision."))
        open_count = audit.findings.exclude(status=Finding.Status.VERIFIED).count()
        if open_count:
            raise ActionError(_("%(n)d findings are not yet verified; the audit closes when every rectification is verified.") % {"n": open_count})
        _close(actor, audit, on)
    audit.refresh_from_db()
    return audit
