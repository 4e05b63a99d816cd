"""Working-day calendar (DOMAIN.md §8): official holidays and adjusted working days (调休).

Built on the `chinese_calendar` library (State Council notices). For years it does not cover yet
the calendar falls back to Monday–Friday and says so in the explanation.
"""

import datetime as dt
from dataclasses import dataclass, field

import chinese_calendar
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The names chinese_calendar gives (English), as the interface says them.
HOLIDAY_NAMES = {
    "New Year's Day": gettext_lazy("New Year's Day"),
    "Spring Festival": gettext_lazy("Spring Festival"),
    "Tomb-sweeping Day": gettext_lazy("Tomb-sweeping Day"),
    "Labour Day": gettext_lazy("Labour Day"),
    "Dragon Boat Festival": gettext_lazy("Dragon Boat Festival"),
    "National Day": gettext_lazy("National Day"),
    "Mid-autumn Festival": gettext_lazy("Mid-autumn Festival"),
    "National Day, Mid-autumn Festival": gettext_lazy("National Day and Mid-autumn Festival"),
    "Anti-Fascist 70th Day": gettext_lazy("70th anniversary of the victory over fascism"),
}


def holiday_name(name: str) -> str:
    """A holiday's name in the interface language; an unknown one (a future library release)
    is left out rather than shown in English inside Chinese text."""
    translated = HOLIDAY_NAMES.get(name)
    return str(translated) if translated is not None else ""


def _official(day: dt.date) -> tuple[bool, bool, str]:
    """(is_workday, is_covered, holiday name)."""
    try:
        is_holiday, name = chinese_calendar.get_holiday_detail(day)
        return (not is_holiday), True, name or ""
    except NotImplementedError:
        return day.weekday() < 5, False, ""


def is_working_day(day: dt.date) -> bool:
    return _official(day)[0]


@dataclass
class Deadline:
    """A due date that remembers its rule and how it was computed."""

    start: dt.date
    count: int
    unit: str  # "working_days" | "days" | "months"
    due: dt.date
    skipped_holidays: list[dt.date] = field(default_factory=list)
    skipped_weekends: int = 0
    adjusted_workdays: list[dt.date] = field(default_factory=list)
    uncovered_years: list[int] = field(default_factory=list)
    rule: str = ""

    def explain(self) -> str:
        if self.unit == "working_days":
            parts = [_("%(count)d working days from %(start)s") % {"count": self.count, "start": self.start.isoformat()}]
            for start, end, name in _ranges(self.skipped_holidays):
                label = f"{start.strftime('%m-%d')}…{end.strftime('%m-%d')}" if start != end else start.strftime("%m-%d")
                named = holiday_name(name)
                if named:
                    parts.append(_("skips the holiday %(range)s (%(name)s)") % {"range": label, "name": named})
                else:
                    parts.append(_("skips the holiday %(range)s") % {"range": label})
            for day in self.adjusted_workdays:
                parts.append(_("counts the adjusted working day %(day)s") % {"day": day.strftime("%m-%d")})
            if self.skipped_weekends:
                parts.append(_("skips %(n)d weekend days") % {"n": self.skipped_weekends})
            if self.uncovered_years:
                years = ", ".join(str(y) for y in self.uncovered_years)
                parts.append(_("official holidays for %(years)s are not published yet: weekends only") % {"years": years})
            text = parts[0] + _(": ") + _("; ").join(parts[1:]) if len(parts) > 1 else parts[0]
            return text + " → " + _("due %(due)s") % {"due": self.due.isoformat()}
        if self.unit == "months":
            return _("%(count)d months from %(start)s → due %(due)s") % {"count": self.count, "start": self.start.isoformat(), "due": self.due.isoformat()}
        return _("%(count)d days from %(start)s → due %(due)s") % {"count": self.count, "start": self.start.isoformat(), "due": self.due.isoformat()}

    def working_days_left(self, today: dt.date) -> int:
        """Working days from today (exclusive) to due (inclusive); negative when overdue."""
        return working_days_between(today, self.due)

    def is_overdue(self, today: dt.date) -> bool:
        return today > self.due

    def as_dict(self) -> dict:
        return {"start": self.start.isoformat(), "count": self.count, "unit": self.unit, "due": self.due.isoformat(), "explanation": self.explain()}


def _ranges(days: list[dt.date]):
    out = []
    for day in sorted(days):
        name = _official(day)[2]
        if out and (day - out[-1][1]).days == 1 and out[-1][2] == name:
            out[-1][1] = day
        else:
            out.append([day, day, name])
    return [(a, b, n) for a, b, n in out]


def add_working_days(start: dt.date, count: int, rule: str = "") -> Deadline:
    """The date `count` working days after `start` (start itself not counted)."""
    if count < 0:
        raise ValueError("count must not be negative")
    day = start
    remaining = count
    holidays, adjusted, uncovered = [], [], set()
    weekends = 0
    while remaining > 0:
        day += dt.timedelta(days=1)
        workday, covered, name = _official(day)
        if not covered:
            uncovered.add(day.year)
        if workday:
            remaining -= 1
            if day.weekday() >= 5:
                adjusted.append(day)
        elif name:
            holidays.append(day)
        else:
            weekends += 1
    return Deadline(start, count, "working_days", day, holidays, weekends, adjusted, sorted(uncovered), rule)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]; negative (counting (end, start]) when end is before start."""
    if end == start:
        return 0
    sign = 1 if end > start else -1
    a, b = (start, end) if sign > 0 else (end, start)
    n = 0
    day = a
    while day < b:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            n += 1
    return sign * n


def add_months(start: dt.date, months: int) -> dt.date:
    """Calendar months; the 31st becomes the last day of a shorter month."""
    month = start.month - 1 + months
    year = start.year + month // 12
    month = month % 12 + 1
    import calendar as _cal

    day = min(start.day, _cal.monthrange(year, month)[1])
    return dt.date(year, month, day)


def months_deadline(start: dt.date, months: int, rule: str = "") -> Deadline:
    return Deadline(start, months, "months", add_months(start, months), rule=rule)


def days_deadline(start: dt.date, days: int, rule: str = "") -> Deadline:
    return Deadline(start, days, "days", start + dt.timedelta(days=days), rule=rule)
