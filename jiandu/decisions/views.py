"""Pages of collective decisions: the meetings the user may see, and one meeting with its
attendance, items, statements in speaking order and each item's verdict with the arithmetic."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from jiandu.accounts import access

from . import queries
from . import verdict as rules


def _require_view(user):
    if not (access.can(user, "decisions.view") or access.can(user, "decisions.manage")):
        raise access.NotVisible()


@login_required
def index(request):
    _require_view(request.user)
    meetings = list(queries.meetings_visible_to(request.user).prefetch_related("items")[:200])
    rows = []
    for meeting in meetings:
        items = list(meeting.items.all())
        rows.append({"meeting": meeting, "items": len(items), "void": sum(1 for i in items if i.outcome == rules.VOID)})
    return render(request, "decisions/index.html", {"title": _("Collective decisions"), "rows": rows, "bodies": queries.bodies_visible_to(request.user)})


OUTCOME_LABELS = {rules.VOID: _("void"), rules.PASSED: _("passed"), rules.FAILED: _("not passed")}


@login_required
def meeting_detail(request, pk):
    _require_view(request.user)
    meeting = queries.get_meeting_for(request.user, pk)
    attendances = list(meeting.attendances.select_related("cadre"))
    items = []
    for item in meeting.items.select_related("proposer").prefetch_related("statements__cadre", "written_opinions__cadre"):
        result = queries.item_verdict(item)
        items.append({"item": item, "verdict": result, "outcome": str(OUTCOME_LABELS[result.outcome]), "tone": result.outcome})
    return render(
        request,
        "decisions/meeting.html",
        {
            "title": meeting.title,
            "meeting": meeting,
            "attendances": attendances,
            "present": sum(1 for a in attendances if a.present),
            "items": items,
        },
    )
