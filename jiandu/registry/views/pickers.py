"""htmx fragments for the cadre, unit and position pickers: <option> lists for a <select>.

The search box of a picker sends its text as `<field>_q` and the current choice as `selected`;
the answer replaces the options of the select. Only rows in the user's scope are offered."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from jiandu.accounts import access

from .. import queries
from ..forms import PICKER_LIMIT, cadre_label, position_label, unit_label
from ..models import Cadre


def _text(request) -> str:
    for key, value in request.GET.items():
        if key == "q" or key.endswith("_q"):
            return value.strip()[:50]
    return ""


def _render(request, options, label):
    selected = request.GET.get("selected", "")
    rows = [{"value": row.pk, "label": label(row), "selected": str(row.pk) == selected} for row in options[:PICKER_LIMIT]]
    return render(request, "registry/_options.html", {"rows": rows, "more": len(options) > PICKER_LIMIT, "searched": bool(_text(request))})


@login_required
def pick_cadres(request):
    access.require(request.user, "registry.view")
    qs = queries.search_cadres(queries.cadres_visible_to(request.user).filter(status=Cadre.Status.SERVING), _text(request), user=request.user)
    return _render(request, list(qs.order_by("name_pinyin", "id")[: PICKER_LIMIT + 1]), cadre_label)


@login_required
def pick_units(request):
    access.require(request.user, "registry.manage")
    units = queries.search_units(queries.units_visible_to(request.user, "registry.manage").filter(is_active=True), _text(request), limit=PICKER_LIMIT + 1)
    return _render(request, units, unit_label)


@login_required
def pick_positions(request):
    access.require(request.user, "registry.manage")
    qs = queries.search_positions(queries.positions_visible_to(request.user, "registry.manage").filter(is_active=True), _text(request))
    return _render(request, list(qs[: PICKER_LIMIT + 1]), position_label)
