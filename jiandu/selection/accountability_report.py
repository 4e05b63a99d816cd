"""倒查报告: for one appointment, every stage of its selection case with the people responsible
and what they recorded — the proposer, the recommendation, each department's vetting reply, the
inspection team and its findings, each committee member's statement and vote, the objections of
the notice and their handling, the appointment talk — then the accountability reviews. Also the
list of people named in the record, from which a review chooses who is responsible."""

from django.utils.translation import gettext as _

from jiandu.core.exports import Column
from jiandu.decisions.models import Stance

from . import queries
from .models import Stage
from .reconsider_models import Reconsideration


def _row(stage, item, people="", recorded=""):
    return {"stage": str(stage), "item": str(item), "people": people or "", "recorded": recorded or ""}


def _names(*names) -> str:
    return "、".join(n for n in names if n)


def _reconsideration_rows(candidate, label, members, principal_id) -> list[dict]:
    """复议: who agreed to reconsider, why, and each member's new statement (the result row that
    follows is the recomputed verdict)."""
    again = Reconsideration.objects.filter(candidate=candidate).select_related("recorded_by").first()
    if again is None:
        return []
    out = [
        _row(
            label,
            _("Reconsideration (复议)"),
            again.recorded_by.full_name,
            _("%(date)s: %(agreeing)d of %(total)d members agreed to reconsider (%(reason)s); %(present)d present; the first decision: %(before)s")
            % {
                "date": again.held_on.isoformat(),
                "agreeing": again.agreeing,
                "total": len(members),
                "reason": again.reason,
                "present": len(again.present),
                "before": queries.outcome_label(again.previous_outcome),
            },
        )
    ]
    order = {member: (n, stance) for n, (member, stance) in enumerate(again.statements, 1)}
    stances = dict(Stance.choices)
    for member in members:
        role = _(" (principal)") if member.cadre_id == principal_id else ""
        if member.cadre_id not in again.present:
            text = _("absent")
        elif member.cadre_id in order:
            n, stance = order[member.cadre_id]
            text = _("statement %(n)d: %(stance)s") % {"n": n, "stance": stances.get(stance, stance)}
        else:
            text = _("present, no statement recorded")
        out.append(_row(label, _("Member's statement on reconsideration") + role, member.cadre.name, text))
    return out


def _decision_rows(candidate, label) -> list[dict]:
    decision = getattr(candidate.case, "decision", None)
    if decision is None:
        return []
    members = list(decision.members.select_related("cadre").order_by("id"))
    present = sum(1 for m in members if m.present)
    out = [
        _row(
            label,
            _("Decision meeting"),
            decision.recorded_by.full_name,
            _("%(body)s on %(date)s: %(present)d of %(total)d members present")
            % {"body": decision.body.name, "date": decision.held_on.isoformat(), "present": present, "total": len(members)},
        )
    ]
    stated = {s.cadre_id: s for s in candidate.statements.select_related("cadre").order_by("order")}
    for member in members:
        statement = stated.get(member.cadre_id)
        role = _(" (principal)") if member.cadre_id == decision.principal_id else ""
        if not member.present:
            text = _("absent")
        elif statement is None:
            text = _("present, no statement recorded")
        else:
            text = _("statement %(n)d: %(stance)s") % {"n": statement.order, "stance": statement.get_stance_display()}
        out.append(_row(label, _("Member's statement and vote") + role, member.cadre.name, text))
    out.extend(_reconsideration_rows(candidate, label, members, decision.principal_id))
    result = queries.candidate_verdict(candidate)
    if result is not None:
        out.append(
            _row(
                label,
                _("Result"),
                "",
                queries.outcome_label(candidate.outcome)
                + "；"
                + " ".join(result.explanation)
                + (("；" + candidate.outcome_note) if candidate.outcome_note else ""),
            )
        )
    return out


def rows(candidate) -> list[dict]:
    """The report, stage by stage in the order of the 2019 regulations."""
    case = candidate.case
    out = []
    for entry in queries.stage_rows(case):
        stage, label, record = entry["stage"], entry["label"], entry["record"]
        if record is None:
            out.append(_row(label, _("Stage record"), "", _("not recorded")))
        else:
            text = _("%(date)s: %(result)s") % {"date": record.held_on.isoformat(), "result": record.result}
            if record.participants:
                text += _("; participants: %(people)s") % {"people": record.participants}
            item = _("Inspection team and its findings") if stage == Stage.INSPECTION else _("Stage record")
            out.append(_row(label, item, _names(record.handler, record.responsible), text))
        if stage == Stage.MOTION:
            out.append(_row(label, _("Proposed by"), case.proposed_by, case.reasons))
        elif stage == Stage.RECOMMENDATION and candidate.recommendation_votes is not None:
            out.append(_row(label, _("Recommendation votes"), "", str(candidate.recommendation_votes)))
        elif stage == Stage.CANDIDATES:
            out.append(
                _row(
                    label,
                    _("Inspection subject"),
                    candidate.cadre.name,
                    _("listed on %(date)s for %(post)s") % {"date": candidate.listed_on.isoformat(), "post": candidate.position},
                )
            )
            if candidate.emigration_exception:
                out.append(
                    _row(
                        label,
                        _("Emigration block set aside (art. 24 (5))"),
                        "",
                        _("%(reason)s; approval: %(reference)s") % {"reason": candidate.emigration_exception, "reference": candidate.emigration_approval_ref},
                    )
                )
        elif stage == Stage.VETTING:
            for request in candidate.vetting.select_related("department", "replied_by").order_by("department__name"):
                answer = request.get_result_display() if request.result else _("no reply")
                text = f"{answer} {request.details}".strip()
                if request.replied_on:
                    text += _(" (replied %(date)s, due %(due)s)") % {"date": request.replied_on.isoformat(), "due": request.due_on.isoformat()}
                if request.resolution:
                    text += _("; resolved: %(text)s") % {"text": request.resolution}
                who = request.replied_by.full_name if request.replied_by else ""
                out.append(_row(label, _("Vetting: %(department)s") % {"department": request.department.name}, who, text))
            if candidate.vetting_override:
                out.append(_row(label, _("Head's override of the vetting"), "", candidate.vetting_override))
        elif stage == Stage.DECISION:
            out.extend(_decision_rows(candidate, label))
        elif stage == Stage.NOTICE:
            if case.notice_starts_on:
                out.append(_row(label, _("Public notice"), "", f"{case.notice_starts_on.isoformat()} – {case.notice_ends_on.isoformat()}"))
            for objection in candidate.objections.select_related("recorded_by"):
                handled = objection.verification or _("not resolved")
                if objection.resolved_on:
                    handled += f"（{objection.resolved_on.isoformat()}）"
                out.append(
                    _row(
                        label,
                        _("Objection of %(date)s") % {"date": objection.received_on.isoformat()},
                        objection.recorded_by.full_name,
                        f"{objection.content} → {handled}",
                    )
                )
        elif stage == Stage.APPOINTMENT:
            if candidate.tenure_id:
                out.append(_row(label, _("Appointed on"), "", candidate.tenure.started_on.isoformat()))
                if record is not None:
                    out.append(_row(label, _("Appointment talk"), record.responsible, _("held by %(people)s") % {"people": record.responsible}))
            if candidate.probation_until:
                out.append(_row(label, _("Probation until"), "", candidate.probation_until.isoformat()))
    for review in candidate.accountability_reviews.select_related("disposition").order_by("opened_on", "id"):
        text = review.finding
        if review.measures:
            text += _("; measures: %(text)s") % {"text": review.measures}
        if review.disposition_id:
            text += _("; disposition: %(d)s") % {"d": review.disposition}
        text += "（" + review.get_status_display() + (f" {review.concluded_on.isoformat()} {review.conclusion}" if review.concluded_on else "") + "）"
        out.append(
            _row(_("Accountability review"), _("Stage that failed: %(stage)s") % {"stage": review.get_stage_display()}, "、".join(review.responsible), text)
        )
    return out


def people(candidate) -> list[str]:
    """Every person named in the record of the appointment, once, in the order of the report:
    the stages' handlers and responsible persons, the proposer, the vetting officers who
    replied, the committee members, whoever recorded an objection."""
    case = candidate.case
    names = [case.proposed_by]
    for record in case.stages.order_by("id"):
        names += [record.handler, record.responsible]
    names += [r.replied_by.full_name for r in candidate.vetting.select_related("replied_by") if r.replied_by_id]
    decision = getattr(case, "decision", None)
    if decision is not None:
        names.append(decision.recorded_by.full_name)
        names += [m.cadre.name for m in decision.members.select_related("cadre").order_by("id")]
    names += [o.recorded_by.full_name for o in candidate.objections.select_related("recorded_by")]
    seen = []
    for name in names:
        name = (name or "").strip()
        if name and name not in seen:
            seen.append(name)
    return seen


def failed_stage_choices(candidate) -> list[tuple[str, str]]:
    """The stages of the case that were recorded (a review names one of them)."""
    done = candidate.case.recorded_stages()
    return [(value, str(label)) for value, label in Stage.choices if value in done]


def columns():
    from django.utils.translation import gettext_lazy

    return [
        Column("stage", gettext_lazy("Stage"), width=22),
        Column("item", gettext_lazy("Item"), width=26),
        Column("people", gettext_lazy("People responsible"), width=30),
        Column("recorded", gettext_lazy("What was recorded"), width=80),
    ]


def table(candidate) -> list[list[str]]:
    return [[r["stage"], r["item"], r["people"], r["recorded"]] for r in rows(candidate)]
