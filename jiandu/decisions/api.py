"""JSON API of collective decisions (read): the meetings you may see, and one meeting with each
item's verdict and its arithmetic."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from jiandu.accounts import access
from jiandu.core.api import Id, InputSchema, Page, PageQuery, paginate, text
from jiandu.core.errors import ActionError

from . import actions, queries
from .models import Body

router = Router(tags=["decisions"])


class MeetingOut(Schema):
    id: int
    body: str
    held_on: dt.date
    title: str


class StatementOut(Schema):
    order: int
    member: str
    stance: str
    reason: str


class ItemOut(Schema):
    order: int
    title: str
    category: str
    amount: str | None
    proposer: str | None
    outcome: str  # void / passed / failed
    total: int
    present: int
    quorum_needed: int
    agree: int
    disagree: int
    defer: int
    majority_needed: int
    written_opinions: int
    explanation: list[str]
    statements: list[StatementOut]


class MeetingDetailOut(MeetingOut):
    members: int
    present: int
    items: list[ItemOut]


def _require_view(user):
    if not (access.can(user, "decisions.view") or access.can(user, "decisions.manage")):
        raise access.NotVisible()


def _meeting(meeting) -> dict:
    return {"id": meeting.pk, "body": meeting.body.name, "held_on": meeting.held_on, "title": meeting.title}


@router.get("/meetings", response=Page[MeetingOut], summary="Meetings", url_name="list_decision_meetings")
def list_meetings(request, page: Query[PageQuery]):
    """Meetings of the bodies whose decisions you record, or that you are a member of."""
    _require_view(request.user)
    return paginate(queries.meetings_visible_to(request.user), page, _meeting)


@router.get("/meetings/{int:meeting_id}", response=MeetingDetailOut, summary="One meeting", url_name="get_decision_meeting")
def get_meeting(request, meeting_id: int):
    """The meeting's attendance counts and each agenda item's verdict with its arithmetic."""
    _require_view(request.user)
    meeting = queries.get_meeting_for(request.user, meeting_id)
    items = []
    for item in meeting.items.select_related("proposer").prefetch_related("statements__cadre", "written_opinions"):
        result = queries.item_verdict(item)
        items.append(
            {
                "order": item.order,
                "title": item.title,
                "category": item.category,
                "amount": None if item.amount is None else str(item.amount),
                "proposer": item.proposer.name if item.proposer else None,
                "outcome": result.outcome,
                "total": result.total,
                "present": result.present,
                "quorum_needed": result.quorum_needed,
                "agree": result.agree,
                "disagree": result.disagree,
                "defer": result.defer,
                "majority_needed": result.majority_needed,
                "written_opinions": len(result.written_opinions),
                "explanation": result.explanation,
                "statements": [{"order": s.order, "member": s.cadre.name, "stance": s.stance, "reason": s.reason} for s in item.statements.all()],
            }
        )
    attendances = list(meeting.attendances.all())
    return {**_meeting(meeting), "members": len(attendances), "present": sum(1 for a in attendances if a.present), "items": items}


Stance = Literal["agree", "disagree", "defer"]


class StatementIn(InputSchema):
    member_id: Id
    stance: Stance
    reason: text(2000) = ""


class OpinionIn(InputSchema):
    item: int = Field(ge=1, le=100, description="number of the agenda item, from 1")
    stance: Stance
    reason: text(2000) = ""


class AbsenceIn(InputSchema):
    member_id: Id
    reason: text(200)
    opinions: list[OpinionIn] = Field(default_factory=list, max_length=100)


class ItemIn(InputSchema):
    title: text(200)
    category: Literal["major_decision", "appointment", "major_project", "large_funds", "other"]
    amount: Decimal | None = Field(None, ge=0, lt=Decimal("1e14"), description="yuan")
    proposer_id: Id | None = None
    statements: list[StatementIn] = Field(default_factory=list, max_length=200, description="in speaking order, the principal last")


class MeetingIn(InputSchema):
    body_id: Id
    held_on: dt.date
    title: text(200)
    absences: list[AbsenceIn] = Field(default_factory=list, max_length=200)
    items: list[ItemIn] = Field(max_length=100)


@router.post("/meetings", response={201: MeetingDetailOut}, summary="Record a meeting", url_name="record_decision_meeting")
def record_meeting(request, payload: MeetingIn):
    """Record a meeting of a body whose decisions you record: absent members with reasons (and
    their written opinions, recorded and not counted), then each agenda item with the present
    members' statements in speaking order, the principal last. Each item's verdict is computed;
    nothing is stored if any part is refused."""
    body = Body.objects.filter(access.scope_q(request.user, "decisions.manage", "unit__path"), pk=payload.body_id).first()
    if body is None:
        raise access.NotVisible()
    members = {m.cadre_id: m.cadre for m in body.memberships.select_related("cadre")}

    def member(pk):
        if pk not in members:
            raise ActionError(_("That person is not a member of this body."), field="member_id")
        return members[pk]

    absences = {}
    for absence in payload.absences:
        opinions = {o.item: (o.stance, o.reason) for o in absence.opinions}
        absences[member(absence.member_id)] = {"reason": absence.reason, "opinions": opinions}
    items = []
    for item in payload.items:
        items.append(
            {
                "title": item.title,
                "category": item.category,
                "amount": item.amount,
                "proposer": member(item.proposer_id) if item.proposer_id else None,
                "statements": [(member(s.member_id), s.stance, s.reason) for s in item.statements],
            }
        )
    meeting = actions.record_meeting(actor=request.user, body=body, held_on=payload.held_on, title=payload.title, absences=absences, items=items)
    return 201, get_meeting(request, meeting.pk)


# --- bodies, 三重一大 registers, violations and follow-through (issue #14 §2–3) ---------------------

from jiandu.registry.models import Cadre, Unit  # noqa: E402

from . import register_actions, register_queries  # noqa: E402
from . import violations as violation_rules  # noqa: E402
from .models import DecisionTask  # noqa: E402


def _manage_unit(request, unit_id: int) -> Unit:
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None or not access.can(request.user, "decisions.manage", unit):
        raise access.NotVisible()
    return unit


class BodyIn(InputSchema):
    unit_id: Id
    name: text(100)
    kind: Literal["standing_committee", "executive_meeting", "party_group"]
    member_ids: list[Id] = Field(max_length=100, description="cadres; empty: the unit's current leaders")
    principal_id: Id | None = None


class BodyOut(Schema):
    id: int
    name: str
    kind: str
    unit: str
    members: int


@router.post("/bodies", response={201: BodyOut}, summary="Set up a decision-making body", url_name="create_decision_body")
def create_body(request, payload: BodyIn):
    """A body of a unit whose decisions you record, with its members (cadres) and principal."""
    unit = _manage_unit(request, payload.unit_id)
    if payload.member_ids:
        found = {c.pk: c for c in Cadre.objects.filter(pk__in=payload.member_ids)}
        if len(found) != len(set(payload.member_ids)):
            raise ActionError(_("Unknown cadre."), field="member_ids")
        members = [found[pk] for pk in payload.member_ids]
    else:
        members = actions.current_leaders(unit)
    principal = None
    if payload.principal_id:
        principal = next((m for m in members if m.pk == payload.principal_id), None)
        if principal is None:
            raise ActionError(_("The principal must be one of the members."), field="principal_id")
    body = actions.create_body(actor=request.user, unit=unit, name=payload.name, kind=payload.kind, members=members, principal=principal)
    return 201, {"id": body.pk, "name": body.name, "kind": body.kind, "unit": unit.name, "members": len(members)}


MatterKindIn = Literal["project", "procurement", "payment"]


class EntryIn(InputSchema):
    kind: MatterKindIn
    title: text(200)
    amount: Decimal = Field(ge=0, lt=Decimal("1e14"), description="yuan")
    executed_on: dt.date
    decision_id: Id | None = Field(None, description="the agenda item that approved it")
    responsible_id: Id | None = Field(None, description="the responsible leader (a cadre)")
    note: text(500) = ""


class NewEntryIn(EntryIn):
    unit_id: Id


class EntriesIn(InputSchema):
    unit_id: Id
    rows: list[EntryIn] = Field(min_length=1, max_length=2000)


class EntryOut(Schema):
    id: int
    unit: str
    kind: str
    title: str
    amount: str
    executed_on: dt.date
    decision_id: int | None
    decision: str | None
    violations: list[str]


def _entry_out(entry, found=None) -> dict:
    if found is None:
        found = violation_rules.entry_violations(entry, violation_rules.rule_for(entry.unit))
    return {
        "id": entry.pk,
        "unit": entry.unit.name,
        "kind": entry.kind,
        "title": entry.title,
        "amount": str(entry.amount),
        "executed_on": entry.executed_on,
        "decision_id": entry.decision_id,
        "decision": entry.decision.title if entry.decision_id else None,
        "violations": [v.kind for v in found],
    }


def _entry_values(row: EntryIn) -> dict:
    responsible = None
    if row.responsible_id:
        responsible = Cadre.objects.filter(pk=row.responsible_id).first()
        if responsible is None:
            raise ActionError(_("Unknown cadre."), field="responsible_id")
    return {
        "kind": row.kind,
        "title": row.title,
        "amount": row.amount,
        "executed_on": row.executed_on,
        "decision": row.decision_id,
        "responsible": responsible,
        "note": row.note,
    }


@router.get("/registers", response=Page[EntryOut], summary="三重一大 register entries", url_name="list_register_entries")
def list_register_entries(request, page: Query[PageQuery]):
    """Projects, procurements and large payments of the units whose decisions you record, each
    with its violations (no_decision, executed_early)."""
    return paginate(register_queries.entries_visible_to(request.user), page, _entry_out)


@router.post("/registers", response={201: EntryOut}, summary="Register a project, procurement or payment", url_name="add_register_entry")
def add_register_entry(request, payload: NewEntryIn):
    unit = _manage_unit(request, payload.unit_id)
    entry = register_actions.add_entry(actor=request.user, unit=unit, source="api", **_entry_values(payload))
    return 201, _entry_out(entry)


@router.post("/registers/batch", response={201: list[EntryOut]}, summary="Register many entries (all or none)", url_name="import_register_entries")
def import_register_entries(request, payload: EntriesIn):
    """Every row is stored or none; a refused row is named by its number (from 1)."""
    unit = _manage_unit(request, payload.unit_id)
    rows = [(n, _entry_values(row)) for n, row in enumerate(payload.rows, start=1)]
    entries = register_actions.import_entries(actor=request.user, unit=unit, rows=rows, source="api")
    return 201, [_entry_out(e) for e in entries]


class LinkIn(InputSchema):
    decision_id: Id


@router.post("/registers/{int:entry_id}/decision", response=EntryOut, summary="Link the approving decision", url_name="link_register_decision")
def link_register_decision(request, entry_id: int, payload: LinkIn):
    entry = register_queries.get_entry_for(request.user, entry_id)
    entry = register_actions.link_decision(actor=request.user, entry=entry, decision=payload.decision_id)
    return _entry_out(register_queries.get_entry_for(request.user, entry.pk))


class RuleIn(InputSchema):
    threshold: Decimal = Field(ge=0, lt=Decimal("1e14"), description="yuan; an amount equal to it needs a decision")
    matter_kinds: list[MatterKindIn] = Field(default_factory=list, max_length=3)
    basis: text(200) = ""


class RuleOut(Schema):
    unit: str
    threshold: str
    matter_kinds: list[str]
    basis: str


@router.put("/rules/{int:unit_id}", response=RuleOut, summary="Set a unit's 三重一大 rule", url_name="set_decision_rule")
def set_decision_rule(request, unit_id: int, payload: RuleIn):
    unit = _manage_unit(request, unit_id)
    rule = register_actions.set_unit_rule(actor=request.user, unit=unit, threshold=payload.threshold, matter_kinds=payload.matter_kinds, basis=payload.basis)
    return {"unit": unit.name, "threshold": str(rule.threshold), "matter_kinds": rule.matter_kinds, "basis": rule.basis}


class ViolationOut(Schema):
    kind: str
    entry_id: int | None
    item_id: int | None
    unit: str
    explanation: str
    clue_number: str | None


@router.get("/violations", response=list[ViolationOut], summary="三重一大 violations", url_name="list_decision_violations")
def list_decision_violations(request):
    """Entries needing a collective decision without a valid one, entries executed before their
    decision, and items decided by a meeting without quorum; with the clue if handed over."""
    if not access.can(request.user, "decisions.manage"):
        raise access.NotVisible()
    found = violation_rules.find(register_queries.entries_visible_to(request.user), register_queries.void_items_visible_to(request.user))
    return [
        {
            "kind": v.kind,
            "entry_id": v.entry.pk if v.entry else None,
            "item_id": v.item.pk if v.item else None,
            "unit": v.unit.name,
            "explanation": v.explanation,
            "clue_number": v.handed.clue.number if v.handed else None,
        }
        for v in found
    ]


class HandOverIn(InputSchema):
    kind: Literal["no_decision", "executed_early", "void_meeting"]
    entry_id: Id | None = None
    item_id: Id | None = None
    to_unit_id: Id = Field(description="the receiving department (a member of the joint meeting)")


@router.post("/violations/hand-over", response={201: ViolationOut}, summary="Hand a violation to daily supervision", url_name="hand_over_decision_violation")
def hand_over_decision_violation(request, payload: HandOverIn):
    """Registers a clue in your clue department and transfers it; once per violation."""
    entry = item = None
    if payload.entry_id:
        entry = register_queries.get_entry_for(request.user, payload.entry_id)
    if payload.item_id:
        item = register_queries.void_items_visible_to(request.user).filter(pk=payload.item_id).first()
        if item is None:
            raise access.NotVisible()
    handed = register_actions.hand_over_violation(actor=request.user, kind=payload.kind, entry=entry, item=item, to_unit=payload.to_unit_id)
    unit = entry.unit if entry else item.meeting.body.unit
    return 201, {
        "kind": handed.kind,
        "entry_id": handed.entry_id,
        "item_id": handed.item_id,
        "unit": unit.name,
        "explanation": handed.clue.summary,
        "clue_number": handed.clue.number,
    }


class TaskIn(InputSchema):
    decision_id: Id = Field(description="a passed agenda item")
    unit_id: Id
    owner: text(100)
    description: text(500)
    due_on: dt.date | None = None
    working_days: int | None = Field(None, ge=1, le=365, description="counted from the meeting date; give this or due_on")


class ProgressOut(Schema):
    reported_on: dt.date
    text: str


class TaskOut(Schema):
    id: int
    decision: str
    unit: str
    owner: str
    description: str
    due_on: dt.date
    due_rule: str
    status: str
    overdue: bool
    progress: list[ProgressOut]


def _task_out(task) -> dict:
    return {
        "id": task.pk,
        "decision": task.decision.title,
        "unit": task.unit.name,
        "owner": task.owner,
        "description": task.description,
        "due_on": task.due_on,
        "due_rule": task.due_rule,
        "status": task.status,
        "overdue": task.is_overdue(dt.date.today()),
        "progress": [{"reported_on": p.reported_on, "text": p.text} for p in task.progress.all()],
    }


@router.get("/tasks", response=Page[TaskOut], summary="Tasks from decisions", url_name="list_decision_tasks")
def list_decision_tasks(request, page: Query[PageQuery], overdue: bool = False):
    qs = register_queries.tasks_visible_to(request.user).prefetch_related("progress")
    if overdue:
        qs = qs.filter(status=DecisionTask.Status.OPEN, due_on__lt=dt.date.today())
    return paginate(qs, page, _task_out)


@router.post("/tasks", response={201: TaskOut}, summary="Give a unit a task from a decision", url_name="create_decision_task")
def create_decision_task(request, payload: TaskIn):
    decision = register_queries.passed_items_visible_to(request.user).filter(pk=payload.decision_id).first()
    unit = Unit.objects.filter(pk=payload.unit_id).first()
    if decision is None or unit is None:
        raise access.NotVisible()
    task = register_actions.create_task(
        actor=request.user,
        decision=decision,
        unit=unit,
        owner=payload.owner,
        description=payload.description,
        due_on=payload.due_on,
        working_days=payload.working_days,
    )
    return 201, _task_out(task)


class TaskProgressIn(InputSchema):
    text: text(2000)
    reported_on: dt.date | None = None


@router.post("/tasks/{int:task_id}/progress", response={201: TaskOut}, summary="Report progress on a task", url_name="report_decision_task_progress")
def report_decision_task_progress(request, task_id: int, payload: TaskProgressIn):
    task = register_queries.get_task_for(request.user, task_id)
    register_actions.report_progress(actor=request.user, task=task, text=payload.text, reported_on=payload.reported_on)
    return 201, _task_out(register_queries.get_task_for(request.user, task_id))


class TaskCloseIn(InputSchema):
    note: text(500) = ""


@router.post("/tasks/{int:task_id}/close", response=TaskOut, summary="Close a task", url_name="close_decision_task")
def close_decision_task(request, task_id: int, payload: TaskCloseIn):
    task = register_queries.get_task_for(request.user, task_id)
    register_actions.close_task(actor=request.user, task=task, note=payload.note)
    return _task_out(register_queries.get_task_for(request.user, task_id))


# --- 阳光周志 (weekly logs), leaders' public profiles and the public's feedback -----------------


from . import log_actions, log_queries  # noqa: E402


class WeeklyLogOut(Schema):
    id: int
    leader_id: int
    leader: str
    week_start: dt.date
    status: str  # submitted / returned / published
    this_week: str
    next_week: str
    due_at: dt.datetime
    first_submitted_at: dt.datetime
    late: bool
    on_behalf: bool
    review_comment: str
    published_at: dt.datetime | None


def _log(log) -> dict:
    return {
        "id": log.pk,
        "leader_id": log.cadre_id,
        "leader": log.cadre.name,
        "week_start": log.week_start,
        "status": log.status,
        "this_week": log.this_week,
        "next_week": log.next_week,
        "due_at": log.due_at,
        "first_submitted_at": log.first_submitted_at,
        "late": log.is_late,
        "on_behalf": log.on_behalf,
        "review_comment": log.review_comment,
        "published_at": log.published_at,
    }


class LogFilter(PageQuery):
    status: Literal["submitted", "returned", "published"] | None = None


@router.get("/weekly-logs", response=Page[WeeklyLogOut], summary="Weekly logs", url_name="list_weekly_logs")
def list_weekly_logs(request, filters: Query[LogFilter]):
    """Weekly logs (阳光周志) of the leaders in your review scope, or your own."""
    qs = log_queries.logs_visible_to(request.user).order_by("-week_start", "id")
    if filters.status:
        qs = qs.filter(status=filters.status)
    return paginate(qs, filters, _log)


@router.get("/weekly-logs/{int:log_id}", response=WeeklyLogOut, summary="One weekly log", url_name="get_weekly_log")
def get_weekly_log(request, log_id: int):
    return _log(log_queries.get_log_for(request.user, log_id))


class WeeklyLogIn(InputSchema):
    leader_id: Id
    week_start: dt.date = Field(description="the Monday of the week")
    this_week: text(log_actions.TEXT_LIMIT)
    next_week: text(log_actions.TEXT_LIMIT)


@router.post("/weekly-logs", response={201: WeeklyLogOut}, summary="Submit a weekly log", url_name="submit_weekly_log")
def submit_weekly_log(request, payload: WeeklyLogIn):
    """Your own log (account linked to the leader), or, for the committee office, a leader's log
    entered for them (recorded as such). A returned log is submitted again the same way."""
    cadre = Cadre.objects.filter(pk=payload.leader_id).first()
    if cadre is None or not (log_actions.is_own(request.user, cadre) or access.can(request.user, "decisions.review_log", cadre.unit)):
        raise access.NotVisible()
    log = log_actions.submit_log(actor=request.user, cadre=cadre, week_start=payload.week_start, this_week=payload.this_week, next_week=payload.next_week)
    return 201, _log(log)


@router.post("/weekly-logs/{int:log_id}/publish", response=WeeklyLogOut, summary="Publish a weekly log", url_name="publish_weekly_log")
def publish_weekly_log(request, log_id: int):
    log = log_queries.get_log_for(request.user, log_id)
    return _log(log_actions.publish_log(actor=request.user, log=log))


class ReturnIn(InputSchema):
    comment: text(2000)


@router.post("/weekly-logs/{int:log_id}/return", response=WeeklyLogOut, summary="Return a weekly log for revision", url_name="return_weekly_log")
def return_weekly_log(request, log_id: int, payload: ReturnIn):
    log = log_queries.get_log_for(request.user, log_id)
    return _log(log_actions.return_log(actor=request.user, log=log, comment=payload.comment))


class ProfileIn(InputSchema):
    portfolio: text(2000) = ""
    office_phone: text(30) = ""
    office_address: text(200) = ""
    mailbox: text(100) = ""


class ProfileOut(ProfileIn):
    leader_id: int


@router.put("/leaders/{int:leader_id}/profile", response=ProfileOut, summary="Set a leader's public profile", url_name="save_leader_profile")
def save_leader_profile(request, leader_id: int, payload: ProfileIn):
    """Portfolio and public office contact shown on the portal (never private data)."""
    cadre = Cadre.objects.filter(access.scope_q(request.user, "decisions.review_log", "unit__path"), pk=leader_id).first()
    if cadre is None:
        raise access.NotVisible()
    profile = log_actions.save_leader_profile(actor=request.user, cadre=cadre, **payload.model_dump())
    return {"leader_id": cadre.pk, **{k: getattr(profile, k) for k in ("portfolio", "office_phone", "office_address", "mailbox")}}


class FeedbackOut(Schema):
    id: int
    kind: str
    subject: str
    body: str
    contact: str
    leader: str | None
    status: str
    received_at: dt.datetime
    reply: str


def _feedback(f) -> dict:
    return {
        "id": f.pk,
        "kind": f.kind,
        "subject": f.subject,
        "body": f.body,
        "contact": f.contact,
        "leader": f.leader.name if f.leader_id else None,
        "status": f.status,
        "received_at": f.received_at,
        "reply": f.reply,
    }


class FeedbackFilter(PageQuery):
    status: Literal["pending", "published", "rejected"] | None = None


@router.get("/feedback", response=Page[FeedbackOut], summary="Public feedback", url_name="list_public_feedback")
def list_public_feedback(request, filters: Query[FeedbackFilter]):
    """Messages sent from the public portal, for the committee office's moderation."""
    qs = log_queries.feedback_visible_to(request.user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return paginate(qs, filters, _feedback)


class ModerateIn(InputSchema):
    publish: bool
    reply: text(log_actions.TEXT_LIMIT) = ""
    note: text(200) = ""


@router.post("/feedback/{int:feedback_id}/moderate", response=FeedbackOut, summary="Moderate a message", url_name="moderate_public_feedback")
def moderate_public_feedback(request, feedback_id: int, payload: ModerateIn):
    """Publish a message with an optional reply, or keep it unpublished."""
    feedback = log_queries.get_feedback_for(request.user, feedback_id)
    return _feedback(log_actions.moderate_feedback(actor=request.user, feedback=feedback, publish=payload.publish, reply=payload.reply, note=payload.note))
