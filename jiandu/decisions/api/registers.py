"""Decisions API: bodies, the 三重一大 registers, violations and follow-through tasks (issue #14 §2–3)."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Schema

from jiandu.accounts import access
from jiandu.core.api import Id, InputSchema, Page, PageQuery, paginate, text
from jiandu.core.errors import ActionError

# --- bodies, 三重一大 registers, violations and follow-through (issue #14 §2–3) ---------------------
from jiandu.registry.models import Cadre, Unit

from .. import actions, register_actions, register_queries
from .. import violations as violation_rules
from ..models import (
    DecisionTask,
)
from .common import router


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
