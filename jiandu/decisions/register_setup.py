"""What the registers, violations and follow-through bring at start-up (called from
`DecisionsConfig.ready()`): journal descriptions, the office's work entries and home card."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiandu.accounts import access
from jiandu.core.journal_text import describe

describe(
    {
        "decisions.register.added": _("registered a project, procurement or payment in the 三重一大 register"),
        "decisions.register.imported": _("imported 三重一大 register entries from a workbook"),
        "decisions.register.exported": _("exported the 三重一大 register"),
        "decisions.register.linked": _("linked a register entry to the decision that approved it"),
        "decisions.rule.set": _("set a unit's 三重一大 threshold and matters"),
        "decisions.violation.handed_over": _("handed a 三重一大 violation to daily supervision as a clue"),
        "decisions.task.created": _("gave a unit a task from a decision"),
        "decisions.task.progress": _("reported progress on a decision task"),
        "decisions.task.closed": _("closed a decision task"),
    }
)


def overdue_tasks_card(user):
    """The office's overdue decision tasks (overdue from the day after the due date)."""
    if not access.can(user, "decisions.manage"):
        return None
    from . import register_queries
    from .models import DecisionTask

    number = register_queries.tasks_visible_to(user).filter(status=DecisionTask.Status.OPEN, due_on__lt=dt.date.today()).count()
    return {"label": _("Overdue decision tasks"), "number": number, "url": reverse("decisions:tasks") + "?overdue=1", "attention": number > 0}


def ready():
    from jiandu.core.dashboard import register_card
    from jiandu.core.navigation import register_work

    register_work("decisions.manage", _("三重一大 registers of projects, procurements and payments"), "decisions:registers", order=111)
    register_work("decisions.manage", _("三重一大 violations"), "decisions:violations", order=112)
    register_work("decisions.manage", _("Tasks from decisions and the overdue ones"), "decisions:tasks", order=113)
    register_card(overdue_tasks_card)
