"""制度监督's series on the role dashboards (core.dashboard): open tasks from collective
decisions (决策督办) by deadline, for those who follow them up (decisions.manage, through
register_queries.tasks_visible_to; one aggregate query)."""

from django.utils.translation import gettext_lazy

from jiandu.accounts import access
from jiandu.core.dashboard import bucket_counts, register_deadline

from . import register_queries
from .models import DecisionTask


def _tasks(user, today, purpose):
    if not access.can(user, "decisions.manage"):
        return None
    return bucket_counts(register_queries.tasks_visible_to(user).filter(status=DecisionTask.Status.OPEN), "due_on", today)


register_deadline(
    "decisions.tasks",
    _tasks,
    label=gettext_lazy("Tasks from decisions"),
    area=gettext_lazy("Institutional supervision"),
    order=10,
)
