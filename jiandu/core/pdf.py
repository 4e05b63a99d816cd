"""Official forms as PDF (UX.md "Printing"): A4, a title, numbered fields, signature and date lines.

The Chinese font (Noto Sans SC, SIL OFL) comes from the pip package justmytype-intl-cjk and is
embedded as a subset in every file, so a form renders the same on a fresh machine without fonts.
Noto Sans SC is a variable font whose default instance is Thin (wght 100). Its Regular weight
(400) is instantiated once per machine with fontTools (about ten seconds) and cached under
JIANDU_VAR_DIR/fonts; every document then loads the static file in a fraction of a second.
Titles and headings are set "bold-ish" by stroking the outline of the regular weight (text render
mode 2, which prints like 黑体) rather than caching a second weight.

Forms are official documents and are printed in Chinese whatever the interface language: the
fixed parts here (页码, 年 月 日) are Chinese; labels and values come from the caller.

    pdf = render_form("离任经济事项交接清单", [Field("姓名", "张伟明"), Field("交接日期", date(2026, 3, 1))],
                      signatures=[Signature("移交人"), Signature("接交人"), Signature("监交人")])
"""

import datetime as dt
import decimal
import logging
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from urllib.parse import quote

from fpdf import FPDF, FontFace
from fpdf.enums import TableCellFillMode, TextMode, VAlign, WrapMode, XPos, YPos

FONT_FAMILY = "NotoSansSC"
FONT_PACKAGE = "justmytype_intl_cjk"
FONT_FILE = ("fonts", "ofl", "notosanssc", "NotoSansSC[wght].ttf")

PAGE_LABEL = "第 {page} 页 共 {pages} 页"
BLANK_DATE = "　　年　　月　　日"

# Sizes in points: 二号 (22 pt) for a form's title, 四号 (14 pt) for section headings, 小四 (12 pt)
# for the body, 五号 (10.5 pt) for tables, small print 9 pt.
TITLE_SIZE = 20
HEADING_SIZE = 13
BODY_SIZE = 11
TABLE_SIZE = 10.5
SMALL_SIZE = 9

REGULAR_WEIGHT = 400

LABEL_FILL = (242, 242, 242)
HEADING_FILL = (225, 225, 225)
INK = (0, 0, 0)
MUTED = (90, 90, 90)

# fontTools reports every subsetting step at INFO level: one page of log per document.
logging.getLogger("fontTools").setLevel(logging.WARNING)


class FontMissing(RuntimeError):
    """The Chinese font could not be found (the justmytype-intl-cjk package is not installed)."""


@cache
def font_path() -> Path:
    """Path of NotoSansSC[wght].ttf inside the installed justmytype-intl-cjk package."""
    try:
        path = Path(str(files(FONT_PACKAGE).joinpath(*FONT_FILE)))
    except ModuleNotFoundError as exc:
        raise FontMissing(f"the Chinese font package {FONT_PACKAGE} is not installed (pip install justmytype-intl-cjk)") from exc
    if not path.is_file():
        raise FontMissing(f"{path} is missing from {FONT_PACKAGE}")
    return path


def _cache_dir() -> Path:
    from django.conf import settings

    for directory in (Path(settings.VAR_DIR) / "fonts", Path(tempfile.gettempdir()) / "jiandu-fonts"):
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(directory, os.W_OK):
            return directory
    raise FontMissing("no writable directory for the font cache (JIANDU_VAR_DIR)")


@cache
def regular_font_path() -> Path:
    """A static Regular instance of the variable font, built once and cached on disk. Concurrent
    first calls each build to a private file and rename it into place (atomic)."""
    source = font_path()
    stat = source.stat()
    directory = _cache_dir()
    target = directory / f"NotoSansSC-Regular-{stat.st_size}-{int(stat.st_mtime)}.ttf"
    if target.is_file():
        return target
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    font = instancer.instantiateVariableFont(TTFont(str(source)), {"wght": REGULAR_WEIGHT}, inplace=False, updateFontNames=True)
    handle, temporary = tempfile.mkstemp(dir=directory, suffix=".ttf.part")
    try:
        with os.fdopen(handle, "wb") as stream:
            font.save(stream)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return target


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


# --- Chinese line breaking (kinsoku, GB/T 15834 and common typesetting practice) ---------------

# Closing punctuation may not start a line; opening punctuation may not end one.
NO_LINE_START = frozenset("，。；：、）》！？…—’”」』〕】〉｝］,.;:!?)]}%％·・‰℃")
NO_LINE_END = frozenset("（《“‘「『〔【〈｛［([{")


def _is_word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _breakable(line: str, rest: str) -> bool:
    """A line may end after `line` with `rest` following it."""
    if not line or not rest:
        return True
    if rest[0] in NO_LINE_START or line[-1] in NO_LINE_END:
        return False
    return not (_is_word(line[-1]) and _is_word(rest[0]))  # keep numbers and Latin words whole


def break_lines(text: str, width: float, measure) -> list[str]:
    """Break one paragraph into lines no wider than `width` (as `measure(str)` reports), character
    by character as Chinese is set, but never starting a line with closing punctuation (，。；：、）》…)
    nor ending one with opening punctuation (（《“…), and without splitting a number or a Latin word.
    The characters that would break a rule move to the next line together (push-out); a run that
    cannot be broken at all is broken where it overflows."""
    lines: list[str] = []
    line = ""
    for ch in text:
        if not line or measure(line + ch) <= width:
            line += ch
            continue
        cut = len(line)
        while cut > 0 and not _breakable(line[:cut], line[cut:] + ch):
            cut -= 1
        if cut == 0:
            cut = len(line)  # nothing acceptable: break where it overflows
        lines.append(line[:cut])
        line = line[cut:] + ch
        while len(line) > 1 and measure(line) > width:  # a long unbreakable run carried over
            lines.append(line[:-1])
            line = line[-1]
    lines.append(line)
    return lines


# --- GB/T 9704-2012 official documents (党政机关公文格式) ---------------------------------------

SERIF_FAMILY = "NotoSerifSC"
# Noto Serif CJK (SIL OFL), from Debian's fonts-noto-cjk (or the same files elsewhere): face 2 of
# each collection is Simplified Chinese. Override with JIANDU_PDF_SERIF_FONT=/path/Regular.ttc.
SERIF_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-{weight}.ttc",
    "/usr/share/fonts/noto-cjk/NotoSerifCJK-{weight}.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSerifCJK-{weight}.ttc",
    "/usr/local/share/fonts/NotoSerifCJK-{weight}.ttc",
)
SERIF_SC_FACE = 2

# GB/T 9704 5.2: A4, top margin (天头) 37 mm, binding-side margin 28 mm, type area 156 × 225 mm,
# 22 lines of 28 characters in 3号 (16 pt) 仿宋 by default.
DOC_TOP, DOC_LEFT, DOC_WIDTH, DOC_HEIGHT = 37, 28, 156, 225
DOC_LINES, DOC_CHARS = 22, 28
DOC_LINE = DOC_HEIGHT / DOC_LINES  # 10.23 mm
DOC_BODY_PT = DOC_WIDTH / DOC_CHARS / 0.352778  # 15.8 pt: exactly 28 characters a line
DOC_TITLE_PT = 22  # 2号
DOC_NOTE_PT = 14  # 4号: 版记 and page numbers
DOC_MARK_PT = 30  # 发文机关标志, shrunk to fit the line when the name is long
OFFICIAL_RED = (230, 0, 18)


@cache
def serif_font_paths() -> tuple[Path, Path] | None:
    """(Regular, Bold) collections of Noto Serif CJK, or None when none is installed."""
    override = os.environ.get("JIANDU_PDF_SERIF_FONT", "")
    if override:
        regular = Path(override)
        bold = Path(override.replace("Regular", "Bold"))
        return (regular, bold if bold.is_file() else regular) if regular.is_file() else None
    for pattern in SERIF_CANDIDATES:
        regular, bold = Path(pattern.format(weight="Regular")), Path(pattern.format(weight="Bold"))
        if regular.is_file():
            return regular, bold if bold.is_file() else regular
    return None


def chinese_numeral_date(value: dt.date) -> str:
    """成文日期 in Chinese numerals (GB/T 9704 7.3.5.1): 二〇二六年三月一日, 十二月三十一日."""
    digits = "〇一二三四五六七八九"

    def small(n: int) -> str:
        if n < 10:
            return digits[n]
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")

    return "".join(digits[int(d)] for d in str(value.year)) + f"年{small(value.month)}月{small(value.day)}日"


class _GovPDF(FPDF):
    """Page numbers as GB/T 9704 7.5: 4号 「— 1 —」 7 mm below the type area, right on odd
    pages and left on even ones, one character in from the edge."""

    def footer(self):
        self.set_y(DOC_TOP + DOC_HEIGHT + 7)
        label = f"— {self.page_no()} —"
        with self.local_context(font_family=self._number_family, font_style="", font_size_pt=DOC_NOTE_PT, text_color=INK):
            char = DOC_NOTE_PT * 0.352778
            width = self.get_string_width(label)
            x = DOC_LEFT + DOC_WIDTH - char - width if self.page_no() % 2 else DOC_LEFT + char
            self.set_x(x)
            self.cell(width, 6, label)


class GovernmentDocument:
    """One layout for every letter and notice the offices issue (函, 通知, 决定 …), after GB/T
    9704-2012: the issuing organ's mark in red, the document number (发文字号) and a red rule,
    the title in a bold serif, the addressee, the body in a serif with 28 characters a line and
    Chinese line breaking, the issuing organ and the date in Chinese numerals with the seal area
    over them, and the 版记 with the copy line (抄送) and the printing organ and date at the
    foot of the last page.

        document = GovernmentDocument(title="函询函", issuer="中共示范区委组织部", number="示组函〔2026〕3号")
        document.addressee("张伟明同志：")
        document.paragraph("根据……")
        document.closing(dt.date(2026, 3, 1))
        pdf = document.output(copy_to="示范区财政局王局长同志", printed_on=dt.date(2026, 3, 1))

    Serif: Noto Serif CJK SC (bold for the mark and the title). Without it the document falls back
    to Noto Sans SC, stroked for bold, and `serif` is False."""

    def __init__(self, *, title: str, issuer: str, number: str = "", letter: bool = True):
        pdf = _GovPDF(orientation="portrait", unit="mm", format="A4")
        pdf.set_margins(left=DOC_LEFT, top=DOC_TOP, right=210 - DOC_LEFT - DOC_WIDTH)
        pdf.set_auto_page_break(auto=True, margin=297 - DOC_TOP - DOC_HEIGHT)
        fonts = serif_font_paths()
        self.serif = fonts is not None
        if fonts:
            pdf.add_font(SERIF_FAMILY, "", str(fonts[0]), collection_font_number=SERIF_SC_FACE)
            pdf.add_font(SERIF_FAMILY, "B", str(fonts[1]), collection_font_number=SERIF_SC_FACE)
            self.family = SERIF_FAMILY
        else:
            pdf.add_font(FONT_FAMILY, "", str(regular_font_path()))
            self.family = FONT_FAMILY
        pdf._number_family = self.family
        pdf.set_font(self.family, size=DOC_BODY_PT)
        pdf.set_text_color(*INK)
        pdf.set_title(title)
        pdf.set_author(issuer)
        pdf.set_creator("Jiandu")
        pdf.set_lang("zh-CN")
        self.pdf, self.title_text, self.issuer, self.number, self.letter = pdf, title, issuer, number, letter
        pdf.add_page()
        self._head()

    # --- pieces ------------------------------------------------------------------------------

    def _bold(self, size: float):
        if self.serif:
            return self.pdf.local_context(font_family=self.family, font_style="B", font_size_pt=size)
        return self.pdf.local_context(font_size_pt=size, text_mode=TextMode.FILL_STROKE, line_width=0.3)

    def _char(self, size: float = DOC_BODY_PT) -> float:
        return size * 0.352778

    def _head(self):
        """发文机关标志 (red, centred), then the red rule and the document number: for a letter
        (信函格式) a double rule with the number at the right below it; otherwise the number
        centred above a single rule."""
        pdf = self.pdf
        pdf.set_y(DOC_TOP - 7 if self.letter else DOC_TOP + 10)
        size = DOC_MARK_PT
        with self._bold(size):
            while size > 14 and pdf.get_string_width(self.issuer) > DOC_WIDTH:
                size -= 1
                pdf.set_font_size(size)
            with pdf.local_context(text_color=OFFICIAL_RED, draw_color=OFFICIAL_RED):
                pdf.cell(DOC_WIDTH, self._char(size) * 1.3, self.issuer, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_draw_color(*OFFICIAL_RED)
        left, right = DOC_LEFT, DOC_LEFT + DOC_WIDTH
        if self.letter:
            y = pdf.get_y() + 4
            pdf.set_line_width(0.8)
            pdf.line(left - 7, y, right + 7, y)
            pdf.set_line_width(0.3)
            pdf.line(left - 7, y + 1.3, right + 7, y + 1.3)
            pdf.set_y(y + 4)
            if self.number:
                pdf.cell(DOC_WIDTH, DOC_LINE, self.number, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        else:
            pdf.ln(DOC_LINE * 1.5)
            if self.number:
                pdf.cell(DOC_WIDTH, DOC_LINE, self.number, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            y = pdf.get_y() + 4
            pdf.set_line_width(0.6)
            pdf.line(left, y, right, y)
            pdf.set_y(y + 2)
        pdf.set_draw_color(*INK)
        pdf.ln(DOC_LINE)
        with self._bold(DOC_TITLE_PT):
            for line in break_lines(self.title_text, DOC_WIDTH, pdf.get_string_width):
                pdf.cell(DOC_WIDTH, self._char(DOC_TITLE_PT) * 1.5, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(DOC_LINE * 0.6)

    def _lines(self, lines: Sequence[str], *, justify_last: bool = False, indent_first: float = 0.0):
        pdf = self.pdf
        for index, line in enumerate(lines):
            offset = indent_first if index == 0 else 0.0
            available = DOC_WIDTH - offset
            spacing = 0.0
            if (index < len(lines) - 1 or justify_last) and len(line) > 1:
                spacing = max(0.0, (available - pdf.get_string_width(line)) / (len(line) - 1))
                spacing = min(spacing, self._char() * 0.5)
            if pdf.get_y() + DOC_LINE > DOC_TOP + DOC_HEIGHT + 0.01:
                pdf.add_page()
            pdf.set_x(DOC_LEFT + offset)
            with pdf.local_context(char_spacing=spacing * 72 / 25.4 if spacing else 0):
                pdf.cell(available, DOC_LINE, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def addressee(self, text: str):
        """主送机关 / salutation: flush left, one line under the title."""
        self._lines(break_lines(text, DOC_WIDTH, self.pdf.get_string_width))

    def paragraph(self, text: str, *, indent: bool = True):
        """Body text: each line of `text` a paragraph, first line indented two characters,
        justified, broken by the Chinese rules."""
        pdf = self.pdf
        for raw in (text or "").splitlines() or [""]:
            raw = raw.strip()
            if not raw:
                pdf.ln(DOC_LINE)
                continue
            first = 2 * self._char() if indent else 0.0
            # Break the first line against the narrower measure, then the rest at full width.
            head = break_lines(raw, DOC_WIDTH - first, pdf.get_string_width)[0]
            rest = raw[len(head) :]
            lines = [head] + (break_lines(rest, DOC_WIDTH, pdf.get_string_width) if rest else [])
            self._lines(lines, indent_first=first)

    def closing(self, date: dt.date | None, *, seal: bool = True, signer: str = ""):
        """发文机关署名 and 成文日期 (GB/T 9704 7.3.5.1): the date four characters in from the right,
        the signer centred over it, and the seal area (a dashed circle, 42 mm) pressing on both,
        its top within one line of the text above."""
        pdf = self.pdf
        signer = signer or self.issuer
        needed = DOC_LINE * 4
        if pdf.get_y() + needed > DOC_TOP + DOC_HEIGHT:
            pdf.add_page()
        pdf.ln(DOC_LINE)
        top = pdf.get_y()
        date_text = chinese_numeral_date(date) if date else "　　年　　月　　日"
        date_width = pdf.get_string_width(date_text)
        date_right = DOC_LEFT + DOC_WIDTH - 4 * self._char()
        date_left = date_right - date_width
        centre = date_left + date_width / 2
        signer_width = pdf.get_string_width(signer)
        signer_left = min(centre - signer_width / 2, DOC_LEFT + DOC_WIDTH - signer_width)
        pdf.set_xy(signer_left, top + DOC_LINE)
        pdf.cell(signer_width, DOC_LINE, signer)
        pdf.set_xy(date_left, top + 2 * DOC_LINE)
        pdf.cell(date_width, DOC_LINE, date_text)
        if seal:
            radius = 21
            centre_y = top + 2 * DOC_LINE - 2
            with pdf.local_context(draw_color=OFFICIAL_RED, line_width=0.25):
                pdf.set_dash_pattern(dash=1.5, gap=1.5)
                pdf.circle(x=centre, y=centre_y, radius=radius)
                pdf.set_dash_pattern()
            self.seal_box = (centre - radius, centre_y - radius, centre + radius, centre_y + radius)
        pdf.set_xy(DOC_LEFT, top + 3 * DOC_LINE)

    def signature(self, label: str):
        """A line for a handwritten signature and date, e.g. the addressee's receipt."""
        pdf = self.pdf
        if pdf.get_y() + 2 * DOC_LINE > DOC_TOP + DOC_HEIGHT:
            pdf.add_page()
        pdf.ln(DOC_LINE * 0.5)
        text = f"{label}（签字）：" + "　" * 7 + "　　年　　月　　日"
        self._lines([text])
        y = pdf.get_y() - 2.5
        start = DOC_LEFT + pdf.get_string_width(f"{label}（签字）：")
        pdf.set_line_width(0.3)
        pdf.line(start, y, start + 7 * self._char(), y)

    def _record(self, copy_to: str, printed_by: str, printed_on: dt.date | None):
        """版记 (GB/T 9704 7.4) at the foot of the last page: 抄送 between rules, then the printing
        organ and date, in 4号."""
        pdf = self.pdf
        size = DOC_NOTE_PT
        char = self._char(size)
        pitch = char * 1.9
        rows = []
        if copy_to:
            rows.extend(
                ("copy", line) for line in break_lines(f"抄送：{copy_to}。", DOC_WIDTH - 2 * char, lambda s: pdf.get_string_width(s) * size / pdf.font_size_pt)
            )
        rows.append(("printed", ""))
        height = pitch * len(rows) + 2
        bottom = DOC_TOP + DOC_HEIGHT
        if pdf.get_y() + height > bottom:
            pdf.add_page()
        y = bottom - height
        with pdf.local_context(font_size_pt=size):
            pdf.set_line_width(0.35)
            pdf.line(DOC_LEFT, y, DOC_LEFT + DOC_WIDTH, y)
            for index, (kind, text) in enumerate(rows):
                pdf.set_y(y + 1)
                if kind == "copy":
                    pdf.set_x(DOC_LEFT + char)
                    pdf.cell(DOC_WIDTH - 2 * char, pitch, text)
                    y += pitch
                    if index + 1 < len(rows) and rows[index + 1][0] != "copy":
                        pdf.set_line_width(0.25)
                        pdf.line(DOC_LEFT, y + 1, DOC_LEFT + DOC_WIDTH, y + 1)
                else:
                    pdf.set_x(DOC_LEFT + char)
                    pdf.cell(DOC_WIDTH / 2, pitch, printed_by)
                    date_text = f"{printed_on.year}年{printed_on.month}月{printed_on.day}日印发" if printed_on else ""
                    pdf.set_x(DOC_LEFT + DOC_WIDTH / 2)
                    pdf.cell(DOC_WIDTH / 2 - char, pitch, date_text, align="R")
                    y += pitch
            pdf.set_line_width(0.35)
            pdf.line(DOC_LEFT, y + 1, DOC_LEFT + DOC_WIDTH, y + 1)

    def output(self, *, copy_to: str = "", printed_by: str = "", printed_on: dt.date | None = None) -> bytes:
        """The PDF bytes, with the 版记 (copy line, printing organ and date) on the last page."""
        self._record(copy_to, printed_by or self.issuer, printed_on)
        return bytes(self.pdf.output())


def document_filename(*parts: str) -> str:
    """A download name in Chinese from its parts (函询函, the cadre, the number), without
    characters that file systems refuse: 函询函-张伟明-示组函〔2026〕3号.pdf."""
    cleaned = [re.sub(r'[\\/:*?"<>|\r\n\t]+', "", part).strip() for part in parts]
    return "-".join(part for part in cleaned if part) + ".pdf"
