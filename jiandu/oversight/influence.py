"""Influence periods (影响期) of dispositions, DOMAIN.md §2.

Definition used throughout: the period starts on the decision date and runs for N calendar
months (core.calendar.add_months); its last day is the day before the same date N months later,
and both the decision date and that last day are inside the period. Example: a party warning
decided on 2025-03-15 runs 2025-03-15 … 2026-03-14; on 2026-03-15 the cadre is free.

[R] rules are code, with the article beside each; [R?] and [L] values are settings (settings.py).
"""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from jiandu.core.calendar import add_months
from jiandu.core.practice import get_setting

from .models import Measure

# 《中国共产党纪律处分条例》(2018/2023) art. 10: 警告 one year, 严重警告 one and a half years without
# promotion; 撤销党内职务 two years without an equal or higher post. [R]
PARTY_MONTHS = {Measure.PARTY_WARNING: 12, Measure.PARTY_SERIOUS_WARNING: 18, Measure.PARTY_POST_REMOVAL: 24}
# Same article: after 留党察看 the member may not hold an equal or higher post for two years after
# their rights are restored, i.e. the probation term (1 or 2 years) plus 24 months. [R]
PROBATION_AFTER_MONTHS = 24
# 《公职人员政务处分法》(2020) art. 8: 警告 6, 记过 12, 记大过 18, 降级/撤职 24 months. [R]
ADMINISTRATIVE_MONTHS = {
    Measure.ADMIN_WARNING: 6,
    Measure.ADMIN_DEMERIT: 12,
    Measure.ADMIN_MAJOR_DEMERIT: 18,
    Measure.ADMIN_DOWNGRADE: 24,
    Measure.ADMIN_DISMISSAL_FROM_POST: 24,
}
# Expulsion has no end: 开除党籍 (five years before re-admission is possible) and 开除 (public office).
PERMANENT = {Measure.PARTY_EXPULSION, Measure.ADMIN_EXPULSION}
ORGANISATIONAL = {Measure.SUSPENSION, Measure.ADJUSTMENT, Measure.TRANSFER, Measure.RESIGNATION_ORDERED, Measure.REMOVAL, Measure.DEMOTION}
ADMONISHMENT = {Measure.ADMONISHMENT_TALK, Measure.ADMONISHMENT_WRITING}

# Citation codes stored on the disposition (language-neutral); `explain` renders them.
RULE_PARTY = "party_discipline_art10"
RULE_PROBATION = "party_discipline_art10_probation"
RULE_ADMINISTRATIVE = "administrative_sanctions_art8"
RULE_ADMONISHMENT = "setting:oversight.admonishment_influence_months"
RULE_PERMANENT = "permanent"
RULE_NONE = "none"


@dataclass(frozen=True)
class Influence:
    months: int | None
    is_permanent: bool
    ends_on: dt.date | None  # last day inside the period (inclusive)
    rule: str


def last_day(decided_on: dt.date, months: int) -> dt.date:
    return add_months(decided_on, months) - dt.timedelta(days=1)


def influence_for(measure: str, decided_on: dt.date, probation_years: int | None = None) -> Influence:
    """The influence period a measure decided on `decided_on` carries, under the rules in force now."""
    if measure in PERMANENT:
        return Influence(None, True, None, RULE_PERMANENT)
    if measure in PARTY_MONTHS:
        months = PARTY_MONTHS[measure]
        return Influence(months, False, last_day(decided_on, months), RULE_PARTY)
    if measure == Measure.PARTY_PROBATION:
        months = int(probation_years or 1) * 12 + PROBATION_AFTER_MONTHS
        return Influence(months, False, last_day(decided_on, months), RULE_PROBATION)
    if measure in ADMINISTRATIVE_MONTHS:
        months = ADMINISTRATIVE_MONTHS[measure]
        return Influence(months, False, last_day(decided_on, months), RULE_ADMINISTRATIVE)
    if measure in ADMONISHMENT:
        months = int(get_setting("oversight.admonishment_influence_months"))
        return Influence(months, False, last_day(decided_on, months), RULE_ADMONISHMENT)
    if measure in ORGANISATIONAL:
        months = int(get_setting(f"oversight.influence_months.{measure}"))
        return Influence(months, False, last_day(decided_on, months), f"setting:oversight.influence_months.{measure}")
    # 提醒, 函询 and 通报 carry no influence period.
    return Influence(None, False, None, RULE_NONE)


RULE_TEXT = {
    RULE_PARTY: lambda: _("《中国共产党纪律处分条例》 art. 10"),
    RULE_PROBATION: lambda: _("《中国共产党纪律处分条例》 art. 10: the probation term plus two years after rights are restored"),
    RULE_ADMINISTRATIVE: lambda: _("《公职人员政务处分法》 art. 8"),
    RULE_ADMONISHMENT: lambda: _("local setting for 诫勉 (unconfirmed national rule)"),
}


def explain(disposition) -> str:
    """How the influence period of a disposition was computed, in the reader's language."""
    rule = disposition.influence_rule
    if rule == RULE_NONE or (not disposition.is_permanent and disposition.influence_ends_on is None):
        return _("This measure carries no influence period.")
    if rule == RULE_PERMANENT or disposition.is_permanent:
        return _("No end date: expulsion.")
    if rule in RULE_TEXT:
        source = RULE_TEXT[rule]()
    elif rule.startswith("setting:"):
        source = _("local setting %(key)s (《中国共产党组织处理规定（试行）》, unconfirmed)") % {"key": rule.split(":", 1)[1]}
    else:
        source = rule
    return _("%(months)d months from the decision date %(start)s (%(source)s): in effect %(start)s … %(end)s inclusive; free from %(free)s") % {
        "months": disposition.influence_months,
        "start": disposition.decided_on.isoformat(),
        "source": source,
        "end": disposition.influence_ends_on.isoformat(),
        "free": disposition.influence_free_on.isoformat(),
    }
