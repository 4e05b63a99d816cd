"""The cadre's supervision dossier (一人一档): header, then every pillar's timeline, newest first."""

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jiandu.accounts import access
from jiandu.core import timeline
from jiandu.core.errors import ActionError
from jiandu.core.pdf import document_filename, pdf_response

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


def build(user, cadre, *, pillar: str = "", year: int | None = None) -> tuple[dict, timeline.Timeline]:
    """The header and the timeline as `user` may see them (page, documents and API alike)."""
    result = timeline.collect(user, cadre, only=pillar, year=year)
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
    cadre = queries.get_cadre_for(request.user, pk)
    form, pillar, year, changed = _filters(request)
    previous = actions.record_view(actor=request.user, cadre=cadre, via="page", pillar=pillar, year=year)
    header, result = build(request.user, cadre, pillar=pillar, year=year)
    entries = result.entries
    new_keys = {(e.pillar, e.key) for e in entries if previous and e.recorded_at and e.recorded_at > previous}
    if changed:
        entries = [e for e in entries if (e.pillar, e.key) in new_keys]
    labels = pillar_labels()
    rows = [{"entry": e, "area": labels.get(e.pillar, ""), "new": (e.pillar, e.key) in new_keys} for e in entries]
    query = request.GET.urlencode()
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
            "new_count": len(new_keys),
            "own": own,
            "query": f"?{query}" if query else "",
            "registry_url": "" if own else reverse("registry:cadre_detail", args=[cadre.pk]),
            "ack_form": AcknowledgeForm(),
            "show_alerts": access.can(request.user, "dossier.view", cadre.unit),
            "can_handle": {a.pk for a in header["alerts"] if access.can(request.user, "dossier.handle_alerts", a.unit)},
        },
    )


def _export(request, pk, fmt):
    cadre = queries.get_cadre_for(request.user, pk)
    form, pillar, year, _changed = _filters(request)
    header, result = build(request.user, cadre, pillar=pillar, year=year)
    labels = pillar_labels()
    entries = documents.exportable(result.entries)
    actions.record_export(actor=request.user, cadre=cadre, fmt=fmt, entries=len(entries))
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
    target = reverse("dossier:cadre", args=[alert.cadre_id]) + "#alerts" if alert.cadre_id else reverse("dossier:index")
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
