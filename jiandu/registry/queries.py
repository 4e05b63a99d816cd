"""Registry reads scoped by access.py. Not visible is 404 (access.NotVisible)."""

import datetime as dt

from django.db.models import Q, QuerySet

from jiandu.accounts import access
from jiandu.core import events

from .models import Cadre, Position, Tenure, Unit


def units_visible_to(user, perm: str = "registry.view") -> QuerySet[Unit]:
    return Unit.objects.filter(access.scope_q(user, perm, "path"))


def cadres_visible_to(user, perm: str = "registry.view") -> QuerySet[Cadre]:
    return Cadre.objects.filter(access.scope_q(user, perm, "unit__path")).select_related("unit")


def positions_visible_to(user, perm: str = "registry.view") -> QuerySet[Position]:
    return Position.objects.filter(access.scope_q(user, perm, "unit__path")).select_related("unit")


def tenures_visible_to(user, perm: str = "registry.view") -> QuerySet[Tenure]:
    return Tenure.objects.filter(access.scope_q(user, perm, "position__unit__path")).select_related("cadre", "position__unit")


def get_unit_for(user, pk, perm: str = "registry.view") -> Unit:
    unit = units_visible_to(user, perm).filter(pk=pk).first()
    if unit is None:
        raise access.NotVisible()
    return unit


def get_cadre_for(user, pk, perm: str = "registry.view") -> Cadre:
    """A cadre in the user's scope, or the user's own record in self service."""
    cadre = cadres_visible_to(user, perm).filter(pk=pk).first()
    if cadre is None and perm == "registry.view" and getattr(user, "cadre_id", None) == _int(pk) and access.can(user, "self.view"):
        cadre = Cadre.objects.select_related("unit").filter(pk=pk).first()
    if cadre is None:
        raise access.NotVisible()
    return cadre


def get_position_for(user, pk, perm: str = "registry.view") -> Position:
    position = positions_visible_to(user, perm).filter(pk=pk).first()
    if position is None:
        raise access.NotVisible()
    return position


def get_tenure_for(user, pk, perm: str = "registry.view") -> Tenure:
    tenure = tenures_visible_to(user, perm).filter(pk=pk).first()
    if tenure is None:
        raise access.NotVisible()
    return tenure


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def may_see_sensitive(user, cadre: Cadre) -> bool:
    """ID number and phone in clear: registry.view_sensitive on the cadre's unit, or oneself."""
    return access.can(user, "registry.view_sensitive", cadre.unit) or access.is_self(user, cadre)


def search_cadres(qs: QuerySet[Cadre], text: str) -> QuerySet[Cadre]:
    """Name, pinyin, pinyin initials (e.g. "zwm" for 张伟明) or the last digits of an ID number."""
    text = (text or "").strip()
    if not text:
        return qs
    lowered = text.lower()
    q = Q(name__contains=text) | Q(name_initials__startswith=lowered) | Q(name_pinyin__startswith=lowered)
    if text.isdigit() and 4 <= len(text) <= 6:
        q |= Q(id_number__endswith=text)
    return qs.filter(q)


def leadership_team(unit: Unit, on: dt.date | None = None) -> QuerySet[Tenure]:
    """The unit's leadership team: current (or on a date) tenures of its leading positions."""
    qs = Tenure.objects.filter(position__unit=unit, position__kind=Position.Kind.LEADING).select_related("cadre", "position")
    if on is None:
        qs = qs.filter(ended_on__isnull=True)
    else:
        qs = qs.filter(started_on__lte=on).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
    return qs.order_by("-position__is_principal", "position__order", "position_id")


def current_tenures(cadre: Cadre) -> QuerySet[Tenure]:
    return cadre.tenures.filter(ended_on__isnull=True).select_related("position__unit")


def departures_unhandled(consumer: str | None = None):
    """Departure events that a consumer (e.g. the audit app) has not yet handled."""
    return events.unhandled("registry.departure", consumer)


def unit_tree(units: QuerySet[Unit]) -> list[Unit]:
    """Units in tree order (materialised path), for indented display."""
    return list(units.order_by("path"))
