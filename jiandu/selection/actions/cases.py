"""Selection cases: opening, recording stages, canvassing found, candidates (art. 24 checks) and prior approval for 破格."""

from django.db import transaction
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.errors import ActionError
from jiandu.registry.models import Cadre, Position, Unit

from .. import hooks, queries, rules
from ..models import (
    Candidate,
    Canvassing,
    SelectionCase,
    Stage,
    StageRecord,
)
from .base import GENERIC_STAGES, _date, _lock, _require_next, _require_open, _require_recorded, _stage_record, _text
from .recommendation import recommendation_expiry_problem, recommended_votes


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
def add_candidate(
    *,
    actor,
    case: SelectionCase,
    cadre: Cadre,
    position: Position,
    listed_on,
    recommendation_votes: int | None = None,
    emigration_exception="",
    emigration_approval_ref="",
) -> Candidate:
    """List an inspection subject (确定考察对象). Art. 24 blocks with every reason; unmet basic
    qualifications mark the candidate 破格 (needs the higher department's prior approval).
    The emigration block (art. 24 (5)) alone may be set aside where an approval allows it: the
    head (selection.decide) records the reason and the approval's reference, both required,
    journaled and printed on the record sheet; every other block stands."""
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
    lapsed = recommendation_expiry_problem(case, listed_on)
    if lapsed:
        raise ActionError(lapsed, field="listed_on")
    if recommendation_votes is None:  # the meeting recommendation's figure, when it was held on the ballot engine
        recommendation_votes = recommended_votes(case, cadre, position)
    blocks = rules.art24_blocks(cadre, case, listed_on)
    exception = _text(emigration_exception, "emigration_exception", required=False, max_length=4000)
    approval_ref = _text(emigration_approval_ref, "emigration_approval_ref", required=False, max_length=100)
    if exception or approval_ref:
        emigration = rules.emigration_block(cadre, listed_on)
        if not emigration:
            raise ActionError(
                _("The emigration block (%(basis)s (5)) does not apply to %(name)s: no exception to record.") % {"basis": rules.art24(), "name": cadre.name},
                field="emigration_exception",
            )
        if not access.can(actor, "selection.decide", case.unit):
            raise ActionError(
                _("Only the head of the organisation department may set aside the emigration block (%(basis)s (5)).") % {"basis": rules.art24()},
                field="emigration_exception",
            )
        if not exception:
            raise ActionError(
                _("Give the reason the emigration block does not apply (%(basis)s (5)).") % {"basis": rules.art24()}, field="emigration_exception"
            )
        if not approval_ref:
            raise ActionError(
                _("Give the reference of the approval that allows the exception (%(basis)s (5)).") % {"basis": rules.art24()}, field="emigration_approval_ref"
            )
        blocks = [b for b in blocks if b != emigration]
    if blocks:
        raise ActionError(
            _("%(name)s cannot be listed as an inspection subject: %(reasons)s") % {"name": cadre.name, "reasons": " ".join(blocks)}, field="cadre"
        )
    breaches = rules.qualification_breaches(cadre, position, listed_on)
    candidate = Candidate.objects.create(
        case=case,
        cadre=cadre,
        position=position,
        listed_on=listed_on,
        recommendation_votes=recommendation_votes,
        exceptional=" ".join(breaches),
        emigration_exception=exception,
        emigration_approval_ref=approval_ref,
    )
    journal.record(
        "selection.candidate.listed",
        actor=actor,
        target=case,
        unit=case.unit,
        cadre=cadre,
        data={"position": str(position), "exceptional": bool(breaches)},
    )
    if exception:
        journal.record(
            "selection.emigration.excepted",
            actor=actor,
            target=case,
            unit=case.unit,
            cadre=cadre,
            data={"reason": exception, "approval": approval_ref},
        )
    # 凡提四必: the personal-matters report of an inspection subject is checked (重点查核, 规定
    # art. 13); the decision waits for the result (four_checks.py). Opened once: one already
    # open is kept. The matters app journals the opening.
    hooks.request_targeted_check(actor=actor, cadre=cadre, reason=_("Listed as an inspection subject: %(case)s") % {"case": case.title})
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
