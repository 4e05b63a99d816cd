"""Every write of selection cases: keyword-only, `actor` required, access checked, one
transaction, journaled. Stages are recorded in order (models.STAGE_ORDER); a refusal names the
rule and its article."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.calendar import add_months, add_working_days
from jiandu.core.errors import ActionError
from jiandu.core.practice import get_setting
from jiandu.decisions import verdict
from jiandu.registry.models import Cadre, Position, Unit

from . import queries, rules
from .models import (
    STAGE_ORDER,
    Candidate,
    Canvassing,
    CaseDecision,
    DecisionMember,
    DecisionStatement,
    Objection,
    SelectionCase,
    Stage,
    StageRecord,
    VettingRequest,
)

GENERIC_STAGES = (Stage.RECOMMENDATION, Stage.CANDIDATES, Stage.VETTING, Stage.INSPECTION, Stage.CONSULTATION)


def _text(value, field, *, max_length=None, required=True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ActionError(_("This field is required."), field=field)
    if "\x00" in value:
        raise ActionError(_("The text contains characters that cannot be stored."), field=field)
    if max_length and len(value) > max_length:
        raise ActionError(_("At most %(n)d characters.") % {"n": max_length}, field=field)
    return value


def _date(value, field) -> dt.date:
    if not isinstance(value, dt.date):
        raise ActionError(_("Enter a valid date."), field=field)
    if value > dt.date.today() + dt.timedelta(days=366):
        raise ActionError(_("The date is more than a year ahead."), field=field)
    return value


def _lock(case) -> SelectionCase:
    return SelectionCase.objects.select_for_update().get(pk=case.pk)


def _stage_label(stage) -> str:
    return str(Stage(stage).label)


def _require_next(case, stage):
    """The stage must be the next one to record: every earlier stage recorded, this one not."""
    done = case.recorded_stages()
    if stage in done:
        raise ActionError(_("The stage %(stage)s is already recorded.") % {"stage": _stage_label(stage)}, field="stage")
    for earlier in STAGE_ORDER[: STAGE_ORDER.index(stage)]:
        if earlier not in done:
            raise ActionError(
                _("%(stage)s cannot be recorded before %(earlier)s (%(rule)s).")
                % {"stage": _stage_label(stage), "earlier": _stage_label(earlier), "rule": rules.order_rule()},
                field="stage",
            )


def _require_recorded(case, stage, doing):
    if stage not in case.recorded_stages():
        raise ActionError(
            _("%(doing)s needs the stage %(stage)s recorded first (%(rule)s).") % {"doing": doing, "stage": _stage_label(stage), "rule": rules.order_rule()},
            field="stage",
        )


def _require_open(case, stage, doing):
    if stage in case.recorded_stages():
        raise ActionError(_("%(doing)s is no longer possible: the stage %(stage)s is closed.") % {"doing": doing, "stage": _stage_label(stage)}, field="stage")


def _stage_record(case, stage, *, actor, held_on, handler, responsible, participants, result) -> StageRecord:
    held_on = _date(held_on, "held_on")
    last = case.stages.order_by("-held_on").first()
    if last is not None and held_on < last.held_on:
        raise ActionError(
            _("The date %(date)s is before the previous stage (%(previous)s).") % {"date": held_on.isoformat(), "previous": last.held_on.isoformat()},
            field="held_on",
        )
    return StageRecord.objects.create(
        case=case,
        stage=stage,
        held_on=held_on,
        handler=_text(handler, "handler", max_length=50),
        responsible=_text(responsible, "responsible", max_length=50),
        participants=_text(participants, "participants", required=False, max_length=2000),
        result=_text(result, "result", max_length=4000),
        recorded_by=actor,
    )


@transaction.atomic
def create_case(
    *, actor, unit: Unit, title, positions: list[Position], reasons, proposed_by, held_on, handler, responsible, qualifications="", scope="", participants=""
) -> SelectionCase:
    """Open a case with its motion (动议): positions, reasons, qualifications, scope, who proposed."""
    access.require(actor, "selection.manage", unit)
    positions = list(dict.fromkeys(positions))
    if not positions:
        raise ActionError(_("Choose at least one position."), field="positions")
    for position in positions:
        if not position.unit.path.startswith(unit.path):
            raise ActionError(_("%(position)s is not in %(unit)s.") % {"position": position, "unit": unit.name}, field="positions")
    case = SelectionCase.objects.create(
        unit=unit,
        title=_text(title, "title", max_length=200),
        reasons=_text(reasons, "reasons", max_length=4000),
        qualifications=_text(qualifications, "qualifications", required=False, max_length=4000),
        scope=_text(scope, "scope", required=False, max_length=4000),
        proposed_by=_text(proposed_by, "proposed_by", max_length=100),
        created_by=actor,
    )
    case.positions.set(positions)
    summary = _("Positions: %(positions)s. Reasons: %(reasons)s") % {"positions": "、".join(str(p) for p in positions), "reasons": case.reasons}
    _stage_record(case, Stage.MOTION, actor=actor, held_on=held_on, handler=handler, responsible=responsible, participants=participants, result=summary)
    journal.record("selection.case.opened", actor=actor, target=case, unit=unit, data={"title": case.title, "positions": len(positions)})
    return case


@transaction.atomic
def record_stage(*, actor, case: SelectionCase, stage: str, held_on, handler, responsible, result, participants="") -> StageRecord:
    """Close one of the stages without an action of its own (recommendation, inspection subjects,
    vetting, inspection, consultation), in order and with its required parts."""
    case = _lock(case)
    access.require(actor, "selection.manage", case.unit)
    if stage not in GENERIC_STAGES:
        raise ActionError(_("This stage is recorded through its own form."), field="stage")
    _require_next(case, stage)
    candidates = list(case.candidates.select_related("cadre"))
    if stage == Stage.CANDIDATES and not candidates:
        raise ActionError(_("List at least one inspection subject before closing this stage (%(basis)s).") % {"basis": rules.art24()}, field="stage")
    if stage == Stage.VETTING:
        problems = queries.vetting_problems(case)
        if problems:
            raise ActionError(
                _("Inspection cannot start: %(problems)s (pre-appointment vetting, local rule of the seed).") % {"problems": "；".join(problems)}, field="stage"
            )
    record = _stage_record(case, stage, actor=actor, held_on=held_on, handler=handler, responsible=responsible, participants=participants, result=result)
    journal.record("selection.stage.recorded", actor=actor, target=case, unit=case.unit, data={"stage": stage, "held_on": record.held_on})
    return record


@transaction.atomic
def record_canvassing(*, actor, case: SelectionCase, cadre: Cadre, found_on, details) -> Canvassing:
    """Record canvassing (跑官、拉票) by a cadre: it bars listing the cadre (art. 24)."""
    case = _lock(case)
    access.require(actor, "selection.manage", case.unit)
    access.require(actor, "registry.view", cadre.unit)
    row = Canvassing.objects.create(
        case=case, cadre=cadre, found_on=_date(found_on, "found_on"), details=_text(details, "details", max_length=4000), recorded_by=actor
    )
    journal.record("selection.canvassing.recorded", actor=actor, target=case, unit=case.unit, cadre=cadre, data={"found_on": row.found_on})
    return row


@transaction.atomic
def add_candidate(*, actor, case: SelectionCase, cadre: Cadre, position: Position, listed_on, recommendation_votes: int | None = None) -> Candidate:
    """List an inspection subject (确定考察对象). Art. 24 blocks with every reason; unmet basic
    qualifications mark the candidate 破格 (needs the higher department's prior approval)."""
    case = _lock(case)
    access.require(actor, "selection.manage", case.unit)
    access.require(actor, "registry.view", cadre.unit)
    doing = _("Listing an inspection subject")
    _require_recorded(case, Stage.RECOMMENDATION, doing)
    _require_open(case, Stage.CANDIDATES, doing)
    listed_on = _date(listed_on, "listed_on")
    if not case.positions.filter(pk=position.pk).exists():
        raise ActionError(_("The post is not one of this case's positions."), field="position")
    if case.candidates.filter(cadre=cadre).exists():
        raise ActionError(_("%(name)s is already listed.") % {"name": cadre.name}, field="cadre")
    if cadre.status != Cadre.Status.SERVING:
        raise ActionError(_("Only a serving cadre can be listed."), field="cadre")
    if recommendation_votes is not None and (not isinstance(recommendation_votes, int) or recommendation_votes < 0 or recommendation_votes > 100000):
        raise ActionError(_("Give the recommendation votes as a number."), field="recommendation_votes")
    blocks = rules.art24_blocks(cadre, case, listed_on)
    if blocks:
        raise ActionError(
            _("%(name)s cannot be listed as an inspection subject: %(reasons)s") % {"name": cadre.name, "reasons": " ".join(blocks)}, field="cadre"
        )
    breaches = rules.qualification_breaches(cadre, position, listed_on)
    candidate = Candidate.objects.create(
        case=case, cadre=cadre, position=position, listed_on=listed_on, recommendation_votes=recommendation_votes, exceptional=" ".join(breaches)
    )
    journal.record(
        "selection.candidate.listed",
        actor=actor,
        target=case,
        unit=case.unit,
        cadre=cadre,
        data={"position": str(position), "exceptional": bool(breaches)},
    )
    return candidate


@transaction.atomic
def record_prior_approval(*, actor, case: SelectionCase, approved_on, reference) -> SelectionCase:
    """The higher organisation department's prior approval of an exceptional promotion (破格)."""
    case = _lock(case)
    access.require(actor, "selection.manage", case.unit)
    _require_open(case, Stage.DECISION, _("Recording the prior approval"))
    case.prior_approval_on = _date(approved_on, "approved_on")
    case.prior_approval_ref = _text(reference, "reference", max_length=100)
    case.save(update_fields=["prior_approval_on", "prior_approval_ref"])
    journal.record(
        "selection.approval.recorded",
        actor=actor,
        target=case,
        unit=case.unit,
        data={"approved_on": case.prior_approval_on, "reference": case.prior_approval_ref},
    )
    return case


def vetting_departments() -> list[Unit]:
    names = [str(n).strip() for n in (get_setting("selection.vetting_departments") or []) if str(n).strip()]
    units = []
    for name in names:
        unit = Unit.objects.filter(short_name=name).order_by("path").first() or Unit.objects.filter(name=name).order_by("path").first()
        if unit is not None and unit not in units:
            units.append(unit)
    return units


@transaction.atomic
def send_vetting(*, actor, case: SelectionCase, sent_on) -> list[VettingRequest]:
    """Send each candidate's vetting request to every vetting department (setting), due in the
    setting's working days. Requests already sent are kept."""
    case = _lock(case)
    access.require(actor, "selection.manage", case.unit)
    doing = _("Sending vetting requests")
    _require_recorded(case, Stage.CANDIDATES, doing)
    _require_open(case, Stage.VETTING, doing)
    sent_on = _date(sent_on, "sent_on")
    departments = vetting_departments()
    if not departments:
        raise ActionError(_("No vetting department is set: name them on the settings page (pre-appointment vetting departments)."), field="sent_on")
    days = int(get_setting("selection.vetting_working_days"))
    due = add_working_days(sent_on, days).due
    created = []
    for candidate in case.candidates.all():
        for department in departments:
            if not VettingRequest.objects.filter(candidate=candidate, department=department).exists():
                created.append(VettingRequest.objects.create(candidate=candidate, department=department, sent_on=sent_on, due_on=due))
    journal.record("selection.vetting.sent", actor=actor, target=case, unit=case.unit, data={"requests": len(created), "due_on": due})
    return created


RESULTS = set(VettingRequest.Result.values)


@transaction.atomic
def reply_vetting(*, actor, request: VettingRequest, result: str, replied_on, details="") -> VettingRequest:
    """A vetting department's reply: no problem, problem found (with details) or needs verification."""
    request = VettingRequest.objects.select_for_update().select_related("candidate__case", "candidate__cadre", "department").get(pk=request.pk)
    if not queries.vetting_requests_for_department(actor).filter(pk=request.pk).exists():
        raise access.NotVisible()
    if request.result:
        raise ActionError(_("This request is already answered."), field="result")
    if result not in RESULTS:
        raise ActionError(_("Choose the result of the vetting."), field="result")
    details = _text(details, "details", required=result != VettingRequest.Result.NO_PROBLEM, max_length=4000)
    replied_on = _date(replied_on, "replied_on")
    if replied_on < request.sent_on:
        raise ActionError(_("The reply date is before the request was sent."), field="replied_on")
    request.result, request.details, request.replied_on, request.replied_by = result, details, replied_on, actor
    request.save(update_fields=["result", "details", "replied_on", "replied_by"])
    journal.record(
        "selection.vetting.replied",
        actor=actor,
        target=request.candidate.case,
        unit=request.department,
        cadre=request.candidate.cadre,
        data={"department": request.department.name, "result": result, "late": replied_on > request.due_on},
    )
    return request


@transaction.atomic
def resolve_vetting(*, actor, request: VettingRequest, resolution) -> VettingRequest:
    """The organisation department records how a reported problem was verified and resolved."""
    request = VettingRequest.objects.select_for_update().select_related("candidate__case", "candidate__cadre").get(pk=request.pk)
    case = request.candidate.case
    access.require(actor, "selection.manage", case.unit)
    if not request.open_problem:
        raise ActionError(_("Only a reply that reports a problem or asks for verification needs resolving."), field="resolution")
    request.resolution = _text(resolution, "resolution", max_length=4000)
    request.save(update_fields=["resolution"])
    journal.record(
        "selection.vetting.resolved", actor=actor, target=case, unit=case.unit, cadre=request.candidate.cadre, data={"department": request.department.name}
    )
    return request


@transaction.atomic
def override_vetting(*, actor, candidate: Candidate, reason) -> Candidate:
    """The head's recorded reason to let inspection start although replies are missing or a
    problem is unresolved."""
    candidate = Candidate.objects.select_for_update().select_related("case", "cadre").get(pk=candidate.pk)
    access.require(actor, "selection.decide", candidate.case.unit)
    _require_open(candidate.case, Stage.VETTING, _("Overriding the vetting"))
    candidate.vetting_override = _text(reason, "reason", max_length=4000)
    candidate.save(update_fields=["vetting_override"])
    journal.record(
        "selection.vetting.overridden",
        actor=actor,
        target=candidate.case,
        unit=candidate.case.unit,
        cadre=candidate.cadre,
        data={"reason": candidate.vetting_override},
    )
    return candidate


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
    candidates = list(case.candidates.select_related("cadre"))
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
        outcome, note = result.outcome, ""
        if candidate.exceptional and (case.prior_approval_on is None or case.prior_approval_on > held_on):
            outcome = verdict.VOID
            note = _(
                "Exceptional promotion (破格) without the higher organisation department's prior approval before the decision: the decision is void (2019 条例 art. 10, 11)."
            )
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


@transaction.atomic
def appoint_candidate(*, actor, candidate: Candidate, started_on, handler, talkers, talked_on, exception_reason="") -> Candidate:
    """任职: after the notice has ended and every objection is resolved. Creates the tenure through
    the registry, records the appointment talk and the pre-appointment integrity talk through
    daily supervision, and sets one year's probation for a promotion."""
    from jiandu.oversight.actions.talks import record_talk
    from jiandu.registry.actions import appoint

    candidate = Candidate.objects.select_for_update().select_related("case", "cadre", "position__unit").get(pk=candidate.pk)
    case = _lock(candidate.case)
    access.require(actor, "selection.manage", case.unit)
    started_on = _date(started_on, "started_on")
    if candidate.tenure_id:
        raise ActionError(_("%(name)s is already appointed.") % {"name": candidate.cadre.name}, field="started_on")
    if candidate.outcome != verdict.PASSED:
        raise ActionError(_("%(name)s did not pass a valid decision.") % {"name": candidate.cadre.name}, field="started_on")
    _require_recorded(case, Stage.NOTICE, _("The appointment"))
    if started_on <= case.notice_ends_on:
        raise ActionError(
            _("The appointment cannot be issued before the notice has ended on %(date)s (2019 条例, 任职前公示制度).")
            % {"date": case.notice_ends_on.isoformat()},
            field="started_on",
        )
    open_objections = candidate.objections.filter(resolved_on__isnull=True).count()
    if open_objections:
        raise ActionError(_("%(n)d objections are not verified and resolved yet.") % {"n": open_objections}, field="started_on")
    talkers = _text(talkers, "talkers", max_length=200)
    promotion = rules.is_promotion(candidate.cadre, candidate.position)
    tenure = appoint(actor=actor, cadre=candidate.cadre, position=candidate.position, started_on=started_on, exception_reason=exception_reason)
    for kind, reason in (("post_change", _("Appointment talk (任职谈话)")), ("pre_appointment", _("Pre-appointment integrity talk (任前廉政谈话)"))):
        record_talk(
            actor=actor,
            cadre=candidate.cadre,
            kind=kind,
            talked_on=talked_on,
            talkers=talkers,
            reason=reason,
            summary=_("Held on appointment to %(post)s.") % {"post": candidate.position},
        )
    candidate.tenure = tenure
    if promotion and candidate.position.level:
        # A promotion gives the cadre the post's leadership level (职务层次) in the registry.
        from jiandu.registry.actions import update_cadre

        update_cadre(actor=actor, cadre=candidate.cadre, leadership_level=candidate.position.level)
    if promotion:
        candidate.probation_until = add_months(started_on, 12) - dt.timedelta(days=1)
    candidate.save(update_fields=["tenure", "probation_until"])
    if Stage.APPOINTMENT not in case.recorded_stages():
        _stage_record(
            case,
            Stage.APPOINTMENT,
            actor=actor,
            held_on=started_on,
            handler=handler,
            responsible=talkers,
            participants="",
            result=_("%(name)s appointed %(post)s.") % {"name": candidate.cadre.name, "post": candidate.position},
        )
    journal.record(
        "selection.candidate.appointed",
        actor=actor,
        target=case,
        unit=case.unit,
        cadre=candidate.cadre,
        data={"position": str(candidate.position), "started_on": started_on, "probation_until": candidate.probation_until},
    )
    return candidate


@transaction.atomic
def review_probation(*, actor, candidate: Candidate, result: str, reviewed_on) -> Candidate:
    """At the end of the probation: confirm in the post, or remove from the trial post (ends the tenure)."""
    from jiandu.registry.actions import end_tenure

    candidate = Candidate.objects.select_for_update(of=("self",)).select_related("case", "cadre", "tenure").get(pk=candidate.pk)
    access.require(actor, "selection.decide", candidate.case.unit)
    if not candidate.probation_until or candidate.probation_result:
        raise ActionError(_("There is no probation to review."), field="result")
    if result not in Candidate.Probation.values:
        raise ActionError(_("Choose the result of the probation."), field="result")
    reviewed_on = _date(reviewed_on, "reviewed_on")
    if reviewed_on < candidate.probation_until:
        raise ActionError(_("The probation runs until %(date)s.") % {"date": candidate.probation_until.isoformat()}, field="reviewed_on")
    if result == Candidate.Probation.REMOVED and candidate.tenure and candidate.tenure.ended_on is None:
        end_tenure(actor=actor, tenure=candidate.tenure, ended_on=reviewed_on, end_reason="removal")
    candidate.probation_result, candidate.probation_reviewed_on = result, reviewed_on
    candidate.save(update_fields=["probation_result", "probation_reviewed_on"])
    journal.record("selection.probation.reviewed", actor=actor, target=candidate.case, unit=candidate.case.unit, cadre=candidate.cadre, data={"result": result})
    return candidate
