"""Yellow-card proposals (亮黄牌) and disqualifying events."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiandu.accounts import access
from jiandu.core.errors import ActionError
from jiandu.core.listing import paginate
from jiandu.registry import queries as registry_queries
from jiandu.registry.models import Cadre

from .. import actions, queries
from ..forms import EventForm, NoteForm, ReasonForm, WithdrawForm, add_action_error
from ..models import AdmonishmentProposal
from .common import run


@login_required
def proposals(request):
    access.require(request.user, "appraisals.view")
    status = request.GET.get("status", AdmonishmentProposal.Status.PENDING)
    qs = queries.proposals_visible_to(request.user).select_related("assessed_cadre__assessed_unit")
    if status in AdmonishmentProposal.Status.values:
        qs = qs.filter(status=status)
    else:
        status = ""
    page = paginate(request, qs.order_by("-created_at", "-id"))
    return render(
        request,
        "appraisals/proposals.html",
        {
            "page": page,
            "status": status,
            "statuses": AdmonishmentProposal.Status.choices,
            "counts": queries.proposal_counts(request.user),
            "confirmable": {p.pk for p in page if p.is_pending and access.can(request.user, "appraisals.confirm", p.cycle.unit)},
            "note_form": NoteForm(),
            "reason_form": ReasonForm(),
            "breadcrumbs": [(_("Target supervision"), reverse("appraisals:index")), (_("Yellow-card proposals"), None)],
        },
    )


@login_required
@require_POST
def proposal_confirm(request, pk):
    proposal = queries.get_proposal_for(request.user, pk, "appraisals.confirm")
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return run(
        request,
        lambda: actions.confirm_proposal(actor=request.user, proposal=proposal, note=note),
        _("The yellow card for %(name)s is confirmed.") % {"name": proposal.cadre.name},
        reverse("appraisals:proposals"),
    )


@login_required
@require_POST
def proposal_dismiss(request, pk):
    proposal = queries.get_proposal_for(request.user, pk, "appraisals.confirm")
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for dismissing the proposal."))
        return redirect("appraisals:proposals")
    return run(
        request,
        lambda: actions.dismiss_proposal(actor=request.user, proposal=proposal, reason=form.cleaned_data["reason"]),
        _("The yellow card for %(name)s is dismissed.") % {"name": proposal.cadre.name},
        reverse("appraisals:proposals"),
    )


def _event_cadres(user, text: str):
    qs = registry_queries.cadres_visible_to(user, "appraisals.manage").filter(status=Cadre.Status.SERVING)
    return registry_queries.search_cadres(qs, text, user=user).order_by("name_pinyin")[:100] if text else qs.none()


@login_required
def events(request):
    access.require(request.user, "appraisals.view")
    text = request.GET.get("q", "").strip()
    year = request.GET.get("year", "")
    qs = queries.search_events(queries.events_visible_to(request.user), text, year, include_withdrawn=bool(request.GET.get("withdrawn")))
    page = paginate(request, qs)
    can_manage = access.can(request.user, "appraisals.manage")
    cadre_text = request.GET.get("cadre_q", "").strip()
    form = None
    if can_manage:
        cadres = _event_cadres(request.user, cadre_text or request.POST.get("cadre_q", ""))
        form = EventForm(request.POST or None, cadres=cadres)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            cadre = registry_queries.cadres_visible_to(request.user, "appraisals.manage").get(pk=data["cadre"])
            try:
                actions.record_disqualifying_event(actor=request.user, cadre=cadre, occurred_on=data["occurred_on"], kind=data["kind"], note=data["note"])
            except ActionError as exc:
                add_action_error(form, exc)
            else:
                messages.success(request, _("The event is recorded for %(name)s.") % {"name": cadre.name})
                return redirect("appraisals:events")
    elif request.method == "POST":
        raise access.NotVisible()
    return render(
        request,
        "appraisals/events.html",
        {
            "page": page,
            "form": form,
            "cadre_text": cadre_text,
            "withdraw_form": WithdrawForm(),
            "can_manage": can_manage,
            "breadcrumbs": [(_("Target supervision"), reverse("appraisals:index")), (_("Disqualifying events"), None)],
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def event_withdraw(request, pk):
    event = queries.get_event_for(request.user, pk, "appraisals.manage")
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for withdrawing the event."))
        return redirect("appraisals:events")
    return run(
        request,
        lambda: actions.withdraw_disqualifying_event(actor=request.user, event=event, reason=form.cleaned_data["reason"]),
        _("The event is withdrawn."),
        reverse("appraisals:events"),
    )
