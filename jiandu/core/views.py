"""Core pages: dashboard home, settings, journal search/verify, error pages."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jiandu.accounts import access

from . import actions
from .errors import ActionError
from .practice import definitions, get_setting
from .queries import search_journal


@login_required
def home(request):
    from .dashboard import cards_for

    return render(request, "core/home.html", {"cards": cards_for(request.user)})


@login_required
def settings_list(request):
    access.require(request.user, "settings.manage")
    rows = [{"definition": d, "value": get_setting(d.key), "is_default": get_setting(d.key) == d.default} for d in definitions().values()]
    return render(request, "core/settings.html", {"rows": rows})


@login_required
@require_POST
def settings_change(request, key):
    access.require(request.user, "settings.manage")
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
    return redirect("core:settings")


class JournalFilter(forms.Form):
    text = forms.CharField(label=gettext_lazy("Object id, request id or IP"), required=False)
    action = forms.CharField(label=gettext_lazy("Action code starts with"), required=False)
    actor = forms.CharField(label=gettext_lazy("User"), required=False)
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"),
        required=False,
        choices=[("", "—"), ("ok", gettext_lazy("succeeded")), ("denied", gettext_lazy("denied")), ("failed", gettext_lazy("failed"))],
    )
    date_from = forms.DateField(label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


@login_required
def journal_search(request):
    access.require(request.user, "journal.search")
    form = JournalFilter(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = search_journal(request.user, **{k: v for k, v in filters.items() if v})
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "core/journal_search.html", {"form": form, "page": page, "count": page.paginator.count})


@login_required
def journal_verify(request):
    started = dt.datetime.now()
    result = actions.verify_journal(actor=request.user)
    elapsed = (dt.datetime.now() - started).total_seconds()
    return render(request, "core/journal_verify.html", {"result": result, "elapsed": elapsed})


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", {"incident": getattr(request, "request_id", "")}, status=500)


def permission_denied(request, exception=None):
    return render(request, "404.html", status=404)
