"""目标监督's sections of the yearly statistics (core.statistics): the grade distribution of the
appraisal cycles of that year and the yellow cards raised, scoped by the viewer's appraisals.view."""

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.core.statistics import UnitMeasure, register_statistics, register_unit_measures

from . import queries
from .models import AssessedCadre, Grade


def sections(user, year: int) -> dict:
    cycles = queries.cycles_visible_to(user).filter(year=year)
    if not cycles.exists():
        return {}
    graded = AssessedCadre.objects.filter(assessed_unit__cycle__in=cycles).exclude(grade="")
    counts = dict(graded.values_list("grade").annotate(n=Count("pk")).values_list("grade", "n"))
    yellow = queries.proposals_visible_to(user).filter(cycle__in=cycles)
    return {
        "grades": {"title": _("Appraisal grades of the year"), "rows": [(str(label), counts.get(value, 0)) for value, label in Grade.choices]},
        "yellow_cards": {
            "title": _("Yellow cards (亮黄牌)"),
            "rows": [
                (_("raised"), yellow.count()),
                (_("dismissed"), yellow.filter(status="dismissed").count()),
                (_("taken up as 诫勉"), yellow.exclude(reference="").count()),
            ],
        },
    }


register_statistics("appraisals", sections, label=gettext_lazy("Target supervision"), order=20)


def measures(user, year: int) -> list:
    """The same rows as the sections "grades" and "yellow cards raised", per unit (the assessed
    unit; a yellow card's cadre's unit)."""
    cycles = queries.cycles_visible_to(user).filter(year=year)
    if not cycles.exists():
        return []
    return [
        UnitMeasure(
            "graded", gettext_lazy("cadres graded"), AssessedCadre.objects.filter(assessed_unit__cycle__in=cycles).exclude(grade=""), "assessed_unit__unit"
        ),
        UnitMeasure("yellow_cards", gettext_lazy("yellow cards raised"), queries.proposals_visible_to(user).filter(cycle__in=cycles), "cadre__unit"),
    ]


register_unit_measures("appraisals", measures)
