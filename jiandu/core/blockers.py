"""What blocks the next step of an aggregate, explained.

One function per aggregate and step returns a list of `Blocker`s (empty: the step may be
taken). The page shows the same list beside the disabled button, the action refuses with it,
the API returns it. A blocker prints as its message, so templates write `{{ blocker }}`.

    def open_blockers(ballot) -> list[Blocker]:
        out = []
        if not ballot.subjects.exists():
            out.append(Blocker("no_subjects", _("The ballot has no subjects.")))
        return out

    blockers.refuse(open_blockers(ballot), code="not_ready")  # in the action
"""

from dataclasses import dataclass

from .errors import ActionError


@dataclass(frozen=True)
class Blocker:
    code: str  # stable, for the API and tests
    message: str  # translated, says what to do
    basis: str = ""  # translated: the rule it comes from, when there is one to cite

    def __str__(self) -> str:
        return str(self.message)

    def as_dict(self) -> dict:
        return {"code": self.code, "message": str(self.message), "basis": str(self.basis)}


def explain(blockers) -> str:
    """All messages in one sentence sequence (for an ActionError)."""
    return " ".join(str(b) for b in blockers)


def refuse(blockers, *, code: str = "blocked") -> None:
    """Raise an ActionError naming every blocker, if there is any."""
    if blockers:
        raise ActionError(explain(blockers), code=code)
