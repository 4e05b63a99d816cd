"""Audit pages: the index, departures without an audit or handover, exemptions."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiandu.accounts import access

from .. import actions, forms, queries
from .common import _require_view, _submit


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
    """Departures without a departure audit or handover, with their age in days and any
    exemption awaiting the head's approval."""
    _require_view(request.user)
    from ..models import DepartureExemption

    today = dt.date.today()
    page = Paginator(queries.open_departures_visible_to(request.user), 50).get_page(request.GET.get("page"))
    pending = {
        e.pk: e for e in DepartureExemption.objects.filter(pk__in=[e.pending_exemption for e in page if e.pending_exemption]).select_related("requested_by")
    }
    names = _cadre_names(page)  # one query for the page, not one per row
    for event in page:
        ended = dt.date.fromisoformat(event.data["ended_on"])
        event.ended_on = ended
        event.age_days = (today - ended).days
        event.cadre_name = names.get(event.cadre_id, "")
        event.request = pending.get(event.pending_exemption)
        event.can_decide = (
            event.request is not None
            and event.request.requested_by_id != request.user.pk
            and access.can(request.user, "audits.approve", event_unit_path(event))
        )
    return render(request, "audits/departures.html", {"page": page, "can_manage": access.can(request.user, "audits.manage")})


def event_unit_path(event):
    from jiandu.registry.models import Unit

    unit = Unit.objects.filter(pk=event.unit_id).only("path").first()
    return unit.path if unit else "\x00"  # no unit: covered by nobody


def _cadre_names(events) -> dict[int, str]:
    from jiandu.registry.models import Cadre

    return dict(Cadre.objects.filter(pk__in={e.cadre_id for e in events if e.cadre_id}).values_list("pk", "name"))


@login_required
@require_POST
def departure_exempt(request, pk):
    event = queries.get_open_departure_for(request.user, pk)
    if not access.can(request.user, "audits.manage"):
        raise access.NotVisible()
    _submit(
        request,
        forms.ExemptionRequestForm,
        lambda data: actions.request_exemption(actor=request.user, event=event, reason=data["reason"]),
        _("The exemption is requested; it takes effect when the head approves it."),
    )
    return redirect("audits:departures")


@login_required
@require_POST
def exemption_decide(request, pk):
    exemption = queries.get_exemption_for(request.user, pk)
    if not access.can(request.user, "audits.approve"):
        raise access.NotVisible()

    def work(data):
        actions.decide_exemption(actor=request.user, exemption=exemption, approve=data["decision"] == "approve", note=data["note"])

    _submit(request, forms.ExemptionDecisionForm, work, _("The decision on the exemption is recorded."))
    return redirect("audits:departures")
