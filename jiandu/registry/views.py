"""Registry pages. Views are adapters: parse, fetch through queries (scoped), call one action."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core.queries import history_for

from . import queries
from .models import Cadre, Unit


def _page_size(request, default=20):
    try:
        size = int(request.GET.get("size", default))
    except ValueError:
        size = default
    return size if size in (20, 50, 100) else default


@login_required
def unit_tree(request):
    access.require(request.user, "registry.view")
    units = queries.unit_tree(queries.units_visible_to(request.user))
    return render(request, "registry/unit_tree.html", {"units": units, "breadcrumbs": [(_("Units"), None)]})


@login_required
def unit_detail(request, pk):
    unit = queries.get_unit_for(request.user, pk)
    team = queries.leadership_team(unit)
    positions = unit.positions.all()
    children = queries.units_visible_to(request.user).filter(parent=unit)
    cadre_count = unit.cadres.filter(status=Cadre.Status.SERVING).count()
    return render(
        request,
        "registry/unit_detail.html",
        {
            "unit": unit,
            "team": team,
            "positions": positions,
            "children": children,
            "cadre_count": cadre_count,
            "entries": history_for(request.user, unit),
            "breadcrumbs": [(_("Units"), "/registry/units/"), (unit.name, None)],
        },
    )


SORTS = {
    "name": "name_pinyin",
    "-name": "-name_pinyin",
    "birth": "birth_on",
    "-birth": "-birth_on",
    "unit": "unit__path",
    "-unit": "-unit__path",
    "rank": "rank",
    "-rank": "-rank",
}


def filtered_cadres(request):
    """The cadre list's filter, shared by the page and its xlsx export."""
    qs = queries.cadres_visible_to(request.user)
    qs = queries.search_cadres(qs, request.GET.get("q", ""))
    unit_id = request.GET.get("unit")
    if unit_id and unit_id.isdigit():
        unit = queries.units_visible_to(request.user).filter(pk=unit_id).first()
        qs = qs.filter(unit__path__startswith=unit.path) if unit else qs.none()
    status = request.GET.get("status")
    if status in Cadre.Status.values:
        qs = qs.filter(status=status)
    rank = request.GET.get("rank")
    if rank:
        qs = qs.filter(rank=rank)
    return qs.order_by(SORTS.get(request.GET.get("sort", ""), "name_pinyin"), "id")


@login_required
def cadre_list(request):
    access.require(request.user, "registry.view")
    page = Paginator(filtered_cadres(request), _page_size(request)).get_page(request.GET.get("page"))
    units = queries.unit_tree(queries.units_visible_to(request.user))
    return render(
        request,
        "registry/cadre_list.html",
        {
            "page": page,
            "units": units,
            "statuses": Cadre.Status.choices,
            "ranks": Cadre._meta.get_field("rank").choices,
            "can_manage": access.can(request.user, "registry.manage"),
            "breadcrumbs": [(_("Cadres"), None)],
        },
    )


@login_required
def cadre_detail(request, pk):
    cadre = queries.get_cadre_for(request.user, pk)
    return render(
        request,
        "registry/cadre_detail.html",
        {
            "cadre": cadre,
            "show_sensitive": queries.may_see_sensitive(request.user, cadre),
            "tenures": cadre.tenures.select_related("position__unit").order_by("-started_on"),
            "relatives": cadre.relatives.filter(is_removed=False),
            "can_manage": access.can(request.user, "registry.manage", cadre.unit),
            "entries": history_for(request.user, cadre=cadre),
            "breadcrumbs": [(_("Cadres"), "/registry/cadres/"), (cadre.name, None)],
        },
    )


@login_required
def my_record(request):
    access.require(request.user, "self.view")
    if not request.user.cadre_id:
        raise access.NotVisible()
    return redirect("registry:cadre_detail", pk=request.user.cadre_id)


def unit_kinds():
    return Unit.Kind.choices
