"""Template filters for ballot results: exact fractions shown with the configured rounding."""

from django import template

from jiandu.ballots.results import format_score, format_share

register = template.Library()


@register.filter
def share(value, display=None):
    """A Fraction as a percentage ("98.49%"), rounded per `display` (a ballot's or section's
    rates.Display) or the rates.* settings; "—" for None."""
    return format_share(value, display)


@register.filter
def score(value, display=None):
    return format_score(value, display)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def plain(value):
    """A Decimal without trailing zeros or exponent: 0.3000 → 0.3, 100.000 → 100."""
    if value is None:
        return ""
    return format(value.normalize(), "f")
