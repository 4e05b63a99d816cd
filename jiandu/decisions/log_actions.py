"""Writes of 阳光周志 (weekly logs of district leaders) and of the public portal's feedback: every
write keyword-only with `actor`, access checked, one transaction, journaled.

The deadline rule (setting): the log of the week starting Monday W is due on the configured
weekday of the following week (default Monday, W + 7) at the configured time (default 12:00,
Beijing time). When that day is not a working day on the official calendar (a holiday, or a
weekend day when the weekday is set to one), the deadline moves to the next working day at the
same time. A log first submitted at the deadline minute is on time; from the next second on it is
late. A log returned for revision and submitted again keeps its first submission time.
"""

import contextlib
import contextvars
import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jiandu.accounts import access
from jiandu.core import journal, notifications
from jiandu.core.calendar import holiday_name, is_working_day
from jiandu.core.errors import ActionError
from jiandu.core.practice import get_setting
from jiandu.registry.models import Cadre

from . import log_settings  # noqa: F401  (declares the settings read here)
from .models import LeaderProfile, PublicFeedback, WeeklyLog, WeeklyLogReminder

TEXT_LIMIT = 5000
PUBLIC_VERSION_KEY = "jiandu:decisions:public-version"


_frozen: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar("weekly_log_clock", default=None)


def now() -> dt.datetime:
    """The current time, or the time set by `clock_at` (the demo district and tests)."""
    return _frozen.get() or timezone.now()


@contextlib.contextmanager
def clock_at(at: dt.datetime):
    """Run the weekly-log actions as if it were `at` (never used by pages or the API)."""
    token = _frozen.set(at)
    try:
        yield
    finally:
        _frozen.reset(token)


def local_tz():
    return ZoneInfo(settings.TIME_ZONE)


def week_of(day: dt.date) -> dt.date:
    """The Monday of the week containing `day`."""
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True)
class LogDeadline:
    week_start: dt.date
    nominal: dt.date  # the configured weekday of the following week
    due: dt.datetime  # aware, local time
    skipped: tuple[dt.date, ...]

    def explain(self) -> str:
        clock = self.due.astimezone(local_tz()).strftime("%H:%M")
        text = _("Log of the week from %(start)s: due %(day)s at %(time)s") % {
            "start": self.week_start.isoformat(),
            "day": self.nominal.isoformat(),
            "time": clock,
        }
        if self.skipped:
            names = sorted({n for n in (holiday_name(_holiday(d)) for d in self.skipped) if n})
            reason = _("%(day)s is not a working day") % {"day": self.nominal.isoformat()}
            if names:
                reason += _(" (%(names)s)") % {"names": _("、").join(names)}
            text += _("; ") + reason + _(": moved to %(day)s at %(time)s") % {"day": self.due.astimezone(local_tz()).date().isoformat(), "time": clock}
        return text


def _holiday(day: dt.date) -> str:
    from jiandu.core.calendar import _official

    return _official(day)[2]


def _clock() -> tuple[int, int]:
    raw = str(get_setting("decisions.weekly_log.deadline_time") or "12:00")
    try:
        hour, minute = (int(p) for p in raw.split(":"))
        if 0 <= hour < 24 and 0 <= minute < 60:
            return hour, minute
    except ValueError:
        pass
    return 12, 0


def deadline_for(week_start: dt.date) -> LogDeadline:
    weekday = int(get_setting("decisions.weekly_log.deadline_weekday"))
    weekday = weekday if 0 <= weekday <= 6 else 0
    nominal = week_of(week_start) + dt.timedelta(days=7 + weekday)
    day, skipped = nominal, []
    while not is_working_day(day) and len(skipped) < 30:
        skipped.append(day)
        day += dt.timedelta(days=1)
    hour, minute = _clock()
    due = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=local_tz())
    return LogDeadline(week_of(week_start), nominal, due, tuple(skipped))


def required_levels() -> list[str]:
    return [str(v) for v in (get_setting("decisions.weekly_log.levels") or [])]


def leaders_for_week(week_start: dt.date):
    """Cadres who must write the log of this week: a leading post at a required level held at
    any time during the week."""
    from jiandu.registry.models import Tenure

    week_end = week_start + dt.timedelta(days=6)
    tenures = Tenure.objects.filter(position__kind="leading", position__level__in=required_levels(), started_on__lte=week_end).exclude(ended_on__lt=week_start)
    return Cadre.objects.filter(pk__in=tenures.values("cadre_id")).order_by("sort_pinyin", "id")


def must_write(cadre: Cadre, week_start: dt.date) -> bool:
    return leaders_for_week(week_start).filter(pk=cadre.pk).exists()


def bump_public_version() -> None:
    """Published content changed: every cached portal page is stale from now on."""
    transaction.on_commit(lambda: cache.set(PUBLIC_VERSION_KEY, timezone.now().timestamp(), timeout=None))


def is_own(user, cadre) -> bool:
    return bool(getattr(user, "cadre_id", None) and user.cadre_id == cadre.pk and access.can(user, "decisions.submit_log"))


def _clean(value, label, *, required=True, limit=TEXT_LIMIT, field=None) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise ActionError(_("%(field)s contains a character that cannot be stored.") % {"field": label}, field=field)
    if required and not value:
        raise ActionError(_("Fill in %(field)s.") % {"field": label}, field=field)
    if len(value) > limit:
        raise ActionError(_("%(field)s is too long: at most %(n)d characters.") % {"field": label, "n": limit}, field=field)
    return value


@transaction.atomic
def submit_log(*, actor, cadre: Cadre, week_start: dt.date, this_week: str, next_week: str) -> WeeklyLog:
    """The leader (own account) or the committee office for the leader (recorded as such)
    submits the log of a week; a returned log is submitted again the same way."""
    cadre = Cadre.objects.select_related("unit").get(pk=cadre.pk)
    own = is_own(actor, cadre)
    if not own:
        access.require(actor, "decisions.review_log", cadre.unit)
    if not isinstance(week_start, dt.date) or week_start.weekday() != 0:
        raise ActionError(_("Choose the week by its Monday."), field="week_start")
    at = now()
    if week_start > week_of(at.astimezone(local_tz()).date()):
        raise ActionError(_("The log of a week that has not begun cannot be submitted."), field="week_start")
    if not must_write(cadre, week_start):
        raise ActionError(_("%(name)s held no post that writes weekly logs that week.") % {"name": cadre.name}, field="cadre")
    this_week = _clean(this_week, _("this week's work"), field="this_week")
    next_week = _clean(next_week, _("next week's plan"), field="next_week")
    deadline = deadline_for(week_start)
    log = WeeklyLog.objects.select_for_update().filter(cadre=cadre, week_start=week_start).first()
    if log is not None and log.status == WeeklyLog.Status.PUBLISHED:
        raise ActionError(_("This log is already published and can no longer be changed."), field="week_start")
    first = log is None
    if log is None:
        log = WeeklyLog(cadre=cadre, week_start=week_start, first_submitted_at=at, due_at=deadline.due, is_late=at > deadline.due)
    log.this_week, log.next_week = this_week, next_week
    log.status = WeeklyLog.Status.SUBMITTED
    log.submitted_at = at
    log.entered_by = actor
    log.on_behalf = not own
    log.save()
    data = {"week_start": week_start.isoformat(), "late": log.is_late, "on_behalf": log.on_behalf, "due_at": deadline.due.isoformat()}
    if first:
        journal.record("decisions.weekly_log.submitted", actor=actor, target=log, unit=cadre.unit_id, cadre=cadre, data=data)
    else:
        journal.record("decisions.weekly_log.resubmitted", actor=actor, target=log, unit=cadre.unit_id, cadre=cadre, data=data)
    return log


def _reviewable(actor, log: WeeklyLog) -> WeeklyLog:
    log = WeeklyLog.objects.select_for_update().select_related("cadre").get(pk=log.pk)
    access.require(actor, "decisions.review_log", log.cadre.unit)
    if log.status != WeeklyLog.Status.SUBMITTED:
        raise ActionError(_("Only a log awaiting review can be published or returned."), field="status")
    return log


@transaction.atomic
def publish_log(*, actor, log: WeeklyLog) -> WeeklyLog:
    """The committee office publishes a submitted log: from then on it is public."""
    log = _reviewable(actor, log)
    log.status = WeeklyLog.Status.PUBLISHED
    log.reviewed_by, log.reviewed_at = actor, now()
    log.published_at = log.reviewed_at
    log.review_comment = ""
    log.save()
    journal.record(
        "decisions.weekly_log.published", actor=actor, target=log, unit=log.cadre.unit_id, cadre=log.cadre, data={"week_start": log.week_start.isoformat()}
    )
    bump_public_version()
    return log


@transaction.atomic
def return_log(*, actor, log: WeeklyLog, comment: str) -> WeeklyLog:
    """The committee office returns a submitted log for revision, saying why."""
    log = _reviewable(actor, log)
    log.review_comment = _clean(comment, _("the comment"), limit=2000, field="comment")
    log.status = WeeklyLog.Status.RETURNED
    log.reviewed_by, log.reviewed_at = actor, now()
    log.save()
    journal.record(
        "decisions.weekly_log.returned", actor=actor, target=log, unit=log.cadre.unit_id, cadre=log.cadre, data={"week_start": log.week_start.isoformat()}
    )
    notifications.notify(
        [access.user_for_cadre(log.cadre_id)],
        notifications.LOG_RETURNED,
        gettext_noop("Your weekly log of the week of %(week)s was returned for revision"),
        reverse("decisions:logs"),
        params={"week": log.week_start.isoformat()},
        cause=f"decisions.weekly_log.returned:{log.pk}:{log.reviewed_at.isoformat()}",
    )
    return log


@transaction.atomic
def save_leader_profile(*, actor, cadre: Cadre, portfolio: str, office_phone: str, office_address: str, mailbox: str) -> LeaderProfile:
    """The committee office sets what the portal shows of a leader: portfolio and public office contact."""
    cadre = Cadre.objects.select_related("unit").get(pk=cadre.pk)
    access.require(actor, "decisions.review_log", cadre.unit)
    values = {
        "portfolio": _clean(portfolio, _("the portfolio"), required=False, limit=2000, field="portfolio"),
        "office_phone": _clean(office_phone, _("the office phone"), required=False, limit=30, field="office_phone"),
        "office_address": _clean(office_address, _("the office address"), required=False, limit=200, field="office_address"),
        "mailbox": _clean(mailbox, _("the public mailbox"), required=False, limit=100, field="mailbox"),
    }
    profile, _created = LeaderProfile.objects.select_for_update().get_or_create(cadre=cadre)
    for key, value in values.items():
        setattr(profile, key, value)
    profile.save()
    journal.record("decisions.leader_profile.saved", actor=actor, target=profile, unit=cadre.unit_id, cadre=cadre, data={})
    bump_public_version()
    return profile


def send_log_reminders(*, today: dt.date | None = None) -> int:
    """Remind each leader whose log for the current week is not submitted yet (once per week);
    run by the weekly job on Friday afternoon, before Monday's deadline."""
    today = today or now().astimezone(local_tz()).date()
    week_start = week_of(today)
    sent = 0
    submitted = WeeklyLog.objects.filter(week_start=week_start).values("cadre_id")
    for cadre in leaders_for_week(week_start).exclude(pk__in=submitted):
        with transaction.atomic():
            _reminder, created = WeeklyLogReminder.objects.get_or_create(cadre=cadre, week_start=week_start)
            if not created:
                continue
            journal.record(
                "decisions.weekly_log.reminded",
                target=cadre,
                unit=cadre.unit_id,
                cadre=cadre,
                data={"week_start": week_start.isoformat(), "due_at": deadline_for(week_start).due.isoformat()},
                role="system",
            )
            notifications.notify(
                [access.user_for_cadre(cadre.pk)],
                notifications.REMINDER,
                gettext_noop("Your weekly log of the week of %(week)s is not submitted yet"),
                reverse("decisions:logs"),
                params={"week": week_start.isoformat()},
                cause=f"decisions.weekly_log.reminded:{cadre.pk}:{week_start.isoformat()}",
                today=today,
            )
            sent += 1
    return sent


# --- public feedback ---------------------------------------------------------------------------


@transaction.atomic
def submit_feedback(*, actor=None, kind: str, subject: str, body: str, contact: str = "", leader: Cadre | None = None) -> PublicFeedback:
    """A member of the public sends an opinion or a report (anonymous allowed). The portal's
    view checks the rate limit and the challenge first; nothing is public until moderated."""
    if kind not in PublicFeedback.Kind.values:
        raise ActionError(_("Choose what kind of message this is."), field="kind")
    feedback = PublicFeedback.objects.create(
        kind=kind,
        leader=leader,
        subject=_clean(subject, _("the subject"), limit=100, field="subject"),
        body=_clean(body, _("the message"), limit=TEXT_LIMIT, field="body"),
        contact=_clean(contact, _("the contact"), required=False, limit=100, field="contact"),
    )
    journal.record(
        "decisions.feedback.received", actor=actor if getattr(actor, "is_authenticated", False) else None, target=feedback, cadre=leader, data={"kind": kind}
    )
    return feedback


@transaction.atomic
def moderate_feedback(*, actor, feedback: PublicFeedback, publish: bool, reply: str = "", note: str = "") -> PublicFeedback:
    """The committee office publishes a message (with an optional reply) or keeps it unpublished."""
    feedback = PublicFeedback.objects.select_for_update().get(pk=feedback.pk)  # no outer join under FOR UPDATE (PostgreSQL)
    access.require(actor, "decisions.review_log", feedback.leader.unit if feedback.leader_id else None)
    was_public = feedback.status == PublicFeedback.Status.PUBLISHED
    feedback.reply = _clean(reply, _("the reply"), required=False, limit=TEXT_LIMIT, field="reply")
    feedback.moderation_note = _clean(note, _("the note"), required=False, limit=200, field="note")
    feedback.status = PublicFeedback.Status.PUBLISHED if publish else PublicFeedback.Status.REJECTED
    feedback.moderated_by, feedback.moderated_at = actor, now()
    feedback.save()
    if publish:
        journal.record("decisions.feedback.published", actor=actor, target=feedback, cadre=feedback.leader_id, data={"reply": bool(feedback.reply)})
    else:
        journal.record("decisions.feedback.withheld", actor=actor, target=feedback, cadre=feedback.leader_id, data={"reply": bool(feedback.reply)})
    if publish or was_public:
        bump_public_version()
    return feedback


def pass_feedback_as_clue(*, actor, feedback: PublicFeedback, to_unit) -> PublicFeedback:
    """The moderating office passes a report of misconduct about a leader to 日常监督: registered
    as a clue in the officer's own clue department and transferred to `to_unit` (the discipline
    department), once per report; the clue is kept on the feedback item. The sender's contact (if
    any) goes with the clue, which is internal and sensitive; nothing of it is published."""
    from jiandu.core import clue_referrals
    from jiandu.oversight.actions import clues as clue_actions
    from jiandu.oversight.models import Clue

    with transaction.atomic():
        feedback = PublicFeedback.objects.select_for_update().get(pk=feedback.pk)  # no outer join under FOR UPDATE (PostgreSQL)
        leader = Cadre.objects.select_related("unit").get(pk=feedback.leader_id) if feedback.leader_id else None
        access.require(actor, "decisions.review_log", leader.unit if leader else None)
        if feedback.clue_id is not None:
            raise ActionError(_("This report was already passed to daily supervision as a clue."), code="passed")
        if feedback.kind != PublicFeedback.Kind.REPORT:
            raise ActionError(_("Only a report of misconduct can be passed as a clue; this message is an opinion."), field="kind")
        if leader is None:
            raise ActionError(_("The report names no leader: a clue is about a cadre."), field="leader")
        sending = clue_referrals.sending_department(actor)
        if sending is None:
            raise ActionError(_("Only a clue officer of a department can pass a report as a clue."), field="to_unit")
        summary = _("Report from the public portal: %(subject)s\n\n%(body)s") % {"subject": feedback.subject, "body": feedback.body}
        if feedback.contact:
            summary += "\n\n" + _("The sender's contact: %(contact)s") % {"contact": feedback.contact}
        clue = clue_actions.register_clue(actor=actor, cadre=leader, from_unit=sending, source=Clue.Source.PETITION, summary=summary)
        clue = clue_actions.transfer_clue(actor=actor, clue=clue, to_unit=to_unit)
        feedback.clue = clue
        feedback.save(update_fields=["clue"])
        journal.record(
            "decisions.feedback.passed_as_clue", actor=actor, target=feedback, unit=leader.unit, cadre=leader, data={"clue": clue.pk, "to": clue.to_unit.name}
        )
    return feedback
