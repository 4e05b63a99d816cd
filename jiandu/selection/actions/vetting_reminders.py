"""The daily job of pre-appointment vetting (jobs.py): remind each department whose reply is due
soon, and report each unanswered request past its due date to the organisation department —
each once per request, journaled. Requests of a case whose vetting stage is closed are left alone."""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_noop

from jiandu.accounts import access
from jiandu.core import journal, notifications
from jiandu.core.practice import get_setting

from ..models import Stage, VettingRequest

__all__ = ["escalate_overdue_vetting", "send_vetting_reminders"]


def _waiting():
    return VettingRequest.objects.filter(result="").exclude(candidate__case__stages__stage=Stage.VETTING)


def send_vetting_reminders(today: dt.date | None = None) -> int:
    """From the configured days before the due date to the due date itself, remind the
    department (its 待办 shows the reminder), once per request."""
    today = today or dt.date.today()
    window = int(get_setting("selection.vetting_reminder_days"))
    sent = 0
    for pk in _waiting().filter(reminded_on__isnull=True, due_on__gte=today, due_on__lte=today + dt.timedelta(days=window)).values_list("pk", flat=True):
        with transaction.atomic():
            request = VettingRequest.objects.select_for_update().select_related("candidate__case", "candidate__cadre", "department").get(pk=pk)
            if request.result or request.reminded_on:
                continue
            request.reminded_on = today
            request.save(update_fields=["reminded_on"])
            journal.record(
                "selection.vetting.reminded",
                target=request.candidate.case,
                unit=request.department,
                cadre=request.candidate.cadre,
                data={"department": request.department.name, "due_on": request.due_on},
                role="system",
            )
            notifications.notify(
                access.holders("selection.vet", request.department, on_unit_only=True),
                notifications.REMINDER,
                gettext_noop("A pre-appointment vetting reply is due on %(day)s"),
                reverse("selection:vetting", args=[request.pk]),
                params={"day": request.due_on.isoformat()},
                cause=f"selection.vetting.reminded:{request.pk}",
                sensitive=True,
                today=today,
            )
            sent += 1
    return sent


def escalate_overdue_vetting(today: dt.date | None = None) -> int:
    """The day after the due date, report each unanswered request to the organisation department
    of the case (the overdue list and its 待办 show it), once per request."""
    today = today or dt.date.today()
    escalated = 0
    for pk in _waiting().filter(escalated_on__isnull=True, due_on__lt=today).values_list("pk", flat=True):
        with transaction.atomic():
            request = VettingRequest.objects.select_for_update().select_related("candidate__case__unit", "candidate__cadre", "department").get(pk=pk)
            if request.result or request.escalated_on:
                continue
            request.escalated_on = today
            request.save(update_fields=["escalated_on"])
            case = request.candidate.case
            journal.record(
                "selection.vetting.escalated",
                target=case,
                unit=case.unit,
                cadre=request.candidate.cadre,
                data={"department": request.department.name, "due_on": request.due_on, "days_overdue": (today - request.due_on).days},
                role="system",
            )
            notifications.notify(
                access.holders("selection.manage", case.unit),
                notifications.ESCALATION,
                gettext_noop("A pre-appointment vetting reply is overdue since %(day)s"),
                reverse("selection:case", args=[case.pk]),
                params={"day": request.due_on.isoformat()},
                cause=f"selection.vetting.escalated:{request.pk}",
                sensitive=True,
                today=today,
            )
            escalated += 1
    return escalated
