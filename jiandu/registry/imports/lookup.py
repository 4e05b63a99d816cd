"""Resolving the unit names a workbook gives (a path from the top, a unique name or short name)."""

import re

from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core.errors import ActionError

from .. import queries
from ..models import Unit

# --- resolving names in the file ------------------------------------------------------------------


class UnitLookup:
    """Finds the unit a cell names, among the units the actor may manage and import into.
    A cell may hold the full path ("示范区委/组织部"), its last parts, a name or a short name."""

    def __init__(self, actor):
        self.full = {pk: [part for part in name.split("/")] for pk, name in queries.unit_full_names().items()}
        allowed = Unit.objects.filter(access.scope_q(actor, "registry.manage", "path")).filter(access.scope_q(actor, "registry.import", "path"))
        self.units: dict[int, Unit] = {}
        self.by_name: dict[str, list[int]] = {}
        self.by_short: dict[str, list[int]] = {}
        for unit in allowed:
            self.add(unit)

    def add(self, unit: Unit) -> None:
        if unit.pk not in self.full:
            self.full[unit.pk] = [*self.full.get(unit.parent_id, []), unit.name]
        self.units[unit.pk] = unit
        self.by_name.setdefault(unit.name, []).append(unit.pk)
        if unit.short_name:
            self.by_short.setdefault(unit.short_name, []).append(unit.pk)

    def resolve(self, text: str, field: str = "unit") -> Unit:
        parts = [part.strip() for part in re.split(r"[/／]", text or "") if part.strip()]
        if not parts:
            raise ActionError(_("The unit is required."), field=field)
        last = parts[-1]
        if len(parts) == 1:
            matches = sorted(set(self.by_name.get(last, [])) or set(self.by_short.get(last, [])))
        else:
            matches = [pk for pk in self.by_name.get(last, []) if self.full[pk][-len(parts) :] == parts]
        if not matches:
            raise ActionError(_("No unit “%(unit)s” among the units you may import into.") % {"unit": text[:100]}, field=field)
        if len(matches) > 1:
            examples = "; ".join("/".join(self.full[pk]) for pk in matches[:3])
            raise ActionError(
                _("“%(unit)s” matches several units (%(examples)s); write its names from the top, separated by /.")
                % {"unit": text[:100], "examples": examples},
                field=field,
            )
        return self.units[matches[0]]
