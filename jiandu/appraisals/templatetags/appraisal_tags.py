"""Template helpers of the appraisal pages: scores rounded like rates, grade badges."""

from fractions import Fraction

from django import template
from django.utils.html import format_html

from jiandu.core.practice import get_setting

from .. import scoring
from ..models import Grade

register = template.Library()

GRADE_TONES = {"excellent": "ok", "competent": "info", "basically_competent": "warn", "incompetent": "bad", "no_grade": "neutral"}


@register.filter
def score(value):
    """A score (Fraction, "n/d" text or Decimal) with the configured display rounding."""
    if value in (None, ""):
        return "—"
    if isinstance(value, str):
        value = Fraction(value)
    return scoring.show(Fraction(value), get_setting("rates.display_places"), get_setting("rates.rounding_mode"))


@register.simple_tag
def grade_badge(code, label=None):
    """A cadre grade as a badge (the label may be given for team scales)."""
    if not code:
        return "—"
    text = label or dict(Grade.choices).get(code, code)
    return format_html('<span class="badge badge-{}">{}</span>', GRADE_TONES.get(code, "neutral"), text)


@register.filter
def get(mapping, key):
    return (mapping or {}).get(key, "")
