"""Dashboard cards: missing personal-matters reports, overdue passport returns."""

from django.urls import reverse
from django.utils.translation import gettext as _

from jiandu.accounts import access


def missing_reports_card(user):
    if not access.can(user, "matters.view_reports"):
        return None
    from . import queries
    from .models import ReportingYear

    year = ReportingYear.objects.first()
    if year is None:
        return None
    number = len(queries.missing(queries.reporters_visible_to(user, year)))
    return {"label": _("Missing personal-matters reports"), "number": number, "url": reverse("matters:year", args=[year.year]), "attention": number > 0}


def overdue_passports_card(user):
    if not access.can(user, "matters.passports"):
        return None
    from . import queries

    number = queries.overdue_loans(user).count()
    return {"label": _("Passports not returned in time"), "number": number, "url": reverse("matters:passports"), "attention": number > 0}
