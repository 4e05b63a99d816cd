"""三重一大 violations (DOMAIN.md §3), computed from the registers and the meetings, never stored:

- a register entry that needs a collective decision — its amount is at or above the unit's
  threshold (“以上” is inclusive: exactly the threshold needs one), or its kind is on the unit's
  list — without a valid linked decision (none, not passed, or void);
- an entry executed before the date of the meeting that approved it (the same day is in time);
- an agenda item decided by a meeting without quorum (void).

The unit's rule is its own `UnitRule`, else the nearest unit above it with one, else the district
settings. Only `handed` (a `ViolationClue`) is stored: each violation goes to 日常监督 once."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from jiandu.core.practice import get_setting
from jiandu.registry.models import PATH_STEP

from . import verdict as rules
from .models import AgendaItem, MatterKind, RegisterEntry, UnitRule, ViolationClue

Kind = ViolationClue.Kind


@dataclass(frozen=True)
class Rule:
    threshold: Decimal
    kinds: frozenset
    unit_name: str = ""  # the unit whose own rule applies ("" = the district settings)

    def needs_decision(self, kind: str, amount: Decimal) -> bool:
        return kind in self.kinds or amount >= self.threshold

    def explain(self) -> str:
        kinds = "、".join(str(label) for value, label in MatterKind.choices if value in self.kinds) or _("none")
        where = _("rule of %(unit)s") % {"unit": self.unit_name} if self.unit_name else _("district settings")
        return _("needs a collective decision from ¥%(threshold)s (inclusive), or always for: %(kinds)s (%(where)s)") % {
            "threshold": f"{self.threshold:,.2f}",
            "kinds": kinds,
            "where": where,
        }


def _prefixes(path: str) -> list[str]:
    step = PATH_STEP + 1
    return [path[:k] for k in range(step, len(path) + 1, step)]


def district_rule() -> Rule:
    kinds = frozenset(str(k) for k in (get_setting("decisions.matter_kinds") or []))
    return Rule(Decimal(int(get_setting("decisions.threshold_yuan"))), kinds)


def rule_for(unit, *, _cache=None) -> Rule:
    """The rule that applies to `unit`: its own, else the nearest above it, else the district's."""
    rows = {r.unit.path: r for r in UnitRule.objects.filter(unit__path__in=_prefixes(unit.path)).select_related("unit")}
    for prefix in reversed(_prefixes(unit.path)):
        row = rows.get(prefix)
        if row is not None:
            return Rule(row.threshold, frozenset(row.matter_kinds or []), row.unit.name)
    return district_rule()


@dataclass
class Violation:
    kind: str
    label: str
    explanation: str
    unit: object
    entry: RegisterEntry | None = None
    item: AgendaItem | None = None
    handed: ViolationClue | None = None
    extra: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.kind}:{'e' if self.entry else 'i'}:{(self.entry or self.item).pk}"


def entry_violations(entry: RegisterEntry, rule: Rule) -> list[Violation]:
    found = []
    decision = entry.decision
    if rule.needs_decision(entry.kind, entry.amount):
        problem = None
        if decision is None:
            problem = _("no collective decision is linked")
        elif decision.outcome == rules.VOID:
            problem = _("the linked decision is void (the meeting lacked a quorum)")
        elif decision.outcome != rules.PASSED:
            problem = _("the linked decision did not pass")
        if problem:
            found.append(
                Violation(
                    Kind.NO_DECISION,
                    str(Kind.NO_DECISION.label),
                    _("¥%(amount)s, %(kind)s: %(rule)s; %(problem)s.")
                    % {"amount": f"{entry.amount:,.2f}", "kind": entry.get_kind_display(), "rule": rule.explain(), "problem": problem},
                    entry.unit,
                    entry=entry,
                )
            )
    if decision is not None and decision.outcome == rules.PASSED and entry.executed_on < decision.meeting.held_on:
        found.append(
            Violation(
                Kind.EXECUTED_EARLY,
                str(Kind.EXECUTED_EARLY.label),
                _("Executed on %(executed)s, before the meeting of %(held)s that approved it.")
                % {"executed": entry.executed_on.isoformat(), "held": decision.meeting.held_on.isoformat()},
                entry.unit,
                entry=entry,
            )
        )
    return found


def item_violation(item: AgendaItem) -> Violation | None:
    if item.outcome != rules.VOID:
        return None
    return Violation(
        Kind.VOID_MEETING,
        str(Kind.VOID_MEETING.label),
        _("“%(title)s” at %(meeting)s on %(held)s: the meeting lacked the quorum for this item, so the decision is void.")
        % {"title": item.title, "meeting": item.meeting.title, "held": item.meeting.held_on.isoformat()},
        item.meeting.body.unit,
        item=item,
    )


def find(entries, items) -> list[Violation]:
    """Every violation among the given register entries and agenda items, with its hand-over."""
    result = []
    rules_by_unit = {}
    for entry in entries:
        if entry.unit_id not in rules_by_unit:
            rules_by_unit[entry.unit_id] = rule_for(entry.unit)
        result.extend(entry_violations(entry, rules_by_unit[entry.unit_id]))
    for item in items:
        violation = item_violation(item)
        if violation:
            result.append(violation)
    handed = {}
    for clue in ViolationClue.objects.filter(entry__in=[v.entry for v in result if v.entry]) | ViolationClue.objects.filter(
        item__in=[v.item for v in result if v.item]
    ):
        handed[f"{clue.kind}:{'e' if clue.entry_id else 'i'}:{clue.entry_id or clue.item_id}"] = clue
    for violation in result:
        violation.handed = handed.get(violation.key)
    return result
