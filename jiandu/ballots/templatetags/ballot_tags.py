"""Template filters for ballot results: exact fractions shown with the configured rounding."""

from django import template

from jiandu.ballots.results import format_score, format_share

register = template.Library()


@register.filter
def share(value):
    """A Fraction as a percentage ("98.49%"), rounded per the rates.* settings; "—" for None."""
    return format_share(value)


@register.filter
def score(value):
    return format_score(value)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def plain(value):
    """A Decimal without trailing zeros or exponent: 0.3000 → 0.3, 100.000 → 100."""
    if value is None:
        return ""
    return format(value.normalize(), "f")
