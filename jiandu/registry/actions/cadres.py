"""Cadres: register (one or an import), update, move; their relatives."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.bulk import insert_rows
from jiandu.core.errors import ActionError, RowErrors

from .. import names
from ..models import Cadre, LeadershipLevel, Rank, Relative, Unit
from ..validators import id_number_problem, normalise_id_number, phone_problem
from .base import CADRE_FIELDS, _changes, _require_unit

# --- cadres --------------------------------------------------------------------------------


def pinyin_of(name: str) -> tuple[str, str]:
    """("zhangweiming", "zwm") for 张伟明. The initials are the syllables' first letters (the same
    as pypinyin's FIRST_LETTER style, at half the cost: bulk imports compute this per row). The
    surname is read as a surname (曾 zeng, 单 shan; registry.names)."""
    syllables = names.plain_syllables(name)
    return "".join(syllables).lower(), "".join(s[0] for s in syllables if s).lower()


_CADRE_CHOICES = (
    ("gender", frozenset(Cadre.Gender.values)),
    ("political_status", frozenset(Cadre.PoliticalStatus.values)),
    ("education", frozenset(Cadre.Education.values)),
    ("leadership_level", frozenset(LeadershipLevel.values)),
    ("rank", frozenset(Rank.values)),
    ("status", frozenset(Cadre.Status.values)),
)


def _value_problems(values: dict) -> dict[str, str]:
    """Problems visible in the values themselves (no database): formats, dates, choices."""
    problems: dict[str, str] = {}
    if "name" in values and not (values.get("name") or "").strip():
        problems["name"] = _("Name is required.")
    if "id_number" in values:
        problem = id_number_problem(values["id_number"])
        if problem:
            problems["id_number"] = problem
    if values.get("phone"):
        problem = phone_problem(values["phone"])
        if problem:
            problems["phone"] = problem
    for field, choices in _CADRE_CHOICES:
        if values.get(field) and values[field] not in choices:
            problems[field] = _("Unknown value for this field.") if field != "gender" else _("Unknown gender.")
    birth = values.get("birth_on")
    if birth and birth > dt.date.today():
        problems["birth_on"] = _("Birth date is in the future.")
    for field in ("work_start_on", "party_join_on"):
        if values.get(field) and birth and values[field] < birth:
            problems[field] = _("This date is before the birth date.")
    return problems


def validate_cadre_values(values: dict, *, existing: Cadre | None = None) -> dict[str, str]:
    """Field → translated problem for the given cadre values (empty when all is well)."""
    problems = _value_problems(values)
    if "id_number" in values and "id_number" not in problems:
        clash = Cadre.objects.filter(id_number=normalise_id_number(values["id_number"]))
        if existing is not None:
            clash = clash.exclude(pk=existing.pk)
        if clash.exists():
            problems["id_number"] = _("Another cadre already has this ID number.")
    return problems


def _required_problems(values: dict, problems: dict[str, str]) -> None:
    for required in ("gender", "birth_on"):
        if not values.get(required) and required not in problems:
            problems[required] = _("This field is required.")


def _cadre_row(values: dict) -> dict:
    values = {k: v for k, v in values.items() if k in CADRE_FIELDS}
    for required in ("name", "id_number", "gender", "birth_on"):
        values.setdefault(required, None)
    return values


def _unit_problem(unit: Unit) -> str | None:
    if not unit.is_active:
        return _("The unit %(unit)s is inactive; cadres cannot be registered in it.") % {"unit": unit.name}
    return None


def _prepare_for_storage(values: dict, pinyin_cache: dict | None = None) -> dict:
    values["name"] = values["name"].strip()
    values["id_number"] = normalise_id_number(values["id_number"])
    values["ethnicity"] = (values.get("ethnicity") or "").strip() or Cadre._meta.get_field("ethnicity").default
    for field in ("native_place", "phone"):
        if field in values:
            values[field] = (values[field] or "").strip()
    for field in ("managed_by_district",):
        if field in values and values[field] is None:
            del values[field]
    for field in ("political_status", "education", "leadership_level", "rank", "status"):
        if field in values and not values[field]:
            del values[field]
    cached = pinyin_cache.get(values["name"]) if pinyin_cache is not None else None
    if cached is None:
        cached = (*pinyin_of(values["name"]), names.sort_keys(values["name"]))
        if pinyin_cache is not None:
            pinyin_cache[values["name"]] = cached
    values["name_pinyin"], values["name_initials"], keys = cached
    values.update(keys)
    return values


def create_cadre(*, actor, unit: Unit, **values) -> Cadre:
    """Register a cadre in an active `unit`. The ID number must be valid (GB 11643) and unique."""
    values = _cadre_row(values)
    problems = validate_cadre_values(values)
    _required_problems(values, problems)
    if problems:
        field, message = next(iter(problems.items()))
        raise ActionError(message, field=field)
    values = _prepare_for_storage(values)
    with transaction.atomic():
        _require_unit(actor, unit)
        problem = _unit_problem(unit)
        if problem:
            raise ActionError(problem, field="unit")
        cadre = Cadre.objects.create(unit=unit, **values)
        journal.record("registry.cadre.created", actor=actor, target=cadre, unit=unit, cadre=cadre, data={"name": cadre.name})
    return cadre


_ID_LOOKUP_CHUNK = 900


def check_cadre_rows(*, actor, rows: list[dict]) -> list[dict]:
    """Every problem in a batch of new cadres, as create_cadre would find them one by one, plus
    ID numbers repeated within the batch. Each row is a dict of cadre values with `unit` (a Unit)
    and `row` (its number in the source, for messages). Nothing is written. Returns
    [{"row", "field", "message"}] in row order."""
    errors: list[dict] = []
    allowed_units: dict[int, str | None] = {}
    numbers: dict[str, int] = {}
    checked = []
    for index, raw in enumerate(rows, start=1):
        row_number = raw.get("row", index)
        values = _cadre_row(raw)
        problems = _value_problems(values)
        _required_problems(values, problems)
        unit = raw.get("unit")
        if unit is None:
            problems.setdefault("unit", _("The unit is required."))
        else:
            if unit.pk not in allowed_units:
                if not (access.can(actor, "registry.manage", unit) and access.can(actor, "registry.import", unit)):
                    allowed_units[unit.pk] = _("You may not register cadres in %(unit)s.") % {"unit": unit.name}
                else:
                    allowed_units[unit.pk] = _unit_problem(unit)
            if allowed_units[unit.pk]:
                problems.setdefault("unit", allowed_units[unit.pk])
        if "id_number" not in problems:
            number = normalise_id_number(values["id_number"])
            first = numbers.setdefault(number, row_number)
            if first != row_number:
                problems["id_number"] = _("The same ID number as row %(row)d of this file.") % {"row": first}
            else:
                checked.append((number, row_number))
        errors.extend({"row": row_number, "field": field, "message": message} for field, message in problems.items())
    # ID numbers already registered: one query per chunk, not one per row.
    taken = set()
    for start in range(0, len(checked), _ID_LOOKUP_CHUNK):
        chunk = [number for number, _row in checked[start : start + _ID_LOOKUP_CHUNK]]
        taken.update(Cadre.objects.filter(id_number__in=chunk).values_list("id_number", flat=True))
    if taken:
        message = _("Another cadre already has this ID number.")
        errors.extend({"row": row_number, "field": "id_number", "message": message} for number, row_number in checked if number in taken)
    errors.sort(key=lambda error: error["row"])
    return errors


def import_cadres(*, actor, rows, source: str = "") -> dict:
    """Register many cadres at once (an xlsx import). Every row is checked as create_cadre checks
    one (check_cadre_rows, incl. uniqueness within the batch) before anything is written; any
    problem raises RowErrors and nothing is stored. One journal entry summarises the import."""
    rows = list(rows)
    if not rows:
        raise ActionError(_("There are no rows to import."))
    errors = check_cadre_rows(actor=actor, rows=rows)
    if errors:
        raise RowErrors(errors)
    pinyin_cache: dict = {}
    records = []
    units: dict[int, Unit] = {}
    per_unit: dict[str, int] = {}
    for raw in rows:
        unit = raw["unit"]
        units[unit.pk] = unit
        per_unit[unit.name] = per_unit.get(unit.name, 0) + 1
        record = _prepare_for_storage(_cadre_row(raw), pinyin_cache)
        record["unit_id"] = unit.pk
        records.append(record)
    try:
        with transaction.atomic():
            # Lock the units so none is deactivated while its cadres arrive.
            locked = list(Unit.objects.select_for_update().filter(pk__in=list(units)).only("pk", "is_active", "name"))
            inactive = [unit.name for unit in locked if not unit.is_active]
            if inactive:
                raise ActionError(_("The unit %(unit)s is inactive; cadres cannot be registered in it.") % {"unit": inactive[0]})
            insert_rows(Cadre, records)
            journal.record(
                "registry.cadres.imported",
                actor=actor,
                unit=common_ancestor(list(units.values())),
                data={"rows": len(records), "source": source[:200], "units": dict(sorted(per_unit.items(), key=lambda item: -item[1])[:50])},
            )
    except IntegrityError as exc:
        # Another user registered one of these ID numbers between the check and the insert.
        raise ActionError(_("Another cadre with one of these ID numbers was registered meanwhile; upload the file again to see which.")) from exc
    return {"created": len(records), "units": len(units)}


def common_ancestor(units: list[Unit]) -> Unit | None:
    """The deepest unit containing all of `units` (None when they span several top units)."""
    if not units:
        return None
    prefix = units[0].path
    for unit in units[1:]:
        while not unit.path.startswith(prefix):
            prefix = prefix[: prefix.rstrip("/").rfind("/") + 1]
            if not prefix:
                return None
    return Unit.objects.filter(path=prefix).first()


def update_cadre(*, actor, cadre: Cadre, **values) -> Cadre:
    """Change a cadre's personal data (not their unit: that follows tenures or `move_cadre`)."""
    values = {k: v for k, v in values.items() if k in CADRE_FIELDS}
    with transaction.atomic():
        cadre = Cadre.objects.select_for_update().select_related("unit").get(pk=cadre.pk)
        _require_unit(actor, cadre.unit)
        problems = validate_cadre_values(values, existing=cadre)
        if problems:
            field, message = next(iter(problems.items()))
            raise ActionError(message, field=field)
        if "id_number" in values:
            values["id_number"] = normalise_id_number(values["id_number"])
        if "name" in values:
            values["name"] = values["name"].strip()
        changed = _changes(cadre, values, CADRE_FIELDS)
        if "name" in changed:
            cadre.name_pinyin, cadre.name_initials = pinyin_of(cadre.name)
            cadre.sort_pinyin, cadre.sort_strokes = names.sort_keys(cadre.name).values()
        if changed:
            cadre.save()
            # The ID number and phone never enter the journal, not even as a key: only that they changed.
            hidden = sorted(k for k in changed if k in ("id_number", "phone"))
            data = {"changed": {k: v for k, v in changed.items() if k not in hidden}}
            if hidden:
                data["changed_sensitive"] = hidden
            journal.record("registry.cadre.updated", actor=actor, target=cadre, unit=cadre.unit, cadre=cadre, data=data)
    return cadre


def move_cadre(*, actor, cadre: Cadre, unit: Unit) -> Cadre:
    """Change the unit a cadre belongs to (both units must be in the actor's scope)."""
    with transaction.atomic():
        cadre = Cadre.objects.select_for_update().select_related("unit").get(pk=cadre.pk)
        _require_unit(actor, cadre.unit)
        _require_unit(actor, unit)
        if cadre.unit_id != unit.pk:
            old = cadre.unit
            cadre.unit = unit
            cadre.save(update_fields=["unit", "updated_at"])
            journal.record("registry.cadre.moved", actor=actor, target=cadre, unit=unit, cadre=cadre, data={"from": old.name, "to": unit.name})
    return cadre


def add_relative(*, actor, cadre: Cadre, relation: str, name: str, birth_on=None, work_unit="", post="", political_status="", emigrated_on=None) -> Relative:
    """Record a family member of a cadre (emigrated_on: the day they settled abroad, if they did)."""
    if relation not in Relative.Relation.values:
        raise ActionError(_("Unknown relation."), field="relation")
    if not (name or "").strip():
        raise ActionError(_("Name is required."), field="name")
    _emigration_day(emigrated_on, birth_on)
    with transaction.atomic():
        _require_unit(actor, cadre.unit)
        relative = Relative.objects.create(
            cadre=cadre,
            relation=relation,
            name=name.strip(),
            birth_on=birth_on,
            work_unit=work_unit,
            post=post,
            political_status=(political_status or "").strip()[:20],
            emigrated_on=emigrated_on,
        )
        journal.record("registry.relative.added", actor=actor, target=relative, unit=cadre.unit, cadre=cadre, data={"relation": relation})
    return relative


def _emigration_day(emigrated_on, birth_on=None):
    if emigrated_on is not None and (not isinstance(emigrated_on, dt.date) or emigrated_on > dt.date.today()):
        raise ActionError(_("Give the day of emigration, not in the future."), field="emigrated_on")
    if emigrated_on is not None and isinstance(birth_on, dt.date) and emigrated_on < birth_on:
        raise ActionError(_("The day of emigration is before the birth date."), field="emigrated_on")
    return emigrated_on


def record_emigration(*, actor, relative: Relative, emigrated_on) -> Relative:
    """Record (or clear, with None) the day a family member settled abroad (移居国（境）外), for the
    emigration block of selection (2019 条例 art. 24 (5)). Journaled with the old and new day."""
    with transaction.atomic():
        relative = Relative.objects.select_for_update().select_related("cadre__unit").get(pk=relative.pk)
        _require_unit(actor, relative.cadre.unit)
        if relative.is_removed:
            raise ActionError(_("This record was removed; add the family member again."))
        _emigration_day(emigrated_on, relative.birth_on)
        before = relative.emigrated_on
        if before != emigrated_on:
            relative.emigrated_on = emigrated_on
            relative.save(update_fields=["emigrated_on"])
            journal.record(
                "registry.relative.emigration_recorded",
                actor=actor,
                target=relative,
                unit=relative.cadre.unit,
                cadre=relative.cadre,
                data={"relation": relative.relation, "from": before, "to": emigrated_on},
            )
    return relative


def remove_relative(*, actor, relative: Relative, reason: str) -> Relative:
    """Mark a family record as removed (kept for history), with a reason."""
    if not (reason or "").strip():
        raise ActionError(_("A reason is required."), field="reason")
    with transaction.atomic():
        relative = Relative.objects.select_for_update().select_related("cadre__unit").get(pk=relative.pk)
        _require_unit(actor, relative.cadre.unit)
        if relative.is_removed:
            raise ActionError(_("This record was already removed."))
        relative.is_removed = True
        relative.save(update_fields=["is_removed"])
        journal.record("registry.relative.removed", actor=actor, target=relative, unit=relative.cadre.unit, cadre=relative.cadre, data={"reason": reason})
    return relative
