"""Position list, detail and forms."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core.errors import ActionError
from jiandu.core.queries import history_for

from .. import actions, exports, queries
from ..forms import PositionFilter, PositionForm
from .common import add_action_error, cleaned_filters, export, paginate, sort_links


def _filtered(request):
    return queries.filter_positions(request.user, **cleaned_filters(PositionFilter(request.GET)))


@login_required
def position_list(request):
    access.require(request.user, "registry.view")
    return render(
        request,
        "registry/position_list.html",
        {
            "page": paginate(request, _filtered(request)),
            "filters": PositionFilter(request.GET),
            "units": queries.unit_filter_choices(request.user, request.GET.get("unit")),
            "sorts": sort_links(request, queries.POSITION_SORTS),
            "can_import": access.can(request.user, "registry.import"),
            "tab": "positions",
            "breadcrumbs": [(_("Positions"), None)],
        },
    )


@login_required
def positions_export(request):
    access.require(request.user, "registry.view")
    return export(
        request,
        name="positions",
        columns=exports.POSITION_EXPORT_COLUMNS,
        rows=exports.position_rows(_filtered(request)),
        sheet_title=_("Positions"),
        filters=cleaned_filters(PositionFilter(request.GET)),
    )


@login_required
def position_detail(request, pk):
    position = queries.get_position_for(request.user, pk)
    can_manage = access.can(request.user, "registry.manage", position.unit)
    tenures = list(position.tenures.select_related("cadre").order_by("ended_on", "-started_on"))
    current = [t for t in tenures if t.is_current]
    return render(
        request,
        "registry/position_detail.html",
        {
            "position": position,
            "current": current,
            "past": [t for t in tenures if not t.is_current],
            "openable_cadres": queries.openable_cadre_ids(request.user, [t.cadre_id for t in tenures]),
            "free_places": max(0, position.headcount - len(current)),
            "can_manage": can_manage,
            "can_appoint": can_manage and position.is_active and len(current) < position.headcount,
            "entries": history_for(request.user, position),
            "tab": "positions",
            "breadcrumbs": [
                (_("Units"), reverse("registry:unit_tree")),
                (position.unit.name, reverse("registry:unit_detail", args=[position.unit_id])),
                (position.title, None),
            ],
        },
    )


@login_required
def position_create(request, unit_pk):
    unit = queries.get_unit_for(request.user, unit_pk, "registry.manage")
    form = PositionForm(request.POST or None, initial={"headcount": 1, "order": 0})
    if request.method == "POST" and form.is_valid():
        try:
            position = actions.create_position(actor=request.user, unit=unit, **form.cleaned_data)
        except ActionError as exc:
            add_action_error(form, exc)
        else:
            messages.success(request, _("Position %(title)s created.") % {"title": position.title})
            return redirect("registry:position_detail", pk=position.pk)
    return render(
        request,
        "registry/form.html",
        {
            "form": form,
            "title": _("New position in %(unit)s") % {"unit": unit.name},
            "cancel_url": reverse("registry:unit_detail", args=[unit.pk]),
            "tab": "positions",
            "breadcrumbs": [
                (_("Units"), reverse("registry:unit_tree")),
                (unit.name, reverse("registry:unit_detail", args=[unit.pk])),
                (_("New position"), None),
            ],
        },
    )


@login_required
def position_edit(request, pk):
    position = queries.get_position_for(request.user, pk, "registry.manage")
    initial = {name: getattr(position, name) for name in actions.POSITION_FIELDS}
    form = PositionForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_position(actor=request.user, position=position, **form.cleaned_data)
        except ActionError as exc:
            add_action_error(form, exc)
        else:
            messages.success(request, _("Position saved."))
            return redirect("registry:position_detail", pk=position.pk)
    return render(
        request,
        "registry/form.html",
        {
            "form": form,
            "title": _("Edit %(position)s") % {"position": position},
            "cancel_url": reverse("registry:position_detail", args=[position.pk]),
            "tab": "positions",
            "breadcrumbs": [
                (_("Units"), reverse("registry:unit_tree")),
                (position.unit.name, reverse("registry:unit_detail", args=[position.unit_id])),
                (position.title, reverse("registry:position_detail", args=[position.pk])),
                (_("Edit"), None),
            ],
        },
    )
