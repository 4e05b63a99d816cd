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
