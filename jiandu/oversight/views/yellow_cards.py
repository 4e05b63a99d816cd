"""Yellow cards (亮黄牌): the appraisal's admonishment proposals, confirmed into an admonishment
(诫勉) or dismissed with a reason, and followed up at the next evaluation."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from jiandu.accounts import access

from .. import queries, tables
from ..actions import yellow_cards as yellow_card_actions
from ..forms import ReasonForm, YellowCardConfirmForm
from .common import action_page, filter_rows, form_data, list_page


def _crumbs(title=None):
    crumbs = [(_("Daily supervision"), reverse("oversight:index")), (_("Yellow cards"), reverse("oversight:yellow_card_list") if title else None)]
    return crumbs + [(title, None)] if title else crumbs


@login_required
def yellow_card_list(request):
    """The inbox: proposals of the appraisals in the user's scope, undecided ones first."""
    access.require(request.user, "oversight.view")
    form, qs = filter_rows(
        request,
        queries.yellow_cards_visible_to(request.user),
        statuses=queries.YellowCardState.choices,
        status_field="state",
        year_field="cycle__year",
        unit_field="cadre__unit",
    )
    return list_page(
        request,
        title=_("Yellow cards"),
        qs=qs,
        columns=tables.YELLOW_CARDS,
        form=form,
        export_name="yellow-cards",
        extra={"intro": _("Admonishment proposals raised by the annual appraisal when a cadre's dissatisfaction reaches the threshold.")},
    )


@login_required
def yellow_card_detail(request, pk):
    proposal = queries.get_yellow_card_for(request.user, pk)
    state = proposal.state
    can_confirm = access.can(request.user, "oversight.confirm", proposal.cycle.unit)
    disposition = queries.admonishment_of(proposal)
    return render(
        request,
        "oversight/yellow_card_detail.html",
        {
            "p": proposal,
            "state": queries.YellowCardState(state),
            "disposition": disposition if disposition and queries.dispositions_visible_to(request.user).filter(pk=disposition.pk).exists() else None,
            "follow_up": queries.yellow_card_follow_up(proposal.cadre, queries.proposal_figures(proposal)),
            "can_confirm": can_confirm and state in queries.OPEN_YELLOW_CARD_STATES,
            "can_dismiss": can_confirm and state == queries.YellowCardState.PENDING,
            "breadcrumbs": _crumbs(proposal.cadre.name),
        },
    )


@login_required
def yellow_card_confirm(request, pk):
    proposal = queries.get_yellow_card_for(request.user, pk, "oversight.confirm")
    initial = {
        "decided_on": dt.date.today(),
        "deciding_body": _("Organisation department of the district committee"),
        "grounds": queries.yellow_card_grounds(proposal),
    }
    created = {}

    def call(data):
        created["d"] = yellow_card_actions.confirm_yellow_card(actor=request.user, proposal=proposal, **data)

    response = action_page(
        request,
        form=YellowCardConfirmForm(*form_data(request), initial=initial),
        obj=f"{proposal.cadre.name} · {proposal.figures}",
        title=_("Confirm the yellow card"),
        call=call,
        success=_("Yellow card confirmed: the admonishment (诫勉) is recorded and its talk is required."),
        back=reverse("oversight:yellow_card_detail", args=[proposal.pk]),
        confirm=_("Admonish this cadre (诫勉)? It starts an influence period."),
    )
    if created:
        response["Location"] = reverse("oversight:disposition_detail", args=[created["d"].pk])
    return response


@login_required
def yellow_card_dismiss(request, pk):
    proposal = queries.get_yellow_card_for(request.user, pk, "oversight.confirm")
    form = ReasonForm(*form_data(request))
    form.fields["reason"].help_text = _("Why no admonishment follows, e.g. the votes were found to be organised.")
    return action_page(
        request,
        form=form,
        obj=f"{proposal.cadre.name} · {proposal.figures}",
        title=_("Dismiss the yellow card"),
        call=lambda data: yellow_card_actions.dismiss_yellow_card(actor=request.user, proposal=proposal, reason=data["reason"]),
        success=_("Yellow card dismissed."),
        back=reverse("oversight:yellow_card_detail", args=[proposal.pk]),
        confirm=_("Dismiss this yellow card? No admonishment follows."),
    )
