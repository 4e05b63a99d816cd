"""The audit notice (审计通知书): an official document in GB/T 9704 layout through
jiandu.core.pdf.GovernmentDocument, in Chinese whatever the interface language."""

from jiandu.core.pdf import GovernmentDocument, chinese_date, document_filename
from jiandu.core.practice import get_setting


def notice_pdf(audit) -> bytes:
    issuer = str(get_setting("documents.issuer"))
    document = GovernmentDocument(title="审计通知书", issuer=issuer, number=audit.notice_number)
    document.addressee(f"{audit.unit.name}、{audit.cadre.name}同志：")
    document.paragraph(
        f"根据《党政主要领导干部和国有企事业单位主要领导人员经济责任审计规定》，决定派出审计组，"
        f"自{chinese_date(audit.fieldwork_starts_on)}起，对{audit.cadre.name}同志"
        f"{chinese_date(audit.period_start)}至{chinese_date(audit.period_end)}任职期间履行经济责任情况进行离任审计。"
    )
    document.paragraph("请予以配合，并按要求提供有关资料。")
    document.closing(audit.notice_served_on)
    return document.output(copy_to=f"{audit.unit.name}", printed_on=audit.notice_served_on)


def notice_filename(audit) -> str:
    return document_filename("审计通知书", audit.cadre.name, audit.notice_number)
