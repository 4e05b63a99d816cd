"""Institutional supervision's share of the cadre's dossier (core.timeline): the stances the
cadre took on collective decisions (三重一大), spoken and written.

Scope is this app's (queries.meetings_visible_to: the office that records the body's meetings,
and the body's members). The cadre in self service sees their own stances only (rule applied:
a member knows how they voted; other members' votes never show in this file)."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.accounts import access
from jiandu.core import timeline
from jiandu.core.alerts import WARNING, Match, register_rule
from jiandu.core.timeline import SENSITIVE, Source, TimelineEntry, label_of, register_sources

from . import queries
from .models import ItemStatement, WrittenStance


def sources(viewer, cadre) -> list[Source]:
    if access.is_self(viewer, cadre):
        meetings = None
    elif access.can(viewer, "decisions.view") or access.can(viewer, "decisions.manage"):
        meetings = queries.meetings_visible_to(viewer).values("pk")
    else:
        return []
    result = []
    for model, kind in ((ItemStatement, _("Stance")), (WrittenStance, _("Written stance"))):
        qs = model.objects.filter(cadre_id=cadre.pk)
        if meetings is not None:
            qs = qs.filter(item__meeting__in=meetings)

        def format(row, model=model, kind=kind) -> TimelineEntry:
            return TimelineEntry(
                date=row.date,
                kind=kind,
                pillar="decisions",
                title=f"{row['body']}：{row['item']}",
                summary=label_of(model, "stance", row["stance"]),
                url=reverse("decisions:meeting", args=[row["meeting"]]) if meetings is not None else "",
                sensitivity=SENSITIVE,
                key=f"{model.__name__.lower()}:{row.pk}",
                recorded_at=row.recorded_at,
            )

        result.append(
            Source(
                f"decisions.{model.__name__.lower()}",
                format,
                qs,
                date="item__meeting__held_on",
                recorded="item__meeting__recorded_at",
                payload={"body": "item__meeting__body__name", "item": "item__title", "stance": "stance", "meeting": "item__meeting_id"},
            )
        )
    return result


def entries(viewer, cadre, *, since=None, year=None) -> list[TimelineEntry]:
    return timeline.entries(viewer, cadre, sources(viewer, cadre))


register_sources("decisions", sources, label=gettext_lazy("Institutional supervision"), order=40)


# --- early warning (core.alerts) -----------------------------------------------------------------


def weekly_logs_missing(today) -> list[Match]:
    """Leaders with two or more weekly logs (阳光周志) missing within the last month: the weeks
    starting on or after the same day a month ago whose deadline day is before today, for which
    the leader had to write (log_actions.leaders_for_week) and nothing was submitted."""
    from jiandu.core.calendar import add_months

    from . import log_actions
    from .models import WeeklyLog

    since = add_months(today, -1)
    week = log_actions.week_of(since)
    if week < since:
        week += dt.timedelta(days=7)
    weeks = []
    while week < today:
        if log_actions.deadline_for(week).due.date() < today:
            weeks.append(week)
        week += dt.timedelta(days=7)
    written = set(WeeklyLog.objects.filter(week_start__in=weeks).values_list("cadre_id", "week_start"))
    missing: dict[int, list] = {}
    units: dict[int, int] = {}
    for week in weeks:
        for cadre_id, unit_id in log_actions.leaders_for_week(week).values_list("pk", "unit_id"):
            if (cadre_id, week) not in written:
                missing.setdefault(cadre_id, []).append(week)
                units[cadre_id] = unit_id
    return [
        Match(
            f"weekly_logs:{cadre_id}",
            cadre_id,
            units[cadre_id],
            _("%(n)s weekly logs missing within the last month (weeks of %(weeks)s).") % {"n": len(days), "weeks": "、".join(d.isoformat() for d in days)},
        )
        for cadre_id, days in missing.items()
        if len(days) >= 2
    ]


register_rule(
    "decisions.weekly_logs_missing",
    gettext_lazy("Two or more weekly logs of a leader are missing within a month."),
    WARNING,
    weekly_logs_missing,
    settings=("decisions.weekly_log.levels", "decisions.weekly_log.deadline_weekday"),
)
