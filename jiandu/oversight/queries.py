"""Oversight reads, scoped through access.py. Not visible = 404 (access.NotVisible).

Rows are scoped by the unit they concern (the cadre's unit when recorded): `oversight.view` to
read, `oversight.manage` to change. Clues have their own rule (see `clues_visible_to`).
Other apps (selection, appraisals, dossier) read `active_influence` and `cadre_history`.
"""

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from django.db import models
from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.accounts import access
from jiandu.appraisals import queries as appraisal_queries
from jiandu.core import rates

from . import influence
from .models import (
    Attachment,
    Clue,
    Disposition,
    DutyReport,
    DutySession,
    Finding,
    Inquiry,
    InspectionTour,
    JointMeeting,
    JointMember,
    RectificationItem,
    Talk,
)


def _get(qs, pk):
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise access.NotVisible()
    row = qs.filter(pk=pk).first()
    if row is None:
        raise access.NotVisible()
    return row


# --- influence periods ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RunningInfluence:
    disposition: Disposition
    measure: str
    measure_label: str
    decided_on: dt.date
    ends_on: dt.date | None  # last day inside the period (inclusive); None = no end
    reason: str

    @property
    def explanation(self) -> str:
        return influence.explain(self.disposition)

    @property
    def bar(self) -> str:
        return self.disposition.bar

    @property
    def no_leading_post_until(self) -> dt.date | None:
        return self.disposition.no_leading_post_until

    def bars(self, move: str, on: dt.date) -> bool:
        """Whether it bars `move` (influence.MOVES: lateral, further_use, promotion) on `on`."""
        return influence.bars_move(self.disposition, move, on)


def active_influence(cadre, on: dt.date | None = None) -> list[RunningInfluence]:
    """The influence periods running for `cadre` on `on` (default today): effective dispositions
    decided on or before `on` whose last day (inclusive) is on or after `on`, or with no end.
    Corrected and revoked dispositions never count. Read by selection (art. 24) and appraisals."""
    on = on or dt.date.today()
    cadre_id = getattr(cadre, "pk", cadre)
    qs = (
        Disposition.objects.filter(cadre_id=cadre_id, status=Disposition.Status.EFFECTIVE, decided_on__lte=on)
        .filter(Q(is_permanent=True) | Q(influence_ends_on__gte=on))
        .order_by("decided_on", "id")
    )
    return [RunningInfluence(d, d.measure, d.get_measure_display(), d.decided_on, d.influence_ends_on, d.grounds) for d in qs]


def is_under_influence(cadre, on: dt.date | None = None) -> bool:
    return bool(active_influence(cadre, on))


def dispositions_in_year(cadre, year: int) -> list[Disposition]:
    """Effective dispositions of `cadre` decided in `year` or whose influence period runs during
    some day of it (appraisals' sanction-year outcomes)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    cadre_id = getattr(cadre, "pk", cadre)
    return list(
        Disposition.objects.filter(cadre_id=cadre_id, status=Disposition.Status.EFFECTIVE, decided_on__lte=end)
        .filter(Q(decided_on__gte=start) | Q(is_permanent=True) | Q(influence_ends_on__gte=start))
        .order_by("decided_on", "id")
    )


def barring_influence(cadre, move: str, on: dt.date | None = None) -> list[RunningInfluence]:
    """The running influence periods that bar `move` into a leading post on `on` (the selection
    gate): a lateral move, further use (进一步使用) or a promotion. A two-tier bar refuses every
    leading post in its first year and only a higher post in its second."""
    on = on or dt.date.today()
    return [r for r in active_influence(cadre, on=on) if r.bars(move, on)]


# --- generic scoping -------------------------------------------------------------------------------


def _scoped(model, user, perm="oversight.view", path_field="unit__path"):
    return model.objects.filter(access.scope_q(user, perm, path_field))


def dispositions_visible_to(user) -> QuerySet[Disposition]:
    return _scoped(Disposition, user).select_related("cadre", "unit")


def get_disposition_for(user, pk) -> Disposition:
    return _get(dispositions_visible_to(user), pk)


def talks_visible_to(user) -> QuerySet[Talk]:
    return _scoped(Talk, user).select_related("cadre", "unit", "disposition")


def get_talk_for(user, pk) -> Talk:
    """A talk in scope, or the cadre's own talk in self service (to submit an explanation)."""
    talk = talks_visible_to(user).filter(pk=_int(pk)).first()
    if talk is None and getattr(user, "cadre_id", None) and access.can(user, "self.view"):
        talk = Talk.objects.select_related("cadre", "unit").filter(pk=_int(pk), cadre_id=user.cadre_id, status=Talk.Status.HELD).first()
    if talk is None:
        raise access.NotVisible()
    return talk


def overdue_required_talks(user, today: dt.date | None = None) -> QuerySet[Talk]:
    today = today or dt.date.today()
    return talks_visible_to(user).filter(status=Talk.Status.REQUIRED, due_on__lt=today).order_by("due_on")


def overdue_follow_ups(user, today: dt.date | None = None) -> QuerySet[Talk]:
    today = today or dt.date.today()
    return talks_visible_to(user).filter(status=Talk.Status.HELD, follow_up_done_on__isnull=True, follow_up_due_on__lt=today).exclude(follow_up="")


def int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- inquiries ----------------------------------------------------------------------------------


def inquiries_visible_to(user) -> QuerySet[Inquiry]:
    return _scoped(Inquiry, user).select_related("cadre", "unit")


def my_inquiries(user) -> QuerySet[Inquiry]:
    """A cadre's own inquiries once delivered (self service)."""
    if not (getattr(user, "cadre_id", None) and access.can(user, "self.view")):
        return Inquiry.objects.none()
    return Inquiry.objects.filter(cadre_id=user.cadre_id, status__in=[Inquiry.Status.DELIVERED, Inquiry.Status.REPLIED, Inquiry.Status.CLOSED])


def get_inquiry_for(user, pk) -> Inquiry:
    inquiry = inquiries_visible_to(user).filter(pk=_int(pk)).first() or my_inquiries(user).select_related("cadre", "unit").filter(pk=_int(pk)).first()
    if inquiry is None:
        raise access.NotVisible()
    return inquiry


def overdue_inquiries(user, today: dt.date | None = None) -> QuerySet[Inquiry]:
    today = today or dt.date.today()
    return inquiries_visible_to(user).filter(status=Inquiry.Status.DELIVERED, reply_due_on__lt=today).order_by("reply_due_on")


# --- clues --------------------------------------------------------------------------------------


def _clue_q(user) -> Q:
    """The one rule for reading clues (security issue #8.2): the clue officers of the sending and
    of the receiving department (`oversight.clues`, an assignment on that department's unit only),
    and the organisation department's head (`oversight.view_clues_all`: the convener of the joint
    meeting, who follows receipt and feedback; read only). Nobody else, whatever other role."""
    if access.is_unrestricted(user, "oversight.view_clues_all"):
        return Q(pk__isnull=False)
    q = access.scope_q(user, "oversight.view_clues_all", "cadre_unit__path")
    q |= access.scope_q(user, "oversight.clues", "from_unit__path")
    q |= access.scope_q(user, "oversight.clues", "to_unit__path")
    return q


def clues_with_full_access(user) -> QuerySet[Clue]:
    """Clues the user may read: see `_clue_q`. Lists, detail, exports, statistics, counters and
    the API all start from this query."""
    return Clue.objects.filter(_clue_q(user)).select_related("cadre", "from_unit", "to_unit", "cadre_unit")


def clues_visible_to(user) -> QuerySet[Clue]:
    """Clues listed for the user: exactly those the user may read (no masked rows: that a cadre
    is the subject of a clue is itself sensitive)."""
    return clues_with_full_access(user)


def may_read_clue(user, clue: Clue) -> bool:
    return clues_with_full_access(user).filter(pk=clue.pk).exists()


def get_clue_for(user, pk) -> Clue:
    """A clue the user may read (others: 404). The caller journals the view."""
    return _get(clues_with_full_access(user), pk)


def is_clue_sender(user, clue: Clue) -> bool:
    """A clue officer of the sending department (transfers and closes)."""
    return access.can(user, "oversight.clues", clue.from_unit)


def is_clue_receiver(user, clue: Clue) -> bool:
    """A clue officer of the receiving department who is not also on the sending side: the
    sender never signs its own receipt nor reports its own handling."""
    if clue.to_unit_id is None or not access.can(user, "oversight.clues", clue.to_unit):
        return False
    return not is_clue_sender(user, clue) and clue.created_by_id != getattr(user, "pk", None)


def clues_to_receive(user) -> QuerySet[Clue]:
    """Transferred clues awaiting the receipt of one of the user's departments (not sent by them)."""
    mine = access.unit_paths(user, "oversight.clues")
    return (
        clues_with_full_access(user)
        .filter(status=Clue.Status.TRANSFERRED, to_unit__path__in=mine)
        .exclude(from_unit__path__in=mine)
        .exclude(created_by_id=getattr(user, "pk", None))
    )


def overdue_clue_receipts(user, today: dt.date | None = None) -> QuerySet[Clue]:
    today = today or dt.date.today()
    return clues_with_full_access(user).filter(status=Clue.Status.TRANSFERRED, receipt_due_on__lt=today)


def overdue_clue_feedback(user, today: dt.date | None = None) -> QuerySet[Clue]:
    today = today or dt.date.today()
    return clues_with_full_access(user).filter(status__in=[Clue.Status.TRANSFERRED, Clue.Status.RECEIVED], feedback_due_on__lt=today)


def members() -> QuerySet[JointMember]:
    return JointMember.objects.filter(is_active=True).select_related("unit")


def meetings_visible_to(user) -> QuerySet[JointMeeting]:
    """Joint meetings: every meeting for the member departments' clue officers; otherwise those
    convened in the user's oversight.view scope."""
    if access.can(user, "oversight.view_clues_all") or any(access.can(user, "oversight.clues", m.unit) for m in members()):
        return JointMeeting.objects.select_related("organiser")
    return JointMeeting.objects.filter(access.scope_q(user, "oversight.view", "organiser__path")).select_related("organiser")


def get_meeting_for(user, pk) -> JointMeeting:
    return _get(meetings_visible_to(user), pk)


# --- inspection tours -------------------------------------------------------------------------------


def tours_visible_to(user) -> QuerySet[InspectionTour]:
    """Tours organised in the user's oversight.view scope, or aimed at a unit in it."""
    q = access.scope_q(user, "oversight.view", "organiser__path") | access.scope_q(user, "oversight.view", "targets__unit__path")
    return InspectionTour.objects.filter(q).distinct().select_related("organiser")


def get_tour_for(user, pk) -> InspectionTour:
    return _get(tours_visible_to(user), pk)


def overdue_rectification_items(user, today: dt.date | None = None) -> QuerySet[RectificationItem]:
    today = today or dt.date.today()
    tours = tours_visible_to(user).values("pk")
    return RectificationItem.objects.filter(tour__in=tours, status=RectificationItem.Status.OPEN, due_on__lt=today).select_related("tour", "unit")


def findings_visible_to(user) -> QuerySet[Finding]:
    return Finding.objects.filter(tour__in=tours_visible_to(user).values("pk")).select_related("tour", "unit")


# --- duty reports -------------------------------------------------------------------------------


def duty_reports_visible_to(user) -> QuerySet[DutyReport]:
    return _scoped(DutyReport, user).select_related("cadre", "unit", "session")


def get_duty_report_for(user, pk) -> DutyReport:
    return _get(duty_reports_visible_to(user), pk)


def duty_sessions_visible_to(user) -> QuerySet[DutySession]:
    return _scoped(DutySession, user).select_related("unit").annotate(report_count=Count("reports")).order_by("-held_on", "-id")


def get_duty_session_for(user, pk) -> DutySession:
    return _get(duty_sessions_visible_to(user), pk)


def my_duty_reports(user) -> QuerySet[DutyReport]:
    """A cadre's own duty reports (self service: submit the yearly report)."""
    if not (getattr(user, "cadre_id", None) and access.can(user, "self.view")):
        return DutyReport.objects.none()
    return DutyReport.objects.filter(cadre_id=user.cadre_id).order_by("-year")


def get_duty_report_or_own(user, pk) -> DutyReport:
    """A report in the user's scope, or the cadre's own report (self service); else NotVisible."""
    report = duty_reports_visible_to(user).filter(pk=pk).first()
    if report is None:
        report = my_duty_reports(user).select_related("cadre", "unit", "session").filter(pk=pk).first()
    if report is None:
        raise access.NotVisible()
    return report


def missing_duty_reports(user, today: dt.date | None = None) -> QuerySet[DutyReport]:
    today = today or dt.date.today()
    return duty_reports_visible_to(user).filter(status=DutyReport.Status.PENDING, due_on__lt=today)


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


# --- attachments --------------------------------------------------------------------------------

OWNER_GETTERS = {
    "disposition": lambda user, pk: get_disposition_for(user, pk),
    "talk": lambda user, pk: get_talk_for(user, pk),
    "inquiry": lambda user, pk: get_inquiry_for(user, pk),
    "clue": lambda user, pk: get_clue_for(user, pk),
    "inspectiontour": lambda user, pk: get_tour_for(user, pk),
    "rectificationupdate": lambda user, pk: get_tour_for(
        user, RectificationItem.objects.filter(updates__pk=_int(pk)).values_list("tour_id", flat=True).first()
    ),
    "dutyreport": lambda user, pk: get_duty_report_for(user, pk),
}


def get_attachment_for(user, pk) -> tuple[Attachment, object]:
    """An attachment whose owner record the user may read; (attachment, owner)."""
    attachment = Attachment.objects.filter(pk=_int(pk)).first()
    if attachment is None or attachment.owner_type not in OWNER_GETTERS:
        raise access.NotVisible()
    owner = OWNER_GETTERS[attachment.owner_type](user, attachment.owner_id)
    return attachment, owner


# --- a cadre's history (dossier) -----------------------------------------------------------------


def cadre_history(cadre) -> dict:
    """Everything oversight holds about one cadre (read by the dossier; the caller checks access)."""
    cadre_id = getattr(cadre, "pk", cadre)
    return {
        "dispositions": list(Disposition.objects.filter(cadre_id=cadre_id).order_by("-decided_on")),
        "talks": list(Talk.objects.filter(cadre_id=cadre_id).order_by("-talked_on")),
        "inquiries": list(Inquiry.objects.filter(cadre_id=cadre_id).exclude(status=Inquiry.Status.DRAFT)),
        "duty_reports": list(DutyReport.objects.filter(cadre_id=cadre_id).order_by("-year")),
        "findings": list(Finding.objects.filter(cadres__pk=cadre_id)),
        "influence": active_influence(cadre_id),
    }


# --- attention counts (index page, dashboard cards) ----------------------------------------------


def attention_counts(user, today: dt.date | None = None) -> dict[str, int]:
    today = today or dt.date.today()
    counts = {}
    if access.can(user, "oversight.view"):
        counts["overdue_talks"] = overdue_required_talks(user, today).count()
        counts["overdue_follow_ups"] = overdue_follow_ups(user, today).count()
        counts["overdue_inquiries"] = overdue_inquiries(user, today).count()
        counts["awaiting_assessment"] = inquiries_visible_to(user).filter(status=Inquiry.Status.REPLIED).count()
        counts["overdue_rectification"] = overdue_rectification_items(user, today).count()
        counts["missing_duty_reports"] = missing_duty_reports(user, today).count()
        counts["open_yellow_cards"] = open_yellow_cards(user).count()
        counts["running_influence"] = (
            dispositions_visible_to(user)
            .filter(status=Disposition.Status.EFFECTIVE, decided_on__lte=today)
            .filter(Q(is_permanent=True) | Q(influence_ends_on__gte=today))
            .aggregate(n=Count("cadre", distinct=True))["n"]
        )
    if access.can(user, "oversight.clues") or access.can(user, "oversight.view_clues_all"):
        counts["overdue_clue_receipts"] = overdue_clue_receipts(user, today).count()
        counts["overdue_clue_feedback"] = overdue_clue_feedback(user, today).count()
        counts["clues_to_receive"] = clues_to_receive(user).count()
    return counts
