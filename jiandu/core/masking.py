"""Masking of sensitive values for viewers who may not see them (UX.md, SECURITY.md,
docs/decisions/0008-masking-id-numbers.md).

An ID number (GB 11643) is six region digits, the birth date (eight digits), three sequence
digits and a check character. A viewer who may not see it gets the first two (the province) and
the last two characters, and the birth date as its year only: even knowing the region and the
gender, thousands of ID numbers fit what is shown. Showing more of either (e.g. the first and last
four characters beside the full birth date) lets anyone enumerate the handful of numbers that
pass the check character.
"""

import datetime as dt

ID_SHOWN_HEAD = 2
ID_SHOWN_TAIL = 2


def mask_id_number(value: str) -> str:
    """64**************34 (UX.md)."""
    if not value:
        return ""
    if len(value) <= ID_SHOWN_HEAD + ID_SHOWN_TAIL:
        return "*" * len(value)
    return value[:ID_SHOWN_HEAD] + "*" * (len(value) - ID_SHOWN_HEAD - ID_SHOWN_TAIL) + value[-ID_SHOWN_TAIL:]


def mask_birth_date(value: dt.date | None) -> str:
    """1975: the year of birth only."""
    if not value:
        return ""
    return f"{value.year:04d}"


def mask_phone(value: str) -> str:
    """138****5678 (UX.md)."""
    if not value or len(value) < 7:
        return value and "*" * len(value)
    return value[:3] + "****" + value[-4:]
