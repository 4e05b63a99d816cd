"""The inquiry letter (函询函) as an A4 PDF with a Chinese font that renders on a fresh machine.

A small local helper: fpdf2 with NotoSansSC from the justmytype_intl_cjk package. The shared
jiandu/core/pdf.py (written in parallel) should replace `_document()` once it lands.
"""

from pathlib import Path

from fpdf import FPDF

from jiandu.core.templatetags.jiandu import cn_date


def font_path() -> Path:
    import justmytype_intl_cjk

    return Path(justmytype_intl_cjk.__file__).parent / "fonts" / "ofl" / "notosanssc" / "NotoSansSC[wght].ttf"


def _document() -> FPDF:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_margins(25, 25, 25)
    pdf.set_auto_page_break(auto=True, margin=25)
    pdf.add_font("NotoSansSC", "", str(font_path()))
    pdf.set_font("NotoSansSC", size=12)
    pdf.set_title("函询函")
    pdf.add_page()
    return pdf


def inquiry_letter_pdf(inquiry, *, issuer: str = "中共区委组织部") -> bytes:
    """The letter to the cadre, copied to the unit's principal (抄送). Official forms are Chinese."""
    pdf = _document()
    width = pdf.epw
    pdf.set_font("NotoSansSC", size=20)
    pdf.cell(width, 14, "函 询 函", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("NotoSansSC", size=11)
    pdf.cell(width, 8, inquiry.number or "（草稿）", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("NotoSansSC", size=13)
    pdf.multi_cell(width, 8, f"{inquiry.cadre.name}同志：", new_x="LMARGIN", new_y="NEXT")
    from jiandu.core.practice import get_setting

    reply_days = int(get_setting("oversight.inquiry_reply_working_days"))
    body = (
        f"根据干部监督工作有关规定，现就{inquiry.subject}的有关情况向你函询。"
        f"请你本着对组织忠诚老实的态度，对下列问题逐项作出书面说明，经所在单位主要负责人签署意见后，"
        f"于收到本函之日起{reply_days}个工作日内报送我部。"
    )
    pdf.multi_cell(width, 8, "　　" + body, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.multi_cell(width, 8, "需说明的问题：", new_x="LMARGIN", new_y="NEXT")
    for number, line in enumerate([q.strip() for q in inquiry.questions.splitlines() if q.strip()], start=1):
        pdf.multi_cell(width, 8, f"　　{number}. {line}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    if inquiry.reply_due_on:
        pdf.multi_cell(width, 8, f"　　回复截止日期：{cn_date(inquiry.reply_due_on)}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    pdf.cell(width, 8, issuer, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(width, 8, cn_date(inquiry.issued_on) if inquiry.issued_on else "　　年　　月　　日", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(12)
    pdf.set_font("NotoSansSC", size=11)
    copied = inquiry.principal_name or "所在单位主要负责人"
    pdf.multi_cell(width, 7, f"抄送：{inquiry.unit.name} {copied}同志", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.multi_cell(width, 7, "本人签收：＿＿＿＿＿＿　　签收日期：＿＿＿＿年＿＿月＿＿日", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
