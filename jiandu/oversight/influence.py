"""Influence periods (影响期) of dispositions, DOMAIN.md §2.

Day-count convention (used for every period below):
- The period starts on the decision (approval) date, which is its first day: 《公职人员政务处分法》
  art. 8 counts the period "自政务处分决定生效之日起"; party sanctions are read the same way.
- N months later: the period's last day is the day before the same date N months later, both ends
  inside the period. A party warning decided on 2025-03-15 runs 2025-03-15 … 2026-03-14; on
  2026-03-15 the cadre is free.
- Month end: when the later month has no such date (the 31st, or 29 February), the last day is
  the last day of that month, as 《民法典》 art. 202 does for periods counted in months
  ("没有对应日的，月末日为期间的最后一日"): 2025-08-31 + 6 months runs to 2026-02-28 inclusive.

Cumulation (叠加): a new sanction decided while an earlier one of the same family is still running
runs for the unexpired rest of the earlier one plus its own period, i.e. its own period starts on
the day the earlier one would have ended:
- party sanctions: 《中国共产党纪律处分条例》(2023) art. 21;
- administrative sanctions: 《行政机关公务员处分条例》 art. 10 — at most 48 months in all,
  counted from the new decision.

What is barred (`Bar`) is stored with the period, so the selection gate can tell a lateral move
from a promotion. [R] rules are code, with the article beside each; [R?] and [L] values are
settings (settings.py).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from jiandu.core.calendar import add_months
from jiandu.core.practice import get_setting

from .models import Bar, Measure

# 《中国共产党纪律处分条例》(2023) art. 10: 警告 one year, 严重警告 one and a half years without
# 提拔职务或者进一步使用. [R]
PARTY_MONTHS = {Measure.PARTY_WARNING: 12, Measure.PARTY_SERIOUS_WARNING: 18}
# 《中国共产党纪律处分条例》(2023) art. 11: 撤销党内职务, two years without an equal or higher post. [R]
PARTY_POST_REMOVAL_MONTHS = 24
# 《中国共产党纪律处分条例》(2023) art. 12: after 留党察看 the member may not hold an equal or higher
# post for two years after their rights are restored, i.e. the probation term (1 or 2 years) plus
# 24 months. [R]
PROBATION_AFTER_MONTHS = 24
# 《公职人员政务处分法》(2020) art. 8: 警告 6, 记过 12, 记大过 18, 降级/撤职 24 months. [R]
ADMINISTRATIVE_MONTHS = {
    Measure.ADMIN_WARNING: 6,
    Measure.ADMIN_DEMERIT: 12,
    Measure.ADMIN_MAJOR_DEMERIT: 18,
    Measure.ADMIN_DOWNGRADE: 24,
    Measure.ADMIN_DISMISSAL_FROM_POST: 24,
}
# 《行政机关公务员处分条例》 art. 10: a cumulated administrative period is at most 48 months. [R]
ADMINISTRATIVE_CAP_MONTHS = 48
# 《党政领导干部选拔任用工作条例》(2019), chapter on 免职、辞职、降职, as explained in its official
# Q&A: 引咎辞职, 责令辞职 and 因问责被免职 — no leading post for one year and no post higher than the
# former one for two years (two bars). [R]
TWO_TIER = {Measure.RESIGNATION_ACCOUNTABILITY, Measure.RESIGNATION_ORDERED, Measure.REMOVAL_ACCOUNTABILITY}
TWO_TIER_NO_LEADING_MONTHS = 12
TWO_TIER_NO_HIGHER_MONTHS = 24
# Same source: 因不适宜担任现职 调离岗位 or 免职 — no promotion for one year. National, not local. [R]
UNSUITABLE = {Measure.TRANSFER, Measure.REMOVAL_UNSUITABLE}
UNSUITABLE_MONTHS = 12
# 停职检查: no influence period of its own in any text found; it runs until lifted, and the final
# measure brings its own period.
UNTIL_LIFTED = {Measure.SUSPENSION}
# Expulsion has no end: 开除党籍 (five years before re-admission is possible) and 开除 (public office).
PERMANENT = {Measure.PARTY_EXPULSION, Measure.ADMIN_EXPULSION}
# 《中国共产党组织处理规定（试行）》(2021): 调整职务 one year, 降职 two years without promotion. [R?]
SETTING_MEASURES = {Measure.ADJUSTMENT, Measure.DEMOTION}
ADMONISHMENT = {Measure.ADMONISHMENT_TALK, Measure.ADMONISHMENT_WRITING}
# Kept for dispositions recorded before 免职 was split; new records must say which 免职.
LEGACY = {Measure.REMOVAL}
ORGANISATIONAL = TWO_TIER | UNSUITABLE | UNTIL_LIFTED | SETTING_MEASURES | LEGACY

PARTY_FAMILY = set(PARTY_MONTHS) | {Measure.PARTY_POST_REMOVAL, Measure.PARTY_PROBATION}
ADMINISTRATIVE_FAMILY = set(ADMINISTRATIVE_MONTHS)

# Citation codes stored on the disposition (language-neutral); `explain` renders them. The first
# three are the codes of dispositions recorded before the 2023 numbering was corrected.
RULE_PARTY = "party_discipline_art10"
RULE_PROBATION = "party_discipline_art10_probation"
RULE_ADMINISTRATIVE = "administrative_sanctions_art8"
RULE_PARTY_WARNING = "party_discipline_2023_art10"
RULE_PARTY_POST_REMOVAL = "party_discipline_2023_art11"
RULE_PARTY_PROBATION = "party_discipline_2023_art12"
RULE_TWO_TIER = "selection_2019_two_tier"
RULE_UNSUITABLE = "selection_2019_unsuitable"
RULE_UNTIL_LIFTED = "until_lifted"
RULE_ADMONISHMENT = "setting:oversight.admonishment_influence_months"
RULE_PERMANENT = "permanent"
RULE_NONE = "none"


@dataclass(frozen=True)
class Influence:
    months: int | None
    is_permanent: bool
    ends_on: dt.date | None  # last day inside the period (inclusive)
    rule: str
    bar: str = ""
    no_leading_post_until: dt.date | None = None  # first tier of a two-tier bar (inclusive)
    basis: dict = field(default_factory=dict)  # the arithmetic of a cumulation


def last_day(decided_on: dt.date, months: int) -> dt.date:
    """The last day (inclusive) of a period of `months` starting on `decided_on` (module docstring)."""
    later = add_months(decided_on, months)
    if later.day != decided_on.day:  # no such date in that month: the month's last day
        return later
    return later - dt.timedelta(days=1)


def _months(measure: str, probation_years: int | None) -> tuple[int, str, str]:
    """(months, rule code, bar) of a measure with a fixed period."""
    if measure in PARTY_MONTHS:
        return PARTY_MONTHS[measure], RULE_PARTY_WARNING, Bar.FURTHER_USE
    if measure == Measure.PARTY_POST_REMOVAL:
        return PARTY_POST_REMOVAL_MONTHS, RULE_PARTY_POST_REMOVAL, Bar.FURTHER_USE
    if measure == Measure.PARTY_PROBATION:
        return int(probation_years or 1) * 12 + PROBATION_AFTER_MONTHS, RULE_PARTY_PROBATION, Bar.FURTHER_USE
    if measure in ADMINISTRATIVE_MONTHS:
        return ADMINISTRATIVE_MONTHS[measure], RULE_ADMINISTRATIVE, Bar.PROMOTION
    if measure in ADMONISHMENT:
        # 诫勉: "不得提拔或者重用" for its period; the period is a local setting (no national text found).
        return int(get_setting("oversight.admonishment_influence_months")), RULE_ADMONISHMENT, Bar.FURTHER_USE
    if measure in UNSUITABLE:
        return UNSUITABLE_MONTHS, RULE_UNSUITABLE, Bar.PROMOTION
    if measure in SETTING_MEASURES:
        return int(get_setting(f"oversight.influence_months.{measure}")), f"setting:oversight.influence_months.{measure}", Bar.PROMOTION
    raise KeyError(measure)


def influence_for(measure: str, decided_on: dt.date, probation_years: int | None = None, running=()) -> Influence:
    """The influence period a measure decided on `decided_on` carries, under the rules in force now.

    `running`: the cadre's other effective dispositions; one of the same family still running on
    `decided_on` makes the new period cumulate (module docstring)."""
    if measure in PERMANENT:
        return Influence(None, True, None, RULE_PERMANENT, Bar.ANY_POST)
    if measure in UNTIL_LIFTED:
        return Influence(None, True, None, RULE_UNTIL_LIFTED, Bar.ANY_POST)
    if measure in TWO_TIER:
        return Influence(
            TWO_TIER_NO_HIGHER_MONTHS,
            False,
            last_day(decided_on, TWO_TIER_NO_HIGHER_MONTHS),
            RULE_TWO_TIER,
            Bar.HIGHER_POST,
            no_leading_post_until=last_day(decided_on, TWO_TIER_NO_LEADING_MONTHS),
        )
    try:
        months, rule, bar = _months(measure, probation_years)
    except KeyError:
        # 提醒, 函询 and 通报 carry no influence period.
        return Influence(None, False, None, RULE_NONE)
    ends_on = last_day(decided_on, months)
    basis = {}
    family = PARTY_FAMILY if measure in PARTY_FAMILY else ADMINISTRATIVE_FAMILY if measure in ADMINISTRATIVE_FAMILY else set()
    earlier = [
        d
        for d in running
        if d.measure in family and not d.is_permanent and d.influence_ends_on is not None and d.decided_on <= decided_on <= d.influence_ends_on
    ]
    if earlier:
        previous = max(earlier, key=lambda d: (d.influence_ends_on, d.pk or 0))
        free_on = previous.influence_ends_on + dt.timedelta(days=1)
        ends_on = last_day(free_on, months)
        basis = {
            "previous": previous.pk,
            "previous_measure": str(previous.measure),
            "previous_decided_on": previous.decided_on.isoformat(),
            "rest_ends_on": previous.influence_ends_on.isoformat(),
            "uncapped_ends_on": ends_on.isoformat(),
            "capped": False,
        }
        if measure in ADMINISTRATIVE_FAMILY:
            cap = last_day(decided_on, ADMINISTRATIVE_CAP_MONTHS)
            if ends_on > cap:
                ends_on = cap
                basis["capped"] = True
    return Influence(months, False, ends_on, rule, bar, basis=basis)


RULE_TEXT = {
    RULE_PARTY: lambda: _("《中国共产党纪律处分条例》 art. 10"),
    RULE_PROBATION: lambda: _("《中国共产党纪律处分条例》 art. 10: the probation term plus two years after rights are restored"),
    RULE_PARTY_WARNING: lambda: _("《中国共产党纪律处分条例》(2023) art. 10"),
    RULE_PARTY_POST_REMOVAL: lambda: _("《中国共产党纪律处分条例》(2023) art. 11"),
    RULE_PARTY_PROBATION: lambda: _("《中国共产党纪律处分条例》(2023) art. 12: the probation term plus two years after rights are restored"),
    RULE_ADMINISTRATIVE: lambda: _("《公职人员政务处分法》 art. 8"),
    RULE_UNSUITABLE: lambda: _("《党政领导干部选拔任用工作条例》(2019) and its official Q&A"),
    RULE_ADMONISHMENT: lambda: _("local setting for 诫勉 (no national text found)"),
}

BAR_TEXT = {
    Bar.FURTHER_USE: lambda: _("While it runs: no promotion and no further use (提拔职务或者进一步使用)."),
    Bar.PROMOTION: lambda: _("While it runs: no promotion."),
    Bar.ANY_POST: lambda: _("While it runs: no appointment to any post."),
}


def _source(rule: str) -> str:
    if rule in RULE_TEXT:
        return RULE_TEXT[rule]()
    if rule.startswith("setting:"):
        return _("local setting %(key)s (《中国共产党组织处理规定（试行）》, unconfirmed)") % {"key": rule.split(":", 1)[1]}
    return rule


def _bar_text(disposition) -> str:
    bar = getattr(disposition, "bar", "")
    return BAR_TEXT[bar]() if bar in BAR_TEXT else ""


def explain(disposition) -> str:
    """How the influence period of a disposition was computed, with its arithmetic and what it
    bars, in the reader's language."""
    rule = disposition.influence_rule
    if rule == RULE_UNTIL_LIFTED:
        if disposition.lifted_on is None:
            return _(
                "Runs from the decision date %(start)s until it is lifted: no text found gives 停职检查 a period of its own; "
                "the final measure brings its own period. While it runs: no appointment to any post."
            ) % {"start": disposition.decided_on.isoformat()}
        return _("停职检查 from %(start)s, lifted on %(lifted)s: in effect %(start)s … %(end)s inclusive; the final measure brings its own period.") % {
            "start": disposition.decided_on.isoformat(),
            "lifted": disposition.lifted_on.isoformat(),
            "end": disposition.influence_ends_on.isoformat(),
        }
    if rule == RULE_NONE or (not disposition.is_permanent and disposition.influence_ends_on is None):
        return _("This measure carries no influence period.")
    if rule == RULE_PERMANENT or disposition.is_permanent:
        return _("No end date: expulsion.")
    values = {
        "months": disposition.influence_months,
        "start": disposition.decided_on.isoformat(),
        "end": disposition.influence_ends_on.isoformat(),
        "free": disposition.influence_free_on.isoformat(),
    }
    if rule == RULE_TWO_TIER:
        return _(
            "《党政领导干部选拔任用工作条例》(2019) and its official Q&A, two bars from the decision date %(start)s: "
            "no leading post at all until %(leading)s inclusive (12 months); no post higher than the former one until %(end)s "
            "inclusive (24 months); free from %(free)s. A lateral move is possible from %(lateral)s."
        ) % {
            **values,
            "leading": disposition.no_leading_post_until.isoformat(),
            "lateral": (disposition.no_leading_post_until + dt.timedelta(days=1)).isoformat(),
        }
    source = _source(rule)
    basis = getattr(disposition, "influence_basis", None) or {}
    if basis.get("previous"):
        text = _(
            "Cumulated (%(law)s): the unexpired rest of the earlier %(previous)s of %(previous_on)s, %(start)s … %(rest_end)s, "
            "plus %(months)d months of this measure (%(source)s) from %(rest_free)s: in effect %(start)s … %(uncapped)s inclusive."
        ) % {
            **values,
            "law": _("《中国共产党纪律处分条例》(2023) art. 21") if disposition.measure in PARTY_FAMILY else _("《行政机关公务员处分条例》 art. 10"),
            "previous": _measure_label(basis.get("previous_measure", "")),
            "previous_on": basis.get("previous_decided_on", ""),
            "rest_end": basis.get("rest_ends_on", ""),
            "rest_free": (dt.date.fromisoformat(basis["rest_ends_on"]) + dt.timedelta(days=1)).isoformat(),
            "uncapped": basis.get("uncapped_ends_on", ""),
            "source": source,
        }
        if basis.get("capped"):
            text += " " + _("At most 48 months in all (《行政机关公务员处分条例》 art. 10): in effect %(start)s … %(end)s inclusive.") % values
        text += " " + _("Free from %(free)s.") % values
    else:
        text = _("%(months)d months from the decision date %(start)s (%(source)s): in effect %(start)s … %(end)s inclusive; free from %(free)s") % {
            **values,
            "source": source,
        }
    bar = _bar_text(disposition)
    return f"{text} {bar}".strip() if bar else text


def _measure_label(code: str) -> str:
    try:
        return str(Measure(code).label)
    except ValueError:
        return code


# --- the selection gate ----------------------------------------------------------------------------

MOVE_LATERAL = "lateral"  # a post at the same level, not more important
MOVE_FURTHER_USE = "further_use"  # 进一步使用: a more important post at the same level (重用)
MOVE_PROMOTION = "promotion"  # a higher post (提拔)
MOVES = (MOVE_LATERAL, MOVE_FURTHER_USE, MOVE_PROMOTION)

BARRED_MOVES = {
    Bar.ANY_POST: set(MOVES),
    Bar.FURTHER_USE: {MOVE_FURTHER_USE, MOVE_PROMOTION},
    Bar.PROMOTION: {MOVE_PROMOTION},
    Bar.HIGHER_POST: {MOVE_PROMOTION},
}


def bars_move(disposition, move: str, on: dt.date) -> bool:
    """Whether this disposition, on `on`, bars `move` (lateral, further_use or promotion) into a
    leading post. Dispositions recorded before bars were stored bar promotion and further use."""
    if move not in MOVES:
        raise ValueError(move)
    if not disposition.is_running(on):
        return False
    if disposition.no_leading_post_until is not None and on <= disposition.no_leading_post_until:
        return True  # first tier: no leading post at all
    return move in BARRED_MOVES.get(disposition.bar or Bar.FURTHER_USE, set())
