"""Target supervision's share of the cadre's dossier (core.timeline): appraisal grades, the
democratic-evaluation figures and yellow cards (亮黄牌).

Scope is this app's: officers with `appraisals.view` on the organising unit read every
appraisal of the cadre with its figures (proposed grades marked as such) and the yellow cards; a
unit leader (`appraisals.view_unit_results`) the confirmed results of his units; the cadre in
self service (rule applied: the result is communicated to the person, 考核条例) their confirmed
grades only — no vote counts, no proposals."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.accounts import access
from jiandu.core.alerts import WARNING, Match, register_rule
from jiandu.core.timeline import SENSITIVE, TimelineEntry, register_provider

from . import queries
from .models import AppraisalCycle, AssessedCadre, Grade, GradeFollowUp

CONFIRMED = (AppraisalCycle.Status.GRADES_CONFIRMED, AppraisalCycle.Status.RESULTS_USED)
GRADE_LABELS = dict(Grade.choices)


def _figures(row: AssessedCadre) -> str:
    if not row.valid_votes:
        return ""
    parts = [f"{GRADE_LABELS[code]} {row.votes[code]}" for code in GRADE_LABELS if code in (row.votes or {})]
    return _("democratic evaluation: %(valid)s valid votes") % {"valid": row.valid_votes} + ("（" + "，".join(parts) + "）" if parts else "")


def entries(viewer, cadre, *, since=None, year=None) -> list[TimelineEntry]:
    officer_q = access.scope_q(viewer, "appraisals.view", "cycle__unit__path")
    leader_q = access.scope_q(viewer, "appraisals.view_unit_results", "assessed_unit__unit__path") & Q(cycle__status__in=CONFIRMED)
    own = access.is_self(viewer, cadre)
    visible = officer_q | leader_q
    if own:
        visible |= Q(cycle__status__in=CONFIRMED)
    rows = []
    appraisals = AssessedCadre.objects.filter(visible, cadre_id=cadre.pk).select_related("cycle__unit").order_by("cycle__year", "cycle_id")
    officer_ids = set(AssessedCadre.objects.filter(officer_q, cadre_id=cadre.pk).values_list("pk", flat=True))
    leader = access.can(viewer, "appraisals.view_unit_results")
    for row in appraisals:
        cycle = row.cycle
        confirmed = cycle.status in CONFIRMED
        is_officer = row.pk in officer_ids
        if confirmed and row.grade:
            title = _("%(cycle)s: %(grade)s") % {"cycle": cycle.title, "grade": row.get_grade_display()}
        elif is_officer and row.proposed_grade:
            title = _("%(cycle)s: %(grade)s (proposed)") % {"cycle": cycle.title, "grade": row.get_proposed_grade_display()}
        else:
            title = cycle.title
        date = (cycle.grades_confirmed_at or cycle.created_at).date()
        url = reverse("appraisals:cadre_detail", args=[row.pk]) if is_officer else (reverse("appraisals:unit_results") if leader and confirmed else "")
        rows.append(
            TimelineEntry(
                date=date,
                kind=_("Appraisal"),
                pillar="appraisals",
                title=title,
                summary=_figures(row) if is_officer or (leader and confirmed) else "",
                url=url,
                key=f"appraisal:{row.pk}",
                recorded_at=cycle.grades_confirmed_at or cycle.created_at,
            )
        )
    for proposal in queries.proposals_visible_to(viewer).filter(cadre_id=cadre.pk).order_by("id"):
        rows.append(
            TimelineEntry(
                date=proposal.created_at.date(),
                kind=_("Yellow card"),
                pillar="appraisals",
                title=proposal.cycle.title,
                summary="；".join(s for s in [proposal.figures, proposal.get_status_display()] if s),
                url=reverse("appraisals:proposals"),
                sensitivity=SENSITIVE,
                key=f"yellow-card:{proposal.pk}",
                recorded_at=proposal.created_at,
            )
        )
    return rows


register_provider("appraisals", entries, label=gettext_lazy("Target supervision"), order=20)


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
