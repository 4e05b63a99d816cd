"""The early warnings on the role dashboards (core.dashboard): open alerts by severity and the
units with the most open alerts (long unit names: horizontal bars, the full name in the
tooltip). Scope: alerts_visible_to (dossier.view on the alert's unit); one query per figure."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core.dashboard import OVERVIEW, Chart, Series, register_chart

from . import queries
from .models import Alert

TOP_UNITS = 10


def _open(user):
    return queries.alerts_visible_to(user).filter(closed_at__isnull=True, handled_at__isnull=True).order_by()


def alerts_by_severity(user, today):
    if not access.can(user, "dossier.view"):
        return None
    counts = dict(_open(user).values_list("severity").annotate(n=Count("pk")).values_list("severity", "n"))
    order = [Alert.Severity.SERIOUS, Alert.Severity.WARNING, Alert.Severity.INFO]
    return Chart(
        key="dossier.alerts_by_severity",
        title=_("Open early warnings by severity"),
        categories=[str(Alert.Severity(value).label) for value in order],
        series=[Series(_("alerts"), [counts.get(value, 0) for value in order], tone="bad")],
        url=reverse("dossier:alerts"),
    )


def alerts_by_unit(user, today):
    if not access.can(user, "dossier.view"):
        return None
    rows = list(_open(user).filter(unit__isnull=False).values_list("unit__name").annotate(n=Count("pk")).order_by("-n", "unit__name")[:TOP_UNITS])
    return Chart(
        key="dossier.alerts_by_unit",
        title=_("Units with the most open early warnings"),
        categories=[name for name, _n in rows],
        series=[Series(_("alerts"), [n for _name, n in rows], tone="bad")],
        horizontal=True,
        url=reverse("dossier:alerts"),
        note=_("The %(n)s units with the most open alerts.") % {"n": TOP_UNITS},
    )


register_chart("dossier.alerts_by_severity", alerts_by_severity, section=OVERVIEW, order=20)
register_chart("dossier.alerts_by_unit", alerts_by_unit, section=OVERVIEW, order=21)
