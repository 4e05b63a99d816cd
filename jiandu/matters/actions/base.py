"""What the personal-matters actions share: text and date checks, the officer's right on a unit."""

import datetime as dt

from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core.errors import ActionError

from .. import queries

VIEW = queries.VIEW
# Only "report submitted" and the check's opening and result name the cadre in the journal (the
# cadre's timeline, shown to other roles); the rest (items, readings, replies, findings) stay on
# the report or check as target only (issue #18 Sensitivity).
PASSPORTS = queries.PASSPORTS
REASON_MAX = 500


def _text(value, field, label, *, max_length, required=True) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise ActionError(_("The value contains a character that is not allowed."), field=field)
    if required and not value:
        raise ActionError(_("Fill in “%(field)s”.") % {"field": label}, field=field)
    if len(value) > max_length:
        raise ActionError(_("“%(field)s” is longer than %(n)d characters.") % {"field": label, "n": max_length}, field=field)
    return value


def _date(value, field, label, *, not_future=True) -> dt.date:
    if not isinstance(value, dt.date):
        raise ActionError(_("Give the date: %(field)s.") % {"field": label}, field=field)
    if not_future and value > dt.date.today():
        raise ActionError(_("“%(field)s” cannot be in the future.") % {"field": label}, field=field)
    return value


def _officer(actor, unit) -> None:
    if not access.can(actor, VIEW, unit):
        raise access.NotVisible()
