"""Target assessment (目标考核): a unit's indicators with weights and scores, entered or imported."""

from django.db import transaction
from django.utils.translation import gettext as _

from jiandu.core import journal
from jiandu.core.errors import ActionError, RowErrors

from .. import scoring
from .. import targets as target_rows
from ..models import AppraisalCycle, AssessedUnit, TargetIndicator
from .common import lock_cycle, require_manage, wrong_stage


def _replace(assessed_unit: AssessedUnit, rows: list[target_rows.IndicatorRow]) -> None:
    assessed_unit.indicators.all().delete()
    TargetIndicator.objects.bulk_create(
        TargetIndicator(assessed_unit=assessed_unit, order=i, name=r.name, weight=r.weight, score=r.score, note=r.note) for i, r in enumerate(rows, start=1)
    )


def _summary(rows) -> str:
    return scoring.text(scoring.target_base([(r.weight, r.score) for r in rows]))


def save_indicators(*, actor, assessed_unit: AssessedUnit, rows: list[dict]) -> AssessedUnit:
    """Replace a unit's indicators with `rows` ([{name, weight, score, note}]), until the
    evaluation closes. Every row is checked first; on any problem nothing is stored (RowErrors)."""
    with transaction.atomic():
        cycle = lock_cycle(assessed_unit.cycle)
        require_manage(actor, cycle)
        if not cycle.uses_target_scores:
            raise ActionError(_("This cycle does not include the target assessment."), code="no_targets")
        if not cycle.may_change_targets:
            raise ActionError(_("Target scores are fixed once the evaluation has closed: they were used to compute the results."), code="stage")
        assessed_unit = AssessedUnit.objects.select_for_update().get(pk=assessed_unit.pk, cycle=cycle)
        checked, errors, names = [], [], set()
        for number, raw in enumerate(rows, start=1):
            row, problems = target_rows.check_row(raw.get("name"), raw.get("weight"), raw.get("score"), raw.get("note", ""))
            for column, message in problems:
                errors.append({"row": number, "column": target_rows.column_label(column), "message": message})
            if row is not None:
                if row.name in names:
                    errors.append(
                        {"row": number, "column": target_rows.column_label("name"), "message": _("%(name)s appears twice for this unit.") % {"name": row.name}}
                    )
                names.add(row.name)
                checked.append(row)
        if errors:
            raise RowErrors(errors)
        _replace(assessed_unit, checked)
        journal.record(
            "appraisals.targets.saved",
            actor=actor,
            target=cycle,
            unit=assessed_unit.unit,
            data={"unit": assessed_unit.unit_name, "indicators": len(checked), "target_base": _summary(checked)},
        )
    return assessed_unit


def unit_names(cycle: AppraisalCycle) -> dict[str, AssessedUnit]:
    """Every accepted spelling of an assessed unit's name in an import: as assessed, the registry
    name and its short name (ambiguous short names are left out)."""
    names: dict[str, AssessedUnit] = {}
    ambiguous = set()
    for row in cycle.units.select_related("unit"):
        for name in {row.unit_name, row.unit.name, row.unit.short_name} - {""}:
            if name in names and names[name].pk != row.pk:
                ambiguous.add(name)
            names[name] = row
    for name in ambiguous:
        names.pop(name)
    return names


def import_targets(*, actor, cycle: AppraisalCycle, file) -> dict[str, int]:
    """Import indicators from the xlsx template: each unit in the file has its indicators
    replaced; units not in the file keep theirs. Any error → RowErrors and nothing stored."""

    def check(cycle):
        require_manage(actor, cycle)
        if not cycle.uses_target_scores:
            raise ActionError(_("This cycle does not include the target assessment."), code="no_targets")
        if not cycle.may_change_targets:
            raise wrong_stage(cycle)

    # The workbook is read before the transaction (in a child process, which may take seconds):
    # no lock is held meanwhile. Everything is checked again under the lock.
    check(AppraisalCycle.objects.select_related("unit").get(pk=cycle.pk))
    rows = target_rows.read_sheet(file)
    with transaction.atomic():
        cycle = lock_cycle(cycle)
        check(cycle)
        found, errors = target_rows.parse(rows, unit_names(cycle))
        if errors:
            raise RowErrors(errors)
        for assessed_unit, rows in found.items():
            _replace(assessed_unit, rows)
        summary = {"units": len(found), "indicators": sum(len(r) for r in found.values())}
        journal.record(
            "appraisals.targets.imported",
            actor=actor,
            target=cycle,
            unit=cycle.unit,
            data={**summary, "file": (getattr(file, "name", "") or "")[:200], "target_base": {u.unit_name: _summary(r) for u, r in found.items()}},
        )
    return summary
