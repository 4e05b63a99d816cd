"""Template filters of the oversight pages."""

import datetime as dt

from django import template

register = template.Library()


@register.filter
def ymd_or(value):
    """Dates as 2026-11-26; anything else as it is; None as empty."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    return value
