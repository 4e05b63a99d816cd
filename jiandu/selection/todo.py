"""待办 (core.todo): vetting requests waiting for the reply of the user's department (任前预审)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.core.todo import TodoItem, register_todo

from . import queries


def items(user, today) -> list[TodoItem]:
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
        )
        for r in waiting
    ]


register_todo("selection", items, label=gettext_lazy("Selection supervision"))
