"""Registry actions: the only writes to units, cadres, relatives, positions and tenures.

Tenure states: current (ended_on empty) --end_tenure--> ended. Ending the tenure of a principal
or of a position with financial authority records a durable `registry.departure` event in the
same transaction; audits/handovers consume it (core.events).
"""

import datetime as dt
import uuid

from django.db import transaction
from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin

from jiandu.accounts import access
from jiandu.core import events, journal
from jiandu.core.errors import ActionError

from .models import PATH_STEP, Cadre, Position, Relative, Tenure, Unit
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
    syllables = lazy_pinyin(name, errors="ignore")
    initials = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")
    return "".join(syllables).lower(), "".join(initials).lower()


def validate_cadre_values(values: dict, *, existing: Cadre | None = None) -> dict[str, str]:
    """Field → translated problem for the given cadre values (empty when all is well)."""
    problems: dict[str, str] = {}
    if "name" in values and not (values.get("name") or "").strip():
        problems["name"] = _("Name is required.")
    if "id_number" in values:
        problem = id_number_problem(values["id_number"])
        if problem:
            problems["id_number"] = problem
        else:
            number = normalise_id_number(values["id_number"])
            clash = Cadre.objects.filter(id_number=number)
            if existing is not None:
                clash = clash.exclude(pk=existing.pk)
            if clash.exists():
                problems["id_number"] = _("Another cadre already has this ID number.")
    if values.get("phone"):
        problem = phone_problem(values["phone"])
        if problem:
            problems["phone"] = problem
    if values.get("gender") and values["gender"] not in Cadre.Gender.values:
        problems["gender"] = _("Unknown gender.")
    birth = values.get("birth_on")
    if birth and birth > dt.date.today():
        problems["birth_on"] = _("Birth date is in the future.")
    for field in ("work_start_on", "party_join_on"):
        if values.get(field) and birth and values[field] < birth:
            problems[field] = _("This date is before the birth date.")
    return problems


def create_cadre(*, actor, unit: Unit, **values) -> Cadre:
    """Register a cadre in `unit`. The ID number must be valid (GB 11643) and unique."""
    values = {k: v for k, v in values.items() if k in CADRE_FIELDS}
    for required in ("name", "id_number", "gender", "birth_on"):
        values.setdefault(required, None)
    problems = validate_cadre_values(values)
    for required in ("gender", "birth_on"):
        if not values.get(required) and required not in problems:
            problems[required] = _("This field is required.")
    if problems:
        field, message = next(iter(problems.items()))
        raise ActionError(message, field=field)
    values["name"] = values["name"].strip()
    values["id_number"] = normalise_id_number(values["id_number"])
    values["name_pinyin"], values["name_initials"] = pinyin_of(values["name"])
    with transaction.atomic():
        _require_unit(actor, unit)
        cadre = Cadre.objects.create(unit=unit, **values)
        journal.record("registry.cadre.created", actor=actor, target=cadre, unit=unit, cadre=cadre, data={"name": cadre.name})
    return cadre


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
            # The ID number itself never enters the journal; only that it changed.
            safe = {k: ("***" if k in ("id_number", "phone") else v) for k, v in changed.items()}
            journal.record("registry.cadre.updated", actor=actor, target=cadre, unit=cadre.unit, cadre=cadre, data={"changed": safe})
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
