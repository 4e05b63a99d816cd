"""The inquiry letter (函询函): an A4 official document built with jiandu.core.pdf (its Chinese
font, title, paragraphs and signature lines), in Chinese whatever the interface language.

Layout: the title and the letter's number; the salutation and the request to reply within the
configured working days, signed off by the unit's principal; the questions, numbered; the reply
deadline; the issuing department and date; the copy to the unit's principal (抄送); the cadre's
signature of receipt with its date.
"""

from jiandu.core.pdf import OfficialDocument, Signature, chinese_date
from jiandu.core.practice import get_setting


def questions_of(inquiry) -> list[str]:
    """The questions as the letter numbers them: one a line, blank lines left out."""
    return [line.strip() for line in inquiry.questions.splitlines() if line.strip()]


def inquiry_letter_pdf(inquiry, *, issuer: str = "中共区委组织部") -> bytes:
    """The letter to the cadre, copied to the unit's principal. Returns the PDF bytes."""
    reply_days = int(get_setting("oversight.inquiry_reply_working_days"))
    document = OfficialDocument(title="函询函", author=issuer)
    document.title("函 询 函", inquiry.number or "（草稿）")
    document.paragraph(f"{inquiry.cadre.name}同志：", indent=False)
    document.paragraph(
        f"根据干部监督工作有关规定，现就{inquiry.subject}的有关情况向你函询。"
        f"请你本着对组织忠诚老实的态度，对下列问题逐项作出书面说明，经所在单位主要负责人签署意见后，"
        f"于收到本函之日起{reply_days}个工作日内报送我部。"
    )
    document.paragraph("需说明的问题：", indent=False)
    for number, question in enumerate(questions_of(inquiry), start=1):
        document.paragraph(f"{number}. {question}")
    if inquiry.reply_due_on:
        document.paragraph(f"回复截止日期：{chinese_date(inquiry.reply_due_on)}")
    document.date_line(inquiry.issued_on, issuer=issuer)
    copied = inquiry.principal_name or "所在单位主要负责人"
    document.pdf.ln(8)
    document.paragraph(f"抄送：{inquiry.unit.name} {copied}同志", indent=False)
    document.signatures([Signature("本人签收")])
    return document.output()
