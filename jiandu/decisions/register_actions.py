"""Writes of the 三重一大 registers, violations and follow-through (issue #14 §2–3): keyword-only,
`actor` required, access checked, one transaction, journaled. Imports store every row or none."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import clue_referrals, journal
from jiandu.core.calendar import add_working_days
from jiandu.core.errors import ActionError
from jiandu.registry.models import Cadre, Unit

from . import register_queries, violations
from . import verdict as rules
from .models import AgendaItem, DecisionTask, MatterKind, RegisterEntry, TaskProgress, UnitRule, ViolationClue

MAX_AMOUNT = Decimal("1e14")
MAX_IMPORT_ROWS = 2000


def _today() -> dt.date:
    return dt.date.today()


def _text(value, field, *, max_length, required=True) -> str:
    value = str(value or "").strip()
    if "\x00" in value:
        raise ActionError(_("The text contains a character that cannot be stored."), field=field)
    if required and not value:
        raise ActionError(_("This field is required."), field=field)
    if len(value) > max_length:
        raise ActionError(_("At most %(n)d characters.") % {"n": max_length}, field=field)
    return value


def parse_amount(value, field="amount") -> Decimal:
    if value is None or str(value).strip() == "":
        raise ActionError(_("Give the amount in yuan."), field=field)
    try:
        amount = Decimal(str(value).strip().replace(",", "").replace("，", ""))
    except (InvalidOperation, ValueError):
        raise ActionError(_("The amount must be a number of yuan."), field=field) from None
    if not amount.is_finite() or amount < 0 or amount >= MAX_AMOUNT:
        raise ActionError(_("The amount must be a number of yuan."), field=field)
    return amount.quantize(Decimal("0.01"))


def _date(value, field, label) -> dt.date:
    if not isinstance(value, dt.date):
        raise ActionError(_("Give the date: %(what)s.") % {"what": label}, field=field)
    return value


def _decision(actor, unit, decision) -> AgendaItem | None:
    if decision is None:
        return None
    found = register_queries.decisions_for_unit(actor, unit).filter(pk=getattr(decision, "pk", decision)).first()
    if found is None:
        raise ActionError(_("Link a decision of a meeting you may see."), field="decision")
    return found


def _entry_values(actor, unit, values: dict) -> dict:
    kind = values.get("kind")
    if kind not in MatterKind.values:
        raise ActionError(_("Choose the kind: major project, procurement or large payment."), field="kind")
    responsible = values.get("responsible")
    if responsible is not None and not isinstance(responsible, Cadre):
        raise ActionError(_("Unknown cadre."), field="responsible")
    return {
        "kind": kind,
        "title": _text(values.get("title"), "title", max_length=200),
        "amount": parse_amount(values.get("amount")),
        "executed_on": _date(values.get("executed_on"), "executed_on", _("executed on")),
        "decision": _decision(actor, unit, values.get("decision")),
        "responsible": responsible,
        "note": _text(values.get("note"), "note", max_length=500, required=False),
    }


def _journal_entry(actor, entry, how):
    journal.record(
        "decisions.register.added",
        actor=actor,
        target=entry,
        unit=entry.unit,
        data={"kind": entry.kind, "title": entry.title, "amount": str(entry.amount), "decision": entry.decision_id, "source": how},
    )


@transaction.atomic
def add_entry(
    *, actor, unit: Unit, kind: str, title: str, amount, executed_on: dt.date, decision=None, responsible=None, note: str = "", source: str = "form"
) -> RegisterEntry:
    """Register a major project, procurement or large payment of `unit`, optionally linked to the
    agenda item that approved it."""
    access.require(actor, "decisions.manage", unit)
    values = _entry_values(
        actor,
        unit,
        {"kind": kind, "title": title, "amount": amount, "executed_on": executed_on, "decision": decision, "responsible": responsible, "note": note},
    )
    entry = RegisterEntry.objects.create(unit=unit, created_by=actor, source=source if source in RegisterEntry.Source.values else "form", **values)
    _journal_entry(actor, entry, entry.source)
    return entry


@transaction.atomic
def import_entries(*, actor, unit: Unit, rows: list[tuple[int, dict]], source: str = "import") -> list[RegisterEntry]:
    """Register many entries of `unit` at once: every row or none. `rows` are (row number, values)
    as read from a workbook; a refused row raises an ActionError naming its row."""
    access.require(actor, "decisions.manage", unit)
    if not rows:
        raise ActionError(_("There is no row to import."), field="rows")
    if len(rows) > MAX_IMPORT_ROWS:
        raise ActionError(_("At most %(n)d rows at once.") % {"n": MAX_IMPORT_ROWS}, field="rows")
    checked = []
    for number, values in rows:
        try:
            checked.append(_entry_values(actor, unit, values))
        except ActionError as error:
            raise ActionError(_("Row %(row)s: %(problem)s Nothing was imported.") % {"row": number, "problem": error.message}, field="rows") from None
    entries = [
        RegisterEntry.objects.create(unit=unit, created_by=actor, source=source if source in RegisterEntry.Source.values else "import", **v) for v in checked
    ]
    journal.record("decisions.register.imported", actor=actor, target=unit, unit=unit, data={"rows": len(entries), "source": source})
    return entries


@transaction.atomic
def link_decision(*, actor, entry: RegisterEntry, decision) -> RegisterEntry:
    """Link (or re-link) the agenda item that approved a register entry."""
    entry = RegisterEntry.objects.select_for_update(of=("self",)).select_related("unit").get(pk=entry.pk)
    access.require(actor, "decisions.manage", entry.unit)
    item = _decision(actor, entry.unit, decision)
    if item is None:
        raise ActionError(_("Choose the decision to link."), field="decision")
    previous = entry.decision_id
    entry.decision = item
    entry.save(update_fields=["decision"])
    journal.record("decisions.register.linked", actor=actor, target=entry, unit=entry.unit, data={"decision": item.pk, "previous": previous})
    return entry


@transaction.atomic
def set_unit_rule(*, actor, unit: Unit, threshold, matter_kinds: list[str], basis: str = "") -> UnitRule:
    """Set a unit's own threshold and the matters it always decides collectively."""
    access.require(actor, "decisions.manage", unit)
    threshold = parse_amount(threshold, "threshold")
    kinds = sorted(set(matter_kinds or []))
    unknown = [k for k in kinds if k not in MatterKind.values]
    if unknown:
        raise ActionError(_("Unknown kind of matter."), field="matter_kinds")
    basis = _text(basis, "basis", max_length=200, required=False)
    rule, created = UnitRule.objects.select_for_update().get_or_create(
        unit=unit, defaults={"threshold": threshold, "matter_kinds": kinds, "basis": basis, "updated_by": actor}
    )
    if not created:
        rule.threshold, rule.matter_kinds, rule.basis, rule.updated_by = threshold, kinds, basis, actor
        rule.save()
    journal.record("decisions.rule.set", actor=actor, target=rule, unit=unit, data={"threshold": str(threshold), "matter_kinds": kinds})
    return rule


# --- violations handed to 日常监督 ------------------------------------------------------------


def hand_over_violation(*, actor, kind: str, to_unit, entry: RegisterEntry | None = None, item: AgendaItem | None = None) -> ViolationClue:
    """Hand one violation to 日常监督: registered as a clue in the actor's clue department and
    transferred to `to_unit` (the discipline department), once per violation."""
    from jiandu.oversight.actions import clues as clue_actions
    from jiandu.oversight.models import Clue

    if (entry is None) == (item is None):
        raise ActionError(_("Choose one violation."), field="kind")
    with transaction.atomic():
        if entry is not None:
            entry = RegisterEntry.objects.select_for_update(of=("self",)).select_related("unit", "decision__meeting", "responsible").get(pk=entry.pk)
            unit = entry.unit
            access.require(actor, "decisions.manage", unit)
            found = [v for v in violations.entry_violations(entry, violations.rule_for(unit)) if v.kind == kind]
            cadre = entry.responsible
            subject = entry.title
        else:
            item = AgendaItem.objects.select_for_update(of=("self",)).select_related("meeting__body__unit", "meeting__principal").get(pk=item.pk)
            unit = item.meeting.body.unit
            access.require(actor, "decisions.manage", unit)
            violation = violations.item_violation(item)
            found = [violation] if violation and violation.kind == kind else []
            cadre = item.meeting.principal
            subject = item.title
        if not found:
            raise ActionError(_("There is no such violation (any more)."), field="kind")
        if ViolationClue.objects.filter(kind=kind, entry=entry, item=item).exists():
            raise ActionError(_("This violation was already handed to daily supervision."), code="handed")
        if cadre is None:
            raise ActionError(_("Name the responsible leader of the entry first: a clue is about a cadre."), field="responsible")
        sending = clue_referrals.sending_department(actor)
        if sending is None:
            raise ActionError(_("Only a clue officer of a department can hand a violation over as a clue."), field="to_unit")
        summary = _("三重一大 violation (%(kind)s): %(subject)s. %(explanation)s") % {
            "kind": found[0].label,
            "subject": subject,
            "explanation": found[0].explanation,
        }
        clue = clue_actions.register_clue(actor=actor, cadre=cadre, from_unit=sending, source=Clue.Source.OTHER, summary=summary)
        clue = clue_actions.transfer_clue(actor=actor, clue=clue, to_unit=to_unit)
        try:
            with transaction.atomic():
                handed = ViolationClue.objects.create(kind=kind, entry=entry, item=item, clue=clue, handed_by=actor)
        except IntegrityError:
            raise ActionError(_("This violation was already handed to daily supervision."), code="handed") from None
        journal.record(
            "decisions.violation.handed_over",
            actor=actor,
            target=entry or item,
            unit=unit,
            cadre=cadre,
            data={"kind": kind, "clue": clue.pk, "to": clue.to_unit.name},
        )
    return handed


# --- follow-through (督查) --------------------------------------------------------------------


@transaction.atomic
def create_task(
    *, actor, decision: AgendaItem, unit: Unit, owner: str, description: str, due_on: dt.date | None = None, working_days: int | None = None
) -> DecisionTask:
    """A task for `unit` from a passed decision, due on a date or a number of working days after
    the meeting (the computation is kept with the task)."""
    decision = AgendaItem.objects.select_related("meeting__body__unit").get(pk=decision.pk)
    access.require(actor, "decisions.manage", decision.meeting.body.unit)
    if decision.outcome != rules.PASSED:
        raise ActionError(_("Only a passed decision creates tasks."), field="decision")
    if not isinstance(unit, Unit):
        raise ActionError(_("Unknown unit."), field="unit")
    owner = _text(owner, "owner", max_length=100)
    description = _text(description, "description", max_length=500)
    if (due_on is None) == (working_days is None):
        raise ActionError(_("Give either a due date or a number of working days."), field="due_on")
    if working_days is not None:
        if not isinstance(working_days, int) or not 1 <= working_days <= 365:
            raise ActionError(_("Between 1 and 365 working days."), field="working_days")
        deadline = add_working_days(decision.meeting.held_on, working_days)
        due_on, rule = deadline.due, deadline.explain()
    else:
        if not isinstance(due_on, dt.date):
            raise ActionError(_("Give the due date."), field="due_on")
        if due_on < decision.meeting.held_on:
            raise ActionError(_("The due date is before the meeting."), field="due_on")
        rule = ""
    task = DecisionTask.objects.create(decision=decision, unit=unit, owner=owner, description=description, due_on=due_on, due_rule=rule[:400], created_by=actor)
    journal.record(
        "decisions.task.created",
        actor=actor,
        target=task,
        unit=unit,
        data={"decision": decision.pk, "unit": unit.name, "due_on": due_on.isoformat(), "rule": rule},
    )
    return task


@transaction.atomic
def report_progress(*, actor, task: DecisionTask, text: str, reported_on: dt.date | None = None) -> TaskProgress:
    """The owner unit reports progress on an open task."""
    task = DecisionTask.objects.select_for_update(of=("self",)).select_related("unit").get(pk=task.pk)
    access.require(actor, "decisions.manage", task.unit)
    if task.status != DecisionTask.Status.OPEN:
        raise ActionError(_("The task is closed."), code="closed")
    text = _text(text, "text", max_length=2000)
    reported_on = reported_on or _today()
    if not isinstance(reported_on, dt.date) or reported_on > _today():
        raise ActionError(_("The report date cannot be in the future."), field="reported_on")
    progress = TaskProgress.objects.create(task=task, reported_on=reported_on, text=text, reported_by=actor)
    journal.record("decisions.task.progress", actor=actor, target=task, unit=task.unit, data={"reported_on": reported_on.isoformat()})
    return progress


@transaction.atomic
def close_task(*, actor, task: DecisionTask, note: str = "") -> DecisionTask:
    """The office of the deciding body closes a task (done, or no longer needed, with a note)."""
    task = DecisionTask.objects.select_for_update(of=("self",)).select_related("unit", "decision__meeting__body__unit").get(pk=task.pk)
    access.require(actor, "decisions.manage", task.decision.meeting.body.unit)
    if task.status != DecisionTask.Status.OPEN:
        raise ActionError(_("The task is already closed."), code="closed")
    task.closing_note = _text(note, "note", max_length=500, required=False)
    task.status, task.closed_on = DecisionTask.Status.CLOSED, _today()
    task.save(update_fields=["status", "closed_on", "closing_note"])
    journal.record(
        "decisions.task.closed",
        actor=actor,
        target=task,
        unit=task.unit,
        data={"due_on": task.due_on.isoformat(), "closed_on": task.closed_on.isoformat(), "late": task.closed_on > task.due_on},
    )
    return task
