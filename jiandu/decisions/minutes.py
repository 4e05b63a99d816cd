"""The minutes of a meeting (会议纪要) in official-document layout (core.pdf.GovernmentDocument),
in Chinese whatever the interface language: attendance, each item with the statements in
speaking order, written opinions of absentees (not counted) and the verdict with its arithmetic."""

from django.utils import translation

from jiandu.core.pdf import GovernmentDocument, document_filename

from . import queries


def minutes_pdf(meeting) -> bytes:
    with translation.override("zh-hans"):
        document = GovernmentDocument(title=f"{meeting.title}纪要", issuer=meeting.body.name, letter=False)
        attendances = list(meeting.attendances.select_related("cadre"))
        present = [a.cadre.name for a in attendances if a.present]
        absent = [f"{a.cadre.name}（{a.absence_reason}）" for a in attendances if not a.present]
        document.paragraph(f"应到{len(attendances)}人，实到{len(present)}人。出席：{'、'.join(present) or '无'}。")
        if absent:
            document.paragraph(f"缺席：{'、'.join(absent)}。")
        for item in meeting.items.select_related("proposer").prefetch_related("statements__cadre", "written_opinions__cadre"):
            document.paragraph(f"{item.order}. {item.title}（{item.get_category_display()}）", indent=False)
            said = "；".join(f"{s.cadre.name}：{s.get_stance_display()}" + (f"，{s.reason}" if s.reason else "") for s in item.statements.all())
            if said:
                document.paragraph(f"表态（按发言顺序）：{said}。")
            written = "；".join(f"{w.cadre.name}：{w.get_stance_display()}" for w in item.written_opinions.all())
            if written:
                document.paragraph(f"缺席成员书面意见（不计票）：{written}。")
            document.paragraph("".join(queries.item_verdict(item).explanation))
        document.closing(meeting.held_on, seal=False)
        return document.output(printed_on=meeting.held_on)


def minutes_filename(meeting) -> str:
    return document_filename(f"{meeting.title}纪要")
