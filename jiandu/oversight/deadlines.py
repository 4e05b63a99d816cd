"""Deadlines stored with a language-neutral code ("working_days:2026-09-28:10") so the page can
show how each was computed in the reader's language (core.calendar.Deadline.explain)."""

import datetime as dt

from jiandu.core.calendar import Deadline, add_working_days, days_deadline, months_deadline


def code_of(deadline: Deadline) -> str:
    return f"{deadline.unit}:{deadline.start.isoformat()}:{deadline.count}"


def from_code(code: str) -> Deadline | None:
    try:
        unit, start, count = code.split(":")
        start_on, n = dt.date.fromisoformat(start), int(count)
    except (ValueError, AttributeError):
        return None
    if unit == "working_days":
        return add_working_days(start_on, n)
    if unit == "months":
        return months_deadline(start_on, n)
    if unit == "days":
        return days_deadline(start_on, n)
    return None


def explain(code: str) -> str:
    deadline = from_code(code)
    return deadline.explain() if deadline else ""
