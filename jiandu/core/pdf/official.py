"""GB/T 9704-2012 official documents (党政机关公文格式): red issuing-organ mark, document number, serif title and body of exactly 28 characters a line and 22 lines a page."""

import datetime as dt
import os
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import TextMode, XPos, YPos

from .fonts import FONT_FAMILY, INK, regular_font_path
from .lines import break_lines

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
