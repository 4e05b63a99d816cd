"""年度干部监督工作统计: the yearly statistics across the pillars, as a registry of providers.

Each pillar registers, in a `statistics.py` (or its existing statistics module) imported by its
AppConfig.ready(), a provider of sections for a year, counted from its own records dated in that
year and scoped by the viewer's own rights in that pillar:

    from jiandu.core.statistics import register_statistics

    def sections(user, year) -> dict[str, dict]:  # {key: {"title": …, "rows": [(label, number), …]}}
    register_statistics("audits", sections, label=_("Responsibility supervision"), order=30)

The report (jiandu/dossier) shows every area's sections as charts and tables, exports them to
xlsx, and shows an area whose provider fails as unavailable. Because every count is taken from
records with their own dates, a past year's report is reproducible as long as the records are
(nothing in the system deletes them; corrections are journaled)."""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Area:
    key: str
    label: str
    order: int
    provider: Callable


_areas: dict[str, Area] = {}


def register_statistics(area: str, provider: Callable, *, label, order: int = 100) -> Callable:
    _areas[area] = Area(area, label, order, provider)
    return provider


def areas() -> list[Area]:
    return sorted(_areas.values(), key=lambda a: (a.order, a.key))


@dataclass
class Report:
    year: int
    areas: list[tuple[Area, dict]] = field(default_factory=list)  # (area, its sections), in order
    unavailable: list[Area] = field(default_factory=list)


def collect(user, year: int) -> Report:
    report = Report(year)
    for area in areas():
        try:
            with transaction.atomic():
                sections = area.provider(user, year) or {}
        except Exception:
            log.exception("statistics provider %s failed", area.key)
            report.unavailable.append(area)
            continue
        if sections:
            report.areas.append((area, sections))
    return report


# --- breakdown by unit kind -------------------------------------------------------------------
#
# A pillar that counts records of units also registers what it counts per unit, so that the report
# can split each count by the kind of unit (registry unit kinds: party committee, government
# department, street, school …):
#
#     def measures(user, year) -> list[UnitMeasure]:
#         return [UnitMeasure("talks", _("talks held"), talks_qs, "unit")]
#     register_unit_measures("oversight", measures)
#
# `queryset` is the same scoped queryset the section counts (so the kinds add up to the section's
# total); `unit_field` the path to its registry unit. The report groups by `<unit_field>__kind`
# in one query per measure (jiandu/dossier, which may read the registry).


@dataclass(frozen=True)
class UnitMeasure:
    key: str
    label: str
    queryset: object
    unit_field: str


_measures: dict[str, Callable] = {}


def register_unit_measures(area: str, provider: Callable) -> Callable:
    _measures[area] = provider
    return provider


def unit_measures(user, year: int, area_keys) -> dict[str, list[UnitMeasure]]:
    """{area key: [UnitMeasure]} of the areas shown (an area without measures is left out; one
    that fails is left out too — its sections already show it as unavailable)."""
    out = {}
    for key in area_keys:
        provider = _measures.get(key)
        if provider is None:
            continue
        try:
            with transaction.atomic():
                measures = provider(user, year) or []
        except Exception:
            log.exception("unit measures of %s failed", key)
            continue
        if measures:
            out[key] = measures
    return out
