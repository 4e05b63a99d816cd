"""Settings shown as people read them (issue #9 part 5): values by their names, the basis of the
default, and each setting's change history from the journal."""

from fractions import Fraction

from django.utils.translation import gettext as _

from .models import JournalEntry
from .rates import format_percent

SETTING_ACTIONS = ("core.setting.changed", "core.setting.reset")

# Per setting, a function naming the coded parts of a value (lists of "code|name|weight" lines…).
_formatters = {}


def register_formatter(key, formatter):
    """`formatter(value) -> str` shows the setting's value (and default) by names, not codes."""
    _formatters[key] = formatter


def display_value(definition, value) -> str:
    """The value as a person reads it: a choice by its name, a fraction with its percentage, a
    switch as on/off, a list joined."""
    if value is None or value == "" or value == []:
        return "—"
    if definition.key in _formatters:
        return _formatters[definition.key](value)
    if definition.kind == "choice":
        return str(dict(definition.choices).get(value, value))
    if definition.kind == "bool":
        return _("on") if value else _("off")
    if definition.kind == "list":
        names = dict(definition.choices)
        return "、".join(str(names.get(item, item)) for item in value)
    if definition.kind == "fraction":
        try:
            share = Fraction(str(value))
        except (ValueError, ZeroDivisionError):
            return str(value)
        return f"{share.numerator}/{share.denominator}（{format_percent(share.numerator, share.denominator, places=2, mode='half_up', with_counts=False, strip_zeros=True)}）"
    return str(value)


def basis(definition) -> str:
    """The basis of the default: the instrument and article, or local practice."""
    return str(definition.source) if definition.source else _("local practice")


def histories(keys, limit=5) -> dict[str, list[dict]]:
    """The latest changes of each setting (newest first): when, who, from and to (raw values; the
    page names them)."""
    result: dict[str, list[dict]] = {key: [] for key in keys}
    for entry in JournalEntry.objects.filter(action__in=SETTING_ACTIONS).order_by("-seq").only("at", "actor_username", "action", "data")[:500]:
        rows = result.get((entry.data or {}).get("key"))
        if rows is not None and len(rows) < limit:
            rows.append(entry)
    return result


def history_rows(definition, entries) -> list[dict]:
    return [
        {
            "at": entry.at,
            "who": entry.actor_username,
            "text": (
                _("reset to the default")
                if entry.action == "core.setting.reset"
                else _("%(old)s → %(new)s") % {"old": display_value(definition, entry.data.get("old")), "new": display_value(definition, entry.data.get("new"))}
            ),
        }
        for entry in entries
    ]
