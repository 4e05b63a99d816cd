"""Shared by the registry actions: the editable fields and the change record."""

from jiandu.accounts import access

UNIT_FIELDS = ("name", "short_name", "kind", "order", "is_active")
CADRE_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_on",
    "native_place",
    "id_number",
    "political_status",
    "education",
    "leadership_level",
    "rank",
    "phone",
    "work_start_on",
    "party_join_on",
    "managed_by_district",
    "status",
)
POSITION_FIELDS = ("title", "kind", "is_principal", "has_financial_authority", "level", "headcount", "portfolio", "public_contact", "order", "is_active")


def _changes(obj, values: dict, fields) -> dict:
    changed = {}
    for field in fields:
        if field in values and getattr(obj, field) != values[field]:
            changed[field] = [getattr(obj, field), values[field]]
            setattr(obj, field, values[field])
    return changed


def _require_unit(actor, unit, perm="registry.manage"):
    access.require(actor, perm, unit)
