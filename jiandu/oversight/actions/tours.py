"""Inspection tours (巡察/巡查).

    preparation ─start_stationing─▶ stationing ─finish_stationing─▶ report ─give_feedback─▶ feedback
        ─start_rectification─▶ rectification ─close_tour─▶ closed

Each transition checks `InspectionTour.next_stage_blockers()` (the stepper shows the same list):
preparation needs targets, a leader and every member's conflict-of-interest declaration with no
conflict; stationing needs work-log entries; report needs the report; feedback needs a
rectification plan for each target unit; rectification needs the units' rectification report
(due `oversight.rectification_report_months` after feedback) and every item verified and closed
(销号). Findings may be transferred to the clue registry from the report stage on.

Rectification items use the shared building blocks of jiandu.core.rectification (the same as the
audit findings'): open ─record_progress─▶ reported ─close_item─▶ closed ─record_visit─▶ …, and
return_item sends a reported item back to open; overdue items are reminded once and escalated once.
"""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import blockers, journal
from jiandu.core.calendar import months_deadline
from jiandu.core.errors import ActionError
from jiandu.core.practice import get_setting
from jiandu.core.rectification import flow as rectification
from jiandu.registry.models import Unit

from .. import deadlines, uploads
from ..models import Clue, Finding, FollowUpVisit, InspectionTour, RectificationItem, RectificationUpdate, TourMember, TourTarget, WorkLog
from . import base
from . import clues as clue_actions

Stage = InspectionTour.Stage


def _lock(tour) -> InspectionTour:
    return InspectionTour.objects.select_for_update().select_related("organiser").get(pk=tour.pk)


def _unit(value, field) -> Unit:
    unit = value if isinstance(value, Unit) else Unit.objects.filter(pk=value).first() if str(value or "").isdigit() else None
    if unit is None:
        raise ActionError(_("Unknown unit."), field=field)
    return unit


def _require_stage(tour, *stages):
    if tour.stage not in stages:
        raise ActionError(
            _("Not possible at the %(stage)s stage.") % {"stage": tour.get_stage_display()},
            code="stage",
        )


def _record(code, actor, tour, data=None, cadre=None):
    journal.record(code, actor=actor, target=tour, unit=tour.organiser, cadre=cadre, data=data or {})


def plan_tour(
    *, actor, organiser, name: str, year: int, planned_start: dt.date, planned_end: dt.date, targets=(), kind: str = InspectionTour.Kind.PATROL
) -> InspectionTour:
    """Plan a tour (oversight.manage on the organising unit and on every target)."""
    organiser = _unit(organiser, "organiser")
    access.require(actor, "oversight.manage", organiser)
    name = base.text(name, "name", max_length=200)
    base.choice(kind, InspectionTour.Kind, "kind")
    planned_start = base.date(planned_start, "planned_start")
    planned_end = base.date(planned_end, "planned_end", not_before=planned_start, not_before_label=_("the start of the period"))
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ActionError(_("Enter a year."), field="year")
    if not 2000 <= year <= 2100:
        raise ActionError(_("Enter a year."), field="year")
    units = [_unit(t, "targets") for t in targets]
    for unit in units:
        access.require(actor, "oversight.manage", unit)
    with transaction.atomic():
        tour = InspectionTour.objects.create(
            name=name, kind=kind, year=year, organiser=organiser, planned_start=planned_start, planned_end=planned_end, created_by=actor
        )
        for unit in dict.fromkeys(units):
            TourTarget.objects.create(tour=tour, unit=unit)
        _record("oversight.tour.planned", actor, tour, {"name": name, "targets": [u.name for u in units]})
    return tour


def add_target(*, actor, tour: InspectionTour, unit) -> TourTarget:
    unit = _unit(unit, "unit")
    with transaction.atomic():
        tour = _lock(tour)
        access.require(actor, "oversight.manage", tour.organiser)
        access.require(actor, "oversight.manage", unit)
        _require_stage(tour, Stage.PREPARATION)
        if tour.targets.filter(unit=unit).exists():
            raise ActionError(_("%(unit)s is already a target.") % {"unit": unit}, field="unit")
        target = TourTarget.objects.create(tour=tour, unit=unit)
        _record("oversight.tour.target_added", actor, tour, {"unit": unit.name})
    return target


def add_team_member(*, actor, tour: InspectionTour, name: str, role: str = TourMember.Role.MEMBER, user=None) -> TourMember:
    """Add a team member (preparation only; one leader)."""
    name = base.text(name, "name", max_length=50)
    base.choice(role, TourMember.Role, "role")
    with transaction.atomic():
        tour = _lock(tour)
        access.require(actor, "oversight.manage", tour.organiser)
        _require_stage(tour, Stage.PREPARATION)
        if role == TourMember.Role.LEADER and tour.members.filter(role=role, is_removed=False).exists():
            raise ActionError(_("The team already has a leader."), field="role")
        member = TourMember.objects.create(tour=tour, name=name, role=role, user=user)
        _record("oversight.tour.member_added", actor, tour, {"name": name, "role": role})
    return member


def declare_interest(*, actor, member: TourMember, has_conflict: bool, declaration: str = "", declared_on: dt.date | None = None) -> TourMember:
    """Record a member's conflict-of-interest declaration (the member themself or the organiser)."""
    with transaction.atomic():
        member = TourMember.objects.select_for_update().get(pk=member.pk)
        tour = _lock(member.tour)
        if not (access.can(actor, "oversight.manage", tour.organiser) or (member.user_id and member.user_id == actor.pk)):
            raise access.NotVisible()
        _require_stage(tour, Stage.PREPARATION)
        if member.is_removed:
            raise ActionError(_("This member was removed from the team."))
        declaration = base.text(declaration, "declaration", required=bool(has_conflict))
        member.has_conflict, member.declaration = bool(has_conflict), declaration
        member.declared_on = base.date(declared_on or base.today(), "declared_on", not_future=True)
        member.save(update_fields=["has_conflict", "declaration", "declared_on"])
        _record("oversight.tour.interest_declared", actor, tour, {"member": member.name, "has_conflict": member.has_conflict})
    return member


def remove_team_member(*, actor, member: TourMember, reason: str) -> TourMember:
    reason = base.text(reason, "reason")
    with transaction.atomic():
        member = TourMember.objects.select_for_update().get(pk=member.pk)
        tour = _lock(member.tour)
        access.require(actor, "oversight.manage", tour.organiser)
        _require_stage(tour, Stage.PREPARATION)
        if member.is_removed:
            raise ActionError(_("This member was removed from the team."))
        member.is_removed, member.removed_reason = True, reason
        member.save(update_fields=["is_removed", "removed_reason"])
        _record("oversight.tour.member_removed", actor, tour, {"member": member.name, "reason": reason})
    return member


def _advance(actor, tour, expected, new, code, journal_extra=None, **fields):
    tour = _lock(tour)
    access.require(actor, "oversight.manage", tour.organiser)
    _require_stage(tour, expected)
    blockers.refuse(tour.next_stage_blockers(), code="blocked")
    for field, value in fields.items():
        setattr(tour, field, value)
    tour.stage = new
    tour.save()
    _record(code, actor, tour, {"stage": new, **fields, **(journal_extra or {})})
    return tour


def start_stationing(*, actor, tour: InspectionTour, stationed_on: dt.date | None = None) -> InspectionTour:
    stationed_on = base.date(stationed_on or base.today(), "stationed_on", not_future=True)
    with transaction.atomic():
        return _advance(actor, tour, Stage.PREPARATION, Stage.STATIONING, "oversight.tour.stationed", stationed_on=stationed_on)


def log_work(*, actor, tour: InspectionTour, unit, method: str, on: dt.date, description: str, participants: int = 0) -> WorkLog:
    """A work-log entry during stationing (questionnaire, symposium, talk, documents, projects, funds)."""
    unit = _unit(unit, "unit")
    base.choice(method, WorkLog.Method, "method")
    description = base.text(description, "description")
    if participants is None or int(participants) < 0:
        raise ActionError(_("Enter a number that is not negative."), field="participants")
    with transaction.atomic():
        tour = _lock(tour)
        access.require(actor, "oversight.manage", tour.organiser)
        _require_stage(tour, Stage.STATIONING)
        if not tour.targets.filter(unit=unit).exists():
            raise ActionError(_("%(unit)s is not a target of this tour.") % {"unit": unit}, field="unit")
        on = base.date(on, "on", not_future=True, not_before=tour.stationed_on, not_before_label=_("the stationing"))
        entry = WorkLog.objects.create(tour=tour, unit=unit, method=method, on=on, description=description, participants=int(participants), created_by=actor)
        _record("oversight.tour.work_logged", actor, tour, {"method": method, "on": on, "unit": unit.name})
    return entry


def finish_stationing(*, actor, tour: InspectionTour) -> InspectionTour:
    with transaction.atomic():
        return _advance(actor, tour, Stage.STATIONING, Stage.REPORT, "oversight.tour.stationing_finished")


def record_finding(*, actor, tour: InspectionTour, unit, category: str, description: str, severity: str, evidence: str = "", cadres=()) -> Finding:
    """A problem found, during stationing or while writing the report."""
    unit = _unit(unit, "unit")
    base.choice(category, Finding.Category, "category")
    base.choice(severity, Finding.Severity, "severity")
    description = base.text(description, "description")
    people = [base.cadre(c) for c in cadres]
    with transaction.atomic():
        tour = _lock(tour)
        access.require(actor, "oversight.manage", tour.organiser)
        _require_stage(tour, Stage.STATIONING, Stage.REPORT)
        if not tour.targets.filter(unit=unit).exists():
            raise ActionError(_("%(unit)s is not a target of this tour.") % {"unit": unit}, field="unit")
        finding = Finding.objects.create(
            tour=tour, unit=unit, category=category, description=description, severity=severity, evidence=evidence or "", created_by=actor
        )
        finding.cadres.set(people)
        _record("oversight.tour.finding_recorded", actor, tour, {"finding": finding.pk, "category": category, "severity": severity})
        for cadre in people:
            journal.record(
                "oversight.finding.cadre_involved", actor=actor, target=finding, unit=unit, cadre=cadre, data={"tour": tour.name, "severity": severity}
            )
    return finding


def record_report(*, actor, tour: InspectionTour, report_text: str, reported_on: dt.date | None = None, file=None) -> InspectionTour:
    report_text = base.text(report_text, "report_text")
    checked = uploads.check_upload(file) if file is not None else None
    with transaction.atomic():
        tour = _lock(tour)
        access.require(actor, "oversight.manage", tour.organiser)
        _require_stage(tour, Stage.REPORT)
        tour.report_text = report_text
        tour.reported_on = base.date(
            reported_on or base.today(), "reported_on", not_future=True, not_before=tour.stationed_on, not_before_label=_("the stationing")
        )
        tour.save(update_fields=["report_text", "reported_on"])
        if checked:
            uploads.store(actor=actor, owner=tour, purpose="report", upload=file, checked=checked)
        _record("oversight.tour.report_recorded", actor, tour, {"reported_on": tour.reported_on})
    return tour


def _principal_on(unit, on: dt.date):
    """The cadre holding the unit's principal post on `on` (the latest start wins), or None."""
    from django.db.models import Q

    from jiandu.registry.models import Tenure

    tenure = (
        Tenure.objects.filter(position__unit=unit, position__is_principal=True, started_on__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
        .select_related("cadre")
        .order_by("-started_on", "-id")
        .first()
    )
    return tenure.cadre if tenure else None


def give_feedback(*, actor, tour: InspectionTour, feedback_on: dt.date) -> InspectionTour:
    """Feedback to the units; the rectification report is due N months later (setting, default 2;
    《中国共产党巡视工作条例》 art. 27). Each target unit's principal on that day is recorded as the
    first person responsible for its rectification (same article)."""
    with transaction.atomic():
        locked = _lock(tour)
        feedback_on = base.date(feedback_on, "feedback_on", not_future=True, not_before=locked.reported_on, not_before_label=_("the report"))
        due = months_deadline(feedback_on, int(get_setting("oversight.rectification_report_months")), rule="oversight.rectification_report")
        responsible = {}
        if locked.stage == Stage.REPORT:
            for target in locked.targets.select_for_update().select_related("unit"):
                target.first_responsible = _principal_on(target.unit, feedback_on)
                target.save(update_fields=["first_responsible"])
                responsible[str(target.unit_id)] = target.first_responsible_id
        return _advance(
            actor,
            locked,
            Stage.REPORT,
            Stage.FEEDBACK,
            "oversight.tour.feedback_given",
            journal_extra={"first_responsible": responsible},
            feedback_on=feedback_on,
            rectification_due_on=due.due,
            rectification_due_rule=deadlines.code_of(due),
        )


def transfer_finding(*, actor, finding: Finding, cadre, to_unit, from_unit) -> Clue:
    """Hand a finding about a cadre to a member department through the clue registry."""
    cadre = base.cadre(cadre)
    with transaction.atomic():
        finding = Finding.objects.select_for_update().select_related("tour__organiser").get(pk=finding.pk)
        tour = finding.tour
        access.require(actor, "oversight.manage", tour.organiser)
        if tour.stage_index() < tour.STAGE_ORDER.index(Stage.REPORT):
            raise ActionError(_("Findings are transferred once stationing is over."), code="stage")
        if not finding.cadres.filter(pk=cadre.pk).exists():
            raise ActionError(_("%(name)s is not involved in this finding.") % {"name": cadre.name}, field="cadre")
        clue = clue_actions.register_clue(
            actor=actor,
            cadre=cadre,
            from_unit=from_unit,
            source=Clue.Source.INSPECTION,
            summary=finding.description,
            source_tour=tour,
            source_finding=finding,
        )
        clue = clue_actions.transfer_clue(actor=actor, clue=clue, to_unit=to_unit)
        _record("oversight.tour.finding_transferred", actor, tour, {"finding": finding.pk, "clue": clue.pk}, cadre=cadre)
    return clue


def add_rectification_item(
    *, actor, tour: InspectionTour, unit, measure: str, owner: str, due_on: dt.date | None = None, finding: Finding | None = None
) -> RectificationItem:
    """An item of a unit's rectification plan (owner and deadline; without a deadline the shared
    default, rectification.default_days after the feedback)."""
    unit = _unit(unit, "unit")
    measure = base.text(measure, "measure")
    owner = base.text(owner, "owner", max_length=100)
    due_on = base.future_deadline(due_on, "due_on", required=False)
    with transaction.atomic():
        tour = _lock(tour)
        access.require(actor, "oversight.manage", tour.organiser)
        _require_stage(tour, Stage.FEEDBACK, Stage.RECTIFICATION)
        if not tour.targets.filter(unit=unit).exists():
            raise ActionError(_("%(unit)s is not a target of this tour.") % {"unit": unit}, field="unit")
        if finding is not None and (finding.tour_id != tour.pk or finding.unit_id != unit.pk):
            raise ActionError(_("The finding belongs to another tour or unit."), field="finding")
        due_on, rule = rectification.deadline(due_on, reported_on=tour.feedback_on)
        item = RectificationItem.objects.create(tour=tour, unit=unit, finding=finding, measure=measure, owner=owner, due_on=due_on, due_rule=rule)
        _record("oversight.tour.rectification_item_added", actor, tour, {"item": item.pk, "unit": unit.name, "due_on": due_on})
    return item


def start_rectification(*, actor, tour: InspectionTour) -> InspectionTour:
    with transaction.atomic():
        return _advance(actor, tour, Stage.FEEDBACK, Stage.RECTIFICATION, "oversight.tour.rectification_started")


RECTIFICATION_CODES = rectification.Codes(
    progress="oversight.tour.progress_recorded",
    returned="oversight.tour.item_returned",
    closed="oversight.tour.item_closed",
    visited="oversight.tour.item_visited",
    overdue="oversight.tour.item_overdue",
    escalated="oversight.tour.item_escalated",
)


def _locked_item(actor, item: RectificationItem, *stages) -> tuple[RectificationItem, InspectionTour]:
    item = RectificationItem.objects.select_for_update().get(pk=item.pk)
    tour = _lock(item.tour)
    access.require(actor, "oversight.manage", tour.organiser)
    _require_stage(tour, *stages)
    return item, tour


def _context(tour) -> dict:
    return {"target": tour, "unit": tour.organiser}


def record_progress(*, actor, item: RectificationItem, progress: str, on: dt.date | None = None, evidence=None) -> RectificationUpdate:
    """A progress update on an item that is not closed, with an optional evidence file (shared
    core.rectification); the item then awaits verification."""
    with transaction.atomic():
        item, tour = _locked_item(actor, item, Stage.FEEDBACK, Stage.RECTIFICATION)
        return rectification.record_progress(
            actor=actor,
            item=item,
            report_model=RectificationUpdate,
            codes=RECTIFICATION_CODES,
            context=_context(tour),
            progress=progress,
            on=on or base.today(),
            not_before=tour.feedback_on,
            not_before_label=_("the feedback"),
            evidence=evidence,
        )


def close_item(*, actor, item: RectificationItem, verification_note: str = "") -> RectificationItem:
    """Verify and close (销号) an item whose progress is reported, at the rectification stage."""
    with transaction.atomic():
        item, tour = _locked_item(actor, item, Stage.RECTIFICATION)
        return rectification.verify_and_close(actor=actor, item=item, codes=RECTIFICATION_CODES, context=_context(tour), note=verification_note)


def return_item(*, actor, item: RectificationItem, note: str) -> RectificationItem:
    """Return a reported item for more work, with the reason."""
    with transaction.atomic():
        item, tour = _locked_item(actor, item, Stage.RECTIFICATION)
        return rectification.return_for_more_work(
            actor=actor, item=item, report_model=RectificationUpdate, codes=RECTIFICATION_CODES, context=_context(tour), note=note
        )


def record_visit(*, actor, item: RectificationItem, visited_on: dt.date, visited_by: str, outcome: str, note: str = "") -> FollowUpVisit:
    """A follow-up visit (跟踪回访) on a closed item, also after the tour closed."""
    with transaction.atomic():
        item, tour = _locked_item(actor, item, Stage.RECTIFICATION, Stage.CLOSED)
        return rectification.record_visit(
            actor=actor,
            item=item,
            visit_model=FollowUpVisit,
            codes=RECTIFICATION_CODES,
            context=_context(tour),
            visited_on=visited_on,
            visited_by=visited_by,
            outcome=outcome,
            note=note,
        )


def record_rectification_report(*, actor, tour: InspectionTour, text: str, reported_on: dt.date | None = None, file=None) -> InspectionTour:
    text = base.text(text, "text")
    checked = uploads.check_upload(file) if file is not None else None
    with transaction.atomic():
        tour = _lock(tour)
        access.require(actor, "oversight.manage", tour.organiser)
        _require_stage(tour, Stage.RECTIFICATION)
        tour.rectification_report = text
        tour.rectification_reported_on = base.date(
            reported_on or base.today(), "reported_on", not_future=True, not_before=tour.feedback_on, not_before_label=_("the feedback")
        )
        tour.save(update_fields=["rectification_report", "rectification_reported_on"])
        if checked:
            uploads.store(actor=actor, owner=tour, purpose="rectification_report", upload=file, checked=checked)
        _record(
            "oversight.tour.rectification_reported",
            actor,
            tour,
            {"reported_on": tour.rectification_reported_on, "late": tour.rectification_reported_on > tour.rectification_due_on},
        )
    return tour


def set_public_summary(*, actor, tour: InspectionTour, summary: str, is_publishable: bool) -> InspectionTour:
    """The public summary of rectification, and whether the portal may publish it."""
    summary = base.text(summary, "summary", required=bool(is_publishable))
    with transaction.atomic():
        tour = _lock(tour)
        access.require(actor, "oversight.manage", tour.organiser)
        _require_stage(tour, Stage.RECTIFICATION, Stage.CLOSED)
        tour.public_summary, tour.is_publishable = summary, bool(is_publishable)
        tour.save(update_fields=["public_summary", "is_publishable"])
        _record("oversight.tour.public_summary_set", actor, tour, {"is_publishable": tour.is_publishable})
    return tour


def close_tour(*, actor, tour: InspectionTour) -> InspectionTour:
    with transaction.atomic():
        return _advance(actor, tour, Stage.RECTIFICATION, Stage.CLOSED, "oversight.tour.closed", closed_on=base.today())


def _notify_of(item, escalated: bool):
    """The supervision officers over the item's unit are reminded; the head (oversight.confirm)
    hears of an escalation."""
    from django.urls import reverse

    return access.holders("oversight.confirm" if escalated else "oversight.manage", item.unit), reverse("oversight:tour_detail", args=[item.tour_id])


def send_rectification_reminders(*, today: dt.date | None = None) -> int:
    """Remind once about overdue rectification items (and escalate them once, shared
    core.rectification) and about overdue rectification reports."""
    today = today or base.today()
    items = RectificationItem.objects.select_related("tour", "unit")
    sent = rectification.send_overdue_reminders(
        items=items, codes=RECTIFICATION_CODES, context_of=lambda item: {"target": item.tour, "unit": item.unit}, today=today, notify_of=_notify_of
    )
    for tour in InspectionTour.objects.filter(
        stage=Stage.RECTIFICATION, rectification_reported_on__isnull=True, rectification_due_on__lt=today, rectification_reminded_on__isnull=True
    ):
        with transaction.atomic():
            InspectionTour.objects.filter(pk=tour.pk).update(rectification_reminded_on=today)
            journal.record(
                "oversight.tour.rectification_report_overdue", target=tour, unit=tour.organiser_id, data={"due_on": tour.rectification_due_on}, role="system"
            )
            sent += 1
    return sent
