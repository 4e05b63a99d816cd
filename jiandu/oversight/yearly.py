"""日常监督's sections of the yearly statistics (core.statistics): its own statistics page's
sections (statistics.yearly), for viewers with oversight.view."""

from django.utils.translation import gettext_lazy

from jiandu.accounts import access
from jiandu.core.statistics import UnitMeasure, register_statistics, register_unit_measures

from . import queries
from .models import Talk
from .statistics import yearly


def sections(user, year: int) -> dict:
    if not access.can(user, "oversight.view"):
        return {}
    return yearly(user, year)


register_statistics("oversight", sections, label=gettext_lazy("Daily supervision"), order=50)


def measures(user, year: int) -> list:
    """The same rows as the sections "talks by kind", "dispositions" and "written inquiries"
    (statistics.yearly), per unit."""
    if not access.can(user, "oversight.view"):
        return []
    return [
        UnitMeasure("talks", gettext_lazy("talks held"), queries.talks_visible_to(user).filter(status=Talk.Status.HELD, talked_on__year=year), "unit"),
        UnitMeasure(
            "dispositions",
            gettext_lazy("dispositions"),
            queries.dispositions_visible_to(user).filter(decided_on__year=year).exclude(status="revoked"),
            "unit",
        ),
        UnitMeasure("inquiries", gettext_lazy("written inquiries issued"), queries.inquiries_visible_to(user).filter(issued_on__year=year), "unit"),
    ]


register_unit_measures("oversight", measures)
