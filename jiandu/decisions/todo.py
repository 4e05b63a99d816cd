"""待办 (core.todo): a leader's weekly log (阳光周志) returned for revision, and the logs waiting
for the committee office's review."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.accounts import access
from jiandu.core.todo import TodoItem, register_todo

from . import log_queries
from .models import WeeklyLog


def items(user, today) -> list[TodoItem]:
    rows = []
    cadre_id = getattr(user, "cadre_id", None)
    if cadre_id and access.can(user, "decisions.submit_log"):
        for log in WeeklyLog.objects.filter(cadre_id=cadre_id, status=WeeklyLog.Status.RETURNED).order_by("week_start", "id"):
            rows.append(
                TodoItem(
                    key=f"decisions.log_returned:{log.pk}",
                    title=_("Revise your weekly log returned by the office"),
                    subject=_("week of %(day)s") % {"day": log.week_start.isoformat()},
                    url=reverse("decisions:log", args=[log.pk]),
                    detail=log.review_comment[:200],
                )
            )
    if log_queries.may_review(user):
        waiting = (
            log_queries.logs_visible_to(user)
            .filter(status=WeeklyLog.Status.SUBMITTED)
            .filter(access.scope_q(user, "decisions.review_log", "cadre__unit__path"))
        )
        for log in waiting.order_by("week_start", "id"):
            rows.append(
                TodoItem(
                    key=f"decisions.log_review:{log.pk}",
                    title=_("Review a weekly log: publish or return"),
                    subject=_("%(leader)s, week of %(day)s") % {"leader": log.cadre.name, "day": log.week_start.isoformat()},
                    url=reverse("decisions:log", args=[log.pk]),
                )
            )
    return rows


register_todo("decisions", items, label=gettext_lazy("Institutional supervision"))
