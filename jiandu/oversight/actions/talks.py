"""Talks (谈话).

    record_talk ───────────────────────────────▶ held
    (create_admonishment) ─▶ required ─hold_talk─▶ held
                                 └─cancel_talk─▶ cancelled

A held talk may carry a follow-up (what, by when) closed by `complete_follow_up`, and for
reminder (提醒帮助) and admonishment (诫勉) talks a written explanation:

    not_required / awaiting ─submit_explanation─▶ submitted ─sign_off_explanation─▶ signed_off
"""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.errors import ActionError
from jiandu.registry.queries import leadership_team

from .. import uploads
from ..models import Talk
from . import base


def _details(cadre, *, kind, talked_on, place, talkers, talker_role, recorder, reason, summary, response, follow_up, follow_up_due_on, explanation_required):
    values = {
        "talked_on": base.date(talked_on, "talked_on", not_future=True, not_before=cadre.birth_on, not_before_label=_("the cadre's birth date")),
        "place": base.text(place, "place", required=False, max_length=100),
        "talkers": base.text(talkers, "talkers", max_length=200),
        "talker_role": base.text(talker_role, "talker_role", required=False, max_length=100),
        "recorder": base.text(recorder, "recorder", required=False, max_length=50),
        "reason": base.text(reason, "reason"),
        "summary": base.text(summary, "summary"),
        "response": base.text(response, "response", required=False),
        "follow_up": base.text(follow_up, "follow_up", required=False),
    }
    if values["follow_up"]:
        values["follow_up_due_on"] = base.future_deadline(follow_up_due_on, "follow_up_due_on")
    elif follow_up_due_on:
        raise ActionError(_("Describe the follow-up that is due."), field="follow_up")
    else:
        values["follow_up_due_on"] = None
    if explanation_required and kind not in Talk.EXPLANATION_KINDS:
        raise ActionError(_("A written explanation can be required only after a reminder or an admonishment talk."), field="explanation_required")
    values["explanation"] = Talk.Explanation.AWAITING if explanation_required else Talk.Explanation.NOT_REQUIRED
    return values


def _journal(talk: Talk) -> dict:
    return {"kind": talk.kind, "talked_on": talk.talked_on, "talkers": talk.talkers, "follow_up_due_on": talk.follow_up_due_on, "explanation": talk.explanation}


def record_talk(
    *,
    actor,
    cadre,
    kind: str,
    talked_on: dt.date,
    talkers: str,
    reason: str,
    summary: str,
    place: str = "",
    talker_role: str = "",
    recorder: str = "",
    response: str = "",
    follow_up: str = "",
    follow_up_due_on: dt.date | None = None,
    explanation_required: bool = False,
) -> Talk:
    """Record a talk that took place. Needs oversight.manage on the cadre's unit; the date may
    not be in the future; a follow-up needs a deadline that is not in the past."""
    cadre = base.cadre(cadre)
    access.require(actor, "oversight.manage", cadre.unit)
    base.choice(kind, Talk.Kind, "kind")
    values = _details(
        cadre,
        kind=kind,
        talked_on=talked_on,
        place=place,
        talkers=talkers,
        talker_role=talker_role,
        recorder=recorder,
        reason=reason,
        summary=summary,
        response=response,
        follow_up=follow_up,
        follow_up_due_on=follow_up_due_on,
        explanation_required=explanation_required,
    )
    with transaction.atomic():
        talk = Talk.objects.create(cadre=cadre, unit=cadre.unit, kind=kind, status=Talk.Status.HELD, created_by=actor, **values)
        journal.record("oversight.talk.recorded", actor=actor, target=talk, unit=cadre.unit, cadre=cadre, data=_journal(talk))
    return talk


def hold_talk(
    *,
    actor,
    talk: Talk,
    talked_on: dt.date,
    talkers: str,
    summary: str,
    place: str = "",
    talker_role: str = "",
    recorder: str = "",
    reason: str = "",
    response: str = "",
    follow_up: str = "",
    follow_up_due_on: dt.date | None = None,
    explanation_required: bool = True,
) -> Talk:
    """Record that a required talk (e.g. the talk of a yellow card) was held."""
    with transaction.atomic():
        talk = Talk.objects.select_for_update().select_related("cadre", "unit").get(pk=talk.pk)
        access.require(actor, "oversight.manage", talk.unit)
        if not talk.can_hold:
            raise ActionError(_("This talk is %(status)s; only a required talk can be recorded as held.") % {"status": talk.get_status_display()})
        values = _details(
            talk.cadre,
            kind=talk.kind,
            talked_on=talked_on,
            place=place,
            talkers=talkers,
            talker_role=talker_role,
            recorder=recorder,
            reason=reason or talk.reason,
            summary=summary,
            response=response,
            follow_up=follow_up,
            follow_up_due_on=follow_up_due_on,
            explanation_required=explanation_required and talk.kind in Talk.EXPLANATION_KINDS,
        )
        if talk.disposition_id and values["talked_on"] < talk.disposition.decided_on:
            raise ActionError(
                _("The talk cannot precede the decision (%(date)s).") % {"date": talk.disposition.decided_on.isoformat()},
                field="talked_on",
            )
        for field, value in values.items():
            setattr(talk, field, value)
        talk.status = Talk.Status.HELD
        talk.save()
        data = _journal(talk)
        data["late"] = bool(talk.due_on and talk.talked_on > talk.due_on)
        journal.record("oversight.talk.held", actor=actor, target=talk, unit=talk.unit, cadre=talk.cadre, data=data)
    return talk


def cancel_talk(*, actor, talk: Talk, reason: str) -> Talk:
    """Cancel a required talk, with a reason."""
    reason = base.text(reason, "reason")
    with transaction.atomic():
        talk = Talk.objects.select_for_update().select_related("unit").get(pk=talk.pk)
        access.require(actor, "oversight.manage", talk.unit)
        if talk.status != Talk.Status.REQUIRED:
            raise ActionError(_("Only a required talk that was not held can be cancelled."))
        talk.status = Talk.Status.CANCELLED
        talk.cancel_reason = reason
        talk.save(update_fields=["status", "cancel_reason"])
        journal.record("oversight.talk.cancelled", actor=actor, target=talk, unit=talk.unit, cadre=talk.cadre_id, data={"reason": reason})
    return talk


def complete_follow_up(*, actor, talk: Talk, done_on: dt.date, result: str) -> Talk:
    """Record that a talk's follow-up was completed."""
    result = base.text(result, "result")
    with transaction.atomic():
        talk = Talk.objects.select_for_update().select_related("unit").get(pk=talk.pk)
        access.require(actor, "oversight.manage", talk.unit)
        if not talk.can_complete_follow_up:
            raise ActionError(_("This talk has no open follow-up."))
        talk.follow_up_done_on = base.date(done_on, "done_on", not_future=True, not_before=talk.talked_on, not_before_label=_("the talk"))
        talk.follow_up_result = result
        talk.save(update_fields=["follow_up_done_on", "follow_up_result"])
        journal.record(
            "oversight.talk.follow_up_completed",
            actor=actor,
            target=talk,
            unit=talk.unit,
            cadre=talk.cadre_id,
            data={"done_on": talk.follow_up_done_on, "late": bool(talk.follow_up_due_on and talk.follow_up_done_on > talk.follow_up_due_on)},
        )
    return talk


def submit_explanation(*, actor, talk: Talk, file, submitted_on: dt.date | None = None) -> Talk:
    """Upload the cadre's written explanation (the cadre themself with self.answer, or an officer
    with oversight.manage)."""
    if not access.may_answer(actor, talk.cadre_id, talk.unit, "oversight.manage"):
        raise access.NotVisible()
    checked = uploads.check_upload(file)
    with transaction.atomic():
        talk = Talk.objects.select_for_update().select_related("unit").get(pk=talk.pk)
        if not talk.can_submit_explanation:
            raise ActionError(_("No written explanation is awaited for this talk."))
        talk.explanation_submitted_on = base.date(
            submitted_on or base.today(), "submitted_on", not_future=True, not_before=talk.talked_on, not_before_label=_("the talk")
        )
        talk.explanation = Talk.Explanation.SUBMITTED
        talk.save(update_fields=["explanation", "explanation_submitted_on"])
        attachment = uploads.store(actor=actor, owner=talk, purpose="explanation", upload=file, checked=checked)
        journal.record(
            "oversight.talk.explanation_submitted",
            actor=actor,
            target=talk,
            unit=talk.unit,
            cadre=talk.cadre_id,
            data={"file": attachment.original_name, "sha256": attachment.sha256},
        )
    return talk


def principal_name(unit) -> str:
    """The name of the unit's principal (一把手) today, from the registry; empty when vacant."""
    tenure = leadership_team(unit).filter(position__is_principal=True).first()
    return tenure.cadre.name if tenure else ""


def sign_off_explanation(*, actor, talk: Talk, signed_off_on: dt.date, principal: str = "") -> Talk:
    """Record the unit principal's sign-off on the submitted explanation."""
    with transaction.atomic():
        talk = Talk.objects.select_for_update().select_related("unit").get(pk=talk.pk)
        access.require(actor, "oversight.manage", talk.unit)
        if not talk.can_sign_off_explanation:
            raise ActionError(_("There is no submitted explanation awaiting sign-off."))
        principal = base.text(principal or principal_name(talk.unit), "principal", max_length=50)
        talk.explanation_signed_off_on = base.date(
            signed_off_on, "signed_off_on", not_future=True, not_before=talk.explanation_submitted_on, not_before_label=_("the submission")
        )
        talk.explanation_signed_off_by = principal
        talk.explanation = Talk.Explanation.SIGNED_OFF
        talk.save(update_fields=["explanation", "explanation_signed_off_by", "explanation_signed_off_on"])
        journal.record(
            "oversight.talk.explanation_signed_off",
            actor=actor,
            target=talk,
            unit=talk.unit,
            cadre=talk.cadre_id,
            data={"principal": principal, "signed_off_on": talk.explanation_signed_off_on},
        )
    return talk
