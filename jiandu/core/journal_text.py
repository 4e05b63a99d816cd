"""The journal as people read it (issue #9 part 4): a translated description for every action
code, a label and a formatter for data keys. Apps register their codes in a `journal_text.py`
imported by their `AppConfig.ready()`; unlabelled keys (internal ids, hashes, paths) are left out
of the tables and stay visible in full on the audit administrator's entry page."""

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

_descriptions: dict[str, object] = {}
_labels: dict[str, object] = {}
_formatters: dict[str, object] = {}

# The codes recorded under a computed name (f-strings, variables), listed explicitly so the
# completeness test (jiandu/core/tests/test_journal_text.py) checks them too.
REGISTRY_NOUNS = ("units", "cadres", "positions", "tenures")
OVERSIGHT_EXPORTS = (
    "dispositions",
    "talks",
    "duty-reports",
    "duty-sessions",
    "inquiries",
    "clues",
    "joint-meetings",
    "inspection-tours",
    "rectification-items",
    "yellow-cards",
)
COMPUTED_CODES = (
    *(f"registry.{noun}.exported" for noun in REGISTRY_NOUNS),
    *(f"registry.{noun}.imported" for noun in REGISTRY_NOUNS),
    *(f"registry.{noun}.import_refused" for noun in REGISTRY_NOUNS),
    *(f"oversight.{name}.exported" for name in OVERSIGHT_EXPORTS),
)


def describe(descriptions: dict) -> None:
    """Register `{code: gettext_lazy("verb phrase")}`: what the actor did ("issued a written inquiry")."""
    _descriptions.update(descriptions)


def label(labels: dict, formatter=None) -> None:
    """Register `{data key: gettext_lazy(label)}`, optionally with `formatter(value) -> str`."""
    _labels.update(labels)
    if formatter is not None:
        for key in labels:
            _formatters[key] = formatter


def descriptions() -> dict:
    return dict(_descriptions)


def description(code: str) -> str:
    text = _descriptions.get(code)
    return str(text) if text is not None else _("recorded an action")


# Values recorded as codes, by their names.
VALUE_NAMES = {
    "excellent": gettext_lazy("优秀"),
    "competent": gettext_lazy("称职"),
    "basically_competent": gettext_lazy("基本称职"),
    "incompetent": gettext_lazy("不称职"),
    "good": gettext_lazy("良好"),
    "fair": gettext_lazy("一般"),
    "poor": gettext_lazy("较差"),
}


def format_value(value) -> str:
    """Dates as dates, fractions as "3/20（15%）", yes/no, lists joined, mappings as "name 3"."""
    from .rates import format_percent

    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict):
        return "；".join(f"{format_value(k)} {format_value(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return "、".join(format_value(v) for v in value[:20]) + ("…" if len(value) > 20 else "")
    if isinstance(value, str):
        if value in VALUE_NAMES:
            return str(VALUE_NAMES[value])
        if len(value) >= 16 and value[4:5] == "-" and "T" in value:
            try:
                return dt.datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M")
            except ValueError:
                return value
        numerator, slash, denominator = value.partition("/")
        if slash and numerator.isdigit() and denominator.isdigit() and int(denominator) > 0:
            n, d = int(numerator), int(denominator)
            return f"{n}/{d}（{format_percent(n, d, places=2, mode='half_up', with_counts=False, strip_zeros=True)}）"
    return str(value)


def details(entry) -> list[tuple[str, str]]:
    """(label, formatted value) of the entry's labelled data keys."""
    rows = []
    for key, value in (entry.data or {}).items():
        if key in _labels:
            rows.append((str(_labels[key]), _formatters.get(key, format_value)(value)))
    return rows


def name_actors(entries):
    """Set `actor_name` on each entry: the person's name (one query), else the recorded user name."""
    from django.contrib.auth import get_user_model

    ids = {entry.actor_id for entry in entries if entry.actor_id}
    names = dict(get_user_model().objects.filter(pk__in=ids).values_list("pk", "full_name")) if ids else {}
    for entry in entries:
        entry.actor_name = names.get(entry.actor_id) or entry.actor_username
    return entries
