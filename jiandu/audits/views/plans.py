"""Audit pages: risk-ranked candidates, in-term audits and the yearly plan."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiandu.accounts import access
from jiandu.core.errors import ActionError

from .. import actions, forms, queries, risk
from ..models import AuditPlan
from .common import _require_view, _submit

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
