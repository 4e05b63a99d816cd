"""Rows of the registry's list exports. Columns match the import templates (plus a few facts
that only an export has), so an export can be edited and read back as an import."""

from django.utils.translation import gettext_lazy

from jiandu.core.exports import BOOL, DATE, INT, Column
from jiandu.core.masking import mask_birth_date, mask_id_number, mask_phone

from . import queries
from .imports import CADRE_COLUMNS, POSITION_COLUMNS, TENURE_COLUMNS, UNIT_COLUMNS

ACTIVE = Column("is_active", gettext_lazy("Active"), kind=BOOL, width=8)

UNIT_EXPORT_COLUMNS = (
    *UNIT_COLUMNS,
    ACTIVE,
    Column("serving_cadres", gettext_lazy("Serving cadres"), kind=INT, width=10),
    Column("positions", gettext_lazy("Positions"), kind=INT, width=8),
)

CADRE_EXPORT_COLUMNS = (*CADRE_COLUMNS, Column("current_positions", gettext_lazy("Current positions"), width=40))

POSITION_EXPORT_COLUMNS = (*POSITION_COLUMNS, ACTIVE, Column("current_count", gettext_lazy("Current holders"), kind=INT, width=8))

TENURE_EXPORT_COLUMNS = tuple(column for column in TENURE_COLUMNS if column.key != "id_number") + (
    Column("id_number", gettext_lazy("ID number"), width=21),
    Column("birth_on", gettext_lazy("Birth date"), kind=DATE, width=12),
)

CHUNK = 2000


def unit_rows(units):
    names = queries.unit_full_names()
    for unit in units:
        yield [
            unit.name,
            names.get(unit.parent_id, "") if unit.parent_id else "",
            unit.short_name,
            unit.kind,
            unit.order,
            unit.is_active,
            unit.serving_cadres,
            unit.position_count,
        ]


class SensitiveTally:
    """Counts rows whose ID number went out in clear, for the export's journal entry."""

    def __init__(self):
        self.clear = 0
        self.masked = 0

    def summary(self) -> str:
        if self.masked and self.clear:
            return "some"
        return "all" if self.clear else "none"


def cadre_rows(user, cadres, tally: SensitiveTally):
    names = queries.unit_full_names()
    may_see = queries.sensitive_checker(user)
    for cadre in queries.with_current_tenures(cadres).iterator(chunk_size=CHUNK):
        clear = may_see(cadre)
        if clear:
            tally.clear += 1
        else:
            tally.masked += 1
        yield [
            cadre.name,
            cadre.gender,
            cadre.ethnicity,
            cadre.birth_on if clear else mask_birth_date(cadre.birth_on),
            cadre.native_place,
            cadre.id_number if clear else mask_id_number(cadre.id_number),
            cadre.political_status,
            cadre.education,
            cadre.leadership_level,
            cadre.rank,
            cadre.phone if clear else mask_phone(cadre.phone),
            cadre.work_start_on,
            cadre.party_join_on,
            names.get(cadre.unit_id, cadre.unit.name),
            cadre.managed_by_district,
            cadre.status,
            "；".join(f"{t.position.unit.name}{t.position.title}" for t in cadre.current_tenures),
        ]


def position_rows(positions):
    names = queries.unit_full_names()
    for p in positions.iterator(chunk_size=CHUNK):
        yield [
            names.get(p.unit_id, p.unit.name),
            p.title,
            p.kind,
            p.level,
            p.is_principal,
            p.has_financial_authority,
            p.headcount,
            p.portfolio,
            p.public_contact,
            p.order,
            p.is_active,
            p.current_count,
        ]


def tenure_rows(user, tenures, tally: SensitiveTally):
    names = queries.unit_full_names()
    may_see = queries.sensitive_checker(user)
    for t in tenures.select_related("cadre__unit").iterator(chunk_size=CHUNK):
        clear = may_see(t.cadre)
        if clear:
            tally.clear += 1
        else:
            tally.masked += 1
        yield [
            t.cadre.name,
            names.get(t.position.unit_id, t.position.unit.name),
            t.position.title,
            t.started_on,
            t.start_method,
            t.is_acting,
            t.ended_on,
            t.end_reason,
            t.note,
            t.cadre.id_number if clear else mask_id_number(t.cadre.id_number),
            t.cadre.birth_on if clear else mask_birth_date(t.cadre.birth_on),
        ]
