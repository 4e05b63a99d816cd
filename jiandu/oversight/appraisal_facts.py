"""Daily supervision's facts for annual appraisals, registered into `jiandu.appraisals.hooks` by
`OversightConfig.ready()`: a running influence period bars 优秀, and a sanction of the year may
impose a grade (appraisals.sanction_year_outcomes)."""

import datetime as dt

from jiandu.appraisals import hooks

from . import queries
from .models import Measure


def influence_bars_excellence(cadre, on: dt.date) -> list[hooks.Disqualification]:
    return [
        hooks.Disqualification("oversight", str(item.measure_label), item.decided_on, str(item.reason or ""), item.measure)
        for item in queries.active_influence(cadre, on=on)
    ]


def influence_bars_excellence_many(cadre_ids, days) -> dict:
    """influence_bars_excellence for many cadres and days in one query: {(cadre id, day): [...]}."""
    found: dict = {}
    for key, items in queries.active_influence_many(cadre_ids, days).items():
        found[key] = [hooks.Disqualification("oversight", str(item.measure_label), item.decided_on, str(item.reason or ""), item.measure) for item in items]
    return found


def sanctions_of_year(cadre, year: int) -> list[hooks.YearSanction]:
    return [hooks.YearSanction(d.measure, d.decided_on) for d in queries.dispositions_in_year(cadre, year)]


def measure_label(code: str) -> str | None:
    try:
        return str(Measure(code).label)
    except ValueError:
        return None


def record_demo_sanction(*, actor, cadre, year: int) -> None:
    """A 记过 decided in March of `year` (appraisals' demo: a cadre graded "no grade")."""
    from .actions import dispositions

    dispositions.record_disposition(
        actor=actor, cadre=cadre, measure=Measure.ADMIN_DEMERIT, decided_on=dt.date(year, 3, 10), deciding_body="区监委", grounds="违规发放津贴补贴（示例）"
    )


def register() -> None:
    hooks.register_excellence_bar(influence_bars_excellence, many=influence_bars_excellence_many)
    hooks.register_year_sanctions(sanctions_of_year)
    hooks.register_measure_labels(measure_label)
    hooks.register_demo_sanction(record_demo_sanction)
