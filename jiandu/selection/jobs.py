"""The daily job of pre-appointment vetting: reminders before the due date, escalation after it
(actions/vetting_reminders.py)."""

from django.utils.translation import gettext_lazy as _

from jiandu.core import jobs


@jobs.register_job("selection.vetting_reminders", at=jobs.daily("07:50"), label=_("Vetting reminders and escalation"))
def vetting_reminders():
    from .actions import escalate_overdue_vetting, send_vetting_reminders

    return f"{send_vetting_reminders()} reminders, {escalate_overdue_vetting()} escalated"
