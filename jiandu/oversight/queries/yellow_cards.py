"""Yellow cards (亮黄牌) from the annual appraisal, their admonishments and follow-up."""

from dataclasses import dataclass
from fractions import Fraction

from django.db import models
from django.db.models import Case, Q, QuerySet, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.appraisals import queries as appraisal_queries
from jiandu.core import rates

from ..models import (
    Disposition,
)
from .base import _get

# --- yellow cards (亮黄牌 → 诫勉) ----------------------------------------------------------------
# The proposals are appraisal rows, read through appraisals.queries and scoped on the appraisal's
# organising unit; the admonishment they lead to is an oversight disposition whose source is the
# proposal.

YELLOW_CARD_SOURCE = "appraisals.admonishmentproposal"


class YellowCardState(models.TextChoices):
    PENDING = "pending", gettext_lazy("awaiting a decision")
    CONFIRMED = "confirmed", gettext_lazy("confirmed, admonishment not yet issued")
    TAKEN_UP = "taken_up", gettext_lazy("admonishment issued")
    DISMISSED = "dismissed", gettext_lazy("dismissed")


OPEN_YELLOW_CARD_STATES = (YellowCardState.PENDING, YellowCardState.CONFIRMED)


def yellow_card_state(proposal) -> str:
    """The proposal's state as daily supervision sees it (the annotation below, for one row)."""
    if proposal.status == proposal.Status.DISMISSED:
        return YellowCardState.DISMISSED
    if proposal.reference:
        return YellowCardState.TAKEN_UP
    if proposal.status == proposal.Status.CONFIRMED:
        return YellowCardState.CONFIRMED
    return YellowCardState.PENDING


def yellow_cards_visible_to(user, perm: str = "oversight.view") -> QuerySet:
    """Admonishment proposals of the appraisals in the user's scope, annotated with `state`
    (YellowCardState): undecided ones first, oldest first."""
    qs = appraisal_queries.proposals_visible_to(user, perm).select_related("cadre__unit", "cycle__unit")
    status = qs.model.Status
    state = Case(
        When(status=status.DISMISSED, then=Value(YellowCardState.DISMISSED.value)),
        When(~Q(reference=""), then=Value(YellowCardState.TAKEN_UP.value)),
        When(status=status.CONFIRMED, then=Value(YellowCardState.CONFIRMED.value)),
        default=Value(YellowCardState.PENDING.value),
        output_field=models.CharField(),
    )
    open_first = Case(When(status=status.PENDING, then=Value(0)), When(status=status.CONFIRMED, reference="", then=Value(0)), default=Value(1))
    return qs.annotate(state=state, open_first=open_first).order_by("open_first", "created_at", "id")


def get_yellow_card_for(user, pk, perm: str = "oversight.view"):
    return _get(yellow_cards_visible_to(user, perm), pk)


def open_yellow_cards(user) -> QuerySet:
    return yellow_cards_visible_to(user).filter(state__in=OPEN_YELLOW_CARD_STATES)


def admonishment_reference(disposition: Disposition) -> str:
    """The reference a proposal records when it is taken up (see appraisals.take_up_proposal)."""
    return f"oversight.admonishment:{disposition.pk}"


def admonishment_of(proposal) -> Disposition | None:
    """The admonishment issued for a proposal: the newest disposition with it as source (a
    correction carries the source on)."""
    return Disposition.objects.filter(source_type=YELLOW_CARD_SOURCE, source_id=str(proposal.pk)).order_by("-id").first()


def proposal_figures(proposal) -> dict:
    """What triggered a yellow card, kept with the disposition (counts, never percentages)."""
    return {
        "proposal": proposal.pk,
        "cycle": proposal.cycle.title,
        "cycle_id": proposal.cycle_id,
        "year": proposal.cycle.year,
        "assessed_cadre": proposal.assessed_cadre_id,
        "question": proposal.question_code,
        "options": list(proposal.option_codes or []),
        "count": proposal.numerator,
        "valid": proposal.denominator,
        "threshold": proposal.threshold,
        "inclusive": bool(proposal.inclusive),
        "text": proposal.figures,
        "basis": getattr(proposal, "basis", "ballot"),
    }


def yellow_card_grounds(proposal) -> str:
    """The grounds proposed for the admonishment, in the user's language."""
    figures = proposal_figures(proposal)
    values = {"cycle": figures["cycle"], "figures": figures["text"], "threshold": figures["threshold"]}
    if figures["basis"] == "grades":
        # A local rule (appraisals.consecutive_basic_admonishment), not the ballot's share.
        return _("%(cycle)s: %(figures)s — 基本称职 in two consecutive annual assessments (local rule).") % values
    if figures["inclusive"]:
        return _("%(cycle)s, democratic evaluation: %(figures)s of the valid votes, at or above the yellow-card threshold of %(threshold)s.") % values
    return _("%(cycle)s, democratic evaluation: %(figures)s of the valid votes, above the yellow-card threshold of %(threshold)s.") % values


@dataclass
class FollowUpRow:
    """One appraisal of the cadre beside the figures that triggered the yellow card."""

    year: int
    title: str
    is_trigger: bool
    is_closed: bool
    count: int | None
    valid: int | None
    grade: str
    score: object

    @property
    def share(self) -> Fraction | None:
        return None if self.count is None or not self.valid else Fraction(self.count, self.valid)

    def share_text(self) -> str:
        return "—" if self.count is None or self.valid is None else rates.format_percent(self.count, self.valid)


@dataclass
class FollowUp:
    trigger: FollowUpRow
    later: list[FollowUpRow]
    threshold: str
    inclusive: bool
    labels: str

    def reaches(self, row: FollowUpRow) -> bool:
        return rates.reaches(row.share, self.threshold, inclusive=self.inclusive)

    def change(self, row: FollowUpRow) -> str:
        """ "lower" / "higher" / "same" share of dissatisfaction than at the yellow card, or ""."""
        if row.share is None or self.trigger.share is None:
            return ""
        return "lower" if row.share < self.trigger.share else "higher" if row.share > self.trigger.share else "same"

    def rows(self):
        return [(row, self.change(row), self.reaches(row)) for row in self.later]


def yellow_card_follow_up(cadre, figures: dict) -> FollowUp | None:
    """The figures that triggered a yellow card beside the cadre's figures from every later
    appraisal ("at the next evaluation the cadre's figures are shown beside the old ones"):
    the same dissatisfaction options on the overall question, the grade and the score. The
    caller has checked that the user may read the yellow card."""
    if figures.get("basis") == "grades":
        return None  # raised by two years' grades, not by a share of votes
    try:  # figures kept by confirm_yellow_card; anything else (a yellow card by hand) has no follow-up
        count, valid = int(figures["count"]), int(figures["valid"])
        trigger_year, trigger_cycle = int(figures.get("year") or 0), int(figures.get("cycle_id") or 0)
        options = [str(code) for code in figures.get("options") or []]
    except (KeyError, TypeError, ValueError):
        return None
    comparable = figures.get("question") == "overall"
    trigger = FollowUpRow(trigger_year, str(figures.get("cycle", "")), True, True, count, valid, "", None)
    later = []
    for row in appraisal_queries.cadre_appraisals(cadre):
        if row.pk == figures.get("assessed_cadre"):
            trigger.grade = row.get_grade_display() if row.grade else ""
            trigger.score = row.score
            continue
        if (row.cycle.year, row.cycle_id) <= (trigger_year, trigger_cycle):
            continue
        closed = row.valid_votes is not None
        count = sum(int((row.votes or {}).get(code, 0)) for code in options) if closed and comparable else None
        later.append(
            FollowUpRow(
                row.cycle.year,
                row.cycle.title,
                False,
                closed,
                count,
                row.valid_votes if closed else None,
                row.get_grade_display() if row.grade else "",
                row.score,
            )
        )
    later.reverse()  # cadre_appraisals is newest first; the follow-up reads forward in time
    labels = figures.get("text", "").split(" ")[0] if figures.get("text") else "+".join(options)
    return FollowUp(trigger, later, str(figures.get("threshold") or "1/3"), bool(figures.get("inclusive", True)), labels)
