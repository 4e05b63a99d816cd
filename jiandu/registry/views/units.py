"""Unit tree, unit detail and unit forms."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core.errors import ActionError
from jiandu.core.queries import history_for

from .. import actions, exports, queries
from ..forms import UnitForm
from ..models import Cadre, Unit
from .common import add_action_error, export


def _with_counts(qs):
    return qs.annotate(
        serving_cadres=Count("cadres", filter=Q(cadres__status=Cadre.Status.SERVING), distinct=True),
        position_count=Count("positions", filter=Q(positions__is_active=True), distinct=True),
    )


# Up to this many units the tree is shown whole; a bigger one (a province: 2,000) a level at a time.
WHOLE_TREE_LIMIT = 200


@login_required
def unit_tree(request):
    access.require(request.user, "registry.view")
    visible = queries.units_visible_to(request.user)
    total = visible.count()
    whole = total <= WHOLE_TREE_LIMIT
    if whole:
        shown, opened = visible, None
    else:
        shown, opened = queries.opened_units(visible, request.GET.get("open"))
    units = queries.unit_tree(_with_counts(shown).annotate(has_children=Exists(Unit.objects.filter(parent=OuterRef("pk")))))
    for unit in units:
        unit.can_manage = access.can(request.user, "registry.manage", unit)
        unit.toggle = None
        if opened is not None and unit.has_children:
            # The link that opens its sub-units, or closes them (back to its parent's level).
            unit.is_open = unit.pk in opened
            unit.toggle = unit.parent_id if unit.is_open else unit.pk
    return render(
        request,
        "registry/unit_tree.html",
        {
            "units": units,
            "total": total,
            "whole": whole,
            "can_create_top": access.is_unrestricted(request.user, "registry.manage"),
            "can_import": access.can(request.user, "registry.import"),
            "tab": "units",
            "breadcrumbs": [(_("Units"), None)],
        },
    )


@login_required
def units_export(request):
    access.require(request.user, "registry.view")
    units = _with_counts(queries.units_visible_to(request.user)).order_by("path")
    return export(request, name="units", columns=exports.UNIT_EXPORT_COLUMNS, rows=exports.unit_rows(units), sheet_title=_("Units"), filters={})


@login_required
def unit_detail(request, pk):
    unit = queries.get_unit_for(request.user, pk)
    can_manage = access.can(request.user, "registry.manage", unit)
    positions = unit.positions.annotate(current_count=Count("tenures", filter=Q(tenures__ended_on__isnull=True)))
    children = queries.units_visible_to(request.user).filter(parent=unit)
    team = list(queries.leadership_team(unit))
    return render(
        request,
        "registry/unit_detail.html",
        {
            "unit": unit,
            "team": team,
            "openable_cadres": queries.openable_cadre_ids(request.user, [t.cadre_id for t in team]),
            "positions": positions,
            "children": children,
            "cadre_count": unit.cadres.filter(status=Cadre.Status.SERVING).count(),
            "subtree_count": queries.cadres_visible_to(request.user).filter(unit__path__startswith=unit.path, status=Cadre.Status.SERVING).count(),
            "parent_visible": unit.parent_id and queries.units_visible_to(request.user).filter(pk=unit.parent_id).exists(),
            "can_manage": can_manage,
            "entries": history_for(request.user, unit),
            "tab": "units",
            "breadcrumbs": [(_("Units"), reverse("registry:unit_tree")), (unit.name, None)],
        },
    )


@login_required
def unit_create(request, parent_pk=None):
    """A new unit under `parent_pk`, or a top unit (district-wide rights only)."""
    if parent_pk is None:
        if not access.is_unrestricted(request.user, "registry.manage"):
            raise access.NotVisible()
        parent = None
    else:
        parent = queries.get_unit_for(request.user, parent_pk, "registry.manage")
    form = UnitForm(request.POST or None, initial={"kind": Unit.Kind.GOVERNMENT_DEPARTMENT})
    if request.method == "POST" and form.is_valid():
        try:
            unit = actions.create_unit(actor=request.user, parent=parent, **form.cleaned_data)
        except ActionError as exc:
            add_action_error(form, exc)
        else:
            messages.success(request, _("Unit %(name)s created.") % {"name": unit.name})
            return redirect("registry:unit_detail", pk=unit.pk)
    crumbs = [(_("Units"), reverse("registry:unit_tree"))]
    if parent:
        crumbs.append((parent.name, reverse("registry:unit_detail", args=[parent.pk])))
    crumbs.append((_("New unit"), None))
    return render(
        request,
        "registry/form.html",
        {
            "form": form,
            "title": _("New unit under %(parent)s") % {"parent": parent.name} if parent else _("New top unit"),
            "cancel_url": reverse("registry:unit_detail", args=[parent.pk]) if parent else reverse("registry:unit_tree"),
            "tab": "units",
            "breadcrumbs": crumbs,
        },
    )


@login_required
def unit_edit(request, pk):
    unit = queries.get_unit_for(request.user, pk, "registry.manage")
    initial = {name: getattr(unit, name) for name in actions.UNIT_FIELDS}
    form = UnitForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_unit(actor=request.user, unit=unit, **form.cleaned_data)
        except ActionError as exc:
            add_action_error(form, exc)
        else:
            messages.success(request, _("Unit saved."))
            return redirect("registry:unit_detail", pk=unit.pk)
    return render(
        request,
        "registry/form.html",
        {
            "form": form,
            "title": _("Edit %(name)s") % {"name": unit.name},
            "cancel_url": reverse("registry:unit_detail", args=[unit.pk]),
            "tab": "units",
            "breadcrumbs": [(_("Units"), reverse("registry:unit_tree")), (unit.name, reverse("registry:unit_detail", args=[unit.pk])), (_("Edit"), None)],
        },
    )
