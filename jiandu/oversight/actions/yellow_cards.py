"""Yellow cards (亮黄牌 → 诫勉): the annual appraisal raises an admonishment proposal when a
cadre's dissatisfaction reaches the threshold (appraisals, seed's rule ≥ 1/3 [L]); the
organisation department decides it here.

    proposal (appraisals) ─confirm_yellow_card─▶ confirmed + taken up ─▶ a 诫勉 disposition and a
        │                                        required 诫勉 talk (create_admonishment)
        └──────────────dismiss_yellow_card─────▶ dismissed (with the reason)

A proposal confirmed in the appraisal pages but not yet turned into an admonishment can still
be confirmed here (it is then only taken up). The proposal's rows belong to appraisals: they
change only through its actions (confirm_proposal, dismiss_proposal, take_up_proposal), called
in this app's transaction so that nothing is stored half-way.
"""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.appraisals import actions as appraisal_actions
from jiandu.appraisals import queries as appraisal_queries
from jiandu.core.errors import ActionError

from .. import queries
from ..models import Disposition
from . import base
from .dispositions import create_admonishment


def _locked(actor, proposal):
    """The proposal, locked, if the actor may confirm yellow cards of its appraisal; else 404."""
    pk = getattr(proposal, "pk", proposal)
    locked = appraisal_queries.proposals_visible_to(actor, "oversight.confirm").select_for_update(of=("self",)).filter(pk=pk).first()
    if locked is None:
        raise access.NotVisible()
    return locked


def _require_open(proposal) -> None:
    state = queries.yellow_card_state(proposal)
    if state == queries.YellowCardState.DISMISSED:
        raise ActionError(_("This yellow card was dismissed; it cannot lead to an admonishment."), code="decided")
    if state == queries.YellowCardState.TAKEN_UP:
        raise ActionError(_("An admonishment was already issued for this yellow card (%(reference)s).") % {"reference": proposal.reference}, code="duplicate")


def confirm_yellow_card(
    *,
    actor,
    proposal,
    grounds: str,
    decided_on: dt.date | None = None,
    deciding_body: str | None = None,
    note: str = "",
) -> Disposition:
    """Confirm a yellow-card proposal and admonish the cadre, in one transaction: the proposal is
    confirmed (appraisals), a 诫勉 disposition with its required talk is created with the
    triggering figures (create_admonishment: oversight.confirm on the cadre's unit; the talk is
    due within the configured working days), and the proposal is taken up with the
    disposition's reference. Needs oversight.confirm on the appraisal's organising unit; refused
    for a dismissed proposal or one already taken up."""
    grounds = base.text(grounds, "grounds")
    note = base.text(note, "note", required=False, max_length=2000)
    with transaction.atomic():
        proposal = _locked(actor, proposal)
        _require_open(proposal)
        if proposal.is_pending and access.can(actor, "appraisals.confirm", proposal.cycle.unit):
            appraisal_actions.confirm_proposal(actor=actor, proposal=proposal, note=note)
        # (Without appraisals.confirm, take_up_proposal below confirms a pending proposal itself.)
        disposition = create_admonishment(
            actor=actor,
            cadre=proposal.cadre,
            grounds=grounds,
            source_type=queries.YELLOW_CARD_SOURCE,
            source_id=proposal.pk,
            figures=queries.proposal_figures(proposal),
            decided_on=decided_on,
            deciding_body=deciding_body,
        )
        appraisal_actions.take_up_proposal(actor=actor, proposal=proposal, reference=queries.admonishment_reference(disposition), note=note)
    return disposition


def dismiss_yellow_card(*, actor, proposal, reason: str):
    """Dismiss a pending yellow-card proposal with the reason (e.g. the votes were found to be
    organised); no admonishment follows. Needs oversight.confirm on the appraisal's organising
    unit (and appraisals.confirm, which records the decision)."""
    reason = base.text(reason, "reason", max_length=2000)
    with transaction.atomic():
        proposal = _locked(actor, proposal)
        _require_open(proposal)
        if not proposal.is_pending:
            raise ActionError(_("This yellow card was already confirmed; revoke the admonishment instead, with its reason."), code="decided")
        return appraisal_actions.dismiss_proposal(actor=actor, proposal=proposal, reason=reason)
