"""Registry API (/api/v1/registry/): units, cadres (and their family members), positions, tenures, leadership teams and
unhandled departures. Reads go through registry.queries (scoped; not visible = 404), writes
through registry.actions only. ID numbers and phones are masked, and the birth date given as
its year only, unless the viewer may see them (queries.may_see_sensitive), exactly as on the pages
(docs/decisions/0007). Reads that return them in clear are journaled: a cadre as the detail page
does (`registry.cadre.viewed_sensitive`, page "api"), a list page as one entry naming the cadres
(`registry.cadres.viewed_sensitive`).

A `unit` filter always means "this unit and every unit below it".
"""

# isort: off
# Imported in the order their operations are listed in the API document.
from . import units, cadres, relatives, positions, tenures, departures  # noqa: F401  (each registers its operations)

# isort: on
from .common import router

__all__ = ["router"]
