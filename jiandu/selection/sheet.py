"""干部选拔任用工作全程纪实表: one sheet per candidate per case, filled entirely from the recorded
stages (with the files attached to each, as the user named them, when and by whom), the vetting
replies (reminders and escalations included), the decision with its arithmetic and a
reconsideration (复议) with its own; `missing` lists what is not recorded yet (the sheet is final
only when nothing is)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.core.pdf import Field, Heading, Signature, document_filename, render_form
from jiandu.core.practice import get_setting
from jiandu.decisions import verdict
from jiandu.decisions.models import Stance

from . import queries
from .models import Stage
from .reconsider_models import Reconsideration

# The stages by the names the procedure gives them (the setting selection.material_stages uses them).
STAGE_NAMES = {
    Stage.MOTION: "动议",
    Stage.RECOMMENDATION: "民主推荐",
    Stage.CANDIDATES: "确定考察对象",
    Stage.VETTING: "任前预审",
    Stage.INSPECTION: "考察",
    Stage.CONSULTATION: "酝酿",
    Stage.DECISION: "讨论决定",
    Stage.NOTICE: "任前公示",
    Stage.APPOINTMENT: "任职",
}


def material_stages() -> list[str]:
    """The stages whose record needs a file (setting selection.material_stages, by name or code)."""
    wanted = {str(item).strip() for item in get_setting("selection.material_stages")}
    return [stage for stage, name in STAGE_NAMES.items() if name in wanted or stage in wanted]


def _material_text(material) -> str:
    uploaded = timezone.localtime(material.uploaded_at).date().isoformat()
    return _("%(file)s, uploaded %(date)s by %(person)s") % {"file": material.name, "date": uploaded, "person": material.uploaded_by.full_name}


def missing(candidate) -> list[str]:
    case = candidate.case
    records = {r.stage: r for r in case.stages.all()}
    done = set(records)
    gaps = [_("stage not recorded: %(stage)s") % {"stage": label} for stage, label in Stage.choices if stage not in done]
    labels = dict(Stage.choices)
    for stage in material_stages():
        if stage in records and not records[stage].materials.exists():
            gaps.append(_("no file attached to the stage: %(stage)s") % {"stage": labels[stage]})
    if not candidate.vetting.exists():
        gaps.append(_("no vetting replies"))
    elif candidate.vetting.filter(result="").exists():
        gaps.append(_("a vetting reply is missing"))
    if candidate.objections.filter(resolved_on__isnull=True).exists():
        gaps.append(_("an objection is not resolved"))
    if candidate.exceptional and not case.prior_approval_on:
        gaps.append(_("the prior approval of the exceptional promotion"))
    return gaps


def rows(candidate) -> list[tuple[str, str]]:
    """(item, content) in the order of the sheet."""
    case = candidate.case
    out = [
        (_("Case"), case.title),
        (_("Candidate"), candidate.cadre.name),
        (_("Proposed post"), str(candidate.position)),
        (_("Exceptional promotion (破格)"), candidate.exceptional or _("no")),
    ]
    if candidate.emigration_exception:
        out.append(
            (
                _("Emigration block set aside (art. 24 (5))"),
                _("%(reason)s; approval: %(reference)s") % {"reason": candidate.emigration_exception, "reference": candidate.emigration_approval_ref},
            )
        )
    if case.prior_approval_on:
        out.append((_("Prior approval"), f"{case.prior_approval_on.isoformat()} {case.prior_approval_ref}"))
    for row in queries.stage_rows(case):
        record = row["record"]
        if record is None:
            out.append((str(row["label"]), _("not recorded")))
            continue
        files = list(record.materials.select_related("uploaded_by"))
        text = _("%(date)s; handled by %(handler)s; responsible %(responsible)s; %(result)s") % {
            "date": record.held_on.isoformat(),
            "handler": record.handler,
            "responsible": record.responsible,
            "result": record.result,
        }
        if record.participants:
            text += _("; participants: %(people)s") % {"people": record.participants}
        out.append((str(row["label"]), text))
        for material in files:
            out.append((_("File of the stage: %(stage)s") % {"stage": row["label"]}, _material_text(material)))
        if row["stage"] == Stage.RECOMMENDATION and candidate.recommendation_votes is not None:
            out.append((_("Recommendation votes"), str(candidate.recommendation_votes)))
    for request in candidate.vetting.select_related("department").order_by("department__name"):
        answer = request.get_result_display() if request.result else _("no reply")
        text = f"{answer} {request.details}".strip()
        if request.replied_on:
            text += _(" (replied %(date)s, due %(due)s)") % {"date": request.replied_on.isoformat(), "due": request.due_on.isoformat()}
        if request.resolution:
            text += _("; resolved: %(text)s") % {"text": request.resolution}
        if request.reminded_on:
            text += _("; reminded %(date)s") % {"date": request.reminded_on.isoformat()}
        if request.escalated_on:
            text += _("; reported overdue to the organisation department %(date)s") % {"date": request.escalated_on.isoformat()}
        out.append((_("Vetting: %(department)s") % {"department": request.department.name}, text))
        for material in request.materials.select_related("uploaded_by"):
            out.append((_("File of the vetting reply: %(department)s") % {"department": request.department.name}, _material_text(material)))
    if candidate.vetting_override:
        out.append((_("Head's override of the vetting"), candidate.vetting_override))
    out.extend(_decision_rows(candidate))
    if case.notice_starts_on:
        out.append((_("Public notice"), f"{case.notice_starts_on.isoformat()} – {case.notice_ends_on.isoformat()}"))
    for objection in candidate.objections.all():
        handled = objection.verification + (f"（{objection.resolved_on.isoformat()}）" if objection.resolved_on else _("not resolved"))
        out.append((_("Objection of %(date)s") % {"date": objection.received_on.isoformat()}, f"{objection.content} → {handled}"))
    if candidate.tenure_id:
        out.append((_("Appointed on"), candidate.tenure.started_on.isoformat()))
    if candidate.probation_until:
        out.append((_("Probation until"), candidate.probation_until.isoformat()))
    return out


def _decision_rows(candidate) -> list[tuple[str, str]]:
    """The decision (its arithmetic from the first statements) and, when the committee
    reconsidered, the reconsideration: the agreement to reconsider and the new verdict, each with
    its arithmetic. The outcome is the one in force."""
    decision = getattr(candidate.case, "decision", None)
    if decision is None:
        return []
    members = list(decision.members.select_related("cadre"))
    names = {m.cadre_id: m.cadre.name for m in members}
    statements = list(candidate.statements.select_related("cadre").order_by("order"))
    first = verdict.compute(
        total=len(members),
        present=sum(1 for m in members if m.present),
        category=verdict.APPOINTMENT,
        statements=[verdict.Statement(s.cadre_id, s.stance) for s in statements],
        principal=decision.principal_id,
    )
    out = [
        (_("Decision"), queries.outcome_label(candidate.outcome) + ("；" + candidate.outcome_note if candidate.outcome_note else "")),
        (_("Vote arithmetic"), " ".join(first.explanation)),
        (_("Statements in speaking order"), "、".join(f"{s.cadre.name}{s.get_stance_display()}" for s in statements)),
    ]
    again = Reconsideration.objects.filter(candidate=candidate).first()
    if again is not None:
        stances = dict(Stance.choices)
        allowed = verdict.reconsideration(total=len(members), agreeing=again.agreeing)
        out.append(
            (
                _("Reconsideration (复议)"),
                _("%(date)s; reason: %(reason)s; first decision: %(before)s. %(arithmetic)s")
                % {
                    "date": again.held_on.isoformat(),
                    "reason": again.reason,
                    "before": queries.outcome_label(again.previous_outcome),
                    "arithmetic": allowed.explanation,
                },
            )
        )
        result = queries.candidate_verdict(candidate)
        out.append((_("Vote arithmetic of the reconsideration"), " ".join(result.explanation)))
        out.append(
            (
                _("Statements on reconsideration in speaking order"),
                "、".join(f"{names.get(member, '')}{stances.get(stance, stance)}" for member, stance in again.statements),
            )
        )
    return out


def pdf(candidate) -> bytes:
    gaps = missing(candidate)
    fields = [Heading(_("Full-process record"))] + [Field(label, value, wide=True) for label, value in rows(candidate)]
    note = _("Not complete: %(gaps)s") % {"gaps": "；".join(gaps)} if gaps else ""
    return render_form(
        _("Full-process record sheet of cadre selection and appointment"),
        fields,
        [Signature(_("Handled by")), Signature(_("Responsible"))],
        note=note,
        numbered=False,
    )


def filename(candidate, ext: str = "pdf") -> str:
    return document_filename(_("Record sheet"), candidate.case.title, candidate.cadre.name).removesuffix(".pdf") + "." + ext
