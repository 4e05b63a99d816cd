"""What higher apps tell appraisals, through providers they register (appraisals imports none of
them; layering.toml). Daily supervision registers its providers in `OversightConfig.ready()`.

- `register_excellence_bar(provider, many=None)`: provider(cadre, on) -> list[Disqualification],
  the facts running on that day that bar 优秀 (e.g. influence periods of sanctions and
  admonishments); `many(cadre_ids, days) -> {(cadre_id, day): [Disqualification]}` answers the
  same for many cadres and days in a bounded number of queries (a page of a cycle's cadres, each
  checked at twelve month ends); without it `provider` is asked once per cadre and day.
- `register_year_sanctions(provider)`: provider(cadre, year) -> list[YearSanction], the sanctions
  decided in the year or whose influence period runs during some day of it (the grades imposed
  by appraisals.sanction_year_outcomes).
- `register_measure_labels(provider)`: provider(code) -> label or None, the readable name of a
  measure code kept in a grade's reasons.
- `register_demo_sanction(provider)`: provider(actor=, cadre=, year=) records, through its own
  actions, a sanction of `year` that imposes "no grade" (used by appraisals' demo data only).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Disqualification:
    """Why a cadre cannot be 优秀 this year."""

    source: str  # the app that knows the fact: "appraisals" | "oversight" | …
    kind: str
    on: dt.date | None
    note: str = ""
    measure: str = ""  # daily supervision's measure code, when it comes from there

    def __str__(self):
        return f"{self.on.isoformat()} {self.kind}" if self.on else self.kind


@dataclass(frozen=True)
class YearSanction:
    """A sanction that may impose a grade in an assessment year."""

    measure: str  # the measure code named in appraisals.sanction_year_outcomes
    decided_on: dt.date


ExcellenceBarProvider = Callable[[object, dt.date], list[Disqualification]]
ManyExcellenceBarProvider = Callable[[list[int], list[dt.date]], dict[tuple[int, dt.date], list[Disqualification]]]
YearSanctionProvider = Callable[[object, int], list[YearSanction]]
MeasureLabelProvider = Callable[[str], str | None]
DemoSanctionProvider = Callable[..., None]

_excellence_bars: list[ExcellenceBarProvider] = []
_excellence_bars_many: dict[ExcellenceBarProvider, ManyExcellenceBarProvider] = {}
_year_sanctions: list[YearSanctionProvider] = []
_measure_labels: list[MeasureLabelProvider] = []
_demo_sanctions: list[DemoSanctionProvider] = []


def _add(registry: list, provider):
    if provider not in registry:  # ready() may run twice in some test set-ups
        registry.append(provider)
    return provider


def register_excellence_bar(provider: ExcellenceBarProvider, many: ManyExcellenceBarProvider | None = None) -> ExcellenceBarProvider:
    if many is not None:
        _excellence_bars_many[provider] = many
    return _add(_excellence_bars, provider)


def register_year_sanctions(provider: YearSanctionProvider) -> YearSanctionProvider:
    return _add(_year_sanctions, provider)


def register_measure_labels(provider: MeasureLabelProvider) -> MeasureLabelProvider:
    return _add(_measure_labels, provider)


def register_demo_sanction(provider: DemoSanctionProvider) -> DemoSanctionProvider:
    return _add(_demo_sanctions, provider)


def excellence_bars(cadre, on: dt.date) -> list[Disqualification]:
    return [item for provider in _excellence_bars for item in provider(cadre, on)]


def excellence_bars_many(cadre_ids: list[int], days: list[dt.date]) -> dict[tuple[int, dt.date], list[Disqualification]]:
    """excellence_bars for every cadre and day: {(cadre id, day): [...]} (every pair present), in
    the providers' order."""
    found: dict[tuple[int, dt.date], list[Disqualification]] = {(c, d): [] for c in cadre_ids for d in days}
    for provider in _excellence_bars:
        many = _excellence_bars_many.get(provider)
        if many is not None:
            answers = many(cadre_ids, days)
            for key, items in found.items():
                items.extend(answers.get(key, ()))
        else:
            for (cadre_id, day), items in found.items():
                items.extend(provider(cadre_id, day))
    return found


def year_sanctions(cadre, year: int) -> list[YearSanction]:
    return [item for provider in _year_sanctions for item in provider(cadre, year)]


def measure_label(code: str) -> str:
    for provider in _measure_labels:
        label = provider(code)
        if label:
            return label
    return code


def record_demo_sanction(*, actor, cadre, year: int) -> bool:
    """Let the app that records sanctions add one for the demo; False when none is installed."""
    for provider in _demo_sanctions:
        provider(actor=actor, cadre=cadre, year=year)
        return True
    return False
