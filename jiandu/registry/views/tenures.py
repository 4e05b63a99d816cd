"""Tenure list, appointments and the end of a tenure."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core.errors import ActionError

from .. import actions, exports, queries
from ..forms import AppointCadreForm, AppointForm, EndTenureForm, TenureFilter
from ..models import Cadre
from .common import add_action_error, cleaned_filters, export, paginate, sort_links


def _filtered(request):
    return queries.filter_tenures(request.user, **cleaned_filters(TenureFilter(request.GET)))


@login_required
def tenure_list(request):
    access.require(request.user, "registry.view")
    page = paginate(request, _filtered(request))
    # A tenure in the user's units may be held by a cadre who has since moved out of them: the
    # name is shown, the link only where the cadre's record opens for this user.
    openable = queries.openable_cadre_ids(request.user, [t.cadre_id for t in page])
    return render(
        request,
        "registry/tenure_list.html",
        {
            "page": page,
            "openable_cadres": openable,
            "filters": TenureFilter(request.GET),
            "units": queries.unit_filter_choices(request.user, request.GET.get("unit")),
            "sorts": sort_links(request, queries.TENURE_SORTS),
            "can_import": access.can(request.user, "registry.import"),
            "tab": "tenures",
            "breadcrumbs": [(_("Tenures"), None)],
        },
    )


@login_required
def tenures_export(request):
    access.require(request.user, "registry.view")
    tally = exports.SensitiveTally()
    return export(
        request,
        name="tenures",
        columns=exports.TENURE_EXPORT_COLUMNS,
        rows=exports.tenure_rows(request.user, _filtered(request), tally),
        sheet_title=_("Tenures"),
        filters=cleaned_filters(TenureFilter(request.GET)),
        sensitive=tally,
    )


def _appoint(request, form, *, cadre=None, position=None):
    data = form.cleaned_data
    return actions.appoint(
        actor=request.user,
        cadre=cadre or data["cadre"],
        position=position or data["position"],
        started_on=data["started_on"],
        start_method=data["start_method"],
        is_acting=data["is_acting"],
        note=data["note"],
        move_cadre_to_unit=data["move_cadre_to_unit"],
        exception_reason=data["exception_reason"],
    )


@login_required
def appoint_to_position(request, pk):
    """Appoint someone (picked) to this position."""
    position = queries.get_position_for(request.user, pk, "registry.manage")
    form = AppointForm(request.POST or None, user=request.user, position=position, initial={"start_method": "appointment", "move_cadre_to_unit": True})
    if request.method == "POST" and form.is_valid():
        try:
            tenure = _appoint(request, form, position=position)
        except ActionError as exc:
            add_action_error(form, exc)
        else:
            messages.success(request, _("%(name)s appointed %(position)s.") % {"name": tenure.cadre.name, "position": position})
            return redirect("registry:position_detail", pk=position.pk)
    return render(
        request,
        "registry/form.html",
        {
            "form": form,
            "title": _("Appoint to %(position)s") % {"position": position},
            "cancel_url": reverse("registry:position_detail", args=[position.pk]),
            "tab": "positions",
            "breadcrumbs": [
                (_("Units"), reverse("registry:unit_tree")),
                (position.unit.name, reverse("registry:unit_detail", args=[position.unit_id])),
                (position.title, reverse("registry:position_detail", args=[position.pk])),
                (_("Appoint"), None),
            ],
        },
    )


@login_required
def appoint_cadre(request, pk):
    """Appoint this cadre to a position (picked)."""
    cadre = queries.get_cadre_for(request.user, pk, "registry.manage")
    if cadre.status != Cadre.Status.SERVING:
        raise access.NotVisible()
    form = AppointCadreForm(request.POST or None, user=request.user, cadre=cadre, initial={"start_method": "appointment", "move_cadre_to_unit": True})
    if request.method == "POST" and form.is_valid():
        try:
            tenure = _appoint(request, form, cadre=cadre)
        except ActionError as exc:
            add_action_error(form, exc)
        else:
            messages.success(request, _("%(name)s appointed %(position)s.") % {"name": cadre.name, "position": tenure.position})
            return redirect("registry:cadre_detail", pk=cadre.pk)
    return render(
        request,
        "registry/form.html",
        {
            "form": form,
            "title": _("Appoint %(name)s to a position") % {"name": cadre.name},
            "cancel_url": reverse("registry:cadre_detail", args=[cadre.pk]),
            "tab": "cadres",
            "breadcrumbs": [
                (_("Cadres"), reverse("registry:cadre_list")),
                (cadre.name, reverse("registry:cadre_detail", args=[cadre.pk])),
                (_("Appoint"), None),
            ],
        },
    )


@login_required
def tenure_end(request, pk):
    """End a current tenure: a confirmation page, since it cannot be undone."""
    tenure = queries.get_tenure_for(request.user, pk, "registry.manage")
    if not tenure.is_current:
        raise access.NotVisible()
    form = EndTenureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.end_tenure(actor=request.user, tenure=tenure, ended_on=form.cleaned_data["ended_on"], end_reason=form.cleaned_data["end_reason"])
        except ActionError as exc:
            add_action_error(form, exc)
        else:
            messages.success(request, _("The tenure of %(name)s as %(position)s has ended.") % {"name": tenure.cadre.name, "position": tenure.position})
            return redirect("registry:cadre_detail", pk=tenure.cadre_id)
    return render(
        request,
        "registry/tenure_end.html",
        {
            "form": form,
            "tenure": tenure,
            "is_departure": tenure.is_departure(),
            "tab": "tenures",
            "breadcrumbs": [
                (_("Cadres"), reverse("registry:cadre_list")),
                (tenure.cadre.name, reverse("registry:cadre_detail", args=[tenure.cadre_id])),
                (_("End a tenure"), None),
            ],
        },
    )
