"""Positions: create and update."""

from django.db import transaction
from django.utils.translation import gettext as _

from jiandu.core import journal
from jiandu.core.errors import ActionError

from ..models import LeadershipLevel, Position, Tenure, Unit
from .base import POSITION_FIELDS, _changes, _require_unit

# --- positions -----------------------------------------------------------------------------


def _position_level_check(values: dict) -> None:
    """A post's level is a leadership level (领导职务层次) or none (a rank post, 职级岗位)."""
    if values.get("level") and values["level"] not in LeadershipLevel.values:
        raise ActionError(_("Unknown leadership level."), field="level")


def create_position(*, actor, unit: Unit, title: str, **values) -> Position:
    """Create a position (post) in a unit."""
    if not (title or "").strip():
        raise ActionError(_("Title is required."), field="title")
    values = {k: v for k, v in values.items() if k in POSITION_FIELDS}
    _position_level_check(values)
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
        _position_level_check(values)
        if "headcount" in values:
            current = Tenure.objects.filter(position=position, ended_on__isnull=True).count()
            if values["headcount"] < max(1, current):
                raise ActionError(_("Headcount cannot be below the %(n)d current holders.") % {"n": current}, field="headcount")
        changed = _changes(position, values, POSITION_FIELDS)
        if changed:
            position.save()
            journal.record("registry.position.updated", actor=actor, target=position, unit=position.unit, data={"changed": changed})
    return position
