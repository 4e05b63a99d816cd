"""Pages of 阳光周志 (weekly logs): the leader writes their own log, or the committee office enters
it for them; the office reviews (publish / return with a comment), sees missing and late logs
per leader, sets the leaders' public profiles and moderates the public's feedback."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiandu.accounts import access
from jiandu.core import exports, listing
from jiandu.core.errors import ActionError
from jiandu.registry.models import Cadre

from . import lists, log_actions, log_queries
from .log_forms import FeedbackClueForm, LogForm, ModerateForm, ProfileForm, ReturnForm
from .models import PublicFeedback, WeeklyLog
from .register_views import clue_departments

RECENT_WEEKS = 5


def _may_use(user) -> bool:
    return log_queries.may_review(user) or access.can(user, "decisions.submit_log")


def _recent_weeks() -> list[dt.date]:
    today = log_actions.now().astimezone(log_actions.local_tz()).date()
    current = log_actions.week_of(today)
    return [current - dt.timedelta(days=7 * n) for n in range(RECENT_WEEKS)]


def _week_label(week: dt.date) -> str:
    return _("%(start)s to %(end)s") % {"start": week.isoformat(), "end": (week + dt.timedelta(days=6)).isoformat()}


def _leaders_for(user, weeks) -> list[Cadre]:
    """Whose logs the user may enter: their own (self service) and, for the office, every leader in scope."""
    ids = set()
    for week in weeks:
        ids |= set(log_actions.leaders_for_week(week).values_list("pk", flat=True))
    q = access.scope_q(user, "decisions.review_log", "unit__path")
    if getattr(user, "cadre_id", None) and access.can(user, "decisions.submit_log"):
        from django.db.models import Q

        q |= Q(pk=user.cadre_id)
    return list(Cadre.objects.filter(q, pk__in=ids).order_by("sort_pinyin", "id"))


@login_required
def logs_index(request):
    user = request.user
    if not _may_use(user):
        raise access.NotVisible()
    reviewer = log_queries.may_review(user)
    logs = log_queries.logs_visible_to(user)
    form = lists.LogFilter(request.GET)
    chosen = lists.filter_logs(logs, **listing.cleaned_filters(form))
    if request.GET.get("format") == "xlsx":
        rows = (
            [log.cadre.name, log.week_start, log.status, timezone.localtime(log.submitted_at).strftime("%Y-%m-%d %H:%M"), log.is_late, log.on_behalf]
            for log in lists.sorted_rows(request, chosen, lists.LOG_SORTS, "-week").iterator(chunk_size=500)
        )
        return exports.export_list(
            user,
            code="decisions.weekly_logs.exported",
            title=_("Weekly logs (阳光周志)"),
            columns=lists.LOG_COLUMNS,
            rows=rows,
            data={"filters": request.GET.urlencode()[:500]},
        )
    result = listing.list_page(request, chosen, sorts=lists.LOG_SORTS, default_sort="-week")
    context = {
        "form": form,
        "page": result.page,
        "sorts": result.sort_links,
        "title": _("Weekly logs (阳光周志)"),
        "reviewer": reviewer,
        "pending": list(logs.filter(status=WeeklyLog.Status.SUBMITTED).order_by("week_start", "id")[:200]),
        "may_enter": bool(_leaders_for(user, _recent_weeks())),
    }
    if reviewer:
        weeks = log_queries.closed_weeks(8)
        records = log_queries.compliance(user, weeks)
        context.update(
            {
                "weeks": weeks,
                "records": records,
                "missing_total": sum(len(r.missing) for r in records),
                "late_total": sum(r.late for r in records),
                "on_time_total": sum(r.on_time for r in records),
                "feedback_pending": log_queries.feedback_visible_to(user).filter(status=PublicFeedback.Status.PENDING).count(),
            }
        )
    return render(request, "decisions/logs/index.html", context)


@login_required
def log_submit(request):
    user = request.user
    if not _may_use(user):
        raise access.NotVisible()
    weeks = _recent_weeks()
    leaders = _leaders_for(user, weeks)
    if not leaders:
        return render(request, "decisions/logs/none.html", {"title": _("Write a weekly log")})
    initial = {}
    if request.method == "GET" and request.GET.get("log", "").isdigit():
        existing = log_queries.logs_visible_to(user).filter(pk=int(request.GET["log"])).first()
        if existing is not None:
            initial = {
                "cadre": existing.cadre_id,
                "week_start": existing.week_start.isoformat(),
                "this_week": existing.this_week,
                "next_week": existing.next_week,
            }
    form = LogForm(request.POST or None, initial=initial, leaders=leaders, weeks=[(w, _week_label(w)) for w in weeks])
    if request.method == "POST" and form.is_valid():
        cadre = next(c for c in leaders if c.pk == form.cleaned_data["cadre"])
        try:
            log = log_actions.submit_log(
                actor=user,
                cadre=cadre,
                week_start=dt.date.fromisoformat(form.cleaned_data["week_start"]),
                this_week=form.cleaned_data["this_week"],
                next_week=form.cleaned_data["next_week"],
            )
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            if log.is_late:
                messages.warning(request, _("The log is submitted after its deadline and is counted as late."))
            else:
                messages.success(request, _("The log is submitted for review."))
            return redirect("decisions:log", pk=log.pk)
    deadlines = [(label, log_actions.deadline_for(w).explain()) for w, label in [(w, _week_label(w)) for w in weeks[:2]]]
    return render(request, "decisions/logs/submit.html", {"title": _("Write a weekly log"), "form": form, "deadlines": deadlines})


@login_required
def log_detail(request, pk):
    user = request.user
    if not _may_use(user):
        raise access.NotVisible()
    log = log_queries.get_log_for(user, pk)
    may_review = log.status == WeeklyLog.Status.SUBMITTED and access.can(user, "decisions.review_log", log.cadre.unit)
    may_revise = log.status != WeeklyLog.Status.PUBLISHED and (log_actions.is_own(user, log.cadre) or access.can(user, "decisions.review_log", log.cadre.unit))
    return render(
        request,
        "decisions/logs/detail.html",
        {
            "title": _("Weekly log of %(name)s") % {"name": log.cadre.name},
            "log": log,
            "week_label": _week_label(log.week_start),
            "deadline": log_actions.deadline_for(log.week_start).explain(),
            "may_review": may_review,
            "may_revise": may_revise,
            "return_form": ReturnForm(),
        },
    )


@login_required
@require_POST
def log_publish(request, pk):
    log = log_queries.get_log_for(request.user, pk)
    try:
        log_actions.publish_log(actor=request.user, log=log)
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The log is published on the public portal."))
    return redirect("decisions:log", pk=log.pk)


@login_required
@require_POST
def log_return(request, pk):
    log = log_queries.get_log_for(request.user, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what to revise (at most 2000 characters)."))
        return redirect("decisions:log", pk=log.pk)
    try:
        log_actions.return_log(actor=request.user, log=log, comment=form.cleaned_data["comment"])
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The log is returned for revision."))
    return redirect("decisions:log", pk=log.pk)


@login_required
def leader_profile(request, cadre_pk):
    cadre = Cadre.objects.filter(access.scope_q(request.user, "decisions.review_log", "unit__path"), pk=cadre_pk).first()
    if cadre is None:
        raise access.NotVisible()
    profile = getattr(cadre, "leader_profile", None)
    initial = {}
    if profile is not None:
        initial = {"portfolio": profile.portfolio, "office_phone": profile.office_phone, "office_address": profile.office_address, "mailbox": profile.mailbox}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            log_actions.save_leader_profile(actor=request.user, cadre=cadre, **form.cleaned_data)
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The public profile is saved."))
            return redirect("decisions:logs")
    return render(request, "decisions/logs/profile.html", {"title": _("Public profile of %(name)s") % {"name": cadre.name}, "form": form, "cadre": cadre})


@login_required
def feedback_queue(request):
    """The moderation queue (awaiting moderation unless another status is chosen)."""
    if not log_queries.may_review(request.user):
        raise access.NotVisible()
    form = lists.FeedbackFilter(request.GET)
    qs = lists.filter_feedback(log_queries.feedback_visible_to(request.user), **listing.cleaned_filters(form))
    if request.GET.get("format") == "xlsx":
        rows = (
            [timezone.localtime(f.received_at).strftime("%Y-%m-%d %H:%M"), f.kind, f.subject, f.leader.name if f.leader_id else "", f.status]
            for f in lists.sorted_rows(request, qs, lists.FEEDBACK_SORTS, "-received").iterator(chunk_size=500)
        )
        return exports.export_list(
            request.user,
            code="decisions.feedback.exported",
            title=_("Public feedback"),
            columns=lists.FEEDBACK_COLUMNS,
            rows=rows,
            data={"filters": request.GET.urlencode()[:500]},
        )
    result = listing.list_page(request, qs, sorts=lists.FEEDBACK_SORTS, default_sort="-received")
    return render(request, "decisions/logs/feedback_list.html", {"title": _("Public feedback"), "form": form, "page": result.page, "sorts": result.sort_links})


@login_required
def feedback_detail(request, pk):
    feedback = log_queries.get_feedback_for(request.user, pk)
    form = ModerateForm(request.POST or None, initial={"reply": feedback.reply, "note": feedback.moderation_note})
    if request.method == "POST" and form.is_valid():
        try:
            log_actions.moderate_feedback(
                actor=request.user,
                feedback=feedback,
                publish=form.cleaned_data["decision"] == "publish",
                reply=form.cleaned_data["reply"],
                note=form.cleaned_data["note"],
            )
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The decision on the message is recorded."))
            return redirect("decisions:feedback")
    return render(
        request,
        "decisions/logs/feedback_detail.html",
        {"title": feedback.subject, "feedback": feedback, "form": form, "clue_form": _clue_form(request.user, feedback)},
    )


def _clue_form(user, feedback, data=None):
    """The form passing a report to 日常监督, when this report can be passed by this user."""
    if feedback.clue_id or feedback.kind != PublicFeedback.Kind.REPORT or not feedback.leader_id:
        return None
    departments = clue_departments(user)
    return FeedbackClueForm(data, departments=departments) if departments else None


@login_required
@require_POST
def feedback_clue(request, pk):
    """Pass a report of misconduct to the discipline department as a clue (once)."""
    feedback = log_queries.get_feedback_for(request.user, pk)
    departments = {u.pk: u for u in clue_departments(request.user)}
    if not departments:
        messages.error(request, _("Only a clue officer of a department can pass a report as a clue."))
        return redirect("decisions:feedback_detail", pk=feedback.pk)
    form = FeedbackClueForm(request.POST, departments=departments.values())
    if not form.is_valid():
        messages.error(request, _("Choose the department that receives the clue."))
        return redirect("decisions:feedback_detail", pk=feedback.pk)
    try:
        feedback = log_actions.pass_feedback_as_clue(actor=request.user, feedback=feedback, to_unit=departments[form.cleaned_data["to_unit"]])
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Passed to daily supervision as clue %(number)s.") % {"number": feedback.clue.number})
    return redirect("decisions:feedback_detail", pk=feedback.pk)
