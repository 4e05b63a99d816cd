"""Dispositions and yellow cards (诫勉).

States of a disposition (never edited once recorded):

    (record_disposition / create_admonishment)
            │
            ▼
        effective ──correct_disposition──▶ corrected   (a new effective disposition `corrects` it)
            │
            └──────revoke_disposition────▶ revoked

Only an effective disposition has a running influence period (influence.py). A revocation also
cancels the required talk of a yellow card that was not yet held. A 停职检查 runs until
`lift_suspension` ends it (the one change made to a recorded disposition, journaled).
"""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.calendar import add_working_days
from jiandu.core.errors import ActionError
from jiandu.core.practice import get_setting

from .. import deadlines, uploads
from ..influence import influence_for
from ..models import CATEGORY_OF, Disposition, Measure, Talk
from . import base


def _validate(cadre, measure, decided_on, deciding_body, grounds, probation_years):
    base.choice(measure, Measure, "measure")
    if measure == Measure.REMOVAL:
        raise ActionError(_("Say which removal from office this is: for accountability, or as unsuitable for the post."), field="measure")
    decided_on = base.date(decided_on, "decided_on", not_future=True, not_before=cadre.birth_on, not_before_label=_("the cadre's birth date"))
    deciding_body = base.text(deciding_body, "deciding_body", max_length=100)
    grounds = base.text(grounds, "grounds")
    if measure == Measure.PARTY_PROBATION:
        if probation_years not in (1, 2):
            raise ActionError(_("Probation within the party is for one or two years."), field="probation_years")
    elif probation_years:
        raise ActionError(_("A probation term applies only to probation within the party."), field="probation_years")
    return decided_on, deciding_body, grounds


def _create(*, actor, cadre, measure, decided_on, deciding_body, grounds, document_number, probation_years, source_type, source_id, figures, corrects=None):
    # The cadre's other effective dispositions, locked: a running one of the same family makes the
    # new period cumulate (influence.py). The one being corrected does not count.
    others = Disposition.objects.select_for_update().filter(cadre=cadre, status=Disposition.Status.EFFECTIVE, decided_on__lte=decided_on)
    if corrects is not None:
        others = others.exclude(pk=corrects.pk)
    influence = influence_for(measure, decided_on, probation_years, running=list(others))
    return Disposition.objects.create(
        cadre=cadre,
        unit=cadre.unit,
        category=CATEGORY_OF[Measure(measure)],
        measure=measure,
        decided_on=decided_on,
        deciding_body=deciding_body,
        document_number=(document_number or "").strip()[:60],
        grounds=grounds,
        probation_years=probation_years if measure == Measure.PARTY_PROBATION else None,
        influence_months=influence.months,
        is_permanent=influence.is_permanent,
        influence_ends_on=influence.ends_on,
        influence_rule=influence.rule,
        bar=influence.bar,
        no_leading_post_until=influence.no_leading_post_until,
        influence_basis=influence.basis,
        corrects=corrects,
        source_type=source_type or "",
        source_id=str(source_id or ""),
        figures=figures or {},
        created_by=actor,
    )


def _journal_data(d: Disposition) -> dict:
    return {
        "measure": d.measure,
        "decided_on": d.decided_on,
        "deciding_body": d.deciding_body,
        "influence_ends_on": d.influence_ends_on,
        "is_permanent": d.is_permanent,
        "bar": d.bar,
        "no_leading_post_until": d.no_leading_post_until,
        "cumulated_with": d.influence_basis.get("previous"),
    }


def record_disposition(
    *,
    actor,
    cadre,
    measure: str,
    decided_on: dt.date,
    deciding_body: str,
    grounds: str,
    document_number: str = "",
    probation_years: int | None = None,
    document=None,
    source_type: str = "",
    source_id: str = "",
    figures: dict | None = None,
) -> Disposition:
    """Record a measure about a cadre. Needs oversight.manage on the cadre's unit; the decision
    date may not be in the future; a probation term only (and always) for 留党察看."""
    cadre = base.cadre(cadre)
    access.require(actor, "oversight.manage", cadre.unit)
    decided_on, deciding_body, grounds = _validate(cadre, measure, decided_on, deciding_body, grounds, probation_years)
    checked = uploads.check_upload(document) if document is not None else None
    with transaction.atomic():
        disposition = _create(
            actor=actor,
            cadre=cadre,
            measure=measure,
            decided_on=decided_on,
            deciding_body=deciding_body,
            grounds=grounds,
            document_number=document_number,
            probation_years=probation_years,
            source_type=source_type,
            source_id=source_id,
            figures=figures,
        )
        if checked:
            uploads.store(actor=actor, owner=disposition, purpose="document", upload=document, checked=checked)
        journal.record("oversight.disposition.recorded", actor=actor, target=disposition, unit=cadre.unit, cadre=cadre, data=_journal_data(disposition))
    return disposition


def attach_document(*, actor, disposition: Disposition, document) -> Disposition:
    """Add the decision document (a scan) to a disposition; adds, never replaces."""
    access.require(actor, "oversight.manage", disposition.unit)
    checked = uploads.check_upload(document)
    with transaction.atomic():
        disposition = Disposition.objects.select_for_update().get(pk=disposition.pk)
        attachment = uploads.store(actor=actor, owner=disposition, purpose="document", upload=document, checked=checked)
        journal.record(
            "oversight.disposition.document_added",
            actor=actor,
            target=disposition,
            unit=disposition.unit,
            cadre=disposition.cadre_id,
            data={"file": attachment.original_name, "sha256": attachment.sha256},
        )
    return disposition


def _close(disposition: Disposition, *, actor, status: str, reason: str, closed_on: dt.date):
    disposition.status = status
    disposition.closed_reason = reason
    disposition.closed_on = closed_on
    disposition.closed_by = actor
    disposition.save(update_fields=["status", "closed_reason", "closed_on", "closed_by"])


def correct_disposition(
    *,
    actor,
    disposition: Disposition,
    reason: str,
    measure: str | None = None,
    decided_on: dt.date | None = None,
    deciding_body: str | None = None,
    grounds: str | None = None,
    document_number: str | None = None,
    probation_years: int | None = None,
) -> Disposition:
    """Correct an effective disposition: the old one becomes `corrected` (kept), a new effective
    one carries the corrected values. Needs oversight.confirm and a reason."""
    reason = base.text(reason, "reason")
    with transaction.atomic():
        old = Disposition.objects.select_for_update().select_related("cadre__unit", "unit").get(pk=disposition.pk)
        access.require(actor, "oversight.confirm", old.unit)
        if not old.can_be_closed:
            raise ActionError(_("Only a disposition in effect can be corrected; this one is %(status)s.") % {"status": old.get_status_display()})
        measure = measure or old.measure
        new_probation = probation_years if probation_years is not None else (old.probation_years if measure == Measure.PARTY_PROBATION else None)
        values = {
            "measure": measure,
            "decided_on": decided_on or old.decided_on,
            "deciding_body": deciding_body if deciding_body is not None else old.deciding_body,
            "grounds": grounds if grounds is not None else old.grounds,
        }
        checked_on, body, grounds_text = _validate(
            old.cadre, values["measure"], values["decided_on"], values["deciding_body"], values["grounds"], new_probation
        )
        new = _create(
            actor=actor,
            cadre=old.cadre,
            measure=measure,
            decided_on=checked_on,
            deciding_body=body,
            grounds=grounds_text,
            document_number=document_number if document_number is not None else old.document_number,
            probation_years=new_probation,
            source_type=old.source_type,
            source_id=old.source_id,
            figures=old.figures,
            corrects=old,
        )
        new.unit = old.unit
        new.save(update_fields=["unit"])
        _close(old, actor=actor, status=Disposition.Status.CORRECTED, reason=reason, closed_on=base.today())
        Talk.objects.filter(disposition=old, status=Talk.Status.REQUIRED).update(disposition=new)
        journal.record(
            "oversight.disposition.corrected",
            actor=actor,
            target=old,
            unit=old.unit,
            cadre=old.cadre,
            data={"reason": reason, "replaced_by": new.pk, "before": _journal_data(old), "after": _journal_data(new)},
        )
    return new


def lift_suspension(*, actor, disposition: Disposition, lifted_on: dt.date, reason: str) -> Disposition:
    """End a 停职检查 that runs until lifted: in effect up to the day before `lifted_on`. Needs
    oversight.confirm; the lifting date is after the decision date and not in the future. The
    final measure (if any) is recorded as a disposition of its own, with its own period."""
    reason = base.text(reason, "reason")
    with transaction.atomic():
        disposition = Disposition.objects.select_for_update().select_related("cadre", "unit").get(pk=disposition.pk)
        access.require(actor, "oversight.confirm", disposition.unit)
        if not disposition.can_be_lifted:
            raise ActionError(_("Only a suspension for examination in effect and not yet lifted can be lifted."))
        lifted_on = base.date(
            lifted_on,
            "lifted_on",
            not_future=True,
            not_before=disposition.decided_on + dt.timedelta(days=1),
            not_before_label=_("the day after the decision date"),
        )
        disposition.lifted_on = lifted_on
        disposition.is_permanent = False
        disposition.influence_ends_on = lifted_on - dt.timedelta(days=1)
        disposition.save(update_fields=["lifted_on", "is_permanent", "influence_ends_on"])
        journal.record(
            "oversight.disposition.lifted",
            actor=actor,
            target=disposition,
            unit=disposition.unit,
            cadre=disposition.cadre,
            data={"reason": reason, "lifted_on": lifted_on, "influence_ends_on": disposition.influence_ends_on},
        )
    return disposition


def revoke_disposition(*, actor, disposition: Disposition, reason: str) -> Disposition:
    """Revoke an effective disposition (it is void and has no influence); needs oversight.confirm
    and a reason. A required 诫勉 talk not yet held is cancelled with it."""
    reason = base.text(reason, "reason")
    with transaction.atomic():
        disposition = Disposition.objects.select_for_update().select_related("cadre", "unit").get(pk=disposition.pk)
        access.require(actor, "oversight.confirm", disposition.unit)
        if not disposition.can_be_closed:
            raise ActionError(_("Only a disposition in effect can be revoked; this one is %(status)s.") % {"status": disposition.get_status_display()})
        _close(disposition, actor=actor, status=Disposition.Status.REVOKED, reason=reason, closed_on=base.today())
        cancelled = []
        for talk in Talk.objects.select_for_update().filter(disposition=disposition, status=Talk.Status.REQUIRED):
            talk.status = Talk.Status.CANCELLED
            talk.cancel_reason = reason
            talk.save(update_fields=["status", "cancel_reason"])
            cancelled.append(talk.pk)
        journal.record(
            "oversight.disposition.revoked",
            actor=actor,
            target=disposition,
            unit=disposition.unit,
            cadre=disposition.cadre,
            data={"reason": reason, "measure": disposition.measure, "cancelled_talks": cancelled},
        )
    return disposition


def create_admonishment(
    *,
    actor,
    cadre,
    grounds: str,
    source_type: str,
    source_id,
    figures: dict | None = None,
    decided_on: dt.date | None = None,
    deciding_body: str | None = None,
) -> Disposition:
    """A yellow card (诫勉): a 诫勉 disposition and a required 诫勉 talk due within the
    `oversight.admonishment_talk_working_days` setting (default 10 working days) of the decision.

    The reusable core of `admonish_from_proposal` (appraisals will call it with its proposal as
    source). Needs oversight.confirm on the cadre's unit; one yellow card per source."""
    cadre = base.cadre(cadre)
    access.require(actor, "oversight.confirm", cadre.unit)
    source_type = base.text(source_type, "source_type", max_length=40)
    source_id = base.text(str(source_id or ""), "source_id", max_length=40)
    decided_on = decided_on or base.today()
    deciding_body = deciding_body or _("Organisation department of the district committee")
    decided_on, deciding_body, grounds = _validate(cadre, Measure.ADMONISHMENT_TALK, decided_on, deciding_body, grounds, None)
    with transaction.atomic():
        existing = (
            Disposition.objects.select_for_update()
            .filter(source_type=source_type, source_id=source_id, category=CATEGORY_OF[Measure.ADMONISHMENT_TALK], status=Disposition.Status.EFFECTIVE)
            .first()
        )
        if existing is not None:
            raise ActionError(_("A yellow card was already issued for this source (disposition #%(pk)d).") % {"pk": existing.pk}, code="duplicate")
        disposition = _create(
            actor=actor,
            cadre=cadre,
            measure=Measure.ADMONISHMENT_TALK,
            decided_on=decided_on,
            deciding_body=deciding_body,
            grounds=grounds,
            document_number="",
            probation_years=None,
            source_type=source_type,
            source_id=source_id,
            figures=figures,
        )
        deadline = add_working_days(decided_on, int(get_setting("oversight.admonishment_talk_working_days")), rule="oversight.admonishment_talk")
        talk = Talk.objects.create(
            cadre=cadre,
            unit=cadre.unit,
            kind=Talk.Kind.ADMONISHMENT,
            status=Talk.Status.REQUIRED,
            due_on=deadline.due,
            due_rule=deadlines.code_of(deadline),
            reason=grounds,
            disposition=disposition,
            explanation=Talk.Explanation.NOT_REQUIRED,
            created_by=actor,
        )
        journal.record(
            "oversight.admonishment.created",
            actor=actor,
            target=disposition,
            unit=cadre.unit,
            cadre=cadre,
            data={**_journal_data(disposition), "source_type": source_type, "source_id": source_id, "talk": talk.pk, "talk_due": deadline.as_dict()},
        )
    return disposition
