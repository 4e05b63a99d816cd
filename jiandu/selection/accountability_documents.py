"""The trace-back report (干部选拔任用倒查报告) as an official document in GB/T 9704 layout
through jiandu.core.pdf.GovernmentDocument, in Chinese whatever the interface language."""

import datetime as dt

from django.utils import translation

from jiandu.core.pdf import GovernmentDocument, document_filename
from jiandu.core.practice import get_setting

from . import accountability_report

TITLE = "干部选拔任用倒查报告"


def report_pdf(candidate, *, printed_on: dt.date) -> bytes:
    from fpdf.fonts import FontFace

    with translation.override("zh-hans"):
        rows = accountability_report.rows(candidate)
        issuer = str(get_setting("documents.issuer"))
        document = GovernmentDocument(title=TITLE, issuer=issuer, letter=False)
        case = candidate.case
        document.paragraph(
            f"对{candidate.cadre.name}同志任{candidate.position}一事（{case.title}）的选拔任用工作全过程进行倒查，各环节的经办人、负责人及其记录情况如下："
        )
        pdf = document.pdf
        with pdf.local_context(font_size_pt=10.5):
            pdf.ln(2)
            with pdf.table(
                col_widths=(26, 30, 30, 70),
                text_align=("LEFT", "LEFT", "LEFT", "LEFT"),
                headings_style=FontFace(emphasis=None, fill_color=(235, 235, 235)),
                line_height=5.5,
                first_row_as_headings=True,
            ) as table:
                heading = table.row()
                for text in ("环节", "事项", "责任人员", "记录内容"):
                    heading.cell(text)
                for row in rows:
                    line = table.row()
                    for key in ("stage", "item", "people", "recorded"):
                        line.cell(row[key])
            pdf.ln(4)
        reviews = candidate.accountability_reviews.count()
        document.paragraph(f"本次倒查共有问责审查{reviews}件。" if reviews else "本次倒查未发现需追究用人失察失误责任的情形。")
        document.closing(printed_on)
        return document.output(copy_to=case.unit.name, printed_on=printed_on)


def report_filename(candidate, ext: str = "pdf") -> str:
    return document_filename(TITLE, candidate.case.title, candidate.cadre.name).removesuffix(".pdf") + "." + ext
