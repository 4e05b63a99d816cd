"""Use of results (结果运用): promotion, post adjustment, admonishment, training… recorded per cadre
and journaled with the cadre, so the dossier shows it."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.core import journal
from jiandu.core.errors import ActionError

from ..models import AssessedCadre, ResultUse
from .common import clean_text, lock_cycle, require_manage, wrong_stage


def record_result_use(*, actor, assessed_cadre: AssessedCadre, kind: str, decided_on, note: str = "") -> ResultUse:
    """Record how a cadre's confirmed result was used (after confirmation; also after completion)."""
    with transaction.atomic():
        cycle = lock_cycle(assessed_cadre.cycle)
        require_manage(actor, cycle)
        if not cycle.may_record_uses:
            raise wrong_stage(cycle)
        row = AssessedCadre.objects.select_related("assessed_unit__unit").get(pk=assessed_cadre.pk, cycle=cycle)
        if kind not in ResultUse.Kind.values:
            raise ActionError(_("Choose how the result was used."), field="kind")
        if not isinstance(decided_on, dt.date):
            raise ActionError(_("Enter the date of the decision."), field="decided_on")
        if decided_on > timezone.localdate():
            raise ActionError(_("The date is in the future."), field="decided_on")
        note = clean_text(note, "note", _("Note"), required=kind == ResultUse.Kind.OTHER, max_length=500)
        use = ResultUse.objects.create(
            cycle=cycle, assessed_cadre=row, cadre_id=row.cadre_id, kind=kind, decided_on=decided_on, note=note, recorded_by_id=actor.pk
        )
        journal.record(
            "appraisals.result_use.recorded",
            actor=actor,
            target=use,
            unit=row.assessed_unit.unit,
            cadre=row.cadre_id,
            data={"year": cycle.year, "grade": row.grade, "use": kind, "decided_on": decided_on, "note": note},
        )
    return use
