"""Reads of the 三重一大 registers, violations and decision tasks, scoped by access.py: the office
that records decisions for a unit (`decisions.manage` on it) sees its registers and violations;
a task is seen by the office of the deciding body and by the office of the unit that owns it."""

from jiandu.accounts import access

from . import queries
from . import verdict as rules
from .models import AgendaItem, DecisionTask, RegisterEntry


def entries_visible_to(user):
    return RegisterEntry.objects.filter(access.scope_q(user, "decisions.manage", "unit__path")).select_related("unit", "decision__meeting__body", "responsible")


def get_entry_for(user, pk) -> RegisterEntry:
    entry = entries_visible_to(user).filter(pk=pk).first()
    if entry is None:
        raise access.NotVisible()
    return entry


def void_items_visible_to(user):
    return AgendaItem.objects.filter(access.scope_q(user, "decisions.manage", "meeting__body__unit__path"), outcome=rules.VOID).select_related(
        "meeting__body__unit", "meeting__principal"
    )


def decisions_for_unit(user, unit):
    """Agenda items the user may see, to link to a register entry of `unit` (a body of any unit may
    decide for it: the district's standing committee decides the departments' major projects)."""
    return AgendaItem.objects.filter(meeting__in=queries.meetings_visible_to(user)).select_related("meeting__body").order_by("-meeting__held_on", "order")


def passed_items_visible_to(user):
    return AgendaItem.objects.filter(access.scope_q(user, "decisions.manage", "meeting__body__unit__path"), outcome=rules.PASSED).select_related(
        "meeting__body"
    )


def tasks_visible_to(user):
    q = access.scope_q(user, "decisions.manage", "unit__path") | access.scope_q(user, "decisions.manage", "decision__meeting__body__unit__path")
    return DecisionTask.objects.filter(q).select_related("unit", "decision__meeting__body__unit")


def get_task_for(user, pk) -> DecisionTask:
    task = tasks_visible_to(user).filter(pk=pk).first()
    if task is None:
        raise access.NotVisible()
    return task


def may_close(user, task) -> bool:
    return access.can(user, "decisions.manage", task.decision.meeting.body.unit)


def may_report(user, task) -> bool:
    return access.can(user, "decisions.manage", task.unit)
