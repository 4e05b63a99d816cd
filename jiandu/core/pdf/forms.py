"""Forms and reports (a registration form, a record sheet): titled tables of labelled values with headings and signature lines, A4, page numbers."""

import datetime as dt
import decimal
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from fpdf import FPDF, FontFace
from fpdf.enums import TableCellFillMode, TextMode, VAlign, WrapMode, XPos, YPos

from .fonts import (
    BLANK_DATE,
    BODY_SIZE,
    FONT_FAMILY,
    HEADING_FILL,
    HEADING_SIZE,
    INK,
    LABEL_FILL,
    MUTED,
    PAGE_LABEL,
    SMALL_SIZE,
    TABLE_SIZE,
    TITLE_SIZE,
    regular_font_path,
)


def chinese_date(value: dt.date | dt.datetime | None) -> str:
    """2026年3月1日, as on official forms; blanks to fill in by hand when there is no date."""
    if value is None:
        return BLANK_DATE
    return f"{value.year}年{value.month}月{value.day}日"


def format_value(value) -> str:
    """How a field's value is printed: dates in Chinese, yes/no as 是/否, lists joined with 、."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return f"{chinese_date(value)} {value:%H:%M}"
    if isinstance(value, dt.date):
        return chinese_date(value)
    if isinstance(value, decimal.Decimal):
        return f"{value:,}"
    if isinstance(value, list | tuple | set):
        return "、".join(format_value(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class Field:
    """One numbered row of a form: a label and its value. `wide` fields take the whole row in
    the two-column layout (long text such as opinions and conclusions)."""

    label: str
    value: object = ""
    wide: bool = False


@dataclass(frozen=True)
class Heading:
    """A section heading inside a fields table (一、基本情况 …); not numbered."""

    text: str


@dataclass(frozen=True)
class Signature:
    """A signature line: who signs, optionally the printed name and the date signed."""

    label: str
    name: str = ""
    date: dt.date | None = None


class _FormPDF(FPDF):
    """FPDF with the form's running header (issuer, serial number) and footer (page x of n)."""

    issuer = ""
    serial = ""
    footer_text = ""
    page_label = PAGE_LABEL

    def header(self):
        if not (self.issuer or self.serial):
            return
        with self.local_context(font_size_pt=SMALL_SIZE, text_color=MUTED):
            top = self.get_y()
            self.cell(self.epw / 2, 5, self.issuer, align="L")
            self.set_xy(self.l_margin + self.epw / 2, top)
            self.cell(self.epw / 2, 5, self.serial, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.set_draw_color(*MUTED)
            self.set_line_width(0.2)
            self.line(self.l_margin, self.get_y() + 1, self.l_margin + self.epw, self.get_y() + 1)
        self.ln(5)

    def footer(self):
        self.set_y(-14)
        with self.local_context(font_size_pt=SMALL_SIZE, text_color=MUTED):
            if self.footer_text:
                self.cell(self.epw / 2, 6, self.footer_text, align="L")
                self.set_x(self.l_margin + self.epw / 2)
                self.cell(self.epw / 2, 6, self.page_label.format(page=self.page_no(), pages=self.alias_nb_pages_text()), align="R")
            else:
                self.cell(0, 6, self.page_label.format(page=self.page_no(), pages=self.alias_nb_pages_text()), align="C")

    def alias_nb_pages_text(self) -> str:
        return self.str_alias_nb_pages


class OfficialDocument:
    """An A4 official document built top to bottom: title, paragraphs, fields tables,
    signature lines. `output()` returns the PDF bytes."""

    def __init__(
        self,
        *,
        title: str,
        issuer: str = "",
        serial: str = "",
        footer: str = "",
        page_label: str = PAGE_LABEL,
        author: str = "",
        orientation: str = "portrait",
    ):
        pdf = _FormPDF(orientation=orientation, unit="mm", format="A4")
        pdf.issuer, pdf.serial, pdf.footer_text, pdf.page_label = issuer, serial, footer, page_label
        pdf.set_margins(left=22, top=18, right=22)
        pdf.set_auto_page_break(auto=True, margin=20)
        pdf.add_font(FONT_FAMILY, "", str(regular_font_path()))
        pdf.set_font(FONT_FAMILY, size=BODY_SIZE)
        pdf.set_text_color(*INK)
        pdf.set_title(title)
        pdf.set_author(author or issuer)
        pdf.set_creator("Jiandu")
        pdf.set_lang("zh-CN")
        pdf.add_page()
        self.pdf = pdf
        self._number = 0

    # --- text ------------------------------------------------------------------------------

    def strong(self):
        """Bold-ish text (a context manager): fill and stroke the glyph outlines."""
        return self.pdf.local_context(text_mode=TextMode.FILL_STROKE, line_width=0.25, draw_color=INK)

    def title(self, text: str, subtitle: str = ""):
        pdf = self.pdf
        pdf.ln(2)
        with self.strong(), pdf.local_context(font_size_pt=TITLE_SIZE):
            pdf.multi_cell(0, 11, text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT, wrapmode=WrapMode.CHAR)
        if subtitle:
            with pdf.local_context(font_size_pt=BODY_SIZE, text_color=MUTED):
                pdf.multi_cell(0, 7, subtitle, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT, wrapmode=WrapMode.CHAR)
        pdf.ln(4)

    def heading(self, text: str):
        pdf = self.pdf
        pdf.ln(2)
        with self.strong(), pdf.local_context(font_size_pt=HEADING_SIZE):
            pdf.multi_cell(0, 8, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT, wrapmode=WrapMode.CHAR)
        pdf.ln(1)

    def paragraph(self, text: str, *, indent: bool = True, size: float = BODY_SIZE):
        """A paragraph; Chinese paragraphs start with a two-character indent."""
        pdf = self.pdf
        with pdf.local_context(font_size_pt=size):
            for line in (text or "").splitlines() or [""]:
                pdf.multi_cell(
                    0, size * 0.62, ("　　" if indent and line else "") + line, align="J", new_x=XPos.LMARGIN, new_y=YPos.NEXT, wrapmode=WrapMode.CHAR
                )
        pdf.ln(2)

    # --- fields ----------------------------------------------------------------------------

    def fields(self, rows: Iterable[Field | Heading], *, columns: int = 1, numbered: bool = True):
        """A bordered table of label/value cells. One column: 序号 | 项目 | 内容. Two columns:
        label | value | label | value, with wide fields and headings across the row. Values wrap;
        rows never split across pages. Numbering continues across tables of one document."""
        if columns not in (1, 2):
            raise ValueError("columns must be 1 or 2")
        pdf = self.pdf
        label_style = FontFace(fill_color=LABEL_FILL)
        heading_style = FontFace(fill_color=HEADING_FILL)
        if columns == 1:
            widths = (10, 42, pdf.epw - 52) if numbered else (42, pdf.epw - 42)
        else:
            widths = (30, pdf.epw / 2 - 30, 30, pdf.epw / 2 - 30)
        ncols = len(widths)
        with (
            pdf.local_context(font_size_pt=TABLE_SIZE),
            pdf.table(
                col_widths=widths,
                width=pdf.epw,
                first_row_as_headings=False,
                line_height=TABLE_SIZE * 0.55,
                padding=(1.6, 1.8),
                text_align="LEFT",
                v_align=VAlign.M,
                wrapmode=WrapMode.CHAR,
                cell_fill_mode=TableCellFillMode.NONE,
                min_row_height=9,
            ) as table,
        ):
            pending: list[Field] = []

            def flush_pair():
                row = table.row()
                for field in pending:
                    row.cell(self._label(field, numbered), style=label_style, align="CENTER")
                    row.cell(format_value(field.value))
                if len(pending) == 1:
                    row.cell("", style=label_style)
                    row.cell("")
                pending.clear()

            for item in rows:
                if isinstance(item, Heading):
                    if pending:
                        flush_pair()
                    table.row().cell(item.text, colspan=ncols, style=heading_style)
                    continue
                if columns == 1:
                    row = table.row()
                    self._number += 1
                    if numbered:
                        row.cell(str(self._number), align="CENTER")
                    row.cell(item.label, style=label_style, align="CENTER")
                    row.cell(format_value(item.value))
                elif item.wide:
                    if pending:
                        flush_pair()
                    row = table.row()
                    row.cell(self._label(item, numbered), style=label_style, align="CENTER")
                    row.cell(format_value(item.value), colspan=3)
                else:
                    pending.append(item)
                    if len(pending) == 2:
                        flush_pair()
            if pending:
                flush_pair()
        pdf.ln(3)

    def _label(self, field: Field, numbered: bool) -> str:
        if not numbered:
            return field.label
        self._number += 1
        return f"{self._number}. {field.label}"

    # --- tables ----------------------------------------------------------------------------

    def table(self, headers: Sequence[str], rows: Iterable[Sequence], *, widths: Sequence[float], align=None, size: float = TABLE_SIZE):
        """A bordered grid with a shaded header row (repeated on every page); values are printed
        with format_value and wrap inside their cells. `align`: one of LEFT/CENTER/RIGHT, or one
        per column."""
        pdf = self.pdf
        with (
            pdf.local_context(font_size_pt=size),
            pdf.table(
                col_widths=widths,
                width=sum(widths),
                align="LEFT",
                headings_style=FontFace(fill_color=HEADING_FILL),
                line_height=size * 0.55,
                padding=(1.2, 1.5),
                text_align=align or "LEFT",
                v_align=VAlign.M,
                wrapmode=WrapMode.CHAR,
            ) as table,
        ):
            table.row([str(h) for h in headers])
            for values in rows:
                table.row([format_value(v) for v in values])
        pdf.ln(3)

    # --- signatures ------------------------------------------------------------------------

    def signatures(self, signatures: Sequence[Signature], *, note: str = ""):
        """Signature lines, one per signer: 「label（签字）：________    年  月  日」. Kept together
        on one page."""
        pdf = self.pdf
        line_height = 12
        needed = line_height * len(signatures) + (8 if note else 0) + 6
        if pdf.get_y() + needed > pdf.h - pdf.b_margin:
            pdf.add_page()
        pdf.ln(4)
        if note:
            with pdf.local_context(font_size_pt=SMALL_SIZE, text_color=MUTED):
                pdf.multi_cell(0, 5, note, new_x=XPos.LMARGIN, new_y=YPos.NEXT, wrapmode=WrapMode.CHAR)
            pdf.ln(2)
        label_width = 38
        name_width = 52
        for signature in signatures:
            y = pdf.get_y()
            pdf.set_x(pdf.l_margin)
            pdf.cell(label_width, line_height, f"{signature.label}（签字）：", align="R")
            pdf.cell(name_width, line_height, signature.name, align="C")
            pdf.set_draw_color(*INK)
            pdf.set_line_width(0.3)
            pdf.line(pdf.l_margin + label_width, y + line_height - 3, pdf.l_margin + label_width + name_width, y + line_height - 3)
            pdf.set_x(pdf.l_margin + pdf.epw - 50)
            pdf.cell(50, line_height, chinese_date(signature.date), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def date_line(self, date: dt.date | None = None, *, issuer: str = ""):
        """The closing block of a document: the issuing organ and the date, right-aligned."""
        pdf = self.pdf
        pdf.ln(6)
        if issuer:
            pdf.cell(0, 8, issuer, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.cell(0, 8, chinese_date(date), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def render_form(
    title: str,
    fields: Iterable[Field | Heading],
    signatures: Sequence[Signature] = (),
    *,
    subtitle: str = "",
    issuer: str = "",
    serial: str = "",
    intro: str = "",
    note: str = "",
    footer: str = "",
    columns: int = 1,
    numbered: bool = True,
    dated: dt.date | None = None,
) -> bytes:
    """A complete one-table official form: title, optional introduction, the numbered fields,
    signature lines with dates, and optionally the issuer and date at the bottom."""
    document = OfficialDocument(title=title, issuer=issuer, serial=serial, footer=footer)
    document.title(title, subtitle)
    if intro:
        document.paragraph(intro)
    document.fields(fields, columns=columns, numbered=numbered)
    if signatures:
        document.signatures(signatures, note=note)
    elif note:
        document.paragraph(note, indent=False, size=SMALL_SIZE)
    if dated is not None or (issuer and not signatures):
        document.date_line(dated, issuer=issuer)
    return document.output()


def pdf_response(content: bytes, filename: str):
    """An HTTP download of a generated PDF (attachment, UTF-8 file name per RFC 6266)."""
    from django.http import HttpResponse

    response = HttpResponse(content, content_type="application/pdf")
    # The plain-ASCII fallback keeps only characters that need no quoting: a name holding quotes,
    # CR/LF or path separators must not end the parameter or split the header.
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "_", filename.encode("ascii", "ignore").decode()).strip("._") or "document.pdf"
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response
