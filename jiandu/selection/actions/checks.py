"""凡提四必 (four_checks.py): the personnel-file review (干部档案必审) of a candidate. The other three
checks are recorded where they happen: the targeted check in jiandu/matters (asked for when the
candidate is listed), the discipline commission's vetting reply, and the clues of daily supervision."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.errors import ActionError
from jiandu.registry.models import Cadre

from .. import four_checks
from ..models import Candidate, FileReview, Stage
from .base import _lock, _require_open, _text


def _past_date(value, field, *, required=True):
    if value is None and not required:
        return None
    if not isinstance(value, dt.date):
        raise ActionError(_("Enter a valid date."), field=field)
    if value > dt.date.today():
        raise ActionError(_("The date cannot be in the future."), field=field)
    return value


@transaction.atomic
def record_file_review(
    *, actor, candidate: Candidate, reviewed_on, birth_on, education, party_join_on=None, work_start_on=None, work_history="", identity="", handling=""
) -> FileReview:
    """干部档案必审: record the file's 三龄两历一身份; the differences against the registry are listed
    and must be settled (handling) before the review counts. Once per candidate, before the decision."""
    candidate = Candidate.objects.select_related("case", "cadre").get(pk=candidate.pk)
    case = _lock(candidate.case)
    access.require(actor, "selection.manage", case.unit)
    _require_open(case, Stage.DECISION, _("Recording the personnel-file review"))
    reviewed_on = _past_date(reviewed_on, "reviewed_on")
    if reviewed_on < candidate.listed_on:
        raise ActionError(_("The file is reviewed after the candidate was listed (%(day)s).") % {"day": candidate.listed_on.isoformat()}, field="reviewed_on")
    birth_on = _past_date(birth_on, "birth_on")
    party_join_on = _past_date(party_join_on, "party_join_on", required=False)
    work_start_on = _past_date(work_start_on, "work_start_on", required=False)
    if education not in Cadre.Education.values:
        raise ActionError(_("Choose the education the file shows."), field="education")
    work_history = _text(work_history, "work_history", required=False, max_length=4000)
    identity = _text(identity, "identity", required=False, max_length=4000)
    handling = _text(handling, "handling", required=False, max_length=4000)
    if FileReview.objects.filter(candidate=candidate).exists():
        raise ActionError(_("The personnel file of %(name)s is already reviewed.") % {"name": candidate.cadre.name}, field="reviewed_on")
    differences = four_checks.compare_file(
        candidate.cadre,
        birth_on=birth_on,
        party_join_on=party_join_on,
        work_start_on=work_start_on,
        education=education,
        work_history=work_history,
        identity=identity,
    )
    if differences and not handling:
        raise ActionError(
            _("The file differs from the registry (%(lines)s): say how the differences were settled.")
            % {"lines": "；".join(four_checks.difference_lines(differences))},
            field="handling",
        )
    review = FileReview.objects.create(
        candidate=candidate,
        reviewed_on=reviewed_on,
        birth_on=birth_on,
        party_join_on=party_join_on,
        work_start_on=work_start_on,
        education=education,
        work_history=work_history,
        identity=identity,
        differences=differences,
        handling=handling,
        reviewed_by=actor,
    )
    journal.record(
        "selection.file.reviewed",
        actor=actor,
        target=case,
        unit=case.unit,
        cadre=candidate.cadre,
        data={"reviewed_on": reviewed_on, "differences": [d["field"] for d in differences]},
    )
    return review
