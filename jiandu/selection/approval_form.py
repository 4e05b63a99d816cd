"""The 干部任免审批表 of one candidate of a case (issue #15 part 6): the registry's form (its PDF
and .lrmx writers) with 拟任职务, 拟免职务 and 任免理由 filled from the case — the proposed post,
the candidate's current leading posts other than it, and the motion's reasons (with the decision
once it passed). After the appointment 现任职务 still shows the posts held before it, so the form
reads as it did when it was submitted. The form is an official Chinese form whatever the
interface language, so its texts are written in Chinese."""

from jiandu.decisions import verdict
from jiandu.registry import appform, lrmx
from jiandu.registry.models import Tenure


def _post(position) -> str:
    return f"{position.unit.label}{position.title}"


def proposal(candidate) -> dict:
    """The proposal fields (registry lrmx.PROPOSAL_KEYS) of `candidate`."""
    case = candidate.case
    held = (
        Tenure.objects.filter(cadre=candidate.cadre, ended_on__isnull=True)
        .exclude(pk=candidate.tenure_id)
        .select_related("position__unit")
        .order_by("-position__is_principal", "started_on", "id")
    )
    current = [t.position for t in held]
    removed = [p for p in current if p.kind == "leading" and p.pk != candidate.position_id]
    reason = case.reasons.strip().rstrip("。.") + "。"
    decision = getattr(case, "decision", None)
    if decision is not None and candidate.outcome == verdict.PASSED:
        reason += (
            f"经{decision.held_on.year}年{decision.held_on.month}月{decision.held_on.day}日{decision.body.name}讨论决定，拟任命为{_post(candidate.position)}。"
        )
    values = {"proposed_post": _post(candidate.position), "proposed_removal": "、".join(_post(p) for p in removed), "reason": reason}
    if candidate.tenure_id:
        values["current_post"] = "、".join(_post(p) for p in current)
    return values


def pdf(candidate) -> bytes:
    return appform.render(candidate.cadre, proposal=proposal(candidate))


def lrmx_file(candidate) -> bytes:
    return lrmx.build(candidate.cadre, proposal=proposal(candidate))


def filename(candidate, ext: str) -> str:
    return f"干部任免审批表-{candidate.cadre.name}.{ext}" if ext == "pdf" else lrmx.file_name(candidate.cadre)
