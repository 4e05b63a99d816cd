"""Validators for registry fields: GB 11643-1999 citizen ID numbers and mainland mobile numbers."""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jiandu.core.masking import mask_id_number, mask_phone  # noqa: F401  (re-exported)

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")
_PHONE_RE = re.compile(r"^1[3-9]\d{9}$")


def id_check_digit(first17: str) -> str:
    """GB 11643 check character of the first 17 digits (ISO 7064 MOD 11-2)."""
    return _CHECK[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def normalise_id_number(value: str) -> str:
    return (value or "").strip().upper()


def id_number_problem(value: str) -> str | None:
    """A translated description of what is wrong with an ID number, or None if it is valid."""
    value = normalise_id_number(value)
    if not _ID_RE.match(value):
        return _("ID number must be 17 digits followed by a digit or X (18 characters).")
    try:
        born = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return _("ID number contains an impossible birth date.")
    if born.year < 1900 or born > dt.date.today():
        return _("ID number contains an impossible birth date.")
    if id_check_digit(value[:17]) != value[17]:
        return _("ID number check digit is wrong (GB 11643).")
    return None


def validate_id_number(value: str) -> None:
    problem = id_number_problem(value)
    if problem:
        raise ValidationError(problem, code="id_number")


def birth_date_from_id(value: str) -> dt.date:
    value = normalise_id_number(value)
    return dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))


def gender_from_id(value: str) -> str:
    return "male" if int(normalise_id_number(value)[16]) % 2 else "female"


def phone_problem(value: str) -> str | None:
    if value and not _PHONE_RE.match(value):
        return _("Phone must be an 11-digit mainland mobile number starting with 1.")
    return None


def make_id_number(region: str, born: dt.date, serial: int) -> str:
    """Build a valid ID number (for demo data and tests): 6-digit region, birth date, 3-digit
    serial (odd for men, even for women), check character."""
    first17 = f"{region}{born:%Y%m%d}{serial % 1000:03d}"
    return first17 + id_check_digit(first17)
