"""Results for charts, exports and lists: distributions, counts, searches, links to the ballot."""

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from ..models import GRADE_ORDER, AppraisalCycle, DisqualifyingEvent
from .quotas import team_grade_choices
from .scoped import proposals_visible_to

# --- results for charts and exports --------------------------------------------------------------


def grade_distribution(cycle: AppraisalCycle, field: str = "grade") -> list[dict]:
    counts = dict(cycle.cadres.exclude(**{field: ""}).values_list(field).annotate(n=Count("id")).order_by())
    return [{"code": g.value, "label": str(g.label), "count": counts.get(g.value, 0)} for g in GRADE_ORDER]


def team_distribution(cycle: AppraisalCycle, field: str = "grade") -> list[dict]:
    counts = dict(cycle.units.exclude(**{field: ""}).values_list(field).annotate(n=Count("id")).order_by())
    return [{"code": code, "label": label, "count": counts.get(code, 0)} for code, label in team_grade_choices(cycle)]


def chart_data(cycle: AppraisalCycle) -> dict:
    """Plain data for the ECharts page (numbers only; charts never decide anything)."""
    field = "grade" if cycle.grades_confirmed else "proposed_grade"
    units = list(cycle.units.all())
    return {
        "grades": grade_distribution(cycle, field),
        "teams": team_distribution(cycle, field),
        "units": [
            {
                "name": u.unit_name,
                "target": float(u.target_base) if u.target_base is not None else None,
                "democratic": float(u.democratic_score) if u.democratic_score is not None else None,
                "final": float(u.final_score) if u.final_score is not None else None,
            }
            for u in units
        ],
        "labels": {
            "grades": str(_("Cadre grades")),
            "teams": str(_("Team grades")),
            "scores": str(_("Unit scores")),
            "target": str(_("Target score (T₀)")),
            "democratic": str(_("Democratic score (D)")),
            "final": str(_("Final score (T)")),
            "count": str(_("Cadres")),
        },
    }


def proposal_counts(user) -> dict[str, int]:
    qs = proposals_visible_to(user)
    return dict(qs.values_list("status").annotate(n=Count("id")).order_by())


def search_events(qs: QuerySet[DisqualifyingEvent], text: str, year: str = "", include_withdrawn: bool = False) -> QuerySet[DisqualifyingEvent]:
    text = (text or "").strip().replace("\x00", "")  # PostgreSQL cannot compare NUL
    if text:
        qs = qs.filter(Q(cadre__name__contains=text) | Q(cadre__name_initials__startswith=text.lower()) | Q(kind__contains=text))
    if year and str(year).isascii() and str(year).isdigit() and 1 <= int(year) <= 9999:
        qs = qs.filter(occurred_on__year=int(year))
    if not include_withdrawn:
        qs = qs.filter(withdrawn_at__isnull=True)
    return qs


def ballot_links(ballot_id) -> dict[str, str]:
    """Links to the ballots app's pages for one ballot: its page, the voting-code section of that
    page (codes are generated there, by a form), paper entry and results."""
    if not ballot_id:
        return {}
    detail = reverse("ballots:detail", args=[ballot_id])
    return {
        "detail": detail,
        "codes": f"{detail}#codes",
        "paper": reverse("ballots:paper", args=[ballot_id]),
        "results": reverse("ballots:results", args=[ballot_id]),
    }
