"""The minutes of the selection decision (讨论决定纪要) in official-document layout
(core.pdf.GovernmentDocument), in Chinese whatever the interface language: the body and date, the
members present and absent with the quorum arithmetic, each candidate's statements in speaking
order (the principal last) and the verdict with its arithmetic, recomputed from the stored rows
(queries.candidate_verdict) — never typed."""

from django.utils import translation
from django.utils.translation import gettext_lazy

from jiandu.core.pdf import GovernmentDocument, document_filename

from . import queries

# The same sentence the decision action stores (actions/decision.py), read from the catalogue.
VOID_EXCEPTIONAL = gettext_lazy(
    "Exceptional promotion (破格) without the higher organisation department's prior approval before the decision: the decision is void (2019 条例 art. 10, 11)."
)


def minutes_pdf(case) -> bytes:
    decision = case.decision
    with translation.override("zh-hans"):
        title = f"{decision.body.name}讨论决定干部任免事项纪要"
        document = GovernmentDocument(title=title, issuer=decision.body.name, letter=False)
        members = list(decision.members.select_related("cadre"))
        present = [m.cadre.name for m in members if m.present]
        absent = [m.cadre.name for m in members if not m.present]
        document.paragraph(f"{decision.held_on.year}年{decision.held_on.month}月{decision.held_on.day}日，{decision.body.name}召开会议，讨论决定{case.title}。")
        document.paragraph(f"应到{len(members)}人，实到{len(present)}人。出席：{'、'.join(present) or '无'}。")
        document.paragraph(f"缺席：{'、'.join(absent) or '无'}。")
        for number, candidate in enumerate(case.candidates.select_related("cadre", "position__unit").order_by("id"), 1):
            document.paragraph(f"{number}. {candidate.cadre.name}，拟任{candidate.position}", indent=False)
            said = []
            for statement in candidate.statements.select_related("cadre").order_by("order"):
                who = statement.cadre.name + ("（主要负责人）" if statement.cadre_id == decision.principal_id else "")
                said.append(f"{statement.order}. {who}：{statement.get_stance_display()}")
            document.paragraph(f"表态（按发言顺序，主要负责人末位表态）：{'；'.join(said) or '无'}。")
            result = queries.candidate_verdict(candidate)
            if result is not None:
                document.paragraph("".join(result.explanation))
            if candidate.exceptional and (case.prior_approval_on is None or case.prior_approval_on > decision.held_on):
                document.paragraph(VOID_EXCEPTIONAL)
            document.paragraph(f"结论：{queries.outcome_label(candidate.outcome)}。")
        document.closing(decision.held_on, seal=False)
        return document.output(printed_on=decision.held_on)


def minutes_filename(case) -> str:
    return document_filename(f"{case.title}讨论决定纪要")
