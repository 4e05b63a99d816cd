"""The inquiry letter (函询函): a letter-format official document (GB/T 9704) built with
jiandu.core.pdf.GovernmentDocument, in Chinese whatever the interface language.

Layout: the issuing organ in red (setting documents.issuer) and the letter's number
(oversight.inquiry_number_prefix〔year〕N号) under the double red rule; the title; the salutation
and the request to reply within the configured working days, signed off by the unit's principal;
the questions, numbered; the reply deadline; the issuing organ and the date in Chinese numerals
under the seal; the cadre's signature of receipt; the copy to the unit's principal (抄送) in the
版记 with the printing date.
"""

from jiandu.core.pdf import GovernmentDocument, chinese_date, document_filename
from jiandu.core.practice import get_setting


def questions_of(inquiry) -> list[str]:
    """The questions as the letter numbers them: one a line, blank lines left out."""
    return [line.strip() for line in inquiry.questions.splitlines() if line.strip()]


def inquiry_letter_pdf(inquiry) -> bytes:
    """The letter to the cadre, copied to the unit's principal. Returns the PDF bytes."""
    issuer = str(get_setting("documents.issuer"))
    reply_days = int(get_setting("oversight.inquiry_reply_working_days"))
    document = GovernmentDocument(title="函询函", issuer=issuer, number=inquiry.number or "（草稿）")
    document.addressee(f"{inquiry.cadre.name}同志：")
    document.paragraph(
        f"根据干部监督工作有关规定，现就{inquiry.subject}的有关情况向你函询。"
        f"请你本着对组织忠诚老实的态度，对下列问题逐项作出书面说明，经所在单位主要负责人签署意见后，"
        f"于收到本函之日起{reply_days}个工作日内报送我部。"
    )
    document.paragraph("需说明的问题：")
    for number, question in enumerate(questions_of(inquiry), start=1):
        document.paragraph(f"{number}. {question}")
    if inquiry.reply_due_on:
        document.paragraph(f"回复截止日期：{chinese_date(inquiry.reply_due_on)}。")
    document.closing(inquiry.issued_on)
    document.signature("本人签收")
    copied = inquiry.principal_name or "所在单位主要负责人"
    return document.output(copy_to=f"{inquiry.unit.name}{copied}同志", printed_on=inquiry.issued_on)


def inquiry_letter_filename(inquiry) -> str:
    """函询函-张伟明-示组函〔2026〕3号.pdf; a draft: 函询函（草稿）-张伟明.pdf."""
    if inquiry.number:
        return document_filename("函询函", inquiry.cadre.name, inquiry.number)
    return document_filename("函询函（草稿）", inquiry.cadre.name)
