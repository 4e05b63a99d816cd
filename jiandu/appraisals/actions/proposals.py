"""Yellow-card proposals (亮黄牌 → 诫勉): confirmed or dismissed (with a reason) by the
organisation department here; `take_up_proposal` is the hook daily supervision calls when it
turns a proposal into an admonishment of its own."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.errors import ActionError

from ..models import AdmonishmentProposal
from .common import clean_text


def _lock(proposal) -> AdmonishmentProposal:
    return AdmonishmentProposal.objects.select_for_update().select_related("cycle__unit", "assessed_cadre__assessed_unit__unit").get(pk=proposal.pk)


def _decide(actor, proposal: AdmonishmentProposal, status: str, note: str, reference: str = "") -> AdmonishmentProposal:
    proposal.status = status
    proposal.decided_at = timezone.now()
    proposal.decided_by_id = actor.pk
    proposal.decision_note = note
    if reference:
        proposal.reference = reference
    proposal.save(update_fields=["status", "decided_at", "decided_by_id", "decision_note", "reference"])
    return proposal


def confirm_proposal(*, actor, proposal: AdmonishmentProposal, note: str = "") -> AdmonishmentProposal:
    """Confirm a pending yellow card: the cadre is to be admonished (诫勉). Needs appraisals.confirm."""
    with transaction.atomic():
        proposal = _lock(proposal)
        access.require(actor, "appraisals.confirm", proposal.cycle.unit)
        if not proposal.is_pending:
            raise ActionError(_("This proposal has already been %(status)s.") % {"status": proposal.get_status_display()}, code="decided")
        note = clean_text(note, "note", _("Note"), max_length=2000)
        _decide(actor, proposal, AdmonishmentProposal.Status.CONFIRMED, note)
        journal.record(
            "appraisals.proposal.confirmed",
            actor=actor,
            target=proposal,
            unit=proposal.assessed_cadre.assessed_unit.unit,
            cadre=proposal.cadre_id,
            data={"figures": proposal.figures, "note": note},
        )
    return proposal


def dismiss_proposal(*, actor, proposal: AdmonishmentProposal, reason: str) -> AdmonishmentProposal:
    """Dismiss a pending yellow card, with the reason (e.g. the votes were found to be organised)."""
    with transaction.atomic():
        proposal = _lock(proposal)
        access.require(actor, "appraisals.confirm", proposal.cycle.unit)
        if not proposal.is_pending:
            raise ActionError(_("This proposal has already been %(status)s.") % {"status": proposal.get_status_display()}, code="decided")
        reason = clean_text(reason, "reason", _("Reason"), required=True, max_length=2000)
        _decide(actor, proposal, AdmonishmentProposal.Status.DISMISSED, reason)
        journal.record(
            "appraisals.proposal.dismissed",
            actor=actor,
            target=proposal,
            unit=proposal.assessed_cadre.assessed_unit.unit,
            cadre=proposal.cadre_id,
            data={"figures": proposal.figures, "reason": reason},
        )
    return proposal


def take_up_proposal(*, actor, proposal: AdmonishmentProposal, reference: str, note: str = "") -> AdmonishmentProposal:
    """Daily supervision takes a proposal up (e.g. reference "oversight.admonishment:12"): a pending
    proposal becomes confirmed; a confirmed one records the reference. Needs appraisals.confirm
    or oversight.confirm on the cycle's unit."""
    with transaction.atomic():
        proposal = _lock(proposal)
        unit = proposal.cycle.unit
        if not (access.can(actor, "appraisals.confirm", unit) or access.can(actor, "oversight.confirm", unit)):
            raise access.NotVisible()
        reference = clean_text(reference, "reference", _("Reference"), required=True, max_length=100)
        if proposal.status == AdmonishmentProposal.Status.DISMISSED:
            raise ActionError(_("This proposal was dismissed and cannot be taken up."), code="decided")
        if proposal.reference:
            raise ActionError(_("This proposal has already been taken up (%(reference)s).") % {"reference": proposal.reference}, code="decided")
        note = clean_text(note, "note", _("Note"), max_length=2000)
        if proposal.is_pending:
            _decide(actor, proposal, AdmonishmentProposal.Status.CONFIRMED, note, reference)
        else:
            proposal.reference = reference
            proposal.save(update_fields=["reference"])
        journal.record(
            "appraisals.proposal.taken_up",
            actor=actor,
            target=proposal,
            unit=proposal.assessed_cadre.assessed_unit.unit,
            cadre=proposal.cadre_id,
            data={"figures": proposal.figures, "reference": reference},
        )
    return proposal
