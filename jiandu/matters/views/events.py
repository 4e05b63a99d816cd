"""Personal-matters pages: changes reported between the yearly reports (事项变化随时报告, 规定
art. 6) — the officers' list with late ones flagged and the paper form, and the cadre's own form."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core.practice import get_setting
from jiandu.registry.models import Cadre

from .. import actions, forms, queries
from .. import items as item_specs
from .common import _cadre_choices, _invalid, _run


def _kinds():
    return [item_specs.KINDS[k] for k in actions.event_kinds()]


def _post(request, *, cadre, target):
    kind = item_specs.KINDS.get(request.POST.get("kind", ""))
    if kind is None or kind.code not in actions.event_kinds():
        from django.contrib import messages

        messages.error(request, _("Choose one of the matters reported when they change."))
        return redirect(target)
    form = forms.event_form(kind, request.POST, officer=cadre is None)
    if not form.is_valid():
        _invalid(request, form)
        return redirect(f"{target}?kind={kind.code}")
    data = form.cleaned_data
    if cadre is None:
        cadre = Cadre.objects.filter(access.scope_q(request.user, queries.VIEW, "unit__path"), pk=data["cadre"]).select_related("unit").first()
        if cadre is None:
            from django.contrib import messages

            messages.error(request, _("Choose the cadre from the list."))
            return redirect(f"{target}?kind={kind.code}")
    values = {f.name: data.get(f.name, "") for f in kind.fields}
    return _run(
        request,
        lambda: actions.report_event(
            actor=request.user,
            cadre=cadre,
            kind=kind.code,
            event_on=data["event_on"],
            received_on=data.get("received_on"),
            holder=data["holder"],
            holder_name=data["holder_name"],
            values=values,
        ),
        _("The change is reported."),
        redirect(target),
    )


@login_required
def events(request):
    """The officers' list of reported changes (journaled) and the form for a paper report."""
    rows = list(queries.events_visible_to(request.user).order_by("-reported_on", "-id")[:500])
    if request.method == "POST":
        return _post(request, cadre=None, target=request.path)
    actions.record_view(actor=request.user, events=len(rows))
    kind = item_specs.KINDS.get(request.GET.get("kind", ""))
    form = None
    if kind is not None and kind.code in actions.event_kinds():
        form = forms.event_form(kind, officer=True)
        form.fields["cadre"].widget.choices = _cadre_choices(request.user, queries.VIEW)
    return render(
        request,
        "matters/events.html",
        {"rows": rows, "kinds": _kinds(), "kind": kind, "form": form, "days": get_setting("matters.event_report_days"), "officer": True},
    )


@login_required
def my_events(request):
    """The cadre's own changes and the form to report one (self service)."""
    cadre_id = getattr(request.user, "cadre_id", None)
    if not (cadre_id and access.is_self(request.user, cadre_id) and access.can(request.user, "self.answer")):
        raise access.NotVisible()
    if request.method == "POST":
        return _post(request, cadre=Cadre.objects.select_related("unit").get(pk=cadre_id), target=request.path)
    kind = item_specs.KINDS.get(request.GET.get("kind", ""))
    form = forms.event_form(kind) if kind is not None and kind.code in actions.event_kinds() else None
    return render(
        request,
        "matters/events.html",
        {"rows": list(queries.own_events(request.user)), "kinds": _kinds(), "kind": kind, "form": form, "days": get_setting("matters.event_report_days")},
    )
