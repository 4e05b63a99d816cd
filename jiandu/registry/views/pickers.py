"""htmx fragments for the cadre, unit and position pickers: <option> lists for a <select>.

The search box of a picker sends its text as `<field>_q` and the current choice(s) as
`selected` or under the field's own name (the select is included in the request); the answer
replaces the options of the select, the current choices first and still selected. Only rows in
the user's scope are offered: the scope of `perm`, one of PICKER_PERMS (the permissions of the
forms that use a picker); any other permission name is refused."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from jiandu.accounts import access

from .. import queries
from ..forms import PICKER_LIMIT, cadre_label, position_label, unit_label
from ..models import Cadre

# The forms' permissions a picker may be asked to scope by. A fixed list: a request never names
# a permission of its own choosing.
PICKER_PERMS = frozenset(
    {"registry.view", "registry.manage", "oversight.manage", "oversight.confirm", "appraisals.manage", "audits.manage", "selection.manage"}
)


def _text(request) -> str:
    for key, value in request.GET.items():
        if key == "q" or key.endswith("_q"):
            return value.strip()[:50]
    return ""


def _perm(request, default: str) -> str:
    perm = request.GET.get("perm") or default
    if perm not in PICKER_PERMS:
        raise access.NotVisible()
    access.require(request.user, perm)
    return perm


def _selected(request) -> list[int]:
    """The current choice(s): `selected`, and the values sent under the field's name."""
    values = request.GET.getlist("selected")
    for key in list(request.GET):
        if key.endswith("_q") and len(key) > 2:
            values += request.GET.getlist(key[:-2])
    return sorted({int(v) for v in values if v.isascii() and v.isdigit() and len(v) < 18})[:PICKER_LIMIT]


def _render(request, options, label, scope=None):
    selected = set(_selected(request))
    shown = {row.pk for row in options[:PICKER_LIMIT]}
    chosen = list(scope.filter(pk__in=selected - shown)) if scope is not None and selected - shown else []
    rows = [{"value": row.pk, "label": label(row), "selected": True} for row in chosen]
    rows += [{"value": row.pk, "label": label(row), "selected": row.pk in selected} for row in options[:PICKER_LIMIT]]
    return render(request, "registry/_options.html", {"rows": rows, "more": len(options) > PICKER_LIMIT, "searched": bool(_text(request))})


@login_required
def pick_cadres(request):
    perm = _perm(request, "registry.view")
    scope = queries.cadres_visible_to(request.user, perm)
    qs = queries.search_cadres(scope.filter(status=Cadre.Status.SERVING), _text(request), user=request.user)
    return _render(request, list(qs.order_by("name_pinyin", "id")[: PICKER_LIMIT + 1]), cadre_label, scope)


@login_required
def pick_units(request):
    perm = _perm(request, "registry.manage")
    scope = queries.units_visible_to(request.user, perm)
    units = queries.search_units(scope.filter(is_active=True), _text(request), limit=PICKER_LIMIT + 1)
    return _render(request, units, unit_label, scope)


@login_required
def pick_positions(request):
    access.require(request.user, "registry.manage")
    qs = queries.search_positions(queries.positions_visible_to(request.user, "registry.manage").filter(is_active=True), _text(request))
    return _render(request, list(qs[: PICKER_LIMIT + 1]), position_label)
