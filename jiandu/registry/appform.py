"""The 干部任免审批表 as a two-page A4 PDF in its familiar layout (issue 12 part 3).

Page 1: the title, the grid of personal fields with the photo box, education in two blocks,
现任/拟任/拟免职务 and the 简历 block. Page 2: 奖惩情况, 年度考核结果, 任免理由, the family table and
the 呈报单位 / 审批机关意见 / 行政机关任免意见 boxes. Serif CJK (Noto Serif CJK when installed, else
the bundled sans). Every cell's text is fitted: it shrinks from the cell's size down to a readable
minimum (MIN_PT) and only then is cut, with "…" at the end, rather than overflowing the grid.
The form is printed in Chinese whatever the interface language (it is an official form).
"""

import datetime as dt
import io

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from jiandu.core.pdf import FONT_FAMILY, SERIF_FAMILY, SERIF_SC_FACE, break_lines, regular_font_path, serif_font_paths

from . import lrmx
from .models import Cadre

LEFT, TOP, WIDTH = 15, 22, 180
MIN_PT = 7
LABEL_PT = 11
VALUE_PT = 11
FAMILY_ROWS = 7
PT_MM = 0.352778


def _age(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class _Sheet:
    def __init__(self, title: str):
        pdf = FPDF(orientation="P", unit="mm", format="A4")
        pdf.set_auto_page_break(False)
        pdf.set_margins(LEFT, TOP, 210 - LEFT - WIDTH)
        fonts = serif_font_paths()
        if fonts:
            pdf.add_font(SERIF_FAMILY, "", str(fonts[0]), collection_font_number=SERIF_SC_FACE)
            pdf.add_font(SERIF_FAMILY, "B", str(fonts[1]), collection_font_number=SERIF_SC_FACE)
            self.family, self.bold = SERIF_FAMILY, "B"
        else:
            pdf.add_font(FONT_FAMILY, "", str(regular_font_path()))
            self.family, self.bold = FONT_FAMILY, ""
        pdf.set_font(self.family, size=VALUE_PT)
        pdf.set_title(title)
        pdf.set_creator("Jiandu")
        pdf.set_lang("zh-CN")
        pdf.set_line_width(0.3)
        self.pdf = pdf

    def lines_at(self, text: str, width: float, size: float) -> list[str]:
        self.pdf.set_font(self.family, "", size)
        out = []
        for paragraph in (text or "").split("\n"):
            out.extend(break_lines(paragraph, width, self.pdf.get_string_width))
        return out

    def fit(self, text: str, width: float, height: float, size: float) -> tuple[float, list[str]]:
        """The largest size from `size` down to MIN_PT at which `text` fits; at MIN_PT the lines
        that do not fit are cut and the last one ends with …"""
        current = size
        while True:
            lines = self.lines_at(text, width, current)
            if len(lines) * current * PT_MM * 1.25 <= height or current <= MIN_PT:
                break
            current = max(MIN_PT, current - 0.5)
        room = max(1, int(height // (current * PT_MM * 1.25)))
        if len(lines) > room:
            lines = lines[:room]
            lines[-1] = lines[-1][:-1] + "…" if lines[-1] else "…"
        return current, lines

    def cell(self, x, y, w, h, text="", *, size=VALUE_PT, align="C", valign="M", bold=False, border=True):
        pdf = self.pdf
        if border:
            pdf.rect(x, y, w, h)
        text = text or ""
        if not text:
            return
        pad = 1.2
        size, lines = self.fit(text, w - 2 * pad, h - 2 * pad, size)
        line_h = size * PT_MM * 1.25
        block = line_h * len(lines)
        top = y + (h - block) / 2 if valign == "M" else y + pad
        pdf.set_font(self.family, self.bold if bold else "", size)
        for index, line in enumerate(lines):
            pdf.set_xy(x + pad, top + index * line_h)
            pdf.cell(w - 2 * pad, line_h, line, align=align)

    def resume(self, x, y, w, h, rows):
        """The 简历 block: dates in a fixed column, text wrapped under itself (hanging indent)."""
        pdf = self.pdf
        pdf.rect(x, y, w, h)
        pad = 2
        size = VALUE_PT
        while True:
            pdf.set_font(self.family, "", size)
            date_w = pdf.get_string_width("0000.00--0000.00") + 2 * size * PT_MM
            chunks = [break_lines(row["text"], w - 2 * pad - date_w, pdf.get_string_width) for row in rows]
            line_h = size * PT_MM * 1.35
            if sum(len(c) for c in chunks) * line_h <= h - 2 * pad or size <= MIN_PT:
                break
            size = max(MIN_PT, size - 0.5)
        room = int((h - 2 * pad) // line_h)
        line = 0
        for row, chunk in zip(rows, chunks, strict=True):
            for index, text in enumerate(chunk):
                if line >= room:
                    return
                pdf.set_xy(x + pad, y + pad + line * line_h)
                if index == 0:
                    pdf.cell(date_w, line_h, f"{row['start']}--{row['end']}")
                pdf.set_xy(x + pad + date_w, y + pad + line * line_h)
                pdf.cell(w - 2 * pad - date_w, line_h, text)
                line += 1

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def render(cadre: Cadre, *, on: dt.date | None = None, proposal: dict | None = None) -> bytes:
    """The filled form of `cadre` (in clear: the caller decides who may print it). `proposal`
    fills 拟任/拟免职务 and 任免理由 (and 现任职务) for one appointment (lrmx.PROPOSAL_KEYS)."""
    values = lrmx.proposal_values(cadre, proposal)
    on = values["age_on"] or on or dt.date.today()
    sheet = _Sheet("干部任免审批表")
    pdf = sheet.pdf
    pdf.add_page()
    pdf.set_font(sheet.family, sheet.bold, 22)
    pdf.set_xy(LEFT, TOP - 12)
    pdf.cell(WIDTH, 10, "干部任免审批表", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    # The grid: 7 columns of labels and values; the photo takes the last column of 4 rows.
    widths = [22, 27, 22, 27, 24, 27]
    photo_w = WIDTH - sum(widths)
    xs = [LEFT]
    for w in widths:
        xs.append(xs[-1] + w)
    y = TOP
    row_h = 13
    born = cadre.birth_on
    cells = [
        (
            "姓　　名",
            cadre.name,
            "性　　别",
            {"male": "男", "female": "女"}.get(cadre.gender, ""),
            "出生年月\n（  岁）",
            f"{lrmx.format_month(born)}\n（{_age(born, on)}岁）",
        ),
        ("民　　族", cadre.ethnicity, "籍　　贯", cadre.native_place, "出 生 地", values["birthplace"]),
        ("入党时间", lrmx.format_month(cadre.party_join_on), "参加工作\n时　　间", lrmx.format_month(cadre.work_start_on), "健康状况", values["health"]),
    ]
    for row in cells:
        for column, text in enumerate(row):
            sheet.cell(
                xs[column],
                y,
                widths[column],
                row_h,
                text.replace("（  岁）", "（岁）") if column == 4 else text,
                size=LABEL_PT if column % 2 == 0 else VALUE_PT,
            )
        y += row_h
    sheet.cell(xs[0], y, widths[0], row_h, "专业技术\n职　　务")
    sheet.cell(xs[1], y, widths[1] + widths[2], row_h, values["professional_title"])
    sheet.cell(xs[3], y, widths[3], row_h, "熟悉专业\n有何专长")
    sheet.cell(xs[4], y, widths[4] + widths[5], row_h, values["specialty"])
    # Photo box over the first four rows.
    photo_x = xs[6]
    pdf.rect(photo_x, TOP, photo_w, row_h * 4)
    if values["photo"]:
        try:
            pdf.image(io.BytesIO(values["photo"]), x=photo_x + 1, y=TOP + 1, w=photo_w - 2, h=row_h * 4 - 2, keep_aspect_ratio=True)
        except Exception:  # noqa: BLE001 - a photo the image library cannot draw leaves the box empty
            sheet.cell(photo_x, TOP, photo_w, row_h * 4, "（照片）", border=False)
    else:
        sheet.cell(photo_x, TOP, photo_w, row_h * 4, "（照片）", border=False)
    y += row_h
    # Education: two blocks.
    edu_label_w, kind_w = 22, 22
    value_w = 50
    school_label_w = 30
    school_w = WIDTH - edu_label_w - kind_w - value_w - school_label_w
    sheet.cell(LEFT, y, edu_label_w, row_h * 2, "学　　历\n学　　位")
    for index, (kind, education, degree, school, degree_school) in enumerate(
        (
            ("全日制\n教　　育", values["fulltime_education"], values["fulltime_degree"], values["fulltime_school"], values["fulltime_degree_school"]),
            ("在　　职\n教　　育", values["parttime_education"], values["parttime_degree"], values["parttime_school"], values["parttime_degree_school"]),
        )
    ):
        top = y + index * row_h
        x = LEFT + edu_label_w
        sheet.cell(x, top, kind_w, row_h, kind)
        sheet.cell(x + kind_w, top, value_w, row_h, "\n".join(t for t in (education, degree) if t))
        sheet.cell(x + kind_w + value_w, top, school_label_w, row_h, "毕业院校\n系及专业")
        schools = school if not degree_school or degree_school == school else f"{school}\n{degree_school}"
        sheet.cell(x + kind_w + value_w + school_label_w, top, school_w, row_h, schools, align="L")
    y += row_h * 2
    for label, text in (("现 任 职 务", values["current_post"]), ("拟 任 职 务", values["proposed_post"]), ("拟 免 职 务", values["proposed_removal"])):
        sheet.cell(LEFT, y, 44, 11, label)
        sheet.cell(LEFT + 44, y, WIDTH - 44, 11, text, align="L")
        y += 11
    bottom = 297 - 15
    sheet.cell(LEFT, y, 14, bottom - y, "简\n\n\n\n历")
    sheet.resume(LEFT + 14, y, WIDTH - 14, bottom - y, values["resume"])
    # Page 2.
    pdf.add_page()
    y = 15
    for label, text, height in (
        ("奖\n惩\n情\n况", values["rewards"], 26),
        ("年度\n考核\n结果", values["appraisals"], 20),
        ("任\n免\n理\n由", values["reason"], 24),
    ):
        sheet.cell(LEFT, y, 14, height, label)
        sheet.cell(LEFT + 14, y, WIDTH - 14, height, text, align="L", valign="T")
        y += height
    family_widths = [16, 22, 22, 24, WIDTH - 14 - 16 - 22 - 22 - 24]
    header = ("称谓", "姓名", "出生年月", "政治面貌", "工作单位及职务")
    sheet.cell(LEFT, y, 14, 9 * (FAMILY_ROWS + 1), "家庭主要\n成员及重\n要社会关\n系")
    x = LEFT + 14
    for w, text in zip(family_widths, header, strict=True):
        sheet.cell(x, y, w, 9, text)
        x += w
    y += 9
    members = values["family"]
    for index in range(max(FAMILY_ROWS, len(members))):
        member = members[index] if index < len(members) else None
        row = ("", "", "", "", "")
        if member:
            title = lrmx.KINSHIP_OUT.get(member["relation"]) or ("妻子" if cadre.gender == "male" else "丈夫")
            row = (title, member["name"], lrmx.format_month(member["birth_on"]), member["political_status"], member["work"])
        x = LEFT + 14
        for column, (w, text) in enumerate(zip(family_widths, row, strict=True)):
            sheet.cell(x, y, w, 9, text, size=10, align="L" if column == 4 else "C")
            x += w
        y += 9
        if index + 1 >= FAMILY_ROWS and index + 1 >= len(members):
            break
    for label, text in (("呈\n报\n单\n位", values["reporting_unit"]), ("审\n批\n机\n关\n意\n见", ""), ("行政\n机关\n任免\n意见", "")):
        height = 34
        sheet.cell(LEFT, y, 14, height, label)
        sheet.cell(LEFT + 14, y, WIDTH - 14, height, text, align="L", valign="T")
        pdf.set_font(sheet.family, "", 10.5)
        pdf.set_xy(LEFT + WIDTH - 70, y + height - 16)
        pdf.cell(66, 6, "（盖章）", align="C")
        pdf.set_xy(LEFT + WIDTH - 70, y + height - 9)
        pdf.cell(66, 6, "年　　月　　日", align="C")
        y += height
    pdf.set_font(sheet.family, "", 10.5)
    pdf.set_xy(LEFT, y + 2)
    filled = f"{values['filled_on'].year}年{values['filled_on'].month}月{values['filled_on'].day}日" if values["filled_on"] else ""
    pdf.cell(WIDTH, 6, f"填表人：{values['filled_by']}　　　　填表时间：{filled}", align="L")
    return sheet.output()
