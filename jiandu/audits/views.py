"""Pages of 责任监督: audit subjects, departures without an audit or handover, exemptions and
their approval, handovers, audits (departure and in-term), risk-ranked candidates and the
yearly audit plan. Every posted value is read through a form of forms.py."""

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

from . import actions, forms, queries, risk
from .models import AuditPlan, AuditPlanEntry, DepartureAudit, Finding, HandoverSignature


def _require_view(user):
    if not access.can(user, "audits.view"):
        raise access.NotVisible()


def _submit(request, form_class, work, done):
    """Validate the posted form, run the action; report the first problem or `done`."""
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, forms.first_error(form))
        return False
    try:
        work(form.cleaned_data)
    except ActionError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, done)
    return True


@login_required
def index(request):
    """Audit subjects with their period of responsibility and last audit."""
    _require_view(request.user)
    rows = queries.subjects_visible_to(request.user)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audits/index.html",
        {"page": page, "open_departures": queries.open_departures_visible_to(request.user).count(), "can_manage": access.can(request.user, "audits.manage")},
    )


@login_required
def departures(request):
    """Departures without a departure audit or handover, with their age in days and any
    exemption awaiting the head's approval."""
    _require_view(request.user)
    from .models import DepartureExemption

    today = dt.date.today()
    page = Paginator(queries.open_departures_visible_to(request.user), 50).get_page(request.GET.get("page"))
    pending = {
        e.pk: e for e in DepartureExemption.objects.filter(pk__in=[e.pending_exemption for e in page if e.pending_exemption]).select_related("requested_by")
    }
    names = _cadre_names(page)  # one query for the page, not one per row
    for event in page:
        ended = dt.date.fromisoformat(event.data["ended_on"])
        event.ended_on = ended
        event.age_days = (today - ended).days
        event.cadre_name = names.get(event.cadre_id, "")
        event.request = pending.get(event.pending_exemption)
        event.can_decide = (
            event.request is not None
            and event.request.requested_by_id != request.user.pk
            and access.can(request.user, "audits.approve", event_unit_path(event))
        )
    return render(request, "audits/departures.html", {"page": page, "can_manage": access.can(request.user, "audits.manage")})


def event_unit_path(event):
    from jiandu.registry.models import Unit

    unit = Unit.objects.filter(pk=event.unit_id).only("path").first()
    return unit.path if unit else "\x00"  # no unit: covered by nobody


def _cadre_names(events) -> dict[int, str]:
    from jiandu.registry.models import Cadre

    return dict(Cadre.objects.filter(pk__in={e.cadre_id for e in events if e.cadre_id}).values_list("pk", "name"))


@login_required
@require_POST
def departure_exempt(request, pk):
    event = queries.get_open_departure_for(request.user, pk)
    if not access.can(request.user, "audits.manage"):
        raise access.NotVisible()
    _submit(
        request,
        forms.ExemptionRequestForm,
        lambda data: actions.request_exemption(actor=request.user, event=event, reason=data["reason"]),
        _("The exemption is requested; it takes effect when the head approves it."),
    )
    return redirect("audits:departures")


@login_required
@require_POST
def exemption_decide(request, pk):
    exemption = queries.get_exemption_for(request.user, pk)
    if not access.can(request.user, "audits.approve"):
        raise access.NotVisible()

    def work(data):
        actions.decide_exemption(actor=request.user, exemption=exemption, approve=data["decision"] == "approve", note=data["note"])

    _submit(request, forms.ExemptionDecisionForm, work, _("The decision on the exemption is recorded."))
    return redirect("audits:departures")


@login_required
def handover_list(request):
    """Departure handovers (all visible, or only the overdue ones)."""
    qs = queries.handovers_visible_to(request.user)
    show_overdue = request.GET.get("overdue") == "1"
    if show_overdue:
        qs = queries.overdue(qs)
    today = dt.date.today()
    page = Paginator(qs.order_by("due_on", "id"), 50).get_page(request.GET.get("page"))
    for handover in page:
        handover.is_overdue = handover.status == handover.Status.OPEN and handover.due_on < today
    return render(request, "audits/handovers.html", {"page": page, "show_overdue": show_overdue})


@login_required
def handover_detail(request, pk):
    handover = queries.get_handover_for(request.user, pk)
    can_manage = access.can(request.user, "audits.manage", handover.unit) and handover.status == handover.Status.OPEN
    signed = {s.party: s for s in handover.signatures.select_related("user")}
    from jiandu.registry.models import Cadre

    parties = [(value, label, signed.get(value)) for value, label in HandoverSignature.Party.choices]
    context = {
        "handover": handover,
        "items": handover.items.all(),
        "parties": parties,
        "can_manage": can_manage,
        "is_overdue": handover.status == handover.Status.OPEN and handover.due_on < dt.date.today(),
        "candidates": Cadre.objects.filter(unit__path__startswith=handover.unit.path).exclude(pk=handover.cadre_id).order_by("name")[:500]
        if can_manage
        else [],
    }
    return render(request, "audits/handover_detail.html", context)


def _run(request, pk, form_class, work, done):
    handover = queries.get_handover_for(request.user, pk)
    _submit(request, form_class, lambda data: work(handover, data), done)
    return redirect("audits:handover_detail", pk=handover.pk)


@login_required
@require_POST
def handover_parties(request, pk):
    from django.contrib.auth import get_user_model

    from jiandu.registry.models import Cadre

    def work(handover, data):
        successor = supervisor = None
        if data["successor"]:
            successor = Cadre.objects.filter(pk=data["successor"], unit__path__startswith=handover.unit.path).first()
            if successor is None:
                raise ActionError(_("Choose the successor from the unit's cadres."), field="successor")
        name = data["supervisor"].strip()
        if name:
            supervisor = get_user_model().objects.filter(username=name).first()
            if supervisor is None:
                raise ActionError(_("No account has this user name."), field="supervisor")
        actions.set_handover_parties(actor=request.user, handover=handover, successor=successor, supervisor=supervisor)

    return _run(request, pk, forms.HandoverPartiesForm, work, _("The parties to the handover are saved."))


@login_required
@require_POST
def handover_item(request, pk):
    def work(handover, data):
        actions.record_handover_item(actor=request.user, handover=handover, item_id=data["item"], figures=data["figures"], notes=data["notes"])

    return _run(request, pk, forms.HandoverItemForm, work, _("The item is saved."))


@login_required
@require_POST
def handover_sign(request, pk):
    return _run(
        request,
        pk,
        forms.SignForm,
        lambda h, data: actions.sign_handover(actor=request.user, handover=h, party=data["party"]),
        _("Your confirmation is recorded."),
    )


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
    findings = list(audit.findings.select_related("owner").prefetch_related("reports__recorded_by"))
    for finding in findings:
        finding.is_overdue = finding.status != finding.Status.VERIFIED and finding.due_on < today
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
            "rectification_days": get_setting("audits.rectification_working_days"),
            "comment_days": get_setting("audits.comment_days"),
            **_clue_context(request.user, can_manage),
        },
    )


def _clue_context(user, can_manage) -> dict:
    """移送问题线索 is offered to whoever the action accepts: audits.manage on the unit and a
    department's clue officer; the departments are the joint meeting's other members."""
    sending = queries.clue_department(user) if can_manage else None
    if sending is None:
        return {"can_transfer_clue": False, "clue_units": []}
    from jiandu.core import clue_referrals

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
        owner = Cadre.objects.filter(pk=data["owner"], unit__path__startswith=audit.unit.path).first()
        if owner is None:
            raise ActionError(_("Choose the rectification owner from the audited unit's cadres."), field="owner")
        actions.add_finding(
            actor=request.user,
            audit=audit,
            category=data["category"],
            amount=data["amount"] or 0,
            responsibility=data["responsibility"],
            description=data["description"],
            owner=owner,
            working_days=data["working_days"],
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
@require_POST
def finding_progress(request, pk):
    return _finding_step(
        request,
        pk,
        forms.ProgressForm,
        lambda f, d: actions.report_rectification(actor=request.user, finding=f, reported_on=d["reported_on"], text=d["text"]),
        _("The progress report is recorded."),
    )


@login_required
@require_POST
def finding_verify(request, pk):
    return _finding_step(
        request,
        pk,
        forms.VerificationForm,
        lambda f, d: actions.verify_rectification(actor=request.user, finding=f, accepted=d["decision"] == "accept", text=d["text"]),
        _("The verification is recorded."),
    )


@login_required
def findings(request):
    """Audit findings and their rectification (all, or only the overdue ones)."""
    _require_view(request.user)
    qs = queries.findings_visible_to(request.user)
    show_overdue = request.GET.get("overdue") == "1"
    if show_overdue:
        qs = queries.overdue_findings(qs)
    today = dt.date.today()
    if request.GET.get("format") == "xlsx":
        return _findings_xlsx(request, qs.order_by("due_on", "id"), show_overdue, today)
    page = Paginator(qs.order_by("due_on", "id"), 50).get_page(request.GET.get("page"))
    for finding in page:
        finding.is_overdue = finding.status != finding.Status.VERIFIED and finding.due_on < today
    return render(request, "audits/findings.html", {"page": page, "show_overdue": show_overdue})


def _findings_xlsx(request, qs, show_overdue, today):
    """The audit report's findings and their rectification as an xlsx (jiandu.core.exports), journaled."""
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
        C("responsibility", _("Responsibility"), kind=exports.CHOICE, choices=Finding.Responsibility.choices),
        C("owner", _("Rectification owner")),
        C("due", _("Due"), kind=exports.DATE),
        C("status", _("Status"), kind=exports.CHOICE, choices=Finding.Status.choices),
        C("verified", _("Verified on"), kind=exports.DATE),
        C("overdue", _("Overdue"), kind=exports.BOOL),
    ]
    rows = (
        [
            f.audit.cadre.name,
            f.audit.unit.label,
            f.audit.kind,
            f.audit.report_issued_on,
            f.audit.grade,
            f.category,
            f.description,
            str(f.amount),
            f.responsibility,
            f.owner.name,
            f.due_on,
            f.status,
            f.verified_on,
            f.status != Finding.Status.VERIFIED and f.due_on < today,
        ]
        for f in qs.iterator(chunk_size=500)
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

    from .documents import notice_filename, notice_pdf

    audit = queries.get_audit_for(request.user, pk)
    if not audit.notice_number:
        raise access.NotVisible()
    return pdf_response(notice_pdf(audit), notice_filename(audit))


# --- in-term audits and the yearly plan -------------------------------------------------------


def _visible_tenure(user, pk):
    from jiandu.registry.models import Tenure

    tenure = Tenure.objects.filter(access.scope_q(user, "audits.view", "position__unit__path"), pk=pk).first()
    if tenure is None:
        raise ActionError(_("Choose a serving audit subject from the list."), field="tenure")
    return tenure


@login_required
def candidates(request):
    """Serving audit subjects ranked by the risk score, each with the computation of its score."""
    _require_view(request.user)
    rows = queries.risk_candidates(request.user)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    for tenure in page:
        tenure.explanation = tenure.risk.explain()
    draft = AuditPlan.objects.filter(status=AuditPlan.Status.DRAFT).order_by("year").first()
    in_draft = set(draft.entries.values_list("tenure_id", flat=True)) if draft else set()
    return render(
        request,
        "audits/candidates.html",
        {"page": page, "can_manage": access.can(request.user, "audits.manage"), "draft": draft, "in_draft": in_draft},
    )


@login_required
@require_POST
def start_in_term(request):
    if not access.can(request.user, "audits.manage"):
        raise access.NotVisible()
    started = {}

    def work(data):
        started["audit"] = actions.start_in_term_audit(actor=request.user, tenure=_visible_tenure(request.user, data["tenure"]), reason=data["reason"])

    if _submit(request, forms.InTermAuditForm, work, _("The in-term audit is started.")):
        return redirect("audits:audit_detail", pk=started["audit"].pk)
    return redirect("audits:candidates")


@login_required
def plans(request):
    _require_view(request.user)
    return render(
        request,
        "audits/plans.html",
        {"plans": queries.plans_visible_to(request.user), "can_manage": access.can(request.user, "audits.manage"), "next_year": dt.date.today().year + 1},
    )


@login_required
@require_POST
def plan_draft(request):
    if not access.can(request.user, "audits.manage"):
        raise access.NotVisible()
    made = {}

    def work(data):
        made["plan"] = actions.draft_plan(actor=request.user, year=data["year"])

    if _submit(request, forms.PlanForm, work, _("The plan is drafted; add subjects from the ranked candidates.")):
        return redirect("audits:plan_detail", pk=made["plan"].pk)
    return redirect("audits:plans")


@login_required
def plan_detail(request, pk):
    _require_view(request.user)
    plan = queries.get_plan_for(request.user, pk)
    entries = list(queries.plan_entries_visible_to(request.user, plan))
    for entry in entries:
        entry.explanation = risk.explain_parts(entry.parts)
    is_draft = plan.status == AuditPlan.Status.DRAFT
    return render(
        request,
        "audits/plan_detail.html",
        {
            "plan": plan,
            "entries": entries,
            "can_manage": is_draft and access.can(request.user, "audits.manage"),
            "can_approve": is_draft and plan.drafted_by_id != request.user.pk and access.can(request.user, "audits.approve"),
        },
    )


@login_required
@require_POST
def plan_add(request, pk):
    plan = queries.get_plan_for(request.user, pk)
    if not access.can(request.user, "audits.manage"):
        raise access.NotVisible()

    def work(data):
        actions.add_plan_entry(actor=request.user, plan=plan, tenure=_visible_tenure(request.user, data["tenure"]), reason=data["reason"])

    _submit(request, forms.PlanEntryForm, work, _("The subject is in the plan."))
    return redirect("audits:candidates")


@login_required
@require_POST
def plan_remove(request, pk):
    plan = queries.get_plan_for(request.user, pk)
    if not access.can(request.user, "audits.manage"):
        raise access.NotVisible()
    _submit(
        request,
        forms.PlanEntryRemoveForm,
        lambda data: actions.remove_plan_entry(actor=request.user, plan=plan, entry_id=data["entry"]),
        _("The subject is taken out of the plan."),
    )
    return redirect("audits:plan_detail", pk=plan.pk)


@login_required
@require_POST
def plan_approve(request, pk):
    plan = queries.get_plan_for(request.user, pk)
    if not access.can(request.user, "audits.approve"):
        raise access.NotVisible()
    try:
        actions.approve_plan(actor=request.user, plan=plan)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The plan is approved and its in-term audits are started."))
    return redirect("audits:plan_detail", pk=plan.pk)


@login_required
def handover_pdf(request, pk):
    """The handover list (离任经济事项交接清单) as a PDF, for whoever may open the handover's page;
    the download is journaled like the other documents of the supervision offices."""
    from jiandu.core import journal
    from jiandu.core.pdf import pdf_response

    from .documents import handover_filename
    from .documents import handover_pdf as render

    handover = queries.get_handover_for(request.user, pk)
    content = render(handover, printed_on=dt.date.today())
    journal.record("audits.handover.printed", actor=request.user, target=handover, unit=handover.unit, cadre=handover.cadre, data={})
    return pdf_response(content, handover_filename(handover))


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
