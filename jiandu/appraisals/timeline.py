"""Target supervision's share of the cadre's dossier (core.timeline): appraisal grades, the
democratic-evaluation figures and yellow cards (亮黄牌).

Scope is this app's: officers with `appraisals.view` on the organising unit read every
appraisal of the cadre with its figures (proposed grades marked as such) and the yellow cards; a
unit leader (`appraisals.view_unit_results`) the confirmed results of his units; the cadre in
self service (rule applied: the result is communicated to the person, 考核条例) their confirmed
grades only — no vote counts, no proposals."""

import datetime as dt
import json

from django.db.models import BooleanField, Case, Q, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.accounts import access
from jiandu.core import timeline
from jiandu.core.alerts import WARNING, Match, register_rule
from jiandu.core.timeline import SENSITIVE, Source, TimelineEntry, label_of, register_sources

from . import queries
from .models import AdmonishmentProposal, AppraisalCycle, AssessedCadre, Grade, GradeFollowUp

CONFIRMED = (AppraisalCycle.Status.GRADES_CONFIRMED, AppraisalCycle.Status.RESULTS_USED)
GRADE_LABELS = dict(Grade.choices)


def _figures(valid_votes, votes) -> str:
    if not valid_votes:
        return ""
    if isinstance(votes, str):
        votes = json.loads(votes)
    votes = votes or {}
    parts = [f"{GRADE_LABELS[code]} {votes[code]}" for code in GRADE_LABELS if code in votes]
    return _("democratic evaluation: %(valid)s valid votes") % {"valid": valid_votes} + ("（" + "，".join(parts) + "）" if parts else "")


def sources(viewer, cadre) -> list[Source]:
    officer_q = access.scope_q(viewer, "appraisals.view", "cycle__unit__path")
    leader_q = access.scope_q(viewer, "appraisals.view_unit_results", "assessed_unit__unit__path") & Q(cycle__status__in=CONFIRMED)
    visible = officer_q | leader_q
    if access.is_self(viewer, cadre):
        visible |= Q(cycle__status__in=CONFIRMED)
    leader = access.can(viewer, "appraisals.view_unit_results")
    confirmed_at = Coalesce("cycle__grades_confirmed_at", "cycle__created_at")
    appraisals = AssessedCadre.objects.filter(visible, cadre_id=cadre.pk).annotate(
        is_officer=Case(When(officer_q, then=Value(True)), default=Value(False), output_field=BooleanField())
    )

    def appraisal(row) -> TimelineEntry:
        confirmed = row["status"] in CONFIRMED
        is_officer = bool(row["officer"])
        if confirmed and row["grade"]:
            title = _("%(cycle)s: %(grade)s") % {"cycle": row["cycle"], "grade": label_of(AssessedCadre, "grade", row["grade"])}
        elif is_officer and row["proposed"]:
            title = _("%(cycle)s: %(grade)s (proposed)") % {"cycle": row["cycle"], "grade": label_of(AssessedCadre, "proposed_grade", row["proposed"])}
        else:
            title = row["cycle"]
        url = reverse("appraisals:cadre_detail", args=[row.pk]) if is_officer else (reverse("appraisals:unit_results") if leader and confirmed else "")
        return TimelineEntry(
            date=row.date,
            kind=_("Appraisal"),
            pillar="appraisals",
            title=title,
            summary=_figures(row["valid"], row["votes"]) if is_officer or (leader and confirmed) else "",
            url=url,
            key=f"appraisal:{row.pk}",
            recorded_at=row.recorded_at,
        )

    def yellow_card(row) -> TimelineEntry:
        return TimelineEntry(
            date=row.date,
            kind=_("Yellow card"),
            pillar="appraisals",
            title=row["cycle"],
            summary="；".join(s for s in [row["figures"], label_of(AdmonishmentProposal, "status", row["status"])] if s),
            url=reverse("appraisals:proposals"),
            sensitivity=SENSITIVE,
            key=f"yellow-card:{row.pk}",
            recorded_at=row.recorded_at,
        )

    return [
        Source(
            "appraisals.appraisal",
            appraisal,
            appraisals,
            date=TruncDate(confirmed_at, tzinfo=dt.UTC),
            recorded=confirmed_at,
            payload={
                "cycle": "cycle__title",
                "status": "cycle__status",
                "grade": "grade",
                "proposed": "proposed_grade",
                "officer": "is_officer",
                "valid": "valid_votes",
                "votes": "votes",
            },
        ),
        Source(
            "appraisals.yellow_card",
            yellow_card,
            queries.proposals_visible_to(viewer).filter(cadre_id=cadre.pk),
            date=TruncDate("created_at", tzinfo=dt.UTC),
            recorded="created_at",
            payload={"cycle": "cycle__title", "figures": "figures", "status": "status"},
        ),
    ]


def entries(viewer, cadre, *, since=None, year=None) -> list[TimelineEntry]:
    return timeline.entries(viewer, cadre, sources(viewer, cadre))


register_sources("appraisals", sources, label=gettext_lazy("Target supervision"), order=20)


# --- early warning (core.alerts) -----------------------------------------------------------------


def incompetent_without_follow_up(today) -> list[Match]:
    """Confirmed 不称职 grades whose follow-up (GradeFollowUp: lowering the post, or the dismissal
    review) is not done after its due date (setting appraisals.follow_up_days; on the due date
    itself: not yet overdue)."""
    rows = GradeFollowUp.objects.filter(done_on__isnull=True, due_on__lt=today).select_related("assessed_cadre__assessed_unit", "cycle")
    return [
        Match(
            f"follow_up:{f.pk}",
            f.cadre_id,
            f.assessed_cadre.assessed_unit.unit_id,
            _("不称职 in the appraisal %(year)s: %(kind)s was due by %(day)s and is not done (%(days)s days overdue).")
            % {"year": f.cycle.year, "kind": f.get_kind_display(), "day": f.due_on.isoformat(), "days": (today - f.due_on).days},
        )
        for f in rows
    ]


register_rule(
    "appraisals.incompetent_without_follow_up",
    gettext_lazy("A cadre graded 不称职 is without the required follow-up by its due date (setting)."),
    WARNING,
    incompetent_without_follow_up,
    settings=("appraisals.follow_up_days",),
)
