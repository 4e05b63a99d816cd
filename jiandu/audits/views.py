"""Pages of 责任监督: audit subjects, departures without an audit or handover, exemptions."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiandu.accounts import access
from jiandu.core.errors import ActionError

from . import actions, queries


def _require_view(user):
    if not access.can(user, "audits.view"):
        raise access.NotVisible()


@login_required
def index(request):
    """Audit subjects with their period of responsibility and last audit."""
    _require_view(request.user)
    rows = queries.subjects_visible_to(request.user)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audits/index.html",
        {"page": page, "open_departures": queries.open_departures_visible_to(request.user).count(), "can_manage": access.can(request.user, "audits.manage")},
    )


@login_required
def departures(request):
    """Departures without a departure audit or handover, with their age in days."""
    _require_view(request.user)
    today = dt.date.today()
    page = Paginator(queries.open_departures_visible_to(request.user), 50).get_page(request.GET.get("page"))
    for event in page:
        ended = dt.date.fromisoformat(event.data["ended_on"])
        event.ended_on = ended
        event.age_days = (today - ended).days
        event.cadre_name = _cadre_name(event)
    return render(request, "audits/departures.html", {"page": page, "can_manage": access.can(request.user, "audits.manage")})


def _cadre_name(event):
    from jiandu.registry.models import Cadre

    cadre = Cadre.objects.filter(pk=event.cadre_id).only("name").first()
    return cadre.name if cadre else ""


@login_required
@require_POST
def departure_exempt(request, pk):
    event = queries.get_open_departure_for(request.user, pk)
    if not access.can(request.user, "audits.manage"):
        raise access.NotVisible()
    try:
        actions.exempt_departure(actor=request.user, event=event, reason=request.POST.get("reason", ""))
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The departure is exempted."))
    return redirect("audits:departures")
