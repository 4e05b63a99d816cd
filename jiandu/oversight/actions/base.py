"""Shared checks of the oversight actions (input problems become ActionError with a field)."""

import datetime as dt

from django.utils.translation import gettext as _

from jiandu.core.errors import ActionError
from jiandu.registry.models import Cadre


def today() -> dt.date:
    return dt.date.today()


def text(value, field: str, *, required: bool = True, max_length: int | None = None) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ActionError(_("This field is required."), field=field)
    if max_length and len(value) > max_length:
        raise ActionError(_("At most %(n)d characters.") % {"n": max_length}, field=field)
    return value


def date(
    value, field: str, *, required: bool = True, not_future: bool = False, not_before: dt.date | None = None, not_before_label: str = ""
) -> dt.date | None:
    if value is None or value == "":
        if required:
            raise ActionError(_("A date is required."), field=field)
        return None
    if not isinstance(value, dt.date):
        raise ActionError(_("Enter a valid date."), field=field)
    if not_future and value > today():
        raise ActionError(_("The date %(date)s is in the future.") % {"date": value.isoformat()}, field=field)
    if not_before is not None and value < not_before:
        raise ActionError(
            _("The date %(date)s is before %(what)s (%(before)s).") % {"date": value.isoformat(), "what": not_before_label, "before": not_before.isoformat()},
            field=field,
        )
    return value


def future_deadline(value, field: str, *, required: bool = True) -> dt.date | None:
    """A deadline being set now must not lie in the past."""
    value = date(value, field, required=required)
    if value is not None and value < today():
        raise ActionError(_("The deadline %(date)s is in the past.") % {"date": value.isoformat()}, field=field)
    return value


def choice(value, choices, field: str) -> str:
    if value not in choices.values:
        raise ActionError(_("Unknown choice: %(value)s.") % {"value": value}, field=field)
    return value


def cadre(value) -> Cadre:
    """A registry cadre (given as a row or an id); an unknown id is a clear error, not a crash."""
    if isinstance(value, Cadre):
        return value
    try:
        found = Cadre.objects.select_related("unit").filter(pk=int(value)).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise ActionError(_("Unknown cadre."), field="cadre")
    return found
