"""选任监督's sections of the yearly statistics (core.statistics), scoped by the viewer's selection.view."""

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.core.statistics import UnitMeasure, register_statistics, register_unit_measures
from jiandu.decisions import verdict

from . import queries
from .models import Candidate, VettingRequest


def sections(user, year: int) -> dict:
    cases = queries.cases_visible_to(user)
    if not cases.exists():
        return {}
    opened = cases.filter(created_at__year=year)
    candidates = Candidate.objects.filter(case__in=cases, listed_on__year=year)
    outcomes = dict(candidates.values_list("outcome").annotate(n=Count("pk")).values_list("outcome", "n"))
    replies = VettingRequest.objects.filter(candidate__case__in=cases, replied_on__year=year)
    by_result = dict(replies.values_list("result").annotate(n=Count("pk")).values_list("result", "n"))
    return {
        "cases": {
            "title": _("Selection cases and inspection subjects"),
            "rows": [
                (_("cases opened"), opened.count()),
                (_("inspection subjects listed"), candidates.count()),
                (_("decided: passed"), outcomes.get(verdict.PASSED, 0)),
                (_("decided: not passed"), outcomes.get(verdict.FAILED, 0)),
                (_("decision void"), outcomes.get(verdict.VOID, 0)),
                (_("appointed"), candidates.filter(tenure__isnull=False).count()),
            ],
        },
        "vetting": {
            "title": _("Pre-appointment vetting replies by result"),
            "rows": [(str(label), by_result.get(value, 0)) for value, label in VettingRequest.Result.choices],
        },
    }


register_statistics("selection", sections, label=gettext_lazy("Selection supervision"), order=40)


def measures(user, year: int) -> list:
    """The same rows as "inspection subjects listed" and "vetting replies", per unit of the case."""
    cases = queries.cases_visible_to(user)
    return [
        UnitMeasure("candidates", gettext_lazy("inspection subjects listed"), Candidate.objects.filter(case__in=cases, listed_on__year=year), "case__unit"),
        UnitMeasure(
            "vetting", gettext_lazy("vetting replies"), VettingRequest.objects.filter(candidate__case__in=cases, replied_on__year=year), "candidate__case__unit"
        ),
    ]


register_unit_measures("selection", measures)
