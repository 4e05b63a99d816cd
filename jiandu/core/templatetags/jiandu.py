"""Template helpers shared by every app: dates, money, rates, masking, status badges."""

import datetime as dt
from decimal import Decimal

from django import template
from django.utils.html import format_html

from jiandu.core.masking import mask_birth_date, mask_id_number
from jiandu.core.masking import mask_phone as _mask_phone
from jiandu.core.rates import format_percent

register = template.Library()


@register.filter
def ymd(value):
    """2026-11-26 in tables (UX.md)."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.strftime("%Y-%m-%d %H:%M")
    return value.strftime("%Y-%m-%d")


@register.filter
def cn_date(value):
    """2026年11月26日 on official forms."""
    if not value:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


@register.filter
def yuan(value):
    """¥1,250,000.00"""
    if value is None or value == "":
        return ""
    return f"¥{Decimal(value):,.2f}"


@register.simple_tag
def percent(numerator, denominator):
    """98.49%（131/133） with the configured rounding."""
    return format_percent(int(numerator or 0), int(denominator or 0))


@register.simple_tag
def badge(text, tone="neutral"):
    return format_html('<span class="badge badge-{}">{}</span>', tone, text)


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs):
    """The current query string with some parameters replaced (pagination, sorting)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode() if params else "?"


@register.filter
def mask_id(value):
    return mask_id_number(value)


@register.filter
def birth_year(value):
    """The year of birth only, for viewers who may not see the birth date (docs/decisions/0007)."""
    return mask_birth_date(value)


@register.filter
def mask_phone(value):
    return _mask_phone(value)
