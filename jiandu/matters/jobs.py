"""The daily reminder of the personal-matters deadline (actions.send_reminders)."""

from django.utils.translation import gettext_lazy as _

from jiandu.core import jobs


@jobs.register_job("matters.reminders", at=jobs.daily("07:30"), label=_("Personal-matters reminders"))
def reminders():
    from .actions import send_reminders

    return f"{send_reminders()} reminders"
