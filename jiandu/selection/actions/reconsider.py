"""复议: the committee reconsiders its decision on one candidate (decisions.verdict decides whether
it may and what the new verdict is)."""

from django.db import transaction
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.errors import ActionError
from jiandu.decisions import verdict

from .. import rules
from ..models import Candidate
from ..reconsider_models import Reconsideration
from .base import _date, _lock, _text

__all__ = ["reconsider_decision"]


@transaction.atomic
def reconsider_decision(*, actor, candidate: Candidate, held_on, agreeing, reason, absent, statements) -> Reconsideration:
    """Record the reconsideration of the decision on `candidate`: `agreeing` members agreed to
    reconsider (more than half of all members needed), `absent` members of the deciding body were
    away, `statements` [(member, stance)] in speaking order, the principal last. The verdict is
    recomputed and replaces the candidate's outcome. Before the appointment, once per candidate."""
    candidate = Candidate.objects.select_related("case", "cadre").get(pk=candidate.pk)
    case = _lock(candidate.case)
    access.require(actor, "selection.manage", case.unit)
    decision = getattr(case, "decision", None)
    if decision is None or not candidate.outcome:
        raise ActionError(_("There is no decision on %(name)s to reconsider.") % {"name": candidate.cadre.name}, field="held_on")
    access.require(actor, "decisions.manage", decision.body.unit)
    candidate = Candidate.objects.select_for_update().select_related("case", "cadre").get(pk=candidate.pk)
    if candidate.tenure_id:
        raise ActionError(_("%(name)s is already appointed: the decision can no longer be reconsidered.") % {"name": candidate.cadre.name}, field="held_on")
    if Reconsideration.objects.filter(candidate=candidate).exists():
        raise ActionError(_("The decision on %(name)s was already reconsidered.") % {"name": candidate.cadre.name}, field="held_on")
    held_on = _date(held_on, "held_on")
    if held_on < decision.held_on:
        raise ActionError(_("The reconsideration is held after the decision of %(date)s.") % {"date": decision.held_on.isoformat()}, field="held_on")
    reason = _text(reason, "reason", max_length=4000)
    members = [m.cadre for m in decision.members.select_related("cadre").order_by("id")]
    total = len(members)
    if isinstance(agreeing, bool) or not isinstance(agreeing, int) or agreeing < 0 or agreeing > total:
        raise ActionError(_("Give the number of members agreeing to reconsider, from 0 to %(total)d.") % {"total": total}, field="agreeing")
    allowed = verdict.reconsideration(total=total, agreeing=agreeing)
    if not allowed.allowed:
        raise ActionError(allowed.explanation, field="agreeing")
    member_ids = {m.pk for m in members}
    absent_ids = {c.pk for c in absent}
    if absent_ids - member_ids:
        raise ActionError(_("Someone marked absent is not a member of the body."), field="absent")
    present_ids = [m.pk for m in members if m.pk not in absent_ids]
    said = []
    for member, stance in statements:
        if member.pk not in member_ids:
            raise ActionError(_("That person is not a member of this body."), field="statements")
        if member.pk in absent_ids:
            raise ActionError(_("%(name)s was not present and cannot state.") % {"name": member.name}, field="statements")
        said.append(verdict.Statement(member.pk, stance))
    principal = decision.principal_id
    try:
        result = verdict.compute(total=total, present=len(present_ids), category=verdict.APPOINTMENT, statements=said, principal=principal)
    except verdict.VerdictError as error:
        raise ActionError(error.message, field="statements") from None
    note = rules.exceptional_void(candidate, case, held_on)
    outcome = verdict.VOID if note else result.outcome
    record = Reconsideration.objects.create(
        candidate=candidate,
        held_on=held_on,
        agreeing=agreeing,
        reason=reason,
        present=present_ids,
        statements=[[s.member, s.stance] for s in said],
        previous_outcome=candidate.outcome,
        outcome=outcome,
        recorded_by=actor,
    )
    candidate.outcome = outcome
    candidate.outcome_note = " ".join(filter(None, [_("Reconsidered on %(date)s.") % {"date": held_on.isoformat()}, note]))
    candidate.save(update_fields=["outcome", "outcome_note"])
    journal.record(
        "selection.decision.reconsidered",
        actor=actor,
        target=case,
        unit=case.unit,
        cadre=candidate.cadre,
        data={"members": total, "agreeing": agreeing, "present": len(present_ids), "from": record.previous_outcome, "to": outcome},
    )
    return record
