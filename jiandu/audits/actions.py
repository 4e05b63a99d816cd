"""Writes of the audits app: keyword-only, actor required, access checked, journaled."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.calendar import add_working_days
from jiandu.core.documents import next_document_number
from jiandu.core.errors import ActionError
from jiandu.core.models import DomainEvent
from jiandu.core.practice import get_setting
from jiandu.registry.models import Cadre, Tenure, Unit

from . import risk
from .models import AuditPlan, AuditPlanEntry, DepartureAudit, DepartureExemption, Finding, Handover, HandoverItem, HandoverSignature, RectificationReport

REASON_MAX = 2000


def _clean_reason(reason: str, *, required: bool = True, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ActionError(_("Give the reason."), field=field)
    if "\x00" in reason:
        raise ActionError(_("The text contains a character that cannot be stored."), field=field)
    if len(reason) > REASON_MAX:
        raise ActionError(_("The reason is longer than %(n)d characters.") % {"n": REASON_MAX}, field=field)
    return reason


def request_exemption(*, actor, event: DomainEvent, reason: str) -> DepartureExemption:
    """Ask the head to exempt a departure from the departure audit and handover, with a reason
    (journaled). Not effective before the head approves it (`decide_exemption`)."""
    reason = _clean_reason(reason)
    with transaction.atomic():
        event = DomainEvent.objects.select_for_update().get(pk=event.pk, kind="registry.departure")
        unit = Unit.objects.filter(pk=event.unit_id).first()
        if unit is None or not access.can(actor, "audits.manage", unit):
            raise access.NotVisible()
        live = DepartureExemption.objects.filter(event=event, status__in=[DepartureExemption.Status.REQUESTED, DepartureExemption.Status.APPROVED]).first()
        if live is not None:
            if live.status == DepartureExemption.Status.APPROVED:
                raise ActionError(_("This departure is already exempted."))
            raise ActionError(_("An exemption of this departure is already awaiting approval."))
        if DepartureAudit.objects.filter(source_event_id=event.pk).exists() and Handover.objects.filter(source_event_id=event.pk).exists():
            raise ActionError(_("This departure already has its audit and handover."))
        exemption = DepartureExemption.objects.create(event=event, reason=reason, requested_by=actor)
        journal.record(
            "audits.departure.exemption_requested",
            actor=actor,
            target=exemption,
            unit=unit,
            cadre=Cadre.objects.filter(pk=event.cadre_id).first() if event.cadre_id else None,
            data={"event": event.pk, "position": event.data.get("position", ""), "ended_on": event.data.get("ended_on", ""), "reason": reason},
        )
    return exemption


def decide_exemption(*, actor, exemption: DepartureExemption, approve: bool, note: str = "") -> DepartureExemption:
    """The head approves or rejects a requested exemption (a rejection needs a note). Whoever
    asked for the exemption cannot decide on it."""
    note = _clean_reason(note, required=not approve, field="note")
    with transaction.atomic():
        exemption = DepartureExemption.objects.select_for_update().get(pk=exemption.pk)
        event = DomainEvent.objects.get(pk=exemption.event_id)
        unit = Unit.objects.filter(pk=event.unit_id).first()
        if unit is None or not access.can(actor, "audits.approve", unit):
            raise access.NotVisible()
        if exemption.status != DepartureExemption.Status.REQUESTED:
            raise ActionError(_("This exemption has already been decided."))
        if exemption.requested_by_id == actor.pk:
            raise ActionError(_("Whoever asked for the exemption cannot approve or reject it."))
        exemption.status = DepartureExemption.Status.APPROVED if approve else DepartureExemption.Status.REJECTED
        exemption.decided_by = actor
        exemption.decided_at = timezone.now()
        exemption.decision_note = note
        exemption.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        context = {
            "actor": actor,
            "target": exemption,
            "unit": unit,
            "cadre": Cadre.objects.filter(pk=event.cadre_id).first() if event.cadre_id else None,
            "data": {"event": event.pk, "position": event.data.get("position", ""), "reason": exemption.reason, "note": note},
        }
        if approve:
            journal.record("audits.departure.exempted", **context)
        else:
            journal.record("audits.departure.exemption_rejected", **context)
    return exemption


FIGURES_MAX = 500
NOTES_MAX = 5000


def _locked_handover(actor, handover: Handover, perm: str = "audits.manage") -> Handover:
    handover = Handover.objects.select_for_update().select_related("unit", "cadre").get(pk=handover.pk)
    if not access.can(actor, perm, handover.unit):
        raise access.NotVisible()
    return handover


def _refuse_if_completed(handover: Handover) -> None:
    if handover.status == Handover.Status.COMPLETED:
        raise ActionError(_("The handover is completed and can no longer be changed."))


def set_handover_parties(*, actor, handover: Handover, successor: Cadre | None, supervisor) -> Handover:
    """Name the successor (a cadre) and the handover supervisor (监交人, a user). The supervisor
    must be neither the leaver nor the successor; signatures already given stay only if the
    party they were given for is unchanged."""
    with transaction.atomic():
        handover = _locked_handover(actor, handover)
        _refuse_if_completed(handover)
        if successor is not None and successor.pk == handover.cadre_id:
            raise ActionError(_("The leaver cannot be his or her own successor."), field="successor")
        if supervisor is not None:
            if not supervisor.is_active:
                raise ActionError(_("The supervisor's account is disabled."), field="supervisor")
            linked = getattr(supervisor, "cadre_id", None)
            if linked and linked == handover.cadre_id:
                raise ActionError(_("The leaver cannot supervise his or her own handover."), field="supervisor")
            if linked and successor is not None and linked == successor.pk:
                raise ActionError(_("The successor cannot be the handover supervisor."), field="supervisor")
        before = {"successor": handover.successor_id, "supervisor": handover.supervisor_id}
        handover.successor = successor
        handover.supervisor = supervisor
        handover.save(update_fields=["successor", "supervisor"])
        changed = [p for p, old in (("successor", before["successor"]), ("supervisor", before["supervisor"])) if old != getattr(handover, f"{p}_id")]
        handover.signatures.filter(party__in=changed).delete()
        journal.record(
            "audits.handover.parties_set",
            actor=actor,
            target=handover,
            unit=handover.unit,
            cadre=handover.cadre,
            data={
                "successor": successor.name if successor else None,
                "supervisor": supervisor.username if supervisor else None,
                "signatures_withdrawn": changed,
            },
        )
    return handover


def record_handover_item(*, actor, handover: Handover, item_id: int, figures: str, notes: str) -> HandoverItem:
    """Record the figures and notes of one checklist item."""
    figures, notes = (figures or "").strip(), (notes or "").strip()
    if len(figures) > FIGURES_MAX:
        raise ActionError(_("The figures are longer than %(n)d characters.") % {"n": FIGURES_MAX}, field="figures")
    if len(notes) > NOTES_MAX:
        raise ActionError(_("The notes are longer than %(n)d characters.") % {"n": NOTES_MAX}, field="notes")
    with transaction.atomic():
        handover = _locked_handover(actor, handover)
        _refuse_if_completed(handover)
        item = handover.items.filter(pk=item_id).first()
        if item is None:
            raise ActionError(_("This item is not on the handover's checklist."), field="item")
        if handover.signatures.exists():
            raise ActionError(_("The handover has been confirmed by a party; its items can no longer be changed."))
        item.figures, item.notes = figures, notes
        item.save(update_fields=["figures", "notes"])
        journal.record(
            "audits.handover.item_recorded",
            actor=actor,
            target=handover,
            unit=handover.unit,
            cadre=handover.cadre,
            data={"item": item.title, "figures": figures, "notes": notes},
        )
    return item


def sign_handover(*, actor, handover: Handover, party: str) -> HandoverSignature:
    """Confirm the handover as one of its parties: the leaver and the successor through the
    account linked to their cadre record, the supervisor as the user named. A successor cannot
    sign as supervisor. With the third confirmation the handover is completed."""
    if party not in HandoverSignature.Party.values:
        raise ActionError(_("Unknown party to the handover."), field="party")
    with transaction.atomic():
        handover = Handover.objects.select_for_update().select_related("unit", "cadre").get(pk=handover.pk)
        _refuse_if_completed(handover)
        linked = getattr(actor, "cadre_id", None)
        if party == HandoverSignature.Party.LEAVER:
            if not linked or linked != handover.cadre_id:
                raise ActionError(_("Only the leaver can confirm as the leaver."), field="party")
        elif party == HandoverSignature.Party.SUCCESSOR:
            if handover.successor_id is None:
                raise ActionError(_("No successor has been named yet."), field="party")
            if not linked or linked != handover.successor_id:
                raise ActionError(_("Only the successor can confirm as the successor."), field="party")
        else:
            if linked and linked in (handover.successor_id, handover.cadre_id):
                raise ActionError(_("The successor or the leaver cannot confirm as the handover supervisor."), field="party")
            if handover.supervisor_id is None or handover.supervisor_id != actor.pk:
                raise ActionError(_("Only the named handover supervisor can confirm as supervisor."), field="party")
        if handover.signatures.filter(party=party).exists():
            raise ActionError(_("This party has already confirmed the handover."), field="party")
        signature = HandoverSignature.objects.create(handover=handover, party=party, user=actor)
        data = {"party": party}
        if handover.signatures.count() == len(HandoverSignature.Party.values):
            handover.status = Handover.Status.COMPLETED
            handover.completed_on = dt.date.today()
            handover.save(update_fields=["status", "completed_on"])
            data["completed"] = True
        journal.record("audits.handover.signed", actor=actor, target=handover, unit=handover.unit, cadre=handover.cadre, data=data)
    return signature


def serve_notice(*, actor, audit: DepartureAudit, served_on: dt.date, fieldwork_starts_on: dt.date) -> DepartureAudit:
    """Plan → notice: serve the audit notice (审计通知书), numbered in this transaction, at least
    the configured working days (3) before fieldwork starts (DOMAIN.md §5)."""
    if not access.can(actor, "audits.manage", audit.unit):
        raise access.NotVisible()
    if served_on is None or fieldwork_starts_on is None:
        raise ActionError(_("Give the date the notice is served and the date fieldwork starts."), field="served_on")
    if served_on > dt.date.today():
        raise ActionError(_("The notice cannot be recorded as served in the future."), field="served_on")
    days = int(get_setting("audits.notice_working_days"))
    earliest = add_working_days(served_on, days)
    if fieldwork_starts_on < earliest.due:
        raise ActionError(
            _("Fieldwork may start on %(due)s at the earliest (%(rule)s).") % {"due": earliest.due.isoformat(), "rule": earliest.explain()},
            field="fieldwork_starts_on",
        )
    with transaction.atomic():
        audit = DepartureAudit.objects.select_for_update().select_related("unit", "cadre").get(pk=audit.pk)
        if not access.can(actor, "audits.manage", audit.unit):
            raise access.NotVisible()
        if audit.stage != DepartureAudit.Stage.PLANNED:
            raise ActionError(_("The notice of this audit has already been served."))
        audit.notice_number = next_document_number(str(get_setting("audits.notice_number_prefix")), served_on.year)
        audit.notice_served_on = served_on
        audit.fieldwork_starts_on = fieldwork_starts_on
        audit.stage = DepartureAudit.Stage.NOTICE
        audit.save(update_fields=["notice_number", "notice_served_on", "fieldwork_starts_on", "stage"])
        journal.record(
            "audits.audit.notice_served",
            actor=actor,
            target=audit,
            unit=audit.unit,
            cadre=audit.cadre,
            data={"number": audit.notice_number, "served_on": served_on, "fieldwork_starts_on": fieldwork_starts_on, "rule": earliest.explain()},
        )
    return audit


# --- in-term audits (任中审计) and the yearly audit plan ----------------------------------------


def _open_in_term(tenure: Tenure, *, actor, reason: str, on: dt.date) -> DepartureAudit:
    """Create an in-term audit of a serving subject's tenure (the caller checks access)."""
    if tenure.ended_on is not None:
        raise ActionError(_("This tenure has ended: its audit is a departure audit."), field="tenure")
    if on < tenure.started_on or on > dt.date.today():
        raise ActionError(_("The audit cannot start before the post began or in the future."), field="on")
    if not risk.is_subject(tenure, on):
        raise ActionError(_("This post is not an audit subject (a principal, a post with financial authority, or presiding for a year)."), field="tenure")
    running = DepartureAudit.objects.filter(tenure=tenure, kind=DepartureAudit.Kind.IN_TERM, stage__in=risk.RUNNING_STAGES).exists()
    if running:
        raise ActionError(_("An in-term audit of this tenure is already under way."), field="tenure")
    return DepartureAudit.objects.create(
        tenure=tenure,
        cadre=tenure.cadre,
        unit=tenure.position.unit,
        period_start=tenure.started_on,
        period_end=on,
        kind=DepartureAudit.Kind.IN_TERM,
        reason=reason,
        started_by=actor,
    )


def start_in_term_audit(*, actor, tenure: Tenure, reason: str, on: dt.date | None = None) -> DepartureAudit:
    """Directly start an in-term audit (任中审计) of a serving subject chosen by the audit office,
    with the reason (no event opened it); the period of responsibility runs to the start."""
    reason = _clean_reason(reason)
    on = on or dt.date.today()
    with transaction.atomic():
        tenure = Tenure.objects.select_for_update().select_related("position__unit", "cadre").get(pk=tenure.pk)
        if not access.can(actor, "audits.manage", tenure.position.unit):
            raise access.NotVisible()
        audit = _open_in_term(tenure, actor=actor, reason=reason, on=on)
        journal.record(
            "audits.in_term_audit.started",
            actor=actor,
            target=audit,
            unit=audit.unit,
            cadre=audit.cadre,
            data={"position": str(tenure.position), "period": f"{audit.period_start.isoformat()}–{on.isoformat()}", "reason": reason},
        )
    return audit


def draft_plan(*, actor, year: int) -> AuditPlan:
    """Start drafting the yearly audit plan (one per year)."""
    if not access.can(actor, "audits.manage"):
        raise access.NotVisible()
    if year is None or not (2000 <= int(year) <= 2100):
        raise ActionError(_("Give the year of the plan."), field="year")
    with transaction.atomic():
        if AuditPlan.objects.select_for_update().filter(year=year).exists():
            raise ActionError(_("There is already an audit plan for %(year)d.") % {"year": year}, field="year")
        plan = AuditPlan.objects.create(year=year, drafted_by=actor)
        journal.record("audits.plan.drafted", actor=actor, target=plan, data={"year": year})
    return plan


def _locked_draft(actor, plan: AuditPlan) -> AuditPlan:
    plan = AuditPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != AuditPlan.Status.DRAFT:
        raise ActionError(_("The plan is approved and can no longer be changed."))
    return plan


def add_plan_entry(*, actor, plan: AuditPlan, tenure: Tenure, reason: str = "", on: dt.date | None = None) -> AuditPlanEntry:
    """Put a serving subject into the draft plan, with the risk score and its parts as of `on`."""
    reason = _clean_reason(reason, required=False)
    on = on or dt.date.today()
    with transaction.atomic():
        plan = _locked_draft(actor, plan)
        tenure = Tenure.objects.select_related("position__unit", "cadre").get(pk=tenure.pk)
        if not access.can(actor, "audits.manage", tenure.position.unit):
            raise access.NotVisible()
        if tenure.ended_on is not None or not risk.is_subject(tenure, on):
            raise ActionError(_("Only serving audit subjects can be put into the plan."), field="tenure")
        if plan.entries.filter(tenure=tenure).exists():
            raise ActionError(_("This subject is already in the plan."), field="tenure")
        score = risk.score(tenure, on)
        entry = AuditPlanEntry.objects.create(
            plan=plan, tenure=tenure, cadre=tenure.cadre, unit=tenure.position.unit, score=score.total, parts=score.stored(), reason=reason
        )
        journal.record(
            "audits.plan.entry_added",
            actor=actor,
            target=plan,
            unit=entry.unit,
            cadre=entry.cadre,
            data={"year": plan.year, "position": str(tenure.position), "score": score.total, "computation": score.explain(), "reason": reason},
        )
    return entry


def remove_plan_entry(*, actor, plan: AuditPlan, entry_id: int) -> None:
    with transaction.atomic():
        plan = _locked_draft(actor, plan)
        entry = plan.entries.select_related("unit", "cadre").filter(pk=entry_id).first()
        if entry is None or not access.can(actor, "audits.manage", entry.unit):
            raise access.NotVisible()
        entry.delete()
        journal.record("audits.plan.entry_removed", actor=actor, target=plan, unit=entry.unit, cadre=entry.cadre, data={"year": plan.year})


def approve_plan(*, actor, plan: AuditPlan, on: dt.date | None = None) -> AuditPlan:
    """The head approves the draft plan; the approval starts an in-term audit for every entry.
    Whoever drafted the plan cannot approve it; a plan without entries is refused, and so is one
    whose subject has left since (remove the entry first)."""
    on = on or dt.date.today()
    if not access.can(actor, "audits.approve"):
        raise access.NotVisible()
    with transaction.atomic():
        plan = _locked_draft(actor, plan)
        if plan.drafted_by_id == actor.pk:
            raise ActionError(_("Whoever drafted the plan cannot approve it."))
        entries = list(plan.entries.select_related("tenure__position__unit", "tenure__cadre", "unit", "cadre"))
        if not entries:
            raise ActionError(_("The plan has no subjects yet."))
        for entry in entries:
            if not access.can(actor, "audits.approve", entry.unit):
                raise access.NotVisible()
        for entry in entries:
            try:
                audit = _open_in_term(entry.tenure, actor=actor, reason=entry.reason, on=on)
            except ActionError as exc:
                raise ActionError(_("%(name)s: %(problem)s") % {"name": entry.cadre.name, "problem": exc.message}) from exc
            entry.audit = audit
            entry.save(update_fields=["audit"])
            journal.record(
                "audits.in_term_audit.started",
                actor=actor,
                target=audit,
                unit=audit.unit,
                cadre=audit.cadre,
                data={"position": str(entry.tenure.position), "period": f"{audit.period_start.isoformat()}–{on.isoformat()}", "plan": plan.year},
            )
        plan.status = AuditPlan.Status.APPROVED
        plan.approved_by = actor
        plan.approved_on = on
        plan.save(update_fields=["status", "approved_by", "approved_on"])
        journal.record("audits.plan.approved", actor=actor, target=plan, data={"year": plan.year, "audits": len(entries)})
    return plan


# --- the audit's course after the notice ------------------------------------------------------

TEXT_MAX = 10000


def _clean_text(value: str, *, field: str, required: bool = True, limit: int = TEXT_MAX) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ActionError(_("This field is required."), field=field)
    if "\x00" in value:
        raise ActionError(_("The text contains a character that cannot be stored."), field=field)
    if len(value) > limit:
        raise ActionError(_("The text is longer than %(n)d characters.") % {"n": limit}, field=field)
    return value


def _locked_audit(actor, audit: DepartureAudit, stage: str) -> DepartureAudit:
    audit = DepartureAudit.objects.select_for_update().select_related("unit", "cadre").get(pk=audit.pk)
    if not access.can(actor, "audits.manage", audit.unit):
        raise access.NotVisible()
    if audit.stage != stage:
        raise ActionError(_("This step does not fit the audit's stage (%(stage)s).") % {"stage": audit.get_stage_display()})
    return audit


def _not_future(day: dt.date | None, field: str) -> dt.date:
    if day is None:
        raise ActionError(_("Give the date."), field=field)
    if day > dt.date.today():
        raise ActionError(_("The date cannot be in the future."), field=field)
    return day


def start_fieldwork(*, actor, audit: DepartureAudit, started_on: dt.date) -> DepartureAudit:
    """Notice → fieldwork, not before the date the notice gave (≥ the notice's working days)."""
    started_on = _not_future(started_on, "started_on")
    with transaction.atomic():
        audit = _locked_audit(actor, audit, DepartureAudit.Stage.NOTICE)
        if started_on < audit.fieldwork_starts_on:
            raise ActionError(
                _("Fieldwork may not start before %(day)s, the date the notice gave.") % {"day": audit.fieldwork_starts_on.isoformat()}, field="started_on"
            )
        audit.fieldwork_started_on = started_on
        audit.stage = DepartureAudit.Stage.FIELDWORK
        audit.save(update_fields=["fieldwork_started_on", "stage"])
        journal.record("audits.audit.fieldwork_started", actor=actor, target=audit, unit=audit.unit, cadre=audit.cadre, data={"started_on": started_on})
    return audit


def send_draft_report(*, actor, audit: DepartureAudit, sent_on: dt.date) -> DepartureAudit:
    """Fieldwork → draft report sent to the audited cadre; the comment window (setting
    audits.comment_days, calendar days) starts the day after."""
    from jiandu.core.calendar import days_deadline

    sent_on = _not_future(sent_on, "sent_on")
    with transaction.atomic():
        audit = _locked_audit(actor, audit, DepartureAudit.Stage.FIELDWORK)
        if sent_on < audit.fieldwork_started_on:
            raise ActionError(_("The draft report cannot be sent before fieldwork started."), field="sent_on")
        due = days_deadline(sent_on, int(get_setting("audits.comment_days")))
        audit.draft_sent_on, audit.comments_due_on = sent_on, due.due
        audit.stage = DepartureAudit.Stage.DRAFT_REPORT
        audit.save(update_fields=["draft_sent_on", "comments_due_on", "stage"])
        journal.record(
            "audits.audit.draft_sent",
            actor=actor,
            target=audit,
            unit=audit.unit,
            cadre=audit.cadre,
            data={"sent_on": sent_on, "comments_due_on": due.due, "rule": str(due.explain())},
        )
    return audit


def record_comments(*, actor, audit: DepartureAudit, received_on: dt.date, comments: str) -> DepartureAudit:
    """The audited cadre's written comments, received within the window (the due day included)."""
    comments = _clean_text(comments, field="comments")
    received_on = _not_future(received_on, "received_on")
    with transaction.atomic():
        audit = _locked_audit(actor, audit, DepartureAudit.Stage.DRAFT_REPORT)
        if audit.comments_received_on:
            raise ActionError(_("The comments are already recorded."))
        if received_on < audit.draft_sent_on:
            raise ActionError(_("Comments cannot be received before the draft report was sent."), field="received_on")
        if received_on > audit.comments_due_on:
            raise ActionError(
                _("The comment window closed on %(day)s; without comments by then the cadre is taken to have no objection.")
                % {"day": audit.comments_due_on.isoformat()},
                field="received_on",
            )
        audit.comments_received_on, audit.comments = received_on, comments
        audit.save(update_fields=["comments_received_on", "comments"])
        journal.record("audits.audit.comments_recorded", actor=actor, target=audit, unit=audit.unit, cadre=audit.cadre, data={"received_on": received_on})
    return audit


def issue_final_report(*, actor, audit: DepartureAudit, issued_on: dt.date, grade: str, conclusion: str) -> DepartureAudit:
    """Draft report → final report with the evaluation grade and conclusion: after the cadre's
    comments, or once the window has passed without them (then recorded as no objection)."""
    conclusion = _clean_text(conclusion, field="conclusion")
    if grade not in DepartureAudit.Grade.values:
        raise ActionError(_("Choose the evaluation grade."), field="grade")
    issued_on = _not_future(issued_on, "issued_on")
    with transaction.atomic():
        audit = _locked_audit(actor, audit, DepartureAudit.Stage.DRAFT_REPORT)
        if audit.comments_received_on is None:
            if issued_on <= audit.comments_due_on:
                raise ActionError(
                    _("The audited cadre may comment until %(day)s; the final report can be issued after that, or once the comments are in.")
                    % {"day": audit.comments_due_on.isoformat()},
                    field="issued_on",
                )
            audit.no_objection = True
        elif issued_on < audit.comments_received_on:
            raise ActionError(_("The final report cannot precede the comments it answers."), field="issued_on")
        audit.report_issued_on, audit.grade, audit.conclusion = issued_on, grade, conclusion
        audit.stage = DepartureAudit.Stage.REPORTED
        audit.save(update_fields=["report_issued_on", "grade", "conclusion", "no_objection", "stage"])
        journal.record(
            "audits.audit.report_issued",
            actor=actor,
            target=audit,
            unit=audit.unit,
            cadre=audit.cadre,
            data={"issued_on": issued_on, "grade": audit.get_grade_display(), "no_objection": audit.no_objection},
        )
    return audit


def add_finding(
    *, actor, audit: DepartureAudit, category: str, amount, responsibility: str, description: str, owner: Cadre, working_days: int | None = None
) -> Finding:
    """A finding of the final report with its rectification owner and deadline (working days
    after the report; default the setting audits.rectification_working_days)."""
    from decimal import Decimal, InvalidOperation

    description = _clean_text(description, field="description")
    if category not in Finding.Category.values:
        raise ActionError(_("Choose the category of the finding."), field="category")
    if responsibility not in Finding.Responsibility.values:
        raise ActionError(_("Choose the kind of responsibility."), field="responsibility")
    try:
        amount = Decimal(str(amount if amount not in (None, "") else 0))
    except InvalidOperation:
        raise ActionError(_("The amount is not a number."), field="amount") from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e14") or amount != amount.quantize(Decimal("0.01")):
        raise ActionError(_("The amount must be zero or more, in yuan with at most two decimals."), field="amount")
    days = int(get_setting("audits.rectification_working_days")) if working_days is None else working_days
    if not (1 <= days <= 250):
        raise ActionError(_("The deadline must be between 1 and 250 working days."), field="working_days")
    with transaction.atomic():
        audit = _locked_audit(actor, audit, DepartureAudit.Stage.REPORTED)
        if owner is None or not owner.unit.path.startswith(audit.unit.path):
            raise ActionError(_("Choose the rectification owner from the audited unit's cadres."), field="owner")
        due = add_working_days(audit.report_issued_on, days)
        finding = Finding.objects.create(
            audit=audit, category=category, amount=amount, responsibility=responsibility, description=description, owner=owner, due_on=due.due
        )
        journal.record(
            "audits.finding.recorded",
            actor=actor,
            target=audit,
            unit=audit.unit,
            cadre=audit.cadre,
            data={
                "finding": finding.pk,
                "category": finding.get_category_display(),
                "amount": str(amount),
                "responsibility": finding.get_responsibility_display(),
                "owner": owner.name,
                "due_on": due.due,
                "rule": str(due.explain()),
            },
        )
    return finding


def _locked_finding(actor, finding: Finding) -> Finding:
    finding = Finding.objects.select_for_update().select_related("audit__unit", "audit__cadre").get(pk=finding.pk)
    if not access.can(actor, "audits.manage", finding.audit.unit):
        raise access.NotVisible()
    if finding.audit.stage != DepartureAudit.Stage.REPORTED:
        raise ActionError(_("The audit is closed."))
    return finding


def report_rectification(*, actor, finding: Finding, reported_on: dt.date, text: str) -> RectificationReport:
    """Record a progress report on a finding's rectification (received from the owner)."""
    text = _clean_text(text, field="text")
    reported_on = _not_future(reported_on, "reported_on")
    with transaction.atomic():
        finding = _locked_finding(actor, finding)
        if finding.status == Finding.Status.VERIFIED:
            raise ActionError(_("This finding's rectification is already verified."))
        if reported_on < finding.audit.report_issued_on:
            raise ActionError(_("A progress report cannot precede the audit report."), field="reported_on")
        report = RectificationReport.objects.create(finding=finding, kind=RectificationReport.Kind.PROGRESS, on=reported_on, text=text, recorded_by=actor)
        finding.status = Finding.Status.REPORTED
        finding.save(update_fields=["status"])
        journal.record(
            "audits.rectification.reported",
            actor=actor,
            target=finding.audit,
            unit=finding.audit.unit,
            cadre=finding.audit.cadre,
            data={"finding": finding.pk, "reported_on": reported_on},
        )
    return report


def verify_rectification(*, actor, finding: Finding, accepted: bool, text: str, on: dt.date | None = None) -> Finding:
    """The audit office verifies a reported rectification: accepted, or returned for more work
    (with the reason). When every finding of the audit is accepted, the audit is closed."""
    text = _clean_text(text, field="text", required=not accepted)
    on = _not_future(on or dt.date.today(), "on")
    with transaction.atomic():
        finding = _locked_finding(actor, finding)
        if finding.status != Finding.Status.REPORTED:
            raise ActionError(_("Only a reported rectification can be verified."))
        kind = RectificationReport.Kind.ACCEPTED if accepted else RectificationReport.Kind.RETURNED
        RectificationReport.objects.create(finding=finding, kind=kind, on=on, text=text, recorded_by=actor)
        finding.status = Finding.Status.VERIFIED if accepted else Finding.Status.OPEN
        finding.verified_on = on if accepted else None
        finding.save(update_fields=["status", "verified_on"])
        audit = finding.audit
        context = {"actor": actor, "target": audit, "unit": audit.unit, "cadre": audit.cadre, "data": {"finding": finding.pk, "on": on, "note": text}}
        if accepted:
            journal.record("audits.rectification.accepted", **context)
        else:
            journal.record("audits.rectification.returned", **context)
        if accepted and not audit.findings.exclude(status=Finding.Status.VERIFIED).exists():
            _close(actor, audit, on)
    return finding


def _close(actor, audit: DepartureAudit, on: dt.date) -> None:
    audit = DepartureAudit.objects.select_for_update().get(pk=audit.pk)
    audit.stage, audit.closed_on = DepartureAudit.Stage.CLOSED, on
    audit.save(update_fields=["stage", "closed_on"])
    journal.record(
        "audits.audit.closed", actor=actor, target=audit, unit=audit.unit, cadre=audit.cadre, data={"closed_on": on, "findings": audit.findings.count()}
    )


def close_audit(*, actor, audit: DepartureAudit, on: dt.date | None = None) -> DepartureAudit:
    """Close an audit after its final report: only when every finding's rectification is
    verified (an audit without findings closes at once)."""
    on = _not_future(on or dt.date.today(), "on")
    with transaction.atomic():
        audit = _locked_audit(actor, audit, DepartureAudit.Stage.REPORTED)
        open_count = audit.findings.exclude(status=Finding.Status.VERIFIED).count()
        if open_count:
            raise ActionError(_("%(n)d findings are not yet verified; the audit closes when every rectification is verified.") % {"n": open_count})
        _close(actor, audit, on)
    audit.refresh_from_db()
    return audit


# --- 移送问题线索: a finding handed to the discipline inspection department ----------------------


def transfer_finding_as_clue(*, actor, finding: Finding, to_unit, note: str = "") -> Finding:
    """Transfer a finding to the discipline inspection department as a clue (移送问题线索), through
    daily supervision's clue registry (core.clue_referrals): registered in the actor's clue
    department and transferred to `to_unit`, once per finding; the finding keeps the clue's number.
    The actor needs audits.manage on the audited unit and must be a department's clue officer."""
    from jiandu.core import clue_referrals

    note = _clean_text(note, field="note", required=False, limit=2000)
    with transaction.atomic():
        finding = Finding.objects.select_for_update(of=("self",)).select_related("audit__unit", "audit__cadre").get(pk=finding.pk)
        audit = finding.audit
        if not access.can(actor, "audits.manage", audit.unit):
            raise access.NotVisible()
        if finding.clue_id:
            raise ActionError(
                _("This finding was already transferred as a clue (%(number)s, to %(unit)s).") % {"number": finding.clue_number, "unit": finding.clue_to},
                code="transferred",
            )
        from .queries import clue_department

        sending = clue_department(actor)
        if sending is None:
            raise ActionError(_("Only a clue officer of a department can transfer a finding as a clue."), field="to_unit")
        if not str(getattr(to_unit, "pk", to_unit) or "").isdigit():
            raise ActionError(_("Choose the department the clue goes to."), field="to_unit")
        summary = _(
            "Finding of the economic-responsibility audit of %(cadre)s (%(unit)s, %(start)s–%(end)s), %(category)s, amount involved %(amount)s yuan: %(description)s"
        ) % {
            "cadre": audit.cadre.name,
            "unit": audit.unit.name,
            "start": audit.period_start.isoformat(),
            "end": audit.period_end.isoformat(),
            "category": finding.get_category_display(),
            "amount": finding.amount,
            "description": finding.description,
        }
        if note:
            summary = f"{summary}\n{note}"
        clue = clue_referrals.refer(actor=actor, cadre=audit.cadre, from_unit=sending, to_unit=to_unit, summary=summary, source="audit")
        finding.clue_id, finding.clue_number, finding.clue_to = clue.id, clue.number, clue.to_unit_name[:200]
        finding.clue_transferred_at, finding.clue_transferred_by = timezone.now(), actor
        finding.save(update_fields=["clue_id", "clue_number", "clue_to", "clue_transferred_at", "clue_transferred_by"])
        journal.record(
            "audits.finding.clue_transferred",
            actor=actor,
            target=audit,
            unit=audit.unit,
            cadre=audit.cadre,
            data={"finding": finding.pk, "clue": clue.id, "number": clue.number, "to": clue.to_unit_name},
        )
    return finding
