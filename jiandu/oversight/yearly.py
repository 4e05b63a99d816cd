"""日常监督's sections of the yearly statistics (core.statistics): its own statistics page's
sections (statistics.yearly), for viewers with oversight.view."""

from django.utils.translation import gettext_lazy

from jiandu.accounts import access
from jiandu.core.statistics import register_statistics

from .statistics import yearly


def sections(user, year: int) -> dict:
    if not access.can(user, "oversight.view"):
        return {}
    return yearly(user, year)


register_statistics("oversight", sections, label=gettext_lazy("Daily supervision"), order=50)
