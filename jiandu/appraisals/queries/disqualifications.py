"""Facts that bar a grade: sanctions within their influence period, admonishments, other apps' disqualifying facts."""

import datetime as dt
from dataclasses import dataclass

from jiandu.core.practice import get_setting

from .. import hooks
from ..hooks import Disqualification
from ..models import AppraisalCycle, DisqualifyingEvent, Grade

# --- disqualifying events ----------------------------------------------------------------------


@dataclass(frozen=True)
class SanctionOutcome:
    """A grade the rules impose for a sanction in the assessment year (no grade, or 不称职)."""

    outcome: str  # Grade.NO_GRADE | Grade.INCOMPETENT
    measure: str
    decided_on: dt.date
    when: str  # "period" | "year"

    def as_reason(self) -> dict:
        return {"code": f"sanction_{self.outcome}", "params": {"measure": self.measure, "decided_on": self.decided_on.isoformat(), "when": self.when}}


def sanction_rules(lines=None) -> dict[str, tuple[str, str]]:
    """The setting appraisals.sanction_year_outcomes (or the `lines` a cycle recorded when its
    grades were proposed) as {measure: (outcome, when)}; lines that do not follow
    measure|outcome|when are ignored."""
    out = {}
    for line in (get_setting("appraisals.sanction_year_outcomes") if lines is None else lines) or []:
        parts = [p.strip() for p in str(line).split("|")]
        if len(parts) == 3 and parts[1] in (Grade.NO_GRADE, Grade.INCOMPETENT) and parts[2] in ("period", "year"):
            out[parts[0]] = (parts[1], parts[2])
    return out


def sanction_year_outcome(cadre, year: int, lines=None) -> SanctionOutcome | None:
    """The grade imposed by a sanction of the year (appraisals.sanction_year_outcomes, or the
    recorded `lines`): 不称职 wins over no grade; None when no rule applies or daily supervision is
    not installed."""
    rules = sanction_rules(lines)
    found = None
    for d in hooks.year_sanctions(cadre, year):
        rule = rules.get(d.measure)
        if rule is None:
            continue
        outcome, when = rule
        if when == "year" and d.decided_on.year != year:
            continue
        candidate = SanctionOutcome(outcome, d.measure, d.decided_on, when)
        if found is None or (found.outcome == Grade.NO_GRADE and outcome == Grade.INCOMPETENT):
            found = candidate
    return found


def _measure_label(code: str) -> str:
    return hooks.measure_label(code)


def _month_ends(year: int) -> list[dt.date]:
    ends = []
    for month in range(1, 13):
        month_end = dt.date(year, month, 1).replace(day=28) + dt.timedelta(days=4)
        ends.append(month_end - dt.timedelta(days=month_end.day))
    return ends


def disqualifying_events(cadre, year: int) -> list[Disqualification]:
    """Events in `year` that bar the cadre from 优秀 [R, 2019 考核条例]: the events officers recorded
    here, and — when daily supervision provides `active_influence(cadre, on=date)` — influence
    periods running at any month end of the year."""
    cadre_id = getattr(cadre, "pk", cadre)
    return disqualifying_events_many([cadre_id], year)[cadre_id]


def disqualifying_events_many(cadre_ids, year: int) -> dict[int, list[Disqualification]]:
    """disqualifying_events for many cadres at once ({cadre id: [...]}), in two queries whatever
    their number when the providers answer for many (hooks.register_excellence_bar)."""
    cadre_ids = list(dict.fromkeys(cadre_ids))
    found: dict[int, list[Disqualification]] = {pk: [] for pk in cadre_ids}
    if not cadre_ids:
        return found
    local = DisqualifyingEvent.objects.filter(cadre_id__in=cadre_ids, occurred_on__year=year, withdrawn_at__isnull=True).order_by("occurred_on", "id")
    for e in local:
        found[e.cadre_id].append(Disqualification("appraisals", e.kind, e.occurred_on, e.note))
    ends = _month_ends(year)
    bars = hooks.excellence_bars_many(cadre_ids, ends)
    for cadre_id in cadre_ids:
        seen = set()
        for month_end in ends:
            for item in bars[(cadre_id, month_end)]:
                if (item.kind, item.on) not in seen:
                    seen.add((item.kind, item.on))
                    found[cadre_id].append(item)
    return found


ADMONISHMENT_MEASURES = ("admonishment_talk", "admonishment_writing")


def disqualifications_for(cadre, cycle: AppraisalCycle) -> list[Disqualification]:
    """The events that bar 优秀 in this cycle: those of its year; in a term assessment an 诫勉 of
    the year counts only where the local rule says so (appraisals.admonishment_bars_term_excellent)."""
    cadre_id = getattr(cadre, "pk", cadre)
    return disqualifications_for_many([cadre_id], cycle)[cadre_id]


def disqualifications_for_many(cadre_ids, cycle: AppraisalCycle) -> dict[int, list[Disqualification]]:
    """disqualifications_for every cadre of a page or an action at once ({cadre id: [...]})."""
    found = disqualifying_events_many(cadre_ids, cycle.year)
    if cycle.kind == AppraisalCycle.Kind.TERM and not get_setting("appraisals.admonishment_bars_term_excellent"):
        found = {
            pk: [d for d in items if d.measure not in ADMONISHMENT_MEASURES and not (d.source == "appraisals" and "诫勉" in d.kind)]
            for pk, items in found.items()
        }
    return found
