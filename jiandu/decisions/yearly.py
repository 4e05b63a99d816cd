"""制度监督's sections of the yearly statistics (core.statistics): collective decisions and the
weekly logs, scoped by the viewer's rights in decisions."""

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.core.statistics import UnitMeasure, register_statistics, register_unit_measures

from . import log_queries, queries, verdict
from .models import AgendaItem, WeeklyLog


def sections(user, year: int) -> dict:
    meetings = queries.meetings_visible_to(user).filter(held_on__year=year)
    logs = log_queries.logs_visible_to(user).filter(week_start__year=year)
    out = {}
    if meetings.exists():
        items = AgendaItem.objects.filter(meeting__in=meetings)
        by_category = dict(items.values_list("category").annotate(n=Count("pk")).values_list("category", "n"))
        out["meetings"] = {
            "title": _("Collective decisions (三重一大)"),
            "rows": [(_("meetings"), meetings.count()), (_("items decided"), items.count()), (_("void items"), items.filter(outcome=verdict.VOID).count())]
            + [(str(label), by_category.get(value, 0)) for value, label in AgendaItem.Category.choices],
        }
    if logs.exists():
        out["weekly_logs"] = {
            "title": _("Weekly logs (阳光周志)"),
            "rows": [
                (_("logs submitted"), logs.count()),
                (_("submitted late"), logs.filter(is_late=True).count()),
                (_("published"), logs.filter(status=WeeklyLog.Status.PUBLISHED).count()),
            ],
        }
    return out


register_statistics("decisions", sections, label=gettext_lazy("Institutional supervision"), order=10)


def measures(user, year: int) -> list:
    """The same rows as "meetings" and "logs submitted", per unit (the deciding body's unit; the
    leader's unit)."""
    return [
        UnitMeasure("meetings", gettext_lazy("meetings"), queries.meetings_visible_to(user).filter(held_on__year=year), "body__unit"),
        UnitMeasure("weekly_logs", gettext_lazy("weekly logs submitted"), log_queries.logs_visible_to(user).filter(week_start__year=year), "cadre__unit"),
    ]


register_unit_measures("decisions", measures)
