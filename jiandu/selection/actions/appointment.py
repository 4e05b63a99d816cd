"""Appointment of a candidate (with the appointment talk) and the probation review."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.calendar import add_months
from jiandu.core.errors import ActionError
from jiandu.decisions import verdict

from .. import rules
from ..models import (
    Candidate,
    Stage,
)
from .base import _date, _lock, _require_recorded, _stage_record, _text


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
