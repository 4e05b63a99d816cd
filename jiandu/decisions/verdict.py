"""The verdict of a collective decision (三重一大, DOMAIN.md §3) — written once, used as it is by
the meetings of this app and by selection's 讨论决定.

Pure arithmetic: no models, no database. Give it counts and statements; it answers with a
`Verdict` that says whether the item was validly discussed (quorum) and whether it passed, and
explains the arithmetic in translated text. Everything is compared as exact fractions
(`jiandu.core.rates`), never floats.

Rules (DOMAIN.md §3; 党政领导干部选拔任用工作条例 第四十三条, 民主集中制 rules of party committees):

- Quorum by category. General matters (重大决策, 重大项目安排, 大额度资金使用, other) need MORE
  THAN HALF of all members present (9 members: 5 present is valid, 4 is void). Important
  appointments and removals (重要干部任免) need AT LEAST TWO THIRDS present — "以上" includes
  the bound (9 members: 6 present is exactly 2/3 and valid, 5 is void). Below quorum the item
  is void, whatever the votes.
- Majority of ALL members. An item passes when the yes statements (同意) exceed half of all
  members who should attend, not of those present (9 members: 5 yes passes, 4 fails, however
  many came).
- Statements in speaking order, one per present member at most, each 同意 / 不同意 / 缓议; the
  principal (主要负责人, who chairs) states last. A principal who spoke before someone else is
  refused (`VerdictError`), not silently reordered.
- Written opinions of absent members are recorded in the verdict and never counted as votes.
- Reconsidering a decision (复议) needs the agreement of more than half of all members
  (`reconsideration`).
"""

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from django.utils.translation import gettext as _

from jiandu.core.errors import ActionError
from jiandu.core.rates import reaches

GENERAL = "general"
APPOINTMENT = "appointment"

AGREE = "agree"
DISAGREE = "disagree"
DEFER = "defer"
STANCES = (AGREE, DISAGREE, DEFER)

VALID = "valid"
VOID = "void"
PASSED = "passed"
FAILED = "failed"

# The quorum per category, as (threshold, inclusive).
QUORUM = {
    GENERAL: (Fraction(1, 2), False),
    APPOINTMENT: (Fraction(2, 3), True),
}
MAJORITY = Fraction(1, 2)


class VerdictError(ActionError):
    """The facts given cannot make a verdict (a principal not last, more statements than members
    present …); the message is translated and names the problem."""


@dataclass(frozen=True)
class Statement:
    """One member's statement on an item, in speaking order."""

    member: Hashable
    stance: str
    reason: str = ""


@dataclass(frozen=True)
class WrittenOpinion:
    """The written opinion of an absent member: recorded, never counted."""

    member: Hashable
    stance: str
    reason: str = ""


@dataclass(frozen=True)
class Verdict:
    total: int
    present: int
    category: str
    quorum_needed: int  # the fewest members present that make the item valid
    majority_needed: int  # the fewest yes statements that pass it
    agree: int
    disagree: int
    defer: int
    written_opinions: tuple = ()
    explanation: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.present >= self.quorum_needed

    @property
    def passed(self) -> bool:
        return self.valid and self.agree >= self.majority_needed

    @property
    def outcome(self) -> str:
        """VOID, PASSED or FAILED."""
        if not self.valid:
            return VOID
        return PASSED if self.passed else FAILED

    @property
    def validity(self) -> str:
        return VALID if self.valid else VOID


def smallest_reaching(total: int, threshold: Fraction, inclusive: bool) -> int:
    """The smallest count n in 0..total with n/total reaching the threshold (total + 1 if none)."""
    for n in range(total + 1):
        if reaches(Fraction(n, total), threshold, inclusive=inclusive):
            return n
    return total + 1


def quorum_needed(total: int, category: str) -> int:
    threshold, inclusive = QUORUM[category]
    return smallest_reaching(total, threshold, inclusive)


def majority_needed(total: int) -> int:
    """More than half of all members."""
    return smallest_reaching(total, MAJORITY, inclusive=False)


def _check_counts(total: int, present: int) -> None:
    if not isinstance(total, int) or total < 1:
        raise VerdictError(_("A body must have at least one member."), field="total")
    if not isinstance(present, int) or present < 0:
        raise VerdictError(_("The number of members present cannot be negative."), field="present")
    if present > total:
        raise VerdictError(
            _("%(present)s members present is more than the %(total)s members of the body.") % {"present": present, "total": total},
            field="present",
        )


def compute(
    *,
    total: int,
    present: int,
    category: str,
    statements: Sequence[Statement],
    principal: Hashable | None = None,
    written_opinions: Sequence[WrittenOpinion] = (),
) -> Verdict:
    """The verdict of one agenda item.

    `total` is the number of members who should attend (all members of the body), `present` the
    number at the meeting, `category` GENERAL or APPOINTMENT, `statements` in speaking order.
    `principal` is the member who must speak last; None when the principal is absent (someone
    else chairs and no order is imposed). Raises VerdictError for facts that cannot be right.
    """
    _check_counts(total, present)
    if category not in QUORUM:
        raise VerdictError(_("Unknown category of matter."), field="category")
    seen = set()
    for statement in statements:
        if statement.stance not in STANCES:
            raise VerdictError(_("A statement must be agree, disagree or defer."), field="statements")
        if statement.member in seen:
            raise VerdictError(_("A member can state only once on an item."), field="statements")
        seen.add(statement.member)
    if len(statements) > present:
        raise VerdictError(
            _("%(count)s statements but only %(present)s members present.") % {"count": len(statements), "present": present},
            field="statements",
        )
    if principal is not None and principal in seen and statements[-1].member != principal:
        raise VerdictError(_("The principal must state last, after every other member."), field="statements")
    written = tuple(written_opinions)
    for opinion in written:
        if opinion.member in seen:
            raise VerdictError(_("A member who stated at the meeting cannot also give a written opinion as absent."), field="written_opinions")
        if opinion.stance not in STANCES:
            raise VerdictError(_("A statement must be agree, disagree or defer."), field="written_opinions")
    if len(written) > total - present:
        raise VerdictError(_("More written opinions than absent members."), field="written_opinions")

    counts = {stance: sum(1 for s in statements if s.stance == stance) for stance in STANCES}
    verdict = Verdict(
        total=total,
        present=present,
        category=category,
        quorum_needed=quorum_needed(total, category),
        majority_needed=majority_needed(total),
        agree=counts[AGREE],
        disagree=counts[DISAGREE],
        defer=counts[DEFER],
        written_opinions=written,
    )
    verdict.explanation.extend(explain(verdict))
    return verdict


def explain(verdict: Verdict) -> list[str]:
    """The arithmetic, one translated sentence per step."""
    lines = []
    numbers = {"total": verdict.total, "present": verdict.present, "needed": verdict.quorum_needed}
    if verdict.category == APPOINTMENT:
        rule = _("%(total)s members, %(present)s present; an appointment needs at least two thirds present (inclusive), that is %(needed)s.")
    else:
        rule = _("%(total)s members, %(present)s present; a general matter needs more than half present, that is %(needed)s.")
    lines.append(rule % numbers)
    if not verdict.valid:
        lines.append(_("Quorum not reached: the item is void, whatever the votes."))
        return lines
    lines.append(_("Quorum reached: the item is valid."))
    lines.append(
        _("Agree %(agree)s, disagree %(disagree)s, defer %(defer)s; passing needs more than half of all %(total)s members, that is %(needed)s agreeing.")
        % {"agree": verdict.agree, "disagree": verdict.disagree, "defer": verdict.defer, "total": verdict.total, "needed": verdict.majority_needed}
    )
    if verdict.written_opinions:
        lines.append(_("%(count)s written opinions of absent members are recorded and not counted as votes.") % {"count": len(verdict.written_opinions)})
    lines.append(_("Passed.") if verdict.passed else _("Not passed."))
    return lines


@dataclass(frozen=True)
class Reconsideration:
    total: int
    agreeing: int
    needed: int
    explanation: str

    @property
    def allowed(self) -> bool:
        return self.agreeing >= self.needed


def reconsideration(*, total: int, agreeing: int) -> Reconsideration:
    """Whether a decision may be reconsidered (复议): more than half of all members agree."""
    _check_counts(total, agreeing)
    needed = majority_needed(total)
    allowed = agreeing >= needed
    text = (
        _("Reconsideration needs more than half of all %(total)s members, that is %(needed)s; %(agreeing)s agreed: allowed.")
        if allowed
        else _("Reconsideration needs more than half of all %(total)s members, that is %(needed)s; %(agreeing)s agreed: refused.")
    ) % {"total": total, "needed": needed, "agreeing": agreeing}
    return Reconsideration(total=total, agreeing=agreeing, needed=needed, explanation=text)
