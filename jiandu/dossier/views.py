"""The cadre's supervision dossier (一人一档): header, then every pillar's timeline, newest first."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jiandu.accounts import access
from jiandu.core import alerts as alert_rules
from jiandu.core import exports, listing, timeline
from jiandu.core.action_forms import run_action
from jiandu.core.columns import Column
from jiandu.core.errors import ActionError
from jiandu.core.pdf import document_filename, pdf_response
from jiandu.registry import queries as registry_queries
from jiandu.registry.forms import tree_filter_field

from . import actions, documents, queries


class AcknowledgeForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Note"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class FilterForm(forms.Form):
    pillar = forms.ChoiceField(label=gettext_lazy("Area"), required=False)
    year = forms.IntegerField(label=gettext_lazy("Year"), required=False, min_value=1949, max_value=2100)
    changed = forms.BooleanField(label=gettext_lazy("Only what changed since my last look"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pillar"].choices = [("", _("All areas"))] + [(p.key, p.label) for p in timeline.pillars()]


def pillar_labels() -> dict[str, str]:
    return {p.key: str(p.label) for p in timeline.pillars()}


def build(user, cadre, *, pillar: str = "", year: int | None = None, **page) -> tuple[dict, timeline.Timeline]:
    """The header and the timeline as `user` may see them (page, documents and API alike);
    `page`: core.timeline.collect's since, previous, cursor, limit, leave_out."""
    result = timeline.collect(user, cadre, only=pillar, year=year, **page)
    header = {
        "cadre": cadre,
        "posts": [f"{t.position.unit.name} {t.position.title}" for t in queries.current_posts(cadre)],
        "status": result.status,
        "status_unavailable": result.status_unavailable,
        "sensitive": queries.may_see_sensitive(user, cadre),
        "photo": queries.has_photo(cadre),
        "alerts": queries.open_alerts_of(user, cadre),
    }
    return header, result


def _filters(request):
    form = FilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["pillar"] or "", form.cleaned_data["year"], form.cleaned_data["changed"]
    return form, "", None, False


@login_required
def my_dossier(request):
    """The cadre's own file (self service)."""
    cadre_id = getattr(request.user, "cadre_id", None)
    if not (cadre_id and access.can(request.user, "self.view")):
        raise access.NotVisible()
    return redirect("dossier:cadre", pk=cadre_id)


@login_required
def cadre_dossier(request, pk):
    """The header, then a page of the timeline (timeline.PAGE_SIZE entries, newest first) read in
    one query whatever the history's length; "older entries" continues after the last row."""
    cadre = queries.get_cadre_for(request.user, pk)
    form, pillar, year, changed = _filters(request)
    previous = queries.previous_look(request.user, cadre)
    since = (previous or timezone.now()) if changed else None
    cursor = request.GET.get("before", "")[:200]
    header, result = build(request.user, cadre, pillar=pillar, year=year, since=since, previous=previous, cursor=cursor, limit=timeline.PAGE_SIZE)
    actions.record_view(actor=request.user, cadre=cadre, via="page", pillar=pillar, year=year, reads=result.journal)
    labels = pillar_labels()
    rows = [{"entry": e, "area": labels.get(e.pillar, ""), "new": bool(previous and e.recorded_at and e.recorded_at > previous)} for e in result.entries]
    params = request.GET.copy()
    params.pop("before", None)
    query = params.urlencode()
    older = ""
    if result.next_cursor:
        params["before"] = result.next_cursor
        older = "?" + params.urlencode()
    own = queries.is_own(request.user, cadre) and not access.can(request.user, "registry.view", cadre.unit)
    return render(
        request,
        "dossier/cadre.html",
        {
            "cadre": cadre,
            "header": header,
            "rows": rows,
            "unavailable": result.unavailable,
            "form": form,
            "previous": previous,
            "new_count": result.new_count,
            "total": result.total,
            "older": older,
            "newest": ("?" + query if query else "?") if cursor else "",
            "own": own,
            "query": f"?{query}" if query else "",
            "registry_url": "" if own else reverse("registry:cadre_detail", args=[cadre.pk]),
            "ack_form": AcknowledgeForm(),
            "show_alerts": access.can(request.user, "dossier.view", cadre.unit),
            "can_handle": {a.pk for a in header["alerts"] if access.can(request.user, "dossier.handle_alerts", a.unit)},
            "alert_counts": queries.severity_counts(header["alerts"]),
            "may_scan": access.can(request.user, "dossier.handle_alerts"),
        },
    )


def _export(request, pk, fmt):
    cadre = queries.get_cadre_for(request.user, pk)
    form, pillar, year, _changed = _filters(request)
    # every entry (the documents leave clues out: they are not read, so not journaled as read)
    header, result = build(request.user, cadre, pillar=pillar, year=year, leave_out=timeline.SECRET)
    labels = pillar_labels()
    entries = documents.exportable(result.entries)
    actions.record_export(actor=request.user, cadre=cadre, fmt=fmt, entries=len(entries), reads=result.journal)
    name = document_filename(documents.TITLE, cadre.name)
    if fmt == "pdf":
        return pdf_response(documents.render_pdf(header, entries, labels, today=dt.date.today()), name)
    content = documents.render_xlsx(header, entries, labels)
    from urllib.parse import quote

    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    response["Content-Disposition"] = f"attachment; filename=\"dossier.xlsx\"; filename*=UTF-8''{quote(name.removesuffix('.pdf'))}.xlsx"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@login_required
def cadre_pdf(request, pk):
    return _export(request, pk, "pdf")


@login_required
def cadre_xlsx(request, pk):
    return _export(request, pk, "xlsx")


@login_required
def cadre_photo(request, pk):
    """The registry's photo of the cadre, for whoever may open the file."""
    cadre = queries.get_cadre_for(request.user, pk)
    data = queries.photo_of(cadre)
    if not data:
        raise access.NotVisible()
    response = HttpResponse(data, content_type="image/png" if data.startswith(b"\x89PNG") else "image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def alert_acknowledge(request, pk):
    alert = queries.get_alert_for(request.user, pk)
    form = AcknowledgeForm(request.POST)
    target = _back(request, alert)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(target)
    try:
        actions.acknowledge_alert(actor=request.user, alert=alert, note=form.cleaned_data["note"])
    except ActionError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The alert is acknowledged."))
    return redirect(target)


# --- the early-warning list (预警) ----------------------------------------------------------------


def rule_label(name: str) -> str:
    rule = alert_rules.get_rule(name)
    return str(rule.description) if rule else name


class AlertFilter(forms.Form):
    state = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    severity = forms.ChoiceField(label=gettext_lazy("Severity"), required=False)
    rule = forms.ChoiceField(label=gettext_lazy("Rule"), required=False)
    unit = forms.ModelChoiceField(label=gettext_lazy("Unit"), queryset=None, required=False, empty_label=gettext_lazy("All"))
    min_age = forms.IntegerField(label=gettext_lazy("Open for at least (days)"), required=False, min_value=0, max_value=36500)
    q = forms.CharField(label=gettext_lazy("Cadre or text"), required=False, max_length=50)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [
            ("open", _("open, not handled")),
            ("acknowledged", _("acknowledged, still open")),
            ("handled", _("handled")),
            ("closed", _("closed (the cause ended)")),
            ("all", _("all")),
        ]
        self.fields["severity"].choices = [("", _("All"))] + [(v, str(label)) for v, label in reversed(queries.Alert.Severity.choices)]
        self.fields["rule"].choices = [("", _("All"))] + [(r.name, str(r.description)) for r in alert_rules.rules()]
        tree_filter_field(self, "unit", registry_queries.units_visible_to(user, "dossier.view"))

    def clean_q(self):
        value = self.cleaned_data["q"]
        if "\x00" in value:
            raise forms.ValidationError(_("The search text contains a character that cannot be used (NUL)."))
        return value.strip()


def _state_label(alert) -> str:
    return {
        "open": _("open, not handled"),
        "acknowledged": _("acknowledged, still open"),
        "handled": _("handled"),
        "closed": _("closed (the cause ended)"),
    }[alert.state]


def _age(alert) -> int:
    from django.utils import timezone

    return (timezone.localdate() - timezone.localtime(alert.raised_at).date()).days


ALERT_COLUMNS = [
    Column("severity", gettext_lazy("Severity"), value=lambda a: a.get_severity_display(), width=8),
    Column("rule", gettext_lazy("Rule"), value=lambda a: rule_label(a.rule), width=40),
    Column("unit", gettext_lazy("Unit"), value=lambda a: a.unit.name if a.unit_id else "", width=20),
    Column("cadre", gettext_lazy("Cadre"), value=lambda a: a.cadre.name if a.cadre_id else "", width=12),
    Column("text", gettext_lazy("Alert"), width=60),
    Column("raised", gettext_lazy("Raised on"), kind=exports.DATE, value=lambda a: timezone_date(a.raised_at), width=12),
    Column("age", gettext_lazy("Age (days)"), kind=exports.INT, value=_age, width=8),
    Column("state", gettext_lazy("Status"), value=_state_label, width=14),
    Column("note", gettext_lazy("Note"), value=lambda a: a.handling_note or a.note, width=40),
]

ALERT_SORTS = {"severity": "severity_rank", "raised": "raised_at", "rule": "rule", "unit": "unit__path"}


def timezone_date(value):
    from django.utils import timezone

    return timezone.localtime(value).date() if value else None


@login_required
def alert_list(request):
    """Early warnings in the reader's units (dossier.view): open ones by default, most severe
    first; filters, xlsx export (journaled), and acknowledge / handle for dossier.handle_alerts."""
    if not access.can(request.user, "dossier.view"):
        raise access.NotVisible()
    form = AlertFilter(request.GET or None, user=request.user)
    data = listing.cleaned_filters(form) if form.is_bound else {}
    state = data.get("state") or "open"
    qs = queries.filter_alerts(
        request.user,
        state=state,
        severity=data.get("severity", ""),
        rule=data.get("rule", ""),
        unit=data.get("unit"),
        q=data.get("q", ""),
        min_age=data.get("min_age"),
    )
    qs = queries.with_severity_rank(qs)
    if request.GET.get("format") == "xlsx":
        rows = list(qs.order_by("-severity_rank", "raised_at", "id"))
        filters = {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items()}
        return exports.export_list(
            request.user,
            code="dossier.alerts.exported",
            title=_("Early warnings"),
            columns=ALERT_COLUMNS,
            rows=exports.object_rows(ALERT_COLUMNS, rows),
            data={"filters": filters, "ids": [a.pk for a in rows]},
        )
    result = listing.list_page(request, qs, sorts=ALERT_SORTS, default_sort="-severity")
    rows = list(result.rows)
    query = request.GET.copy()
    query.pop("page", None)
    query["format"] = "xlsx"
    return render(
        request,
        "dossier/alerts.html",
        {
            "form": form,
            "page": result.page,
            "sorts": result.sort_links,
            "rows": [{"alert": a, "rule": rule_label(a.rule), "age": _age(a), "state": _state_label(a)} for a in rows],
            "counts": queries.severity_counts(queries.filter_alerts(request.user, state="open")),
            "can_handle": {a.pk for a in rows if access.can(request.user, "dossier.handle_alerts", a.unit)},
            "may_scan": access.can(request.user, "dossier.handle_alerts"),
            "export_query": query.urlencode(),
            "ack_form": AcknowledgeForm(),
        },
    )


def _back(request, alert=None) -> str:
    """Back to the page the button was on: the alert list (kept filters) or the cadre's file."""
    target = request.POST.get("next", "")
    if target.startswith("/dossier/") and "//" not in target and "\\" not in target:
        return target
    if alert is not None and alert.cadre_id:
        return reverse("dossier:cadre", args=[alert.cadre_id]) + "#alerts"
    return reverse("dossier:alerts")


@login_required
@require_POST
def alert_handle(request, pk):
    alert = queries.get_alert_for(request.user, pk)
    if not access.can(request.user, "dossier.handle_alerts", alert.unit):
        raise access.NotVisible()
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(_back(request, alert))
    return run_action(
        request,
        lambda: actions.handle_alert(actor=request.user, alert=alert, note=form.cleaned_data["note"]),
        _("The alert is marked handled."),
        _back(request, alert),
    )


@login_required
@require_POST
def alert_scan(request):
    """The on-demand run of the nightly scan (same code path: actions.scan_alerts; journaled)."""
    if not access.can(request.user, "dossier.handle_alerts"):
        raise access.NotVisible()
    result = actions.scan_alerts(actor=request.user)
    text = _("The early-warning scan ran: %(raised)s raised, %(updated)s updated, %(closed)s closed.") % result
    if result["failed"]:
        messages.error(
            request, _("Some rules could not be evaluated and were skipped: %(rules)s") % {"rules": "、".join(rule_label(r) for r in result["failed"])}
        )
    messages.success(request, text)
    return redirect(_back(request))
