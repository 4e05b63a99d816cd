"""Pages of collective decisions: the meetings the user may see, and one meeting with its
attendance, items, statements in speaking order and each item's verdict with the arithmetic."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import exports, journal, listing
from jiandu.core.errors import ActionError
from jiandu.core.pdf import pdf_response

from . import actions, lists, minutes, queries
from . import verdict as rules
from .forms import ABSENT, MeetingForm
from .models import Body


def _require_view(user):
    if not (access.can(user, "decisions.view") or access.can(user, "decisions.manage")):
        raise access.NotVisible()


@login_required
def index(request):
    """The meetings of the bodies the user may see: filtered, sorted, paged, exportable."""
    _require_view(request.user)
    form = lists.MeetingFilter(request.GET, bodies=queries.bodies_visible_to(request.user).order_by("name"))
    qs = lists.filter_meetings(queries.meetings_visible_to(request.user), **listing.cleaned_filters(form))
    if request.GET.get("format") == "xlsx":
        rows = (
            [m.held_on, m.body.unit.name, m.body.name, m.title, m.item_count, m.void_items]
            for m in lists.sorted_rows(request, qs, lists.MEETING_SORTS, "-date").iterator(chunk_size=500)
        )
        return exports.export_list(
            request.user,
            code="decisions.meetings.exported",
            title=_("Collective decisions"),
            columns=lists.MEETING_COLUMNS,
            rows=rows,
            data={"filters": request.GET.urlencode()[:500]},
        )
    result = listing.list_page(request, qs, sorts=lists.MEETING_SORTS, default_sort="-date")
    recordable = Body.objects.filter(access.scope_q(request.user, "decisions.manage", "unit__path"))
    return render(
        request,
        "decisions/index.html",
        {"title": _("Collective decisions"), "form": form, "page": result.page, "sorts": result.sort_links, "recordable": recordable},
    )


@login_required
def bodies(request):
    """The bodies the user may see (the office's, or those the member belongs to), with their
    members and meetings counted."""
    _require_view(request.user)
    form = lists.BodyFilter(request.GET)
    qs = lists.filter_bodies(queries.bodies_visible_to(request.user), **listing.cleaned_filters(form))
    if request.GET.get("format") == "xlsx":
        rows = (
            [b.name, b.unit.name, b.kind, b.principal.name if b.principal_id else "", b.member_count, b.meeting_count]
            for b in lists.sorted_rows(request, qs, lists.BODY_SORTS, "unit").iterator(chunk_size=500)
        )
        return exports.export_list(
            request.user,
            code="decisions.bodies.exported",
            title=_("Decision-making bodies"),
            columns=lists.BODY_COLUMNS,
            rows=rows,
            data={"filters": request.GET.urlencode()[:500]},
        )
    result = listing.list_page(request, qs, sorts=lists.BODY_SORTS, default_sort="unit")
    return render(
        request,
        "decisions/bodies.html",
        {"title": _("Decision-making bodies"), "form": form, "page": result.page, "sorts": result.sort_links, "may_set_up": queries.may_record(request.user)},
    )


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


@login_required
def record_meeting(request, body_pk):
    """Record a meeting of a body with one agenda item (more items through the API)."""
    body = Body.objects.filter(access.scope_q(request.user, "decisions.manage", "unit__path"), pk=body_pk).first()
    if body is None:
        raise access.NotVisible()
    members = [m.cadre for m in body.memberships.select_related("cadre").order_by("id")]
    members.sort(key=lambda c: c.pk == body.principal_id)  # the principal speaks last
    form = MeetingForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        absences, statements = {}, []
        for member in members:
            stance = data[f"stance_{member.pk}"]
            if stance == ABSENT:
                absences[member] = {"reason": data[f"reason_{member.pk}"]}
            else:
                statements.append((member, stance, ""))
        item = {"title": data["item_title"], "category": data["category"], "amount": data["amount"], "statements": statements}
        try:
            meeting = actions.record_meeting(actor=request.user, body=body, held_on=data["held_on"], title=data["title"], absences=absences, items=[item])
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The meeting is recorded."))
            return redirect("decisions:meeting", pk=meeting.pk)
    return render(request, "decisions/record.html", {"title": _("Record a meeting of %(body)s") % {"body": body.name}, "form": form, "body": body})


@login_required
def meeting_minutes(request, pk):
    """The minutes as a PDF; who stated how is in it, so the download is journaled."""
    _require_view(request.user)
    meeting = queries.get_meeting_for(request.user, pk)
    content = minutes.minutes_pdf(meeting)
    journal.record("decisions.minutes.printed", actor=request.user, target=meeting, unit=meeting.body.unit_id, data={"title": meeting.title})
    return pdf_response(content, minutes.minutes_filename(meeting))
