"""Masking of sensitive values for viewers who may not see them (UX.md, SECURITY.md)."""


def mask_id_number(value: str) -> str:
    """6402**********1234 (UX.md)."""
    if not value:
        return ""
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    """138****5678 (UX.md)."""
    if not value or len(value) < 7:
        return value and "*" * len(value)
    return value[:3] + "****" + value[-4:]
