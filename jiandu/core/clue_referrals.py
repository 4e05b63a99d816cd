"""Handing a finding to 日常监督's clue registry (问题线索移送) from a pillar that does not import
daily supervision (layering.toml): a typed hook, declared here, filled by oversight in its
AppConfig.ready() (`oversight/referrals.py`).

    units = clue_referrals.receiving_units()             # [(unit_id, name)]: active joint-meeting members
    sending = clue_referrals.sending_department(user)    # the user's clue department, or None
    clue = clue_referrals.refer(actor=…, cadre=…, from_unit=…, to_unit=…, summary=…, source="audit")
    clue.id, clue.number, clue.to_unit_name

`refer` runs in the caller's transaction and raises the registry's own ActionError or
NotVisible when it refuses (e.g. the receiving unit is not a member department)."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ReferredClue:
    id: int
    number: str
    to_unit_name: str


@dataclass(frozen=True)
class ClueRegistry:
    refer: Callable[..., ReferredClue]
    receiving_units: Callable[[], list[tuple[int, str]]]
    sending_department: Callable[[object], object]


_registry: ClueRegistry | None = None


def register_clue_registry(registry: ClueRegistry) -> None:
    global _registry
    _registry = registry


def _current() -> ClueRegistry:
    if _registry is None:
        raise RuntimeError("no clue registry is registered (jiandu.oversight is not installed)")
    return _registry


def refer(*, actor, cadre, from_unit, to_unit, summary: str, source: str) -> ReferredClue:
    """Register a clue about `cadre` in `from_unit` and transfer it to `to_unit` at once."""
    return _current().refer(actor=actor, cadre=cadre, from_unit=from_unit, to_unit=to_unit, summary=summary, source=source)


def receiving_units() -> list[tuple[int, str]]:
    """The departments a clue may be transferred to (id, name)."""
    return _current().receiving_units()


def sending_department(user):
    """The department `user` sends clues from (their narrowest clue-officer assignment, a
    registry Unit), or None when they are no department's clue officer."""
    return _current().sending_department(user)
