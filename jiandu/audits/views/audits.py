"""Audit pages: an audit's course, findings, rectification, the notice and clue transfer."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiandu.accounts import access
from jiandu.core.errors import ActionError
from jiandu.core.practice import get_setting

from .. import actions, forms, queries
from ..models import AuditPlanEntry, DepartureAudit, Finding, RectificationItem
from .appeals import appeal_context
from .common import _require_view, _submit
from .rectification import annotate_items


@login_required
def audit_list(request):
    """Every audit of the user's units, departure and in-term, newest period first."""
    _require_view(request.user)
    qs = queries.audits_visible_to(request.user)
    kind = request.GET.get("kind")
    if kind in DepartureAudit.Kind.values:
        qs = qs.filter(kind=kind)
    else:
        kind = ""
    page = Paginator(qs.order_by("-period_end", "-id"), 50).get_page(request.GET.get("page"))
    return render(request, "audits/audits.html", {"page": page, "kind": kind, "kinds": DepartureAudit.Kind.choices})


@login_required
def audit_detail(request, pk):
    audit = queries.get_audit_for(request.user, pk)
    can_manage = access.can(request.user, "audits.manage", audit.unit)
    today = dt.date.today()
    findings = list(audit.findings.prefetch_related("items__updates", "items__visits"))
    for finding in findings:
        finding.rect_items = annotate_items(request.user, finding.items.all(), today=today, can_manage=can_manage)
    owners = []
    if can_manage and audit.stage == audit.Stage.REPORTED:
        from jiandu.registry.models import Cadre

        owners = Cadre.objects.filter(unit__path__startswith=audit.unit.path).order_by("name")[:500]
    return render(
        request,
        "audits/audit_detail.html",
        {
            "audit": audit,
            "can_manage": can_manage,
            "can_serve": can_manage and audit.stage == audit.Stage.PLANNED,
            "today": today,
            "notice_days": get_setting("audits.notice_working_days"),
            "plan_entry": AuditPlanEntry.objects.filter(audit=audit).select_related("plan").first(),
            "findings": findings,
            "owners": owners,
            "grades": DepartureAudit.Grade.choices,
            "categories": Finding.Category.choices,
            "responsibilities": Finding.Responsibility.choices,
            "severities": Finding.Severity.choices,
            "rectification_days": get_setting("rectification.default_days"),
            "comment_days": get_setting("audits.comment_days"),
            **_clue_context(request.user, can_manage),
            **appeal_context(request.user, audit, can_manage, today),
        },
    )


def _clue_context(user, can_manage) -> dict:
    """移送问题线索 is offered to whoever the action accepts: audits.manage on the unit and a
    department's clue officer; the departments are the joint meeting's other members."""
    from jiandu.core import clue_referrals

    sending = clue_referrals.sending_department(user) if can_manage else None
    if sending is None:
        return {"can_transfer_clue": False, "clue_units": []}
    return {"can_transfer_clue": True, "clue_units": [(pk, name) for pk, name in clue_referrals.receiving_units() if pk != sending.pk]}


def _audit_step(request, pk, form_class, work, done):
    audit = queries.get_audit_for(request.user, pk)
    _submit(request, form_class, lambda data: work(audit, data), done)
    return redirect("audits:audit_detail", pk=audit.pk)


@login_required
@require_POST
def audit_fieldwork(request, pk):
    return _audit_step(
        request,
        pk,
        forms.FieldworkForm,
        lambda a, d: actions.start_fieldwork(actor=request.user, audit=a, started_on=d["started_on"]),
        _("Fieldwork is recorded as started."),
    )


@login_required
@require_POST
def audit_draft(request, pk):
    return _audit_step(
        request,
        pk,
        forms.DraftReportForm,
        lambda a, d: actions.send_draft_report(actor=request.user, audit=a, sent_on=d["sent_on"]),
        _("The draft report is recorded as sent; the comment window is running."),
    )


@login_required
@require_POST
def audit_comments(request, pk):
    return _audit_step(
        request,
        pk,
        forms.CommentsForm,
        lambda a, d: actions.record_comments(actor=request.user, audit=a, received_on=d["received_on"], comments=d["comments"]),
        _("The comments are recorded."),
    )


@login_required
@require_POST
def audit_report(request, pk):
    return _audit_step(
        request,
        pk,
        forms.FinalReportForm,
        lambda a, d: actions.issue_final_report(actor=request.user, audit=a, issued_on=d["issued_on"], grade=d["grade"], conclusion=d["conclusion"]),
        _("The final report is issued."),
    )


@login_required
@require_POST
def audit_finding(request, pk):
    from jiandu.registry.models import Cadre

    def work(audit, data):
        owner = None
        if data["owner"]:
            owner = Cadre.objects.filter(pk=data["owner"], unit__path__startswith=audit.unit.path).first()
            if owner is None:
                raise ActionError(_("Choose the rectification owner from the audited unit's cadres."), field="owner")
        actions.add_finding(
            actor=request.user,
            audit=audit,
            category=data["category"],
            amount=data["amount"] or 0,
            severity=data["severity"] or Finding.Severity.MEDIUM,
            responsibility=data["responsibility"],
            description=data["description"],
            evidence=data["evidence"],
            owner=owner,
            owner_name=data["owner_name"],
            measure=data["measure"],
            due_on=data["due_on"],
        )

    return _audit_step(request, pk, forms.FindingForm, work, _("The finding is recorded."))


@login_required
@require_POST
def audit_close(request, pk):
    audit = queries.get_audit_for(request.user, pk)
    try:
        actions.close_audit(actor=request.user, audit=audit)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The audit is closed."))
    return redirect("audits:audit_detail", pk=audit.pk)


def _finding_step(request, pk, form_class, work, done):
    finding = queries.get_finding_for(request.user, pk)
    _submit(request, form_class, lambda data: work(finding, data), done)
    return redirect("audits:audit_detail", pk=finding.audit_id)


@login_required
def findings(request):
    """The rectification items of audit findings (all, or only the overdue ones)."""
    _require_view(request.user)
    qs = queries.rectification_items_visible_to(request.user)
    show_overdue = request.GET.get("overdue") == "1"
    if show_overdue:
        qs = queries.overdue_rectification_items(qs)
    today = dt.date.today()
    if request.GET.get("format") == "xlsx":
        return _findings_xlsx(request, qs.order_by("due_on", "id"), show_overdue, today)
    page = Paginator(qs.order_by("due_on", "id"), 50).get_page(request.GET.get("page"))
    for item in page:
        item.overdue = item.is_overdue(today)
    return render(request, "audits/findings.html", {"page": page, "show_overdue": show_overdue})


def _findings_xlsx(request, qs, show_overdue, today):
    """The findings' rectification items as an xlsx (jiandu.core.exports), journaled."""
    from django.db import transaction
    from django.utils import timezone

    from jiandu.core import exports, journal

    C = exports.Column
    columns = [
        C("cadre", _("Audited cadre")),
        C("unit", _("Unit"), width=24),
        C("kind", _("Kind"), kind=exports.CHOICE, choices=DepartureAudit.Kind.choices),
        C("issued", _("Final report issued on"), kind=exports.DATE),
        C("grade", _("Evaluation"), kind=exports.CHOICE, choices=DepartureAudit.Grade.choices),
        C("category", _("Category"), kind=exports.CHOICE, choices=Finding.Category.choices),
        C("description", _("Description"), width=40),
        C("amount", _("Amount involved (yuan)")),
        C("severity", _("Severity"), kind=exports.CHOICE, choices=Finding.Severity.choices),
        C("responsibility", _("Responsibility"), kind=exports.CHOICE, choices=Finding.Responsibility.choices),
        C("measure", _("Rectification measure"), width=40),
        C("owner", _("Rectification owner")),
        C("due", _("Due"), kind=exports.DATE),
        C("status", _("Status"), kind=exports.CHOICE, choices=RectificationItem.Status.choices),
        C("closed", _("Closed on"), kind=exports.DATE),
        C("overdue", _("Overdue"), kind=exports.BOOL),
        C("escalated", _("Escalated on"), kind=exports.DATE),
    ]
    rows = (
        [
            i.finding.audit.cadre.name,
            i.finding.audit.unit.label,
            i.finding.audit.kind,
            i.finding.audit.report_issued_on,
            i.finding.audit.grade,
            i.finding.category,
            i.finding.description,
            str(i.finding.amount),
            i.finding.severity,
            i.finding.responsibility,
            i.measure,
            i.owner,
            i.due_on,
            i.status,
            i.closed_on,
            i.is_overdue(today),
            i.escalated_on,
        ]
        for i in qs.iterator(chunk_size=500)
    )
    title = _("Audit findings and rectification")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response, count = exports.export_response(f"{title}-{stamp}.xlsx", columns=columns, rows=rows, sheet_title=title)
    with transaction.atomic():
        journal.record("audits.findings.exported", actor=request.user, data={"rows": count, "overdue_only": show_overdue})
    return response


@login_required
@require_POST
def audit_notice(request, pk):
    audit = queries.get_audit_for(request.user, pk)

    def work(data):
        actions.serve_notice(actor=request.user, audit=audit, served_on=data["served_on"], fieldwork_starts_on=data["fieldwork_starts_on"])

    _submit(request, forms.NoticeForm, work, _("The audit notice is served."))
    return redirect("audits:audit_detail", pk=audit.pk)


@login_required
def audit_notice_pdf(request, pk):
    from jiandu.core.pdf import pdf_response

    from ..documents import notice_filename, notice_pdf

    audit = queries.get_audit_for(request.user, pk)
    if not audit.notice_number:
        raise access.NotVisible()
    content = notice_pdf(audit)
    actions.record_document_download(actor=request.user, audit=audit, document="notice", number=audit.notice_number)
    return pdf_response(content, notice_filename(audit))


@login_required
@require_POST
def finding_clue(request, pk):
    return _finding_step(
        request,
        pk,
        forms.ClueTransferForm,
        lambda f, d: actions.transfer_finding_as_clue(actor=request.user, finding=f, to_unit=d["to_unit"], note=d["note"]),
        _("The finding is transferred to the discipline inspection department as a clue."),
    )
