"""Rows of the registry's list exports. Columns match the import templates (plus a few facts
that only an export has), so an export can be edited and read back as an import."""

import dataclasses

from django.utils.translation import gettext_lazy

from jiandu.core.exports import BOOL, DATE, INT, Column, SensitiveTally  # noqa: F401 - the views use exports.SensitiveTally
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

# What a viewer who may not see a cadre's sensitive facts gets in their place (docs/decisions/0008).
MASKS = {"id_number": mask_id_number, "birth_on": mask_birth_date, "phone": mask_phone}


def _masked(columns):
    return tuple(dataclasses.replace(c, mask=MASKS[c.key]) if c.key in MASKS else c for c in columns)


CADRE_EXPORT_COLUMNS = _masked((*CADRE_COLUMNS, Column("current_positions", gettext_lazy("Current positions"), width=40)))

POSITION_EXPORT_COLUMNS = (*POSITION_COLUMNS, ACTIVE, Column("current_count", gettext_lazy("Current holders"), kind=INT, width=8))

TENURE_EXPORT_COLUMNS = _masked(
    tuple(column for column in TENURE_COLUMNS if column.key != "id_number")
    + (
        Column("id_number", gettext_lazy("ID number"), width=21),
        Column("birth_on", gettext_lazy("Birth date"), kind=DATE, width=12),
    )
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


def cadre_rows(user, cadres, tally: SensitiveTally):
    names = queries.unit_full_names()
    may_see = queries.sensitive_checker(user)
    for cadre in queries.with_current_tenures(cadres).iterator(chunk_size=CHUNK):
        yield tally.row(
            CADRE_EXPORT_COLUMNS,
            [
                cadre.name,
                cadre.gender,
                cadre.ethnicity,
                cadre.birth_on,
                cadre.native_place,
                cadre.id_number,
                cadre.political_status,
                cadre.education,
                cadre.leadership_level,
                cadre.rank,
                cadre.phone,
                cadre.work_start_on,
                cadre.party_join_on,
                names.get(cadre.unit_id, cadre.unit.name),
                cadre.managed_by_district,
                cadre.status,
                "；".join(f"{t.position.unit.name}{t.position.title}" for t in cadre.current_tenures),
            ],
            may_see(cadre),
        )


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
        yield tally.row(
            TENURE_EXPORT_COLUMNS,
            [
                t.cadre.name,
                names.get(t.position.unit_id, t.position.unit.name),
                t.position.title,
                t.started_on,
                t.start_method,
                t.is_acting,
                t.ended_on,
                t.end_reason,
                t.note,
                t.cadre.id_number,
                t.cadre.birth_on,
            ],
            may_see(t.cadre),
        )
