"""The collective decision, the public notice (公示) and objections to it."""

from django.db import transaction
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.errors import ActionError
from jiandu.core.practice import get_setting
from jiandu.decisions import verdict
from jiandu.registry.models import Cadre

from .. import four_checks, queries, rules
from ..models import (
    Candidate,
    CaseDecision,
    DecisionMember,
    DecisionStatement,
    Objection,
    SelectionCase,
    Stage,
)
from .base import _date, _lock, _require_next, _require_recorded, _stage_record, _text


@transaction.atomic
def record_decision(*, actor, case: SelectionCase, body, held_on, handler, absent: list[Cadre], statements: dict) -> CaseDecision:
    """The committee's decision (讨论决定). `statements`: {candidate: [(member, stance)]} in speaking
    order, the principal last. Each candidate's outcome is computed by decisions.verdict
    (appointments: 2/3 present, yes above half of all members); a 破格 candidate without the
    higher department's prior approval before the meeting is void."""
    case = _lock(case)
    access.require(actor, "selection.manage", case.unit)
    access.require(actor, "decisions.manage", body.unit)
    _require_next(case, Stage.DECISION)
    held_on = _date(held_on, "held_on")
    members = [m.cadre for m in body.memberships.select_related("cadre").order_by("id")]
    member_ids = {m.pk for m in members}
    absent_ids = {c.pk for c in absent}
    if absent_ids - member_ids:
        raise ActionError(_("Someone marked absent is not a member of the body."), field="absent")
    present_ids = member_ids - absent_ids
    candidates = list(case.candidates.select_related("cadre", "file_review").prefetch_related("vetting__department"))
    missing = [(c, four_checks.gate_problems(c)) for c in candidates]
    missing = [f"{c.cadre.name}：{'；'.join(problems)}" for c, problems in missing if problems]
    if missing:
        raise ActionError(
            _("The decision cannot be taken before the four checks are complete (%(basis)s): %(missing)s")
            % {"basis": four_checks.BASIS, "missing": " ".join(missing)},
            field="statements",
        )
    if set(statements) != set(candidates):
        raise ActionError(_("Give the statements on every candidate of the case."), field="statements")
    principal = body.principal if body.principal_id in member_ids else None
    results = {}
    for candidate in candidates:
        said = []
        for member, stance in statements[candidate]:
            if member.pk not in present_ids:
                raise ActionError(_("%(name)s was not present and cannot state.") % {"name": member.name}, field="statements")
            said.append(verdict.Statement(member.pk, stance))
        try:
            results[candidate] = verdict.compute(
                total=len(members), present=len(present_ids), category=verdict.APPOINTMENT, statements=said, principal=principal.pk if principal else None
            )
        except verdict.VerdictError as error:
            raise ActionError(_("%(name)s: %(problem)s") % {"name": candidate.cadre.name, "problem": error.message}, field="statements") from None
    decision = CaseDecision.objects.create(case=case, body=body, held_on=held_on, principal=principal, recorded_by=actor)
    DecisionMember.objects.bulk_create([DecisionMember(decision=decision, cadre=m, present=m.pk in present_ids) for m in members])
    outcomes = {}
    for candidate, result in results.items():
        DecisionStatement.objects.bulk_create(
            [
                DecisionStatement(decision=decision, candidate=candidate, order=n, cadre_id=s.member, stance=s.stance)
                for n, s in enumerate(result_statements(statements[candidate]), 1)
            ]
        )
        note = rules.exceptional_void(candidate, case, held_on)
        outcome = verdict.VOID if note else result.outcome
        candidate.outcome, candidate.outcome_note = outcome, note
        candidate.save(update_fields=["outcome", "outcome_note"])
        outcomes[candidate.cadre.name] = outcome
    present_names = "、".join(m.name for m in members if m.pk in present_ids)
    summary = "；".join(f"{c.cadre.name}：{queries.outcome_label(c.outcome)}" for c in candidates)
    _stage_record(
        case,
        Stage.DECISION,
        actor=actor,
        held_on=held_on,
        handler=handler,
        responsible=principal.name if principal else body.name,
        participants=present_names,
        result=summary,
    )
    journal.record(
        "selection.decision.recorded",
        actor=actor,
        target=case,
        unit=case.unit,
        data={"body": body.name, "members": len(members), "present": len(present_ids), "outcomes": list(outcomes.values())},
    )
    return decision


def result_statements(pairs):
    return [verdict.Statement(member.pk, stance) for member, stance in pairs]


@transaction.atomic
def start_notice(*, actor, case: SelectionCase, starts_on, ends_on, handler, responsible, result) -> SelectionCase:
    """Public notice (任前公示) after the decision, at least the setting's working days (official
    calendar, first and last day included)."""
    case = _lock(case)
    access.require(actor, "selection.manage", case.unit)
    _require_next(case, Stage.NOTICE)
    starts_on, ends_on = _date(starts_on, "starts_on"), _date(ends_on, "ends_on")
    if not case.candidates.filter(outcome=verdict.PASSED).exists():
        raise ActionError(_("No candidate passed the decision: there is nobody to put on notice."), field="starts_on")
    if starts_on < case.decision.held_on:
        raise ActionError(_("The notice starts after the decision of %(date)s.") % {"date": case.decision.held_on.isoformat()}, field="starts_on")
    need = int(get_setting("selection.notice_working_days"))
    days = rules.notice_working_days(starts_on, ends_on)
    if days < need:
        raise ActionError(
            _("The notice lasts %(days)d working days, fewer than %(need)d: it must run until %(end)s (2019 条例, 任职前公示制度).")
            % {"days": days, "need": need, "end": rules.earliest_notice_end(starts_on).isoformat()},
            field="ends_on",
        )
    case.notice_starts_on, case.notice_ends_on = starts_on, ends_on
    case.save(update_fields=["notice_starts_on", "notice_ends_on"])
    _stage_record(case, Stage.NOTICE, actor=actor, held_on=starts_on, handler=handler, responsible=responsible, participants="", result=result)
    journal.record(
        "selection.notice.started", actor=actor, target=case, unit=case.unit, data={"starts_on": starts_on, "ends_on": ends_on, "working_days": days}
    )
    return case


@transaction.atomic
def record_objection(*, actor, candidate: Candidate, received_on, content) -> Objection:
    candidate = Candidate.objects.select_related("case", "cadre").get(pk=candidate.pk)
    case = _lock(candidate.case)
    access.require(actor, "selection.manage", case.unit)
    _require_recorded(case, Stage.NOTICE, _("Recording an objection"))
    received_on = _date(received_on, "received_on")
    if received_on < case.notice_starts_on:
        raise ActionError(_("The objection is dated before the notice began."), field="received_on")
    if candidate.tenure_id:
        raise ActionError(_("%(name)s is already appointed.") % {"name": candidate.cadre.name}, field="received_on")
    objection = Objection.objects.create(
        case=case, candidate=candidate, received_on=received_on, content=_text(content, "content", max_length=4000), recorded_by=actor
    )
    journal.record("selection.objection.recorded", actor=actor, target=case, unit=case.unit, cadre=candidate.cadre, data={"received_on": received_on})
    return objection


@transaction.atomic
def resolve_objection(*, actor, objection: Objection, verification, resolved_on) -> Objection:
    objection = Objection.objects.select_for_update().select_related("case", "candidate__cadre").get(pk=objection.pk)
    access.require(actor, "selection.manage", objection.case.unit)
    if objection.resolved_on:
        raise ActionError(_("This objection is already resolved."), field="verification")
    resolved_on = _date(resolved_on, "resolved_on")
    if resolved_on < objection.received_on:
        raise ActionError(_("The objection is resolved before it was received."), field="resolved_on")
    objection.verification, objection.resolved_on = _text(verification, "verification", max_length=4000), resolved_on
    objection.save(update_fields=["verification", "resolved_on"])
    journal.record(
        "selection.objection.resolved",
        actor=actor,
        target=objection.case,
        unit=objection.case.unit,
        cadre=objection.candidate.cadre,
        data={"resolved_on": resolved_on},
    )
    return objection
