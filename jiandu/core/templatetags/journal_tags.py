"""Journal entries as people read them in templates: `{{ e|journal_description }}` and
`{% for label, value in e|journal_details %}` (jiandu.core.journal_text)."""

from django import template

from jiandu.core import journal_text

register = template.Library()


@register.filter
def journal_description(entry) -> str:
    return journal_text.description(entry.action)


@register.filter
def journal_details(entry) -> list[tuple[str, str]]:
    return journal_text.details(entry)
