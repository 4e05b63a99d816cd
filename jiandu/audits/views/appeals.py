"""Audit pages for appeals (复查, 复核) and the audit's official documents as PDF: the final report
(经济责任审计报告) and the decision letters (复查决定书, 复核决定书). Downloads are journaled."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiandu.accounts import access
from jiandu.core.pdf import pdf_response

from .. import actions, forms, queries
from ..models import AuditAppeal
from .common import _submit


@login_required
@require_POST
def audit_appeal(request, pk):
    audit = queries.get_audit_for(request.user, pk)

    def work(data):
        actions.apply_for_appeal(
            actor=request.user, audit=audit, level=data["level"], received_on=data["received_on"], applied_on=data["applied_on"], grounds=data["grounds"]
        )

    _submit(request, forms.AppealForm, work, _("The application is recorded; the decision is due as shown."))
    return redirect("audits:audit_detail", pk=audit.pk)


def _appeal_for(user, pk) -> AuditAppeal:
    appeal = AuditAppeal.objects.filter(audit__in=queries.audits_visible_to(user), pk=pk).select_related("audit__unit", "audit__cadre").first()
    if appeal is None:
        raise access.NotVisible()
    return appeal


@login_required
@require_POST
def appeal_decide(request, pk):
    appeal = _appeal_for(request.user, pk)

    def work(data):
        actions.decide_appeal(actor=request.user, appeal=appeal, decided_on=data["decided_on"], outcome=data["outcome"], note=data["note"])

    _submit(request, forms.AppealDecisionForm, work, _("The decision is recorded and its letter numbered."))
    return redirect("audits:audit_detail", pk=appeal.audit_id)


@login_required
def audit_report_pdf(request, pk):
    from ..documents_report import report_filename, report_pdf

    audit = queries.get_audit_for(request.user, pk)
    if not audit.report_number:
        raise access.NotVisible()
    content = report_pdf(audit)
    actions.record_document_download(actor=request.user, audit=audit, document="report", number=audit.report_number)
    return pdf_response(content, report_filename(audit))


@login_required
def appeal_decision_pdf(request, pk):
    from ..documents_report import decision_filename, decision_pdf

    appeal = _appeal_for(request.user, pk)
    if not appeal.decision_number:
        raise access.NotVisible()
    content = decision_pdf(appeal)
    actions.record_document_download(actor=request.user, audit=appeal.audit, document=f"{appeal.level}_decision", number=appeal.decision_number)
    return pdf_response(content, decision_filename(appeal))


def appeal_context(user, audit, can_manage: bool, today) -> dict:
    """The appeals section of the audit page: each use with its deadlines and their computation,
    and which application the office may record next."""
    from jiandu.core.practice import get_setting

    from ..actions.appeals import APPEALABLE_STAGES, application_deadline, decision_deadline

    appeals = list(audit.appeals.all())
    for appeal in appeals:
        appeal.application_rule = application_deadline(appeal).explain()
        appeal.decision_rule = decision_deadline(appeal).explain()
        appeal.decision_overdue = appeal.is_decision_overdue(today)
        appeal.decided_late = appeal.decided_on is not None and appeal.decided_on > appeal.decision_due_on
    levels = {appeal.level: appeal for appeal in appeals}
    review = levels.get(AuditAppeal.Level.REVIEW)
    next_level = ""
    if can_manage and audit.stage in APPEALABLE_STAGES:
        if review is None:
            next_level = AuditAppeal.Level.REVIEW
        elif review.decided_on and AuditAppeal.Level.RECONSIDERATION not in levels:
            next_level = AuditAppeal.Level.RECONSIDERATION
    return {
        "appeals": appeals,
        "appeal_next_level": next_level,
        "appeal_outcomes": AuditAppeal.Outcome.choices,
        "review_days": get_setting("audits.review_application_days"),
        "reconsideration_days": get_setting("audits.reconsideration_application_days"),
    }
