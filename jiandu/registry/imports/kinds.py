"""The kinds of registry import (units, cadres, positions, tenures, family members): a preview checked row by row against the actions, then the commit, all or nothing."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.errors import ActionError, RowErrors
from jiandu.core.exports import Column, read_xlsx, template_response
from jiandu.core.masking import mask_id_number, mask_phone

from .. import actions, queries
from ..models import Cadre, Position, Relative, Tenure
from ..validators import normalise_id_number
from .columns import CADRE_COLUMNS, POSITION_COLUMNS, RELATIVE_COLUMNS, SAMPLE_ROWS, SHOWN_ERRORS, TENURE_COLUMNS, UNIT_COLUMNS
from .lookup import UnitLookup

# --- the four kinds ---------------------------------------------------------------------------------


@dataclass
class Preview:
    rows: int
    errors: list[dict]
    error_count: int
    sample_header: list[str]
    sample: list[list[str]]
    ignored_columns: list[str] = field(default_factory=list)


@dataclass
class Importer:
    key: str
    label: str
    noun: str  # "units", for journal codes and file names
    columns: tuple[Column, ...]
    max_rows: int
    notes: tuple[str, ...]
    field_columns: dict[str, str]  # an action's field name → the column key that holds it
    check: Callable  # (actor, rows) -> list of {"row", "field", "message"}, stores nothing
    store: Callable  # (actor, rows, source) -> {"created": n, ...}; raises RowErrors
    success: Callable  # summary -> message

    def template(self):
        name = _("%(what)s import template") % {"what": self.label}
        return template_response(f"{name}.xlsx", columns=self.columns, sheet_title=str(self.label), notes=[str(note) for note in self.notes])

    def column_label(self, field_name: str | None) -> str:
        key = self.field_columns.get(field_name or "", field_name)
        for column in self.columns:
            if column.key == key:
                return str(column.label)
        return ""


def _row_errors(importer: Importer, errors: list[dict]) -> list[dict]:
    return [{"row": e["row"], "column": importer.column_label(e.get("field")), "message": str(e["message"])} for e in errors]


def _merge(cell_errors: list[dict], action_errors: list[dict]) -> list[dict]:
    """Cell problems first; an action's complaint about a cell already reported is dropped."""
    seen = {(e["row"], e["column"]) for e in cell_errors}
    merged = cell_errors + [e for e in action_errors if (e["row"], e["column"]) not in seen]
    merged.sort(key=lambda e: e["row"])
    return merged


# Dry runs: the real actions inside a transaction that is always rolled back.


class _DryRun(Exception):
    pass


def _run_rows(actor, rows, apply_row, context) -> list[dict]:
    errors = []
    for row_number, values in rows:
        try:
            with transaction.atomic():  # a savepoint per row: one refusal does not spoil the rest
                apply_row(actor, values, context)
        except ActionError as exc:
            errors.append({"row": row_number, "field": exc.field, "message": exc.message})
        except access.NotVisible:
            errors.append({"row": row_number, "field": None, "message": _("You may not make this change.")})
    return errors


def _dry_check(apply_row, make_context):
    def check(actor, rows):
        errors = []
        try:
            with transaction.atomic():
                errors = _run_rows(actor, rows, apply_row, make_context(actor, rows))
                raise _DryRun
        except _DryRun:
            pass
        return errors

    return check


def _store_rows(noun, apply_row, make_context):
    def store(actor, rows, source):
        with transaction.atomic():
            errors = _run_rows(actor, rows, apply_row, make_context(actor, rows))
            if errors:
                raise RowErrors(errors)
            journal.record(f"registry.{noun}.imported", actor=actor, data={"rows": len(rows), "source": source[:200]})
        return {"created": len(rows)}

    return store


# Units


@dataclass
class _UnitContext:
    lookup: UnitLookup


def _unit_context(actor, rows):
    return _UnitContext(UnitLookup(actor))


def _apply_unit(actor, values, context):
    parent = context.lookup.resolve(values["parent"], field="parent") if values.get("parent") else None
    if parent is None and not access.is_unrestricted(actor, "registry.manage"):
        raise ActionError(_("Only district-wide administrators may create a top unit; name the parent unit."), field="parent")
    unit = actions.create_unit(
        actor=actor,
        name=values["name"] or "",
        kind=values["kind"] or "",
        parent=parent,
        short_name=values.get("short_name") or "",
        order=values.get("order") or 0,
    )
    context.lookup.add(unit)


# Positions


def _apply_position(actor, values, context):
    unit = context.lookup.resolve(values["unit"])
    extra = {key: values[key] for key in actions.POSITION_FIELDS if key in values and values[key] is not None and key != "title"}
    actions.create_position(actor=actor, unit=unit, title=values["title"] or "", **extra)


# Tenures


@dataclass
class _TenureContext:
    lookup: UnitLookup
    cadres: dict[str, Cadre]
    positions: dict[tuple[int, str], list[Position]]
    outcomes: dict[str, int] = field(default_factory=lambda: {"appointed": 0, "past": 0, "ended": 0, "unchanged": 0})


def _tenure_context(actor, rows):
    lookup = UnitLookup(actor)
    numbers = sorted({normalise_id_number(values.get("id_number") or "") for _row, values in rows} - {""})
    cadres = {}
    visible = queries.cadres_visible_to(actor)
    for start in range(0, len(numbers), 900):
        for cadre in visible.filter(id_number__in=numbers[start : start + 900]):
            cadres[cadre.id_number] = cadre
    positions: dict[tuple[int, str], list[Position]] = {}
    for position in Position.objects.filter(unit_id__in=list(lookup.units)).select_related("unit"):
        positions.setdefault((position.unit_id, position.title), []).append(position)
    return _TenureContext(lookup, cadres, positions)


def _apply_tenure(actor, values, context):
    cadre = context.cadres.get(normalise_id_number(values.get("id_number") or ""))
    if cadre is None:
        raise ActionError(_("No registered cadre you may see has this ID number."), field="id_number")
    if values.get("name") and values["name"] != cadre.name:
        raise ActionError(_("This ID number is registered to %(name)s.") % {"name": cadre.name}, field="name")
    unit = context.lookup.resolve(values["unit"])
    candidates = context.positions.get((unit.pk, (values.get("position") or "").strip()), [])
    if not candidates:
        raise ActionError(
            _("%(unit)s has no position titled “%(title)s”; create it first.") % {"unit": unit.name, "title": values.get("position")}, field="position"
        )
    if len(candidates) > 1:
        raise ActionError(_("%(unit)s has several positions titled “%(title)s”.") % {"unit": unit.name, "title": values.get("position")}, field="position")
    common = {
        "actor": actor,
        "cadre": cadre,
        "position": candidates[0],
        "started_on": values["started_on"],
        "start_method": values.get("start_method") or Tenure.StartMethod.APPOINTMENT,
        "is_acting": bool(values.get("is_acting")),
        "note": values.get("note") or "",
    }
    # The same tenure already registered (cadre, post and start date): the yearly roster update.
    same = Tenure.objects.filter(cadre=cadre, position=candidates[0], started_on=values["started_on"]).first()
    if values.get("ended_on"):
        if not values.get("end_reason"):
            raise ActionError(_("Give the end reason of an ended tenure."), field="end_reason")
        if same is not None and same.ended_on is None:
            # A current tenure ends: exactly what the form does, departure event included.
            actions.end_tenure(actor=actor, tenure=same, ended_on=values["ended_on"], end_reason=values["end_reason"])
            outcome = "ended"
        elif same is not None and (same.ended_on, same.end_reason) == (values["ended_on"], values["end_reason"]):
            outcome = "unchanged"  # already ended so by an earlier import or the form: no second event
        else:
            actions.record_past_tenure(ended_on=values["ended_on"], end_reason=values["end_reason"], **common)
            outcome = "past"
    else:
        if values.get("end_reason"):
            raise ActionError(_("An end reason needs an end date."), field="ended_on")
        if same is not None and same.ended_on is None:
            outcome = "unchanged"  # still in office: the roster repeats it
        else:
            actions.appoint(**common)
            outcome = "appointed"
    context.outcomes[outcome] += 1


def _store_tenures(actor, rows, source):
    """Like _store_rows, counting what each row did: appointed, past tenure recorded, current
    tenure ended (a departure event where due), or unchanged (a roster imported again)."""
    with transaction.atomic():
        context = _tenure_context(actor, rows)
        errors = _run_rows(actor, rows, _apply_tenure, context)
        if errors:
            raise RowErrors(errors)
        outcomes = dict(context.outcomes)
        journal.record("registry.tenures.imported", actor=actor, data={"rows": len(rows), "source": source[:200], **outcomes})
    return {"created": outcomes["appointed"] + outcomes["past"], "ended": outcomes["ended"], "unchanged": outcomes["unchanged"]}


# Family members (and their emigration, for selection's art. 24 (5))


@dataclass
class _RelativeContext:
    cadres: dict[str, Cadre]
    outcomes: dict[str, int] = field(default_factory=lambda: {"added": 0, "updated": 0, "unchanged": 0})


def _relative_context(actor, rows):
    numbers = sorted({normalise_id_number(values.get("id_number") or "") for _row, values in rows} - {""})
    cadres = {}
    visible = queries.cadres_visible_to(actor, "registry.manage").select_related("unit")
    for start in range(0, len(numbers), 900):
        for cadre in visible.filter(id_number__in=numbers[start : start + 900]):
            cadres[cadre.id_number] = cadre
    return _RelativeContext(cadres)


def _apply_relative(actor, values, context):
    """A family member is the cadre's record of that relation and name: a new one is added; one
    already recorded gets the emigration day of the row (set, changed, or cleared when empty)."""
    cadre = context.cadres.get(normalise_id_number(values.get("id_number") or ""))
    if cadre is None:
        raise ActionError(_("No registered cadre you may manage has this ID number."), field="id_number")
    if values.get("cadre_name") and values["cadre_name"] != cadre.name:
        raise ActionError(_("This ID number is registered to %(name)s.") % {"name": cadre.name}, field="cadre_name")
    if not queries.may_see_sensitive(actor, cadre):
        raise ActionError(_("You may not record the family of %(name)s: family records are sensitive.") % {"name": cadre.name}, field="id_number")
    name = (values.get("name") or "").strip()
    same = list(Relative.objects.filter(cadre=cadre, relation=values["relation"], name=name, is_removed=False).order_by("id"))
    if len(same) > 1:
        raise ActionError(
            _("%(cadre)s has several family records of this relation and name; correct them on the cadre's page.") % {"cadre": cadre.name}, field="name"
        )
    if same:
        relative = same[0]
        if values.get("birth_on") and relative.birth_on and values["birth_on"] != relative.birth_on:
            raise ActionError(
                _("%(name)s is recorded with the birth date %(date)s.") % {"name": relative.name, "date": relative.birth_on.isoformat()}, field="birth_on"
            )
        if relative.emigrated_on == values.get("emigrated_on"):
            context.outcomes["unchanged"] += 1
            return
        actions.record_emigration(actor=actor, relative=relative, emigrated_on=values.get("emigrated_on"))
        context.outcomes["updated"] += 1
        return
    actions.add_relative(
        actor=actor,
        cadre=cadre,
        relation=values["relation"],
        name=name,
        birth_on=values.get("birth_on"),
        work_unit=values.get("work_unit") or "",
        post=values.get("post") or "",
        political_status=values.get("political_status") or "",
        emigrated_on=values.get("emigrated_on"),
    )
    context.outcomes["added"] += 1


def _store_relatives(actor, rows, source):
    with transaction.atomic():
        context = _relative_context(actor, rows)
        errors = _run_rows(actor, rows, _apply_relative, context)
        if errors:
            raise RowErrors(errors)
        outcomes = dict(context.outcomes)
        journal.record("registry.relatives.imported", actor=actor, data={"rows": len(rows), "source": source[:200], **outcomes})
    return {"created": outcomes["added"], **outcomes}


# Cadres: the bulk action


def _resolve_cadre_units(actor, rows) -> tuple[list[dict], list[dict]]:
    lookup = UnitLookup(actor)
    batch, errors = [], []
    for row_number, values in rows:
        item = dict(values, row=row_number)
        try:
            item["unit"] = lookup.resolve(values.get("unit") or "")
        except ActionError as exc:
            errors.append({"row": row_number, "field": "unit", "message": exc.message})
            item["unit"] = None
        batch.append(item)
    return batch, errors


def _check_cadres(actor, rows):
    batch, errors = _resolve_cadre_units(actor, rows)
    reported = {e["row"] for e in errors}
    checked = actions.check_cadre_rows(actor=actor, rows=batch)
    # An unresolved unit was reported above; the action's "unit is required" would repeat it.
    errors += [e for e in checked if not (e["field"] == "unit" and e["row"] in reported)]
    return errors


def _store_cadres(actor, rows, source):
    batch, errors = _resolve_cadre_units(actor, rows)
    if errors:
        raise RowErrors(errors + [e for e in actions.check_cadre_rows(actor=actor, rows=batch) if e["field"] != "unit"])
    return actions.import_cadres(actor=actor, rows=batch, source=source)


IMPORTERS: dict[str, Importer] = {
    importer.key: importer
    for importer in (
        Importer(
            key="units",
            label=gettext_lazy("Units"),
            noun="units",
            columns=UNIT_COLUMNS,
            max_rows=5000,
            notes=(gettext_lazy("A parent unit must exist already or be on an earlier row of the file."),),
            field_columns={},
            check=_dry_check(_apply_unit, _unit_context),
            store=_store_rows("units", _apply_unit, _unit_context),
            success=lambda summary: _("%(n)d units imported.") % {"n": summary["created"]},
        ),
        Importer(
            key="cadres",
            label=gettext_lazy("Cadres"),
            noun="cadres",
            columns=CADRE_COLUMNS,
            max_rows=200_000,
            notes=(gettext_lazy("The unit must exist already; import units first."),),
            field_columns={},
            check=_check_cadres,
            store=_store_cadres,
            success=lambda summary: _("%(n)d cadres imported into %(units)d units.") % {"n": summary["created"], "units": summary["units"]},
        ),
        Importer(
            key="positions",
            label=gettext_lazy("Positions"),
            noun="positions",
            columns=POSITION_COLUMNS,
            max_rows=20_000,
            notes=(gettext_lazy("Import units first; then positions; then cadres; then tenures."),),
            field_columns={},
            check=_dry_check(_apply_position, _unit_context),
            store=_store_rows("positions", _apply_position, _unit_context),
            success=lambda summary: _("%(n)d positions imported.") % {"n": summary["created"]},
        ),
        Importer(
            key="tenures",
            label=gettext_lazy("Tenures"),
            noun="tenures",
            columns=TENURE_COLUMNS,
            max_rows=20_000,
            notes=(
                gettext_lazy("A row without an end date appoints the cadre now (the position needs a free place); a row with one records a past tenure."),
                gettext_lazy(
                    "The yearly roster: a row with the cadre, post and start date of a current tenure and an end date ends it, as the form does "
                    "(a principal's or financial-authority holder's departure is recorded). Rows already registered are left as they are, so the "
                    "same file can be imported again."
                ),
                gettext_lazy("Rows are applied from top to bottom: put the end of an earlier tenure above the appointment that follows it."),
            ),
            field_columns={"cadre": "id_number"},
            check=_dry_check(_apply_tenure, _tenure_context),
            store=_store_tenures,
            success=lambda summary: (
                _("%(n)d tenures imported, %(ended)d current tenures ended, %(unchanged)d rows already registered.")
                % {"n": summary["created"], "ended": summary["ended"], "unchanged": summary["unchanged"]}
            ),
        ),
        Importer(
            key="relatives",
            label=gettext_lazy("Family members"),
            noun="relatives",
            columns=RELATIVE_COLUMNS,
            max_rows=100_000,
            notes=(
                gettext_lazy("Import the cadres first; each row names the cadre by ID number."),
                gettext_lazy(
                    "A family member already recorded with the same relation and name is not added again: the row sets its emigration day "
                    "(移居国（境）外), changes it, or clears it when the cell is empty, so the same file can be imported again."
                ),
            ),
            field_columns={"cadre": "id_number"},
            check=_dry_check(_apply_relative, _relative_context),
            store=_store_relatives,
            success=lambda summary: (
                _("%(added)d family members added, %(updated)d emigration days recorded, %(unchanged)d rows already registered.")
                % {"added": summary["added"], "updated": summary["updated"], "unchanged": summary["unchanged"]}
            ),
        ),
    )
}


def _read(importer: Importer, path):
    result = read_xlsx(path, importer.columns, max_rows=importer.max_rows)
    cell_errors = [error.as_dict() for error in result.errors]
    return result, cell_errors


def prepare(importer: Importer, *, actor, path, mask_sensitive: bool) -> Preview:
    """Read and check an uploaded workbook without storing anything. Raises WorkbookError when
    the file as a whole is unusable."""
    result, cell_errors = _read(importer, path)
    errors = _merge(cell_errors, _row_errors(importer, importer.check(actor, result.rows)))
    header = [str(column.label) for column in importer.columns]
    sample = []
    for _row, values in result.rows[:SAMPLE_ROWS]:
        line = []
        for column in importer.columns:
            value = values.get(column.key)
            shown = "" if value is None else str(column.display(value))
            if mask_sensitive and column.key == "id_number":
                shown = mask_id_number(shown)
            elif mask_sensitive and column.key == "phone":
                shown = mask_phone(shown)
            line.append(shown)
        sample.append(line)
    return Preview(
        rows=len(result.rows),
        errors=errors[:SHOWN_ERRORS],
        error_count=len(errors),
        sample_header=header,
        sample=sample,
        ignored_columns=result.ignored_columns,
    )


def commit(importer: Importer, *, actor, path, source: str) -> dict:
    """Store every row of the workbook, or nothing: raises RowErrors (with column labels) when
    any row is refused, WorkbookError when the file is unusable."""
    result, cell_errors = _read(importer, path)
    if cell_errors:
        raise RowErrors(cell_errors)
    try:
        return importer.store(actor, result.rows, source)
    except RowErrors as exc:
        raise RowErrors(_row_errors(importer, exc.errors)) from exc
    except ActionError as exc:
        raise RowErrors([{"row": 0, "column": importer.column_label(exc.field), "message": exc.message}]) from exc
