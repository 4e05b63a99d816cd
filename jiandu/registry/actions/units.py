"""Units: create and update (the tree is a materialised path)."""

import uuid

from django.db import transaction
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.errors import ActionError

from ..models import PATH_STEP, Tenure, Unit
from .base import UNIT_FIELDS, _changes, _require_unit

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
