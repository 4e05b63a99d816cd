"""待办 (core.todo): vetting requests waiting for the reply of the user's department (任前预审), and
for the organisation department the unanswered requests the daily job escalated to it."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.accounts import access
from jiandu.core.todo import TodoItem, register_todo

from . import queries


def items(user, today) -> list[TodoItem]:
    return _department_items(user) + _escalated_items(user)


def _escalated_items(user) -> list[TodoItem]:
    if not access.can(user, "selection.manage"):
        return []
    cases = queries.cases_visible_to(user).filter(access.scope_q(user, "selection.manage", "unit__path"))
    escalated = queries.vetting_requests_visible_to(user).filter(candidate__case__in=cases, result="", escalated_on__isnull=False).order_by("due_on", "id")
    return [
        TodoItem(
            key=f"selection.vetting_overdue:{r.pk}",
            title=_("Chase an overdue vetting reply"),
            subject=_("%(department)s has not replied on %(cadre)s (%(case)s)")
            % {"department": r.department.name, "cadre": r.candidate.cadre.name, "case": r.candidate.case.title},
            url=reverse("selection:vetting", args=[r.pk]),
            due_on=r.due_on,
        )
        for r in escalated[:100]
    ]


def _department_items(user) -> list[TodoItem]:
    if not queries.department_paths(user):
        return []
    waiting = queries.vetting_requests_for_department(user).filter(result="").order_by("due_on", "id")
    return [
        TodoItem(
            key=f"selection.vetting:{r.pk}",
            title=_("Reply to a pre-appointment vetting request"),
            subject=_("%(cadre)s (%(case)s), for %(department)s")
            % {"cadre": r.candidate.cadre.name, "case": r.candidate.case.title, "department": r.department.name},
            url=reverse("selection:vetting", args=[r.pk]),
            due_on=r.due_on,
            detail=_("Reminded on %(day)s") % {"day": r.reminded_on.isoformat()} if r.reminded_on else "",
        )
        for r in waiting
    ]


register_todo("selection", items, label=gettext_lazy("Selection supervision"))
