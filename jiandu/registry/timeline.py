"""The registry's share of the cadre's dossier (core.timeline): appointments and departures.

Tenures carry no recording time: they are never marked as new. Whoever may open the dossier may see the cadre's record, tenures included (the dossier's own
scope is the registry's); the cadre sees their own tenures in self service."""

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.core import timeline
from jiandu.core.alerts import SERIOUS, WARNING, Match, register_rule
from jiandu.core.practice import declare, get_setting
from jiandu.core.timeline import Source, TimelineEntry, register_sources

from .models import Tenure

START_METHODS = dict(Tenure._meta.get_field("start_method").choices or ())
END_REASONS = dict(Tenure._meta.get_field("end_reason").choices or ())
PAYLOAD = {"unit": "position__unit__name", "post": "position__title", "acting": "is_acting", "start": "start_method", "end": "end_reason"}


def sources(viewer, cadre) -> list[Source]:
    url = reverse("registry:cadre_detail", args=[cadre.pk]) + "#tenures"
    tenures = Tenure.objects.filter(cadre_id=cadre.pk)

    def post(row) -> str:
        return f"{row['unit']} {row['post']}" + (_(" (acting)") if row["acting"] else "")

    def appointment(row) -> TimelineEntry:
        return TimelineEntry(
            date=row.date,
            kind=_("Appointment"),
            pillar="registry",
            title=post(row),
            summary=str(START_METHODS.get(row["start"], "")),
            url=url,
            key=f"tenure:{row.pk}",
        )

    def departure(row) -> TimelineEntry:
        return TimelineEntry(
            date=row.date,
            kind=_("Departure"),
            pillar="registry",
            title=post(row),
            summary=str(END_REASONS.get(row["end"], "")),
            url=url,
            key=f"tenure-end:{row.pk}",
        )

    return [
        Source("registry.appointment", appointment, tenures, date="started_on", payload=PAYLOAD),
        Source("registry.departure", departure, tenures.filter(ended_on__isnull=False), date=F("ended_on"), payload=PAYLOAD),
    ]


def tenure_entries(viewer, cadre, *, since=None, year=None) -> list[TimelineEntry]:
    return timeline.entries(viewer, cadre, sources(viewer, cadre))


register_sources("registry", sources, label=gettext_lazy("Posts"), order=10)


# --- early warning (core.alerts) -----------------------------------------------------------------


declare(
    "alerts.tenure_years",
    10,
    gettext_lazy("Early warning: years in the same leading post"),
    gettext_lazy("A cadre who has held the same leading post without interruption for this many years raises an early warning (the post is due for rotation)."),
    kind="int",
    mark="R?",  # the national texts are as remembered; the article of the rotation rule is not confirmed
    source=gettext_lazy(
        "《党政领导干部职务任期暂行规定》(2006) 第三条、第六条: a term is five years, and after two consecutive terms in the same post "
        "the cadre is not appointed to it again; 《党政领导干部交流工作规定》(2006) 第七条: ten years in the same post means rotation"
    ),
)


def tenure_past_term_limit(today) -> list[Match]:
    """Leading posts held without interruption for N years or more (setting alerts.tenure_years,
    default two full terms of five years: 《党政领导干部职务任期暂行规定》第三条、第六条, and
    《党政领导干部交流工作规定》第七条): the current tenure began on or before the same date that
    many years ago."""
    from .rules import years_before

    years = max(int(get_setting("alerts.tenure_years")), 1)
    limit = years_before(today, years)
    rows = Tenure.objects.filter(ended_on__isnull=True, started_on__lte=limit, position__kind="leading").select_related("position__unit")
    return [
        Match(
            f"tenure:{t.pk}",
            t.cadre_id,
            t.position.unit_id,
            _("%(post)s held since %(day)s: %(years)s years or more in the same post.")
            % {"post": f"{t.position.unit.name} {t.position.title}", "day": t.started_on.isoformat(), "years": years},
        )
        for t in rows
    ]


register_rule(
    "registry.tenure_past_term_limit",
    gettext_lazy("A cadre holds the same leading post beyond two full terms (《党政领导干部职务任期暂行规定》)."),
    WARNING,
    tenure_past_term_limit,
    settings=("alerts.tenure_years",),
)


def avoidance_conflict(today) -> list[Match]:
    """Avoidance conflicts (任职回避) among serving cadres as they hold posts today
    (rules.current_conflicts, the conflicts page's computation): one alert per pair."""
    from .models import Cadre
    from .rules import current_conflicts

    rows = current_conflicts(Cadre.objects.all())
    matches = []
    for row in rows:
        cadre, other = row["cadre"], row["other"]
        low, high = sorted((cadre.pk, other.pk))
        text = _("Avoidance conflict with %(name)s (%(how)s): %(reason)s") % {"name": other.name, "how": row["how"], "reason": row["reason"]}
        matches.append(Match(f"avoidance:{low}:{high}", cadre.pk, cadre.unit_id, text))
    return matches


register_rule(
    "registry.avoidance_conflict",
    gettext_lazy("Two serving cadres related to each other hold posts that require avoidance (《党政领导干部任职回避暂行规定》第三条)."),
    SERIOUS,
    avoidance_conflict,
)
