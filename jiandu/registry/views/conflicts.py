"""The avoidance conflicts page: relatives serving where the avoidance rules forbid it."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from jiandu.accounts import access

from .. import queries, rules
from ..models import Cadre


@login_required
def conflicts(request):
    access.require(request.user, "registry.view")
    cadres = queries.cadres_visible_to(request.user).filter(status=Cadre.Status.SERVING).select_related("unit")
    return render(
        request,
        "registry/conflicts.html",
        {"rows": rules.current_conflicts(cadres), "tab": "conflicts", "breadcrumbs": [(_("Avoidance conflicts"), None)]},
    )
