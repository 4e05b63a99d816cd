"""The daily reminders: the personal-matters deadline (actions.send_reminders) and the return of lent
passports (actions.send_passport_reminders, escalate_overdue_passports)."""

from django.utils.translation import gettext_lazy as _

from jiandu.core import jobs


@jobs.register_job("matters.reminders", at=jobs.daily("07:30"), label=_("Personal-matters reminders"))
def reminders():
    from .actions import send_reminders

    return f"{send_reminders()} reminders"


@jobs.register_job("matters.passport_returns", at=jobs.daily("07:40"), label=_("Passport return reminders and escalation"))
def passport_returns():
    from .actions import escalate_overdue_passports, send_passport_reminders

    return f"{send_passport_reminders()} reminders, {escalate_overdue_passports()} escalated"
