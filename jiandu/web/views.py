"""Core pages: dashboard home, settings, journal search/verify, error pages."""

import datetime as dt
import logging
import sys
import time

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jiandu.accounts import access
from jiandu.accounts.models import Role
from jiandu.accounts.refusals import record_refusal
from jiandu.core import actions
from jiandu.core.errors import ActionError
from jiandu.core.listing import paginate
from jiandu.core.middleware import database_unavailable, is_database_outage
from jiandu.core.navigation import work_entries
from jiandu.core.practice import definitions, get_setting
from jiandu.core.queries import journal_visible_to, search_journal

log = logging.getLogger("jiandu")


@login_required
def home(request):
    from jiandu.core.dashboard import OVERVIEW, WORK, cards_for, charts_for

    from .todo_views import rows_for

    todo_rows, inbox = rows_for(request.user, dt.date.today())
    board = charts_for(request.user, dashboard_sections(request.user))
    context = {
        "cards": cards_for(request.user),
        "work_charts": board.charts.get(WORK, []),
        "overview_charts": board.charts.get(OVERVIEW, []),
        "charts_data": board.data(),
        "charts_unavailable": board.unavailable,
        "overview_title": _overview_title(request.user),
        "work": work_for(request.user),
        "may_change_settings": _may_change_some_setting(request.user),
        "todo_rows": todo_rows[:HOME_TODO_ROWS],
        "todo_total": len(todo_rows),
        "todo_unavailable": inbox.unavailable,
    }
    return render(request, "core/home.html", context)


# Which parts of the dashboard each role's home page shows (issue #16 §3): the officers' own queues
# (WORK) and the picture of the user's scope (OVERVIEW: the head's district, the committee
# member's read-only overview, the unit leader's own unit). Each figure in them is still the
# owning app's, scoped by the user's rights: a figure the user may not see is absent.
WORK_ROLES = {
    Role.ORG_OFFICER,
    Role.ORG_HEAD,
    Role.DISCIPLINE_OFFICER,
    Role.AUDIT_OFFICER,
    Role.VETTING_OFFICER,
    Role.CLUE_OFFICER,
}
OVERVIEW_ROLES = {Role.ORG_HEAD, Role.COMMITTEE_MEMBER, Role.UNIT_LEADER}


def dashboard_sections(user) -> set[str]:
    from jiandu.core.dashboard import OVERVIEW, WORK

    roles = access.roles(user)
    sections = set()
    if roles & WORK_ROLES:
        sections.add(WORK)
    if roles & OVERVIEW_ROLES:
        sections.add(OVERVIEW)
    return sections


def _overview_title(user) -> str:
    roles = access.roles(user)
    if Role.ORG_HEAD in roles:
        return _("The district at a glance")
    if Role.COMMITTEE_MEMBER in roles:
        return _("Overview (read only)")
    return _("My unit at a glance")


HOME_TODO_ROWS = 8  # the most urgent items of the 待办 inbox on the home page; the rest on /todo/


def work_for(user) -> list[dict]:
    """The home page's "what you can do here" list: one line per thing the user's roles allow,
    with its page, or marked as coming with its pillar."""
    from django.urls import NoReverseMatch

    out = []
    for item in work_entries():  # registered by each app (jiandu.core.navigation)
        if not access.can(user, item.permission):
            continue
        if item.unless and access.can(user, item.unless):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            url = None
        out.append({"text": item.text, "url": url})
    return out


# Headings of the settings page, by the first part of a setting's key.
SETTING_SECTIONS = {
    "security": gettext_lazy("Security"),
    "rates": gettext_lazy("Rates and rounding"),
    "documents": gettext_lazy("Official documents"),
    "registry": gettext_lazy("Registry"),
    "ballots": gettext_lazy("Ballots"),
    "decisions": gettext_lazy("Institutional supervision"),
    "appraisals": gettext_lazy("Target supervision"),
    "audits": gettext_lazy("Responsibility supervision"),
    "selection": gettext_lazy("Selection supervision"),
    "oversight": gettext_lazy("Daily supervision"),
    "rectification": gettext_lazy("Rectification (audit findings and inspection tours)"),
    "dossier": gettext_lazy("Dossier and early warnings"),
    "alerts": gettext_lazy("Early warnings"),
    "matters": gettext_lazy("Personal matters"),
    "portal": gettext_lazy("Public portal"),
}


def _may_change_some_setting(user) -> bool:
    return access.can(user, "settings.manage") or access.can(user, "settings.manage_security")


@login_required
def settings_list(request):
    """The settings the user may change: security policy for the security administrator, the other
    local practice for settings.manage (system administrator, organisation-department head)."""
    if not _may_change_some_setting(request.user):
        raise access.NotVisible()
    from jiandu.core import setting_text

    sections: dict[str, dict] = {}
    shown = [d for d in definitions().values() if access.can(request.user, access.setting_permission(d.key))]
    histories = setting_text.histories([d.key for d in shown])
    for definition in shown:
        prefix = definition.key.split(".", 1)[0]
        section = sections.setdefault(prefix, {"key": prefix, "label": SETTING_SECTIONS.get(prefix, prefix), "rows": []})
        value = get_setting(definition.key)
        section["rows"].append(
            {
                "definition": definition,
                "value": value,
                "is_default": value == definition.default,
                "value_text": setting_text.display_value(definition, value),
                "default_text": setting_text.display_value(definition, definition.default),
                "basis": setting_text.basis(definition),
                "history": setting_text.history_rows(definition, histories[definition.key]),
            }
        )
    return render(request, "core/settings.html", {"sections": list(sections.values()), "breadcrumbs": [(_("Settings"), None)]})


@login_required
@require_POST
def settings_change(request, key):
    if not _may_change_some_setting(request.user):
        raise access.NotVisible()
    try:
        if request.POST.get("reset"):
            actions.reset_setting(actor=request.user, key=key)
        else:
            definition = definitions().get(key)
            raw = request.POST.getlist("value") if definition and definition.kind == "list" else request.POST.get("value", "")
            if definition and definition.kind == "list":
                raw = "\n".join(raw)
            if definition and definition.kind == "bool":
                raw = bool(request.POST.get("value"))
            actions.change_setting(actor=request.user, key=key, value=raw)
        messages.success(request, _("Setting saved."))
    except ActionError as exc:
        messages.error(request, exc.message)
    except access.NotVisible:
        messages.error(request, _("You may not change this setting."))
    return redirect("core:settings")


class JournalFilter(forms.Form):
    text = forms.CharField(label=gettext_lazy("Object id, request id or IP"), required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Kind of action"), required=False)
    action = forms.CharField(label=gettext_lazy("Action code starts with"), required=False, widget=forms.HiddenInput)
    actor = forms.CharField(label=gettext_lazy("User"), required=False)
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"),
        required=False,
        choices=[("", gettext_lazy("All")), ("ok", gettext_lazy("succeeded")), ("denied", gettext_lazy("denied")), ("failed", gettext_lazy("failed"))],
    )
    date_from = forms.DateField(label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        from jiandu.core.journal_text import descriptions

        super().__init__(*args, **kwargs)
        kinds = sorted(((code, str(text)) for code, text in descriptions().items()), key=lambda kind: (kind[0].split(".", 1)[0], kind[1]))
        self.fields["kind"].choices = [("", "—"), *kinds]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", gettext_lazy("The end date is before the start date."))
        return data


SEARCH_FIELDS = ("text", "action", "actor", "outcome", "date_from", "date_to")


@login_required
def journal_search(request):
    access.require(request.user, "journal.search")
    form = JournalFilter(request.GET or None)
    if form.is_bound and not form.is_valid():
        qs = search_journal(request.user).none()  # show the errors, not unfiltered results
    else:
        filters = form.cleaned_data if form.is_bound else {}
        qs = search_journal(request.user, **{k: v for k, v in filters.items() if v and k in SEARCH_FIELDS})
        if filters.get("kind"):
            qs = qs.filter(action=filters["kind"])
    page = paginate(request, qs, 50)
    context = {"form": form, "page": page, "count": page.paginator.count, "breadcrumbs": [(_("Journal"), None)]}
    return render(request, "core/journal_search.html", context)


@login_required
def journal_entry(request, seq):
    """One journal entry in full, with its place in the hash chain (audit administrator)."""
    access.require(request.user, "journal.search")
    entry = journal_visible_to(request.user).filter(seq=seq).first()
    if entry is None:
        raise access.NotVisible()
    context = {
        "entry": entry,
        # A list of pairs, not entry.data.items in the template: a data key named "items" would
        # shadow the dict's method there (a server error found by a crawl).
        "data_pairs": sorted((entry.data or {}).items()) if isinstance(entry.data, dict) else [],
        "breadcrumbs": [(_("Journal"), reverse("core:journal_search")), (f"#{entry.seq}", None)],
    }
    return render(request, "core/journal_entry.html", context)


@login_required
def journal_verify(request):
    """Check the whole hash chain. Opening the page only offers the check; running it (POST) is
    itself journaled, with its outcome."""
    access.require(request.user, "journal.verify")
    context = {"result": None, "breadcrumbs": [(_("Journal"), reverse("core:journal_search")), (_("Journal verification"), None)]}
    if request.method == "POST":
        upload = request.FILES.get("checkpoint")
        started = time.monotonic()
        try:
            # An uploaded checkpoint file (kept by the audit administrator) instead of the log.
            checkpoint_file = upload.read(actions.CHECKPOINT_FILE_MAX_BYTES + 1) if upload is not None else None
            context["result"] = actions.verify_journal(actor=request.user, checkpoint_file=checkpoint_file)
        except ActionError as exc:
            context["upload_error"] = exc.message
        context["elapsed"] = time.monotonic() - started
    return render(request, "core/journal_verify.html", context)


@login_required
@require_POST
def journal_checkpoint(request):
    """Download a signed checkpoint of the journal's head (audit administrator): kept outside the
    installation, it proves later that no entry up to it was deleted, even with the head rolled back."""
    access.require(request.user, "journal.verify")
    try:
        checkpoint = actions.sign_journal_checkpoint(actor=request.user)
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect("core:journal_verify")
    response = HttpResponse(checkpoint.line() + "\n", content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="jiandu-journal-checkpoint-{checkpoint.seq}.json"'
    response["Cache-Control"] = "no-store"
    return response


def _wants_json(request) -> bool:
    return request.path.startswith("/api/")


def csrf_failure(request, reason=""):
    if _wants_json(request):
        return JsonResponse({"code": "csrf_failed", "message": _("The request was refused: its CSRF token is missing or wrong.")}, status=403)
    return render(request, "403_csrf.html", status=403)


def page_not_found(request, exception=None):
    record_refusal(request, exception)
    if _wants_json(request):
        return JsonResponse({"code": "not_found", "message": _("Not found.")}, status=404)
    return render(request, "404.html", status=404)


def server_error(request):
    """Show an incident id (the request id, also in the log line and the X-Request-Id header) and
    never a traceback, whatever DEBUG says about other pages. A database outage met before any
    view ran (loading the session or the user) is answered with the 503 page instead."""
    exception = sys.exc_info()[1]  # Django calls this handler while handling the exception
    if is_database_outage(exception):
        return database_unavailable(request, exception)
    incident = getattr(request, "request_id", "")
    log.error("server error, incident %s, %s %s", incident, request.method, request.path)
    if _wants_json(request):
        return JsonResponse({"code": "server_error", "message": "server error", "incident": incident}, status=500)
    return render(request, "500.html", {"incident": incident}, status=500)


def permission_denied(request, exception=None):
    # Not allowed looks like not found (SECURITY.md).
    return page_not_found(request, exception)


# Event handling (system administrator): failed and pending handlings, retries, backfills.


@login_required
def events_list(request):
    """Failed and pending event handlings with their last error, a retry for the failed ones, and
    per consumer the older events it may be given by a backfill."""
    from django.db.models import Count

    from jiandu.core import events
    from jiandu.core.models import EventHandling

    access.require(request.user, "system.status")
    open_statuses = [EventHandling.Status.GAVE_UP, EventHandling.Status.FAILED, EventHandling.Status.PENDING]
    rows = EventHandling.objects.filter(status__in=open_statuses).select_related("event").order_by("status", "next_attempt_at", "id")
    page = paginate(request, rows, 50)
    registered = events.consumers()
    for handling in page:
        handling.kind_label = events.kind_label(handling.event.kind)
        handling.consumer_label = registered[handling.consumer].label if handling.consumer in registered else handling.consumer
        handling.may_retry = handling.status != EventHandling.Status.PENDING and handling.consumer in registered
    counts: dict[str, dict[str, int]] = {}
    for row in EventHandling.objects.values("consumer", "status").annotate(n=Count("id")):
        counts.setdefault(row["consumer"], {})[row["status"]] = row["n"]
    consumer_rows = [
        {
            "consumer": consumer,
            "kinds": [events.kind_label(kind) for kind in consumer.kinds],
            "counts": counts.get(consumer.name, {}),
            "older": events.backfill_candidates(consumer).count(),
        }
        for consumer in registered.values()
    ]
    from jiandu.core import jobs
    from jiandu.core.models import JobLease

    leases = {lease.name: lease for lease in JobLease.objects.all()}
    scheduled = [{"job": job, "when": job.at.describe(), "lease": leases.get(job.name)} for job in jobs.jobs().values() if job.at is not None]
    context = {"page": page, "consumers": consumer_rows, "scheduled": scheduled, "breadcrumbs": [(_("Background events"), None)]}
    return render(request, "core/events.html", context)


@login_required
@require_POST
def events_retry(request, pk):
    access.require(request.user, "system.status")
    try:
        actions.retry_event_handling(actor=request.user, handling_id=pk)
        messages.success(request, _("The event will be handed to its consumer again within a minute."))
    except ActionError as exc:
        messages.error(request, exc.message)
    return redirect("core:events")


@login_required
@require_POST
def events_backfill(request):
    access.require(request.user, "system.status")
    try:
        count = actions.backfill_events(actor=request.user, consumer=request.POST.get("consumer", ""))
        messages.success(request, _("%(count)s older event(s) will be handed to the consumer.") % {"count": count})
    except ActionError as exc:
        messages.error(request, exc.message)
    return redirect("core:events")
