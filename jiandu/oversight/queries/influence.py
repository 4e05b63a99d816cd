"""Influence periods of dispositions: which run for a cadre, and which bar a move."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from .. import influence
from ..models import (
    Disposition,
)

# --- influence periods ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RunningInfluence:
    disposition: Disposition
    measure: str
    measure_label: str
    decided_on: dt.date
    ends_on: dt.date | None  # last day inside the period (inclusive); None = no end
    reason: str

    @property
    def explanation(self) -> str:
        return influence.explain(self.disposition)

    @property
    def bar(self) -> str:
        return self.disposition.bar

    @property
    def no_leading_post_until(self) -> dt.date | None:
        return self.disposition.no_leading_post_until

    def bars(self, move: str, on: dt.date) -> bool:
        """Whether it bars `move` (influence.MOVES: lateral, further_use, promotion) on `on`."""
        return influence.bars_move(self.disposition, move, on)


def active_influence(cadre, on: dt.date | None = None) -> list[RunningInfluence]:
    """The influence periods running for `cadre` on `on` (default today): effective dispositions
    decided on or before `on` whose last day (inclusive) is on or after `on`, or with no end.
    Corrected and revoked dispositions never count. Read by selection (art. 24) and appraisals."""
    on = on or dt.date.today()
    cadre_id = getattr(cadre, "pk", cadre)
    qs = (
        Disposition.objects.filter(cadre_id=cadre_id, status=Disposition.Status.EFFECTIVE, decided_on__lte=on)
        .filter(Q(is_permanent=True) | Q(influence_ends_on__gte=on))
        .order_by("decided_on", "id")
    )
    return [RunningInfluence(d, d.measure, d.get_measure_display(), d.decided_on, d.influence_ends_on, d.grounds) for d in qs]


def active_influence_many(cadre_ids, days) -> dict[tuple[int, dt.date], list[RunningInfluence]]:
    """active_influence for every cadre and day at once, in one query: {(cadre id, day): [...]},
    only the pairs with a running period."""
    cadre_ids, days = list(cadre_ids), sorted(set(days))
    if not cadre_ids or not days:
        return {}
    first, last = days[0], days[-1]
    qs = (
        Disposition.objects.filter(cadre_id__in=cadre_ids, status=Disposition.Status.EFFECTIVE, decided_on__lte=last)
        .filter(Q(is_permanent=True) | Q(influence_ends_on__gte=first))
        .order_by("decided_on", "id")
    )
    found: dict[tuple[int, dt.date], list[RunningInfluence]] = {}
    for d in qs:
        running = RunningInfluence(d, d.measure, d.get_measure_display(), d.decided_on, d.influence_ends_on, d.grounds)
        for on in days:
            if d.decided_on <= on and (d.is_permanent or (d.influence_ends_on is not None and d.influence_ends_on >= on)):
                found.setdefault((d.cadre_id, on), []).append(running)
    return found


def is_under_influence(cadre, on: dt.date | None = None) -> bool:
    return bool(active_influence(cadre, on))


def dispositions_in_year(cadre, year: int) -> list[Disposition]:
    """Effective dispositions of `cadre` decided in `year` or whose influence period runs during
    some day of it (appraisals' sanction-year outcomes)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    cadre_id = getattr(cadre, "pk", cadre)
    return list(
        Disposition.objects.filter(cadre_id=cadre_id, status=Disposition.Status.EFFECTIVE, decided_on__lte=end)
        .filter(Q(decided_on__gte=start) | Q(is_permanent=True) | Q(influence_ends_on__gte=start))
        .order_by("decided_on", "id")
    )


def barring_influence(cadre, move: str, on: dt.date | None = None) -> list[RunningInfluence]:
    """The running influence periods that bar `move` into a leading post on `on` (the selection
    gate): a lateral move, further use (进一步使用) or a promotion. A two-tier bar refuses every
    leading post in its first year and only a higher post in its second."""
    on = on or dt.date.today()
    return [r for r in active_influence(cadre, on=on) if r.bars(move, on)]
