"""The audit notice (审计通知书): an official document in GB/T 9704 layout through
jiandu.core.pdf.GovernmentDocument, in Chinese whatever the interface language."""

from jiandu.core.pdf import GovernmentDocument, chinese_date, document_filename
from jiandu.core.practice import get_setting


def notice_pdf(audit) -> bytes:
    issuer = str(get_setting("audits.audit_office"))
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


# --- 离任经济事项交接清单 ---------------------------------------------------------------------

HANDOVER_TITLE = "离任经济事项交接清单"
PARTY_NAMES = {"leaver": "移交人", "successor": "接交人", "supervisor": "监交人"}


def _signed_at(signature) -> str:
    from django.utils import timezone

    if signature is None:
        return "未签"
    local = timezone.localtime(signature.signed_at)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def handover_pdf(handover, *, printed_on) -> bytes:
    """The departure handover (离任经济事项交接清单) in the layout of the office's documents: the
    issuing organ (setting documents.issuer), the title, the handover's facts, one table row per
    checklist item with its figures and notes, and the three parties — leaver (移交人), successor
    (接交人) and supervisor (监交人) — each with the time of their confirmation or 未签."""
    from fpdf.fonts import FontFace

    issuer = str(get_setting("documents.issuer"))
    document = GovernmentDocument(title=HANDOVER_TITLE, issuer=issuer, letter=False)
    document.paragraph(
        f"{handover.unit.name}{handover.cadre.name}同志于{chinese_date(handover.departed_on)}离任，"
        f"按规定办理离任经济事项交接，交接期限至{chinese_date(handover.due_on)}。交接事项如下："
    )
    pdf = document.pdf
    items = list(handover.items.all())
    with pdf.local_context(font_size_pt=12):
        pdf.ln(2)
        with pdf.table(
            col_widths=(14, 50, 48, 44),
            text_align=("CENTER", "LEFT", "LEFT", "LEFT"),
            headings_style=FontFace(emphasis=None, fill_color=(235, 235, 235)),
            line_height=6.5,
            first_row_as_headings=True,
        ) as table:
            heading = table.row()
            for text in ("序号", "交接事项", "数量及金额", "备注"):
                heading.cell(text)
            for number, item in enumerate(items, start=1):
                row = table.row()
                row.cell(str(number))
                row.cell(item.title)
                row.cell(item.figures or "")
                row.cell(item.notes or "")
            if not items:
                row = table.row()
                row.cell("", colspan=4)
        pdf.ln(4)
    signed = {s.party: s for s in handover.signatures.all()}
    names = {
        "leaver": handover.cadre.name,
        "successor": handover.successor.name if handover.successor_id else "（未指定）",
        "supervisor": (handover.supervisor.full_name or handover.supervisor.username) if handover.supervisor_id else "（未指定）",
    }
    document.paragraph("交接各方确认：", indent=False)
    for party in ("leaver", "successor", "supervisor"):
        document.paragraph(f"{PARTY_NAMES[party]}：{names[party]}　　确认时间：{_signed_at(signed.get(party))}")
    if handover.completed_on:
        document.paragraph(f"交接于{chinese_date(handover.completed_on)}完成。")
    return document.output(copy_to=handover.unit.name, printed_on=printed_on)


def handover_filename(handover) -> str:
    return document_filename(HANDOVER_TITLE, handover.cadre.name, handover.departed_on.isoformat())
