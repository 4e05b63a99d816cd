"""Early-warning rules (预警) as data: each owning app registers a rule with a name, a
description, a severity, the local-practice settings it reads and a query that returns what
matches today. The dossier's nightly scan (jiandu/dossier/alerts.py) raises an alert once per
match, updates it while the cause lasts and closes it when the match is gone; people acknowledge
alerts with a note.

    register_rule("oversight.inquiry_reply_overdue", _("…"), WARNING, query, settings=("…",))
    query(today) -> [Match(key, cadre_id, unit_id, text)]   # key: stable per cause, e.g. "inquiry:12"
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

INFO = "info"
WARNING = "warning"
SERIOUS = "serious"
SEVERITIES = (INFO, WARNING, SERIOUS)


@dataclass(frozen=True)
class Match:
    key: str
    cadre_id: int | None
    unit_id: int | None
    text: str


@dataclass(frozen=True)
class Rule:
    name: str
    description: str
    severity: str
    query: Callable[[dt.date], Iterable[Match]]
    settings: tuple[str, ...] = ()


_rules: dict[str, Rule] = {}


def register_rule(name: str, description, severity: str, query, *, settings: tuple[str, ...] = ()) -> Rule:
    if severity not in SEVERITIES:
        raise ValueError(f"unknown severity {severity!r}")
    rule = Rule(name, description, severity, query, tuple(settings))
    _rules[name] = rule
    return rule


def rules() -> list[Rule]:
    return [_rules[name] for name in sorted(_rules)]


def get_rule(name: str) -> Rule | None:
    return _rules.get(name)
