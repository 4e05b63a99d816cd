"""Registry actions: the only writes to units, cadres, relatives, positions and tenures.

Tenure states:

    appoint ──> current (ended_on empty) ──end_tenure──> ended
    record_past_tenure ───────────────────────────────> ended   (history; no departure event)

Ending the tenure of a principal or of a position with financial authority records a durable
`registry.departure` event in the same transaction; audits/handovers consume it (core.events).

Bulk: `import_cadres` registers many cadres with the checks of `create_cadre` applied to every
row (plus uniqueness within the batch) before anything is written, then inserts them in
batches and writes one journal entry for the whole import.

Reads: `record_sensitive_view` journals that someone saw a cadre's ID number, phone or family in
clear (SECURITY.md: a view of a sensitive record is a security event); it writes nothing else.
"""

import datetime as dt
import time
import uuid

from django.core.cache import cache
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from pypinyin import lazy_pinyin

from jiandu.accounts import access
from jiandu.core import events, journal
from jiandu.core.errors import ActionError, RowErrors

from .models import PATH_STEP, Cadre, Position, Rank, Relative, Tenure, Unit
from .queries import may_see_sensitive, sensitive_checker
from .validators import id_number_problem, normalise_id_number, phone_problem

UNIT_FIELDS = ("name", "short_name", "kind", "order", "is_active")
CADRE_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_on",
    "native_place",
    "id_number",
    "political_status",
    "education",
    "rank",
    "phone",
    "work_start_on",
    "party_join_on",
    "managed_by_district",
    "status",
)
POSITION_FIELDS = ("title", "kind", "is_principal", "has_financial_authority", "level", "headcount", "portfolio", "public_contact", "order", "is_active")


def _changes(obj, values: dict, fields) -> dict:
    changed = {}
    for field in fields:
        if field in values and getattr(obj, field) != values[field]:
            changed[field] = [getattr(obj, field), values[field]]
            setattr(obj, field, values[field])
    return changed


def _require_unit(actor, unit, perm="registry.manage"):
    access.require(actor, perm, unit)


# --- units ---------------------------------------------------------------------------------


def create_unit(*, actor, name: str, kind: str, parent: Unit | None = None, short_name: str = "", order: int = 0) -> Unit:
    """Create a unit under `parent` (None: a top unit, which needs district-wide rights)."""
    name = (name or "").strip()
    if not name:
        raise ActionError(_("Unit name is required."), field="name")
    if kind not in Unit.Kind.values:
        raise ActionError(_("Unknown unit kind: %(kind)s.") % {"kind": kind}, field="kind")
    with transaction.atomic():
        if parent is not None:
            parent = Unit.objects.select_for_update().get(pk=parent.pk)
            _require_unit(actor, parent)
        elif not access.is_unrestricted(actor, "registry.manage"):
            raise access.NotVisible()
        if Unit.objects.filter(parent=parent, name=name).exists():
            raise ActionError(_("A unit named %(name)s already exists here.") % {"name": name}, field="name")
        unit = Unit.objects.create(
            name=name,
            short_name=(short_name or "").strip(),
            kind=kind,
            parent=parent,
            order=order,
            path=f"tmp-{uuid.uuid4().hex}",
            depth=(parent.depth + 1) if parent else 0,
        )
        unit.path = (parent.path if parent else "") + f"{unit.pk:0{PATH_STEP}d}/"
        unit.save(update_fields=["path"])
        journal.record("registry.unit.created", actor=actor, target=unit, unit=unit, data={"name": name, "kind": kind})
    return unit


def update_unit(*, actor, unit: Unit, **values) -> Unit:
    """Change a unit's name, short name, kind, order or active flag."""
    with transaction.atomic():
        unit = Unit.objects.select_for_update().get(pk=unit.pk)
        _require_unit(actor, unit)
        if "name" in values:
            values["name"] = (values["name"] or "").strip()
            if not values["name"]:
                raise ActionError(_("Unit name is required."), field="name")
            if Unit.objects.filter(parent=unit.parent, name=values["name"]).exclude(pk=unit.pk).exists():
                raise ActionError(_("A unit named %(name)s already exists here.") % {"name": values["name"]}, field="name")
        if "kind" in values and values["kind"] not in Unit.Kind.values:
            raise ActionError(_("Unknown unit kind: %(kind)s.") % {"kind": values["kind"]}, field="kind")
        if values.get("is_active") is False and Tenure.objects.filter(position__unit=unit, ended_on__isnull=True).exists():
            raise ActionError(_("The unit still has current tenures; end them before deactivating it."))
        changed = _changes(unit, values, UNIT_FIELDS)
        if changed:
            unit.save()
            journal.record("registry.unit.updated", actor=actor, target=unit, unit=unit, data={"changed": changed})
    return unit


# --- cadres --------------------------------------------------------------------------------


def pinyin_of(name: str) -> tuple[str, str]:
    """("zhangweiming", "zwm") for 张伟明. The initials are the syllables' first letters (the same
    as pypinyin's FIRST_LETTER style, at half the cost: bulk imports compute this per row)."""
    syllables = lazy_pinyin(name, errors="ignore")
    return "".join(syllables).lower(), "".join(s[0] for s in syllables if s).lower()


_CADRE_CHOICES = (
    ("gender", frozenset(Cadre.Gender.values)),
    ("political_status", frozenset(Cadre.PoliticalStatus.values)),
    ("education", frozenset(Cadre.Education.values)),
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
    for field in ("political_status", "education", "rank", "status"):
        if field in values and not values[field]:
            del values[field]
    if pinyin_cache is None:
        values["name_pinyin"], values["name_initials"] = pinyin_of(values["name"])
    else:
        cached = pinyin_cache.get(values["name"])
        if cached is None:
            cached = pinyin_cache[values["name"]] = pinyin_of(values["name"])
        values["name_pinyin"], values["name_initials"] = cached
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


# Rows per executemany() call of a bulk import.
IMPORT_BATCH_SIZE = 2000
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
            _insert_rows(Cadre, records)
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


_PLAIN_FIELDS = (models.CharField, models.TextField, models.BooleanField, models.IntegerField, models.ForeignKey, models.FileField)


def _insert_rows(model, records: list[dict]) -> None:
    """INSERT many rows without building model instances: for a 100k-row import, constructing
    instances and bulk_create's per-value preparation cost several times the insert itself.
    PostgreSQL gets COPY (its bulk path; Django's client-side parameter binding makes large
    INSERTs slow there); SQLite gets executemany in batches. Values are adapted as the ORM
    would (dates by the backend's ops); a field type this does not know is refused."""
    ops = connection.ops
    postgres = connection.vendor == "postgresql"
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    plan = []
    for f in fields:
        if isinstance(f, models.DateTimeField):
            default = now if (f.auto_now or f.auto_now_add) else f.get_default()
            plan.append((f.attname, default, None if postgres else ops.adapt_datetimefield_value))
        elif isinstance(f, models.DateField):
            plan.append((f.attname, f.get_default(), None if postgres else ops.adapt_datefield_value))
        elif isinstance(f, _PLAIN_FIELDS):
            plan.append((f.attname, f.get_default(), None))
        else:  # pragma: no cover - a new field type needs a line above
            raise TypeError(f"_insert_rows cannot adapt {f.__class__.__name__} {model.__name__}.{f.name}")

    def lines(batch):
        for record in batch:
            line = []
            for attname, default, adapt in plan:
                value = record.get(attname, default)
                line.append(adapt(value) if adapt is not None and value is not None else value)
            yield line

    # Identifiers come from the model's meta and are quoted; every value is a parameter.
    table = ops.quote_name(model._meta.db_table)
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        if postgres:
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for line in lines(records):
                    copy.write_row(line)
            return
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
        for start in range(0, len(records), IMPORT_BATCH_SIZE):
            cursor.executemany(sql, list(lines(records[start : start + IMPORT_BATCH_SIZE])))


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
        if changed:
            cadre.save()
            # The ID number itself never enters the journal, not even under its own key (the
            # journal refuses the key): only that it changed. The phone is masked.
            safe = {k: ("***" if k == "phone" else v) for k, v in changed.items() if k != "id_number"}
            data = {"changed": safe, **({"id_number_changed": True} if "id_number" in changed else {})}
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


def add_relative(*, actor, cadre: Cadre, relation: str, name: str, birth_on=None, work_unit="", post="") -> Relative:
    """Record a family member of a cadre."""
    if relation not in Relative.Relation.values:
        raise ActionError(_("Unknown relation."), field="relation")
    if not (name or "").strip():
        raise ActionError(_("Name is required."), field="name")
    with transaction.atomic():
        _require_unit(actor, cadre.unit)
        relative = Relative.objects.create(cadre=cadre, relation=relation, name=name.strip(), birth_on=birth_on, work_unit=work_unit, post=post)
        journal.record("registry.relative.added", actor=actor, target=relative, unit=cadre.unit, cadre=cadre, data={"relation": relation})
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


# --- sensitive reads ---------------------------------------------------------------------------

# One entry per user and cadre in this window: a clerk who reloads a record or moves between its
# pages while working on it leaves one line, not dozens, so the journal stays readable (SECURITY.md
# "view of a sensitive record"). A view after the window is journaled again.
SENSITIVE_VIEW_QUIET_SECONDS = 10 * 60
SENSITIVE_VIEW_ACTION = "registry.cadre.viewed_sensitive"
SENSITIVE_VIEW_PAGES = ("detail", "edit", "family", "api")
SENSITIVE_LIST_ACTION = "registry.cadres.viewed_sensitive"
_SENSITIVE_VIEW_KEY = "jiandu:registry:sensitive-view:{user}:{cadre}"


def _claim_sensitive_view(key: str, now: float) -> bool:
    """True if no view of this user and cadre was journaled in the window; claims the window.
    `cache.add` is atomic, so two simultaneous page loads journal once."""
    if cache.add(key, now, timeout=SENSITIVE_VIEW_QUIET_SECONDS):
        return True
    last = cache.get(key)
    if last is None or now - last >= SENSITIVE_VIEW_QUIET_SECONDS:
        cache.set(key, now, timeout=SENSITIVE_VIEW_QUIET_SECONDS)
        return True
    return False


def record_sensitive_view(*, actor, cadre: Cadre, page: str = "detail", now: float | None = None):
    """Journal `registry.cadre.viewed_sensitive`: `actor` was shown `cadre`'s ID number, phone or
    family in clear on `page`. Preconditions: the actor may see them (queries.may_see_sensitive).
    At most one entry per actor and cadre in SENSITIVE_VIEW_QUIET_SECONDS; returns the entry, or
    None when the view falls in the window of an earlier one. Writes only the journal."""
    if page not in SENSITIVE_VIEW_PAGES:
        raise ValueError(f"unknown page {page!r}")
    cadre = Cadre.objects.select_related("unit").get(pk=cadre.pk)
    if not may_see_sensitive(actor, cadre):
        raise access.NotVisible()
    now = time.time() if now is None else now
    key = _SENSITIVE_VIEW_KEY.format(user=actor.pk, cadre=cadre.pk)
    if not _claim_sensitive_view(key, now):
        return None
    data = {"page": page}
    if access.is_self(actor, cadre):
        data["own_record"] = True
    try:
        with transaction.atomic():
            return journal.record(SENSITIVE_VIEW_ACTION, actor=actor, target=cadre, unit=cadre.unit, cadre=cadre, data=data)
    except Exception:
        cache.delete(key)  # not journaled: the next view must try again
        raise


def record_sensitive_list_view(*, actor, cadres, via: str = "api"):
    """Journal `registry.cadres.viewed_sensitive`: one page of a list showed `actor` the ID numbers
    and phones of `cadres` in clear. One entry per page naming the records (their ids, never the
    values); no window, every page is journaled. Preconditions: the actor may see each of them
    (queries.may_see_sensitive). Returns the entry, or None for an empty page. Writes only the journal."""
    ids = [cadre.pk for cadre in cadres]
    if not ids:
        return None
    may_see = sensitive_checker(actor)
    if not all(may_see(cadre) for cadre in cadres):
        raise access.NotVisible()
    data = {"via": via, "cadres": ids}
    units = {cadre.unit_id for cadre in cadres}
    unit = cadres[0].unit if len(units) == 1 else None
    with transaction.atomic():
        return journal.record(SENSITIVE_LIST_ACTION, actor=actor, unit=unit, data=data)


# --- positions -----------------------------------------------------------------------------


def create_position(*, actor, unit: Unit, title: str, **values) -> Position:
    """Create a position (post) in a unit."""
    if not (title or "").strip():
        raise ActionError(_("Title is required."), field="title")
    values = {k: v for k, v in values.items() if k in POSITION_FIELDS}
    if values.get("headcount", 1) < 1:
        raise ActionError(_("Headcount must be at least 1."), field="headcount")
    with transaction.atomic():
        _require_unit(actor, unit)
        position = Position.objects.create(unit=unit, title=title.strip(), **values)
        journal.record("registry.position.created", actor=actor, target=position, unit=unit, data={"title": position.title})
    return position


def update_position(*, actor, position: Position, **values) -> Position:
    """Change a position's title, flags, portfolio or contact."""
    with transaction.atomic():
        position = Position.objects.select_for_update().select_related("unit").get(pk=position.pk)
        _require_unit(actor, position.unit)
        if "title" in values and not (values["title"] or "").strip():
            raise ActionError(_("Title is required."), field="title")
        if "headcount" in values:
            current = Tenure.objects.filter(position=position, ended_on__isnull=True).count()
            if values["headcount"] < max(1, current):
                raise ActionError(_("Headcount cannot be below the %(n)d current holders.") % {"n": current}, field="headcount")
        changed = _changes(position, values, POSITION_FIELDS)
        if changed:
            position.save()
            journal.record("registry.position.updated", actor=actor, target=position, unit=position.unit, data={"changed": changed})
    return position


# --- tenures -------------------------------------------------------------------------------


def appoint(
    *,
    actor,
    cadre: Cadre,
    position: Position,
    started_on: dt.date,
    start_method: str = Tenure.StartMethod.APPOINTMENT,
    is_acting: bool = False,
    note: str = "",
    move_cadre_to_unit: bool = True,
) -> Tenure:
    """Start a tenure. The position must be active and have a free place; the cadre must be
    serving and not already hold it."""
    if start_method not in Tenure.StartMethod.values:
        raise ActionError(_("Unknown way of taking office."), field="start_method")
    with transaction.atomic():
        position = Position.objects.select_for_update().select_related("unit").get(pk=position.pk)
        cadre = Cadre.objects.select_for_update().select_related("unit").get(pk=cadre.pk)
        _require_unit(actor, position.unit)
        if not position.is_active:
            raise ActionError(_("This position is no longer active."), field="position")
        if cadre.status != Cadre.Status.SERVING:
            raise ActionError(_("Only a serving cadre can be appointed."), field="cadre")
        if started_on > dt.date.today() + dt.timedelta(days=366):
            raise ActionError(_("The start date is more than a year ahead."), field="started_on")
        if cadre.birth_on and started_on < cadre.birth_on:
            raise ActionError(_("The start date is before the cadre's birth."), field="started_on")
        current = Tenure.objects.filter(position=position, ended_on__isnull=True)
        if current.filter(cadre=cadre).exists():
            raise ActionError(_("%(name)s already holds this position.") % {"name": cadre.name}, field="cadre")
        if current.count() >= position.headcount:
            raise ActionError(
                _("%(position)s has no free place (headcount %(n)d); end a current tenure first.") % {"position": position, "n": position.headcount},
                field="position",
            )
        tenure = Tenure.objects.create(cadre=cadre, position=position, started_on=started_on, start_method=start_method, is_acting=is_acting, note=note)
        if move_cadre_to_unit and cadre.unit_id != position.unit_id:
            cadre.unit = position.unit
            cadre.save(update_fields=["unit", "updated_at"])
        journal.record(
            "registry.tenure.started",
            actor=actor,
            target=tenure,
            unit=position.unit,
            cadre=cadre,
            data={"position": str(position), "started_on": started_on, "start_method": start_method, "is_acting": is_acting},
        )
    return tenure


def end_tenure(*, actor, tenure: Tenure, ended_on: dt.date, end_reason: str) -> Tenure:
    """End a current tenure. A principal's or financial-authority tenure records a departure event."""
    if end_reason not in Tenure.EndReason.values:
        raise ActionError(_("Unknown end reason."), field="end_reason")
    with transaction.atomic():
        tenure = Tenure.objects.select_for_update().select_related("position__unit", "cadre").get(pk=tenure.pk)
        _require_unit(actor, tenure.position.unit)
        if tenure.ended_on is not None:
            raise ActionError(_("This tenure already ended on %(date)s.") % {"date": tenure.ended_on.isoformat()})
        if ended_on < tenure.started_on:
            raise ActionError(_("The end date is before the start date (%(date)s).") % {"date": tenure.started_on.isoformat()}, field="ended_on")
        if ended_on > dt.date.today() + dt.timedelta(days=366):
            raise ActionError(_("The end date is more than a year ahead."), field="ended_on")
        tenure.ended_on = ended_on
        tenure.end_reason = end_reason
        tenure.save(update_fields=["ended_on", "end_reason"])
        departure = tenure.is_departure()
        journal.record(
            "registry.tenure.ended",
            actor=actor,
            target=tenure,
            unit=tenure.position.unit,
            cadre=tenure.cadre,
            data={"position": str(tenure.position), "ended_on": ended_on, "end_reason": end_reason, "departure": departure},
        )
        if departure:
            events.record_event(
                "registry.departure",
                subject=tenure,
                unit_id=tenure.position.unit_id,
                cadre_id=tenure.cadre_id,
                data={
                    "position": str(tenure.position),
                    "is_principal": tenure.position.is_principal,
                    "has_financial_authority": tenure.position.has_financial_authority,
                    "started_on": tenure.started_on.isoformat(),
                    "ended_on": ended_on.isoformat(),
                    "end_reason": end_reason,
                },
            )
    return tenure


def record_past_tenure(
    *,
    actor,
    cadre: Cadre,
    position: Position,
    started_on: dt.date,
    ended_on: dt.date,
    end_reason: str,
    start_method: str = Tenure.StartMethod.APPOINTMENT,
    is_acting: bool = False,
    note: str = "",
) -> Tenure:
    """Record a tenure that had already ended before it was entered (rosters, history imports).
    It must not overlap another tenure of the same cadre in the same position. It records no
    departure event: a departure is a present event that starts an audit and a handover, and an
    old one is handled (or was) outside the platform."""
    if start_method not in Tenure.StartMethod.values:
        raise ActionError(_("Unknown way of taking office."), field="start_method")
    if end_reason not in Tenure.EndReason.values:
        raise ActionError(_("Unknown end reason."), field="end_reason")
    if ended_on < started_on:
        raise ActionError(_("The end date is before the start date (%(date)s).") % {"date": started_on.isoformat()}, field="ended_on")
    if ended_on > dt.date.today():
        raise ActionError(_("A past tenure must have ended by today; record a current one by appointing."), field="ended_on")
    with transaction.atomic():
        position = Position.objects.select_for_update().select_related("unit").get(pk=position.pk)
        cadre = Cadre.objects.select_for_update().select_related("unit").get(pk=cadre.pk)
        _require_unit(actor, position.unit)
        if cadre.birth_on and started_on < cadre.birth_on:
            raise ActionError(_("The start date is before the cadre's birth."), field="started_on")
        overlapping = Tenure.objects.filter(cadre=cadre, position=position, started_on__lte=ended_on).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=started_on)
        )
        if overlapping.exists():
            raise ActionError(_("%(name)s already has a tenure in this position during these dates.") % {"name": cadre.name}, field="started_on")
        tenure = Tenure.objects.create(
            cadre=cadre,
            position=position,
            started_on=started_on,
            start_method=start_method,
            ended_on=ended_on,
            end_reason=end_reason,
            is_acting=is_acting,
            note=note,
        )
        journal.record(
            "registry.tenure.recorded",
            actor=actor,
            target=tenure,
            unit=position.unit,
            cadre=cadre,
            data={"position": str(position), "started_on": started_on, "ended_on": ended_on, "end_reason": end_reason},
        )
    return tenure
