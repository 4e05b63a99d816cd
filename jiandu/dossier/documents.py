"""The dossier as a document: 干部监督档案 (PDF, core.pdf) and a workbook (core.exports).

Both show what the page shows the same reader, with the registry's masking (ID number and birth
date masked without registry.view_sensitive), and leave clues out: a clue is read in the system,
where each read is journaled, never carried away in a file."""

import datetime as dt
import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from jiandu.core import exports, pdf
from jiandu.core.masking import mask_birth_date, mask_id_number
from jiandu.core.timeline import SECRET

TITLE = "干部监督档案"


def exportable(entries):
    return [e for e in entries if e.sensitivity != SECRET]


def header_fields(header: dict) -> list[tuple[str, str]]:
    cadre = header["cadre"]
    sensitive = header["sensitive"]
    return [
        (pgettext("person", "name"), cadre.name),
        (_("ID number"), cadre.id_number if sensitive else mask_id_number(cadre.id_number)),
        (_("Birth date"), cadre.birth_on.isoformat() if sensitive else mask_birth_date(cadre.birth_on)),
        (_("Unit"), cadre.unit.name),
        (_("Current post"), "；".join(header["posts"]) or "—"),
        (_("Rank"), cadre.get_rank_display() or "—"),
        (_("Status"), cadre.get_status_display()),
        (_("Influence periods"), "；".join(f"{f.label}：{f.text}" + (f"（{f.until.isoformat()}）" if f.until else "") for f in header["status"]) or "—"),
    ]


def render_pdf(header: dict, entries, labels: dict[str, str], *, today: dt.date) -> bytes:
    document = pdf.OfficialDocument(title=TITLE, issuer=header.get("issuer", ""))
    document.title(TITLE, header["cadre"].name)
    document.fields([pdf.Field(label, value) for label, value in header_fields(header)], columns=2)
    document.heading(_("Supervision record"))
    rows = [(e.date.isoformat(), str(labels.get(e.pillar, "")), e.kind, e.title, e.summary) for e in exportable(entries)]
    document.table([_("Date"), _("Area"), _("Kind"), _("Matter"), _("Details")], rows, widths=(22, 24, 20, 46, 54))
    document.date_line(today)
    return document.output()


def render_xlsx(header: dict, entries, labels: dict[str, str]) -> bytes:
    columns = [
        exports.Column("date", _("Date"), exports.DATE, width=12),
        exports.Column("area", _("Area"), width=14),
        exports.Column("kind", _("Kind"), width=12),
        exports.Column("title", _("Matter"), width=40),
        exports.Column("summary", _("Details"), width=60),
    ]
    cadre_rows = [(None, label, "", value, "") for label, value in header_fields(header)]
    rows = cadre_rows + [(e.date, str(labels.get(e.pillar, "")), e.kind, e.title, e.summary) for e in exportable(entries)]
    buffer = io.BytesIO()
    exports.write_rows(buffer, columns=columns, rows=rows, sheet_title=TITLE)
    return buffer.getvalue()
