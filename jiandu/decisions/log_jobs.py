"""The weekly reminder of 阳光周志 and the leader's and office's dashboard cards."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.accounts import access
from jiandu.core import jobs
from jiandu.core.dashboard import register_card


@jobs.register_job("decisions.weekly_log_reminders", at=jobs.weekly(jobs.FRIDAY, "15:00"), label=gettext_lazy("Weekly log reminders"))
def weekly_log_reminders():
    """Friday afternoon: remind the leaders whose log of this week is not submitted yet."""
    from .log_actions import send_log_reminders

    return send_log_reminders()


@register_card
def logs_to_review_card(user):
    if not access.can(user, "decisions.review_log"):
        return None
    from .log_queries import logs_visible_to
    from .models import WeeklyLog

    n = logs_visible_to(user).filter(status=WeeklyLog.Status.SUBMITTED).count()
    return {"label": _("Weekly logs awaiting review"), "number": n, "url": reverse("decisions:logs"), "attention": bool(n)}


@register_card
def my_log_card(user):
    """The leader's own log of this week, while it is not submitted."""
    if not (getattr(user, "cadre_id", None) and access.can(user, "decisions.submit_log")):
        return None
    from jiandu.registry.models import Cadre

    from . import log_actions
    from .models import WeeklyLog

    cadre = Cadre.objects.filter(pk=user.cadre_id).first()
    week = log_actions.week_of(log_actions.now().astimezone(log_actions.local_tz()).date())
    if cadre is None or not log_actions.must_write(cadre, week) or WeeklyLog.objects.filter(cadre=cadre, week_start=week).exists():
        return None
    return {"label": _("My weekly log of this week is not submitted"), "number": 1, "url": reverse("decisions:log_submit"), "attention": True}
