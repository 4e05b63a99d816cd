"""干部选拔任用工作全程纪实表: one sheet per candidate per case, filled entirely from the recorded
stages; `missing` lists what is not recorded yet (the sheet is final only when nothing is)."""

from django.utils.translation import gettext as _

from jiandu.core.pdf import Field, Heading, Signature, document_filename, render_form

from . import queries
from .models import Stage


def missing(candidate) -> list[str]:
    case = candidate.case
    done = case.recorded_stages()
    gaps = [_("stage not recorded: %(stage)s") % {"stage": label} for stage, label in Stage.choices if stage not in done]
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
    if case.prior_approval_on:
        out.append((_("Prior approval"), f"{case.prior_approval_on.isoformat()} {case.prior_approval_ref}"))
    for row in queries.stage_rows(case):
        record = row["record"]
        if record is None:
            out.append((str(row["label"]), _("not recorded")))
            continue
        text = _("%(date)s; handled by %(handler)s; responsible %(responsible)s; %(result)s") % {
            "date": record.held_on.isoformat(),
            "handler": record.handler,
            "responsible": record.responsible,
            "result": record.result,
        }
        if record.participants:
            text += _("; participants: %(people)s") % {"people": record.participants}
        out.append((str(row["label"]), text))
        if row["stage"] == Stage.RECOMMENDATION and candidate.recommendation_votes is not None:
            out.append((_("Recommendation votes"), str(candidate.recommendation_votes)))
    for request in candidate.vetting.select_related("department").order_by("department__name"):
        answer = request.get_result_display() if request.result else _("no reply")
        text = f"{answer} {request.details}".strip()
        if request.replied_on:
            text += _(" (replied %(date)s, due %(due)s)") % {"date": request.replied_on.isoformat(), "due": request.due_on.isoformat()}
        if request.resolution:
            text += _("; resolved: %(text)s") % {"text": request.resolution}
        out.append((_("Vetting: %(department)s") % {"department": request.department.name}, text))
    if candidate.vetting_override:
        out.append((_("Head's override of the vetting"), candidate.vetting_override))
    result = queries.candidate_verdict(candidate)
    if result is not None:
        out.append((_("Decision"), queries.outcome_label(candidate.outcome) + ("；" + candidate.outcome_note if candidate.outcome_note else "")))
        out.append((_("Vote arithmetic"), " ".join(result.explanation)))
        said = "、".join(f"{s.cadre.name}{s.get_stance_display()}" for s in candidate.statements.select_related("cadre").order_by("order"))
        out.append((_("Statements in speaking order"), said))
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
