"""Writes of accountability reviews (问责审查): open one on an appointment, conclude it. Each
checks `selection.manage` on the case's unit, runs in one transaction and is journaled; a
refusal says which rule was broken and stores nothing."""

from django.db import transaction
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.errors import ActionError

from . import accountability_report
from .accountability_models import AccountabilityReview
from .actions.base import _date, _text
from .models import Candidate


def _responsible(candidate, names) -> list[str]:
    if isinstance(names, str):
        names = [names]
    chosen = []
    for name in names or []:
        name = _text(name, "responsible", max_length=100)
        if name not in chosen:
            chosen.append(name)
    if not chosen:
        raise ActionError(_("Choose at least one person responsible."), field="responsible")
    named = accountability_report.people(candidate)
    strangers = [n for n in chosen if n not in named]
    if strangers:
        raise ActionError(
            _("%(names)s is not named in the record of this appointment; choose among the people who handled, were responsible for or decided it.")
            % {"names": "、".join(strangers)},
            field="responsible",
        )
    return chosen


@transaction.atomic
def open_review(*, actor, candidate: Candidate, stage: str, responsible, finding: str, opened_on, measures: str = "", disposition=None) -> AccountabilityReview:
    """问责审查: which stage of the appointment failed, who of the people named in its record is
    responsible, what was found and which measures follow (a disposition of daily supervision
    the actor may see, if one is recorded)."""
    from jiandu.oversight.queries import dispositions_visible_to

    candidate = Candidate.objects.select_for_update(of=("self",)).select_related("case__unit", "cadre").get(pk=candidate.pk)
    case = candidate.case
    access.require(actor, "selection.manage", case.unit)
    if stage not in dict(accountability_report.failed_stage_choices(candidate)):
        raise ActionError(_("Choose one of the stages recorded in this case."), field="stage")
    chosen = _responsible(candidate, responsible)
    finding = _text(finding, "finding", max_length=4000)
    measures = _text(measures, "measures", max_length=4000, required=False)
    opened_on = _date(opened_on, "opened_on")
    if disposition is not None and not dispositions_visible_to(actor).filter(pk=disposition.pk).exists():
        raise ActionError(_("The disposition is not one you may see."), field="disposition")
    review = AccountabilityReview.objects.create(
        candidate=candidate,
        stage=stage,
        responsible=chosen,
        finding=finding,
        measures=measures,
        opened_on=opened_on,
        disposition=disposition,
        recorded_by=actor,
    )
    journal.record(
        "selection.accountability.opened",
        actor=actor,
        target=case,
        unit=case.unit,
        cadre=candidate.cadre,
        data={"review": review.pk, "stage": stage, "responsible": chosen, "disposition": disposition.pk if disposition else None},
    )
    return review


@transaction.atomic
def conclude_review(*, actor, review: AccountabilityReview, concluded_on, conclusion: str, measures: str = "") -> AccountabilityReview:
    """Close an open review with its conclusion (and the measures, if they were not known when it opened)."""
    review = AccountabilityReview.objects.select_for_update(of=("self",)).select_related("candidate__case__unit", "candidate__cadre").get(pk=review.pk)
    case = review.candidate.case
    access.require(actor, "selection.manage", case.unit)
    if review.status != AccountabilityReview.Status.OPEN:
        raise ActionError(_("The review is already concluded."), field="conclusion")
    concluded_on = _date(concluded_on, "concluded_on")
    if concluded_on < review.opened_on:
        raise ActionError(_("The review cannot conclude before it was opened on %(date)s.") % {"date": review.opened_on.isoformat()}, field="concluded_on")
    review.conclusion = _text(conclusion, "conclusion", max_length=4000)
    measures = _text(measures, "measures", max_length=4000, required=False)
    if measures:
        review.measures = measures
    review.status, review.concluded_on = AccountabilityReview.Status.CONCLUDED, concluded_on
    review.save(update_fields=["conclusion", "measures", "status", "concluded_on"])
    journal.record("selection.accountability.concluded", actor=actor, target=case, unit=case.unit, cadre=review.candidate.cadre, data={"review": review.pk})
    return review
