"""Scoped reads of training and warning education (培训与警示教育, issue #13 §7).

A session is read with `audits.view` on its organising unit; the per-cadre reports (hours per
year, absences from required sessions) with `audits.view` on the cadre's unit."""

import datetime as dt
from decimal import Decimal

from django.db.models import DecimalField, Exists, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from jiandu.accounts import access
from jiandu.registry.models import Cadre

from .models import TrainingParticipant, TrainingSession


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    """1 January to 31 December of `year`, both included."""
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def sessions_visible_to(user) -> QuerySet[TrainingSession]:
    return TrainingSession.objects.filter(access.scope_q(user, "audits.view", "organiser__path")).select_related("organiser")


def filter_sessions(user, *, year: int | None = None, kind: str = "") -> QuerySet[TrainingSession]:
    qs = sessions_visible_to(user)
    if year:
        first, last = year_bounds(year)
        qs = qs.filter(held_on__gte=first, held_on__lte=last)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def get_session_for(user, pk) -> TrainingSession:
    session = sessions_visible_to(user).filter(pk=pk).first()
    if session is None:
        raise access.NotVisible()
    return session


def participants_of(session: TrainingSession) -> QuerySet[TrainingParticipant]:
    return session.participants.select_related("cadre__unit", "recorded_by").order_by("cadre__sort_pinyin", "id")


def _attended_hours(first: dt.date, last: dt.date):
    hours = (
        TrainingParticipant.objects.filter(
            cadre_id=OuterRef("pk"), attendance=TrainingParticipant.Attendance.ATTENDED, session__held_on__gte=first, session__held_on__lte=last
        )
        .order_by()
        .values("cadre_id")
        .annotate(total=Sum("session__hours"))
        .values("total")
    )
    return Coalesce(
        Subquery(hours, output_field=DecimalField(max_digits=8, decimal_places=1)),
        Value(Decimal("0.0")),
        output_field=DecimalField(max_digits=8, decimal_places=1),
    )


def cadre_hours(user, year: int) -> QuerySet[Cadre]:
    """Cadres of the user's units invited to at least one session held in `year`, each with
    `hours`: the hours of the sessions of that year they attended (31 December belongs to the
    year, 1 January of the next year does not)."""
    first, last = year_bounds(year)
    invited = TrainingParticipant.objects.filter(cadre_id=OuterRef("pk"), session__held_on__gte=first, session__held_on__lte=last)
    return (
        Cadre.objects.filter(access.scope_q(user, "audits.view", "unit__path"))
        .annotate(invited=Exists(invited), hours=_attended_hours(first, last))
        .filter(invited=True)
        .select_related("unit")
    )


def hours_of(cadre: Cadre, year: int) -> Decimal:
    """The hours one cadre attended in `year` (no scope: callers have checked it)."""
    first, last = year_bounds(year)
    total = TrainingParticipant.objects.filter(
        cadre=cadre, attendance=TrainingParticipant.Attendance.ATTENDED, session__held_on__gte=first, session__held_on__lte=last
    ).aggregate(total=Sum("session__hours"))["total"]
    return total or Decimal("0.0")


def missed_required(user, *, year: int | None = None) -> QuerySet[TrainingParticipant]:
    """Absences without leave (absent, not excused) from sessions whose attendance was required,
    of cadres of the user's units."""
    qs = TrainingParticipant.objects.filter(
        access.scope_q(user, "audits.view", "cadre__unit__path"), session__required=True, attendance=TrainingParticipant.Attendance.ABSENT
    ).select_related("cadre__unit", "session__organiser")
    if year:
        first, last = year_bounds(year)
        qs = qs.filter(session__held_on__gte=first, session__held_on__lte=last)
    return qs


def attended_by(cadre: Cadre) -> QuerySet[TrainingParticipant]:
    """The sessions a cadre attended (no scope: the timeline applies its own)."""
    return TrainingParticipant.objects.filter(cadre=cadre, attendance=TrainingParticipant.Attendance.ATTENDED).select_related("session__organiser")
