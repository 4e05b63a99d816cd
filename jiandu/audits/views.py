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
from jiandu.core.practice import get_setting

from . import actions, queries
from .models import HandoverSignature


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


@login_required
def handover_list(request):
    """Departure handovers (all visible, or only the overdue ones)."""
    qs = queries.handovers_visible_to(request.user)
    show_overdue = request.GET.get("overdue") == "1"
    if show_overdue:
        qs = queries.overdue(qs)
    today = dt.date.today()
    page = Paginator(qs.order_by("due_on", "id"), 50).get_page(request.GET.get("page"))
    for handover in page:
        handover.is_overdue = handover.status == handover.Status.OPEN and handover.due_on < today
    return render(request, "audits/handovers.html", {"page": page, "show_overdue": show_overdue})


@login_required
def handover_detail(request, pk):
    handover = queries.get_handover_for(request.user, pk)
    can_manage = access.can(request.user, "audits.manage", handover.unit) and handover.status == handover.Status.OPEN
    signed = {s.party: s for s in handover.signatures.select_related("user")}
    from jiandu.registry.models import Cadre

    parties = [(value, label, signed.get(value)) for value, label in HandoverSignature.Party.choices]
    context = {
        "handover": handover,
        "items": handover.items.all(),
        "parties": parties,
        "can_manage": can_manage,
        "is_overdue": handover.status == handover.Status.OPEN and handover.due_on < dt.date.today(),
        "candidates": Cadre.objects.filter(unit__path__startswith=handover.unit.path).exclude(pk=handover.cadre_id).order_by("name")[:500]
        if can_manage
        else [],
    }
    return render(request, "audits/handover_detail.html", context)


def _run(request, pk, work, done):
    handover = queries.get_handover_for(request.user, pk)
    try:
        work(handover)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("audits:handover_detail", pk=handover.pk)


@login_required
@require_POST
def handover_parties(request, pk):
    from django.contrib.auth import get_user_model

    from jiandu.registry.models import Cadre

    def work(handover):
        successor = supervisor = None
        if request.POST.get("successor"):
            successor = Cadre.objects.filter(pk=_int(request.POST["successor"]), unit__path__startswith=handover.unit.path).first()
            if successor is None:
                raise ActionError(_("Choose the successor from the unit's cadres."), field="successor")
        name = request.POST.get("supervisor", "").strip()
        if name:
            # A user name never holds NUL or more than 150 characters (PostgreSQL refuses NUL in a query).
            supervisor = None if "\x00" in name or len(name) > 150 else get_user_model().objects.filter(username=name).first()
            if supervisor is None:
                raise ActionError(_("No account has this user name."), field="supervisor")
        actions.set_handover_parties(actor=request.user, handover=handover, successor=successor, supervisor=supervisor)

    return _run(request, pk, work, _("The parties to the handover are saved."))


@login_required
@require_POST
def handover_item(request, pk):
    def work(handover):
        actions.record_handover_item(
            actor=request.user,
            handover=handover,
            item_id=_int(request.POST.get("item")),
            figures=request.POST.get("figures", ""),
            notes=request.POST.get("notes", ""),
        )

    return _run(request, pk, work, _("The item is saved."))


@login_required
@require_POST
def handover_sign(request, pk):
    return _run(
        request, pk, lambda h: actions.sign_handover(actor=request.user, handover=h, party=request.POST.get("party", "")), _("Your confirmation is recorded.")
    )


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


@login_required
def audit_detail(request, pk):
    audit = queries.get_audit_for(request.user, pk)
    can_serve = access.can(request.user, "audits.manage", audit.unit) and audit.stage == audit.Stage.PLANNED
    return render(
        request,
        "audits/audit_detail.html",
        {"audit": audit, "can_serve": can_serve, "today": dt.date.today(), "notice_days": get_setting("audits.notice_working_days")},
    )


@login_required
@require_POST
def audit_notice(request, pk):
    audit = queries.get_audit_for(request.user, pk)
    try:
        actions.serve_notice(
            actor=request.user, audit=audit, served_on=_date(request.POST.get("served_on")), fieldwork_starts_on=_date(request.POST.get("fieldwork_starts_on"))
        )
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The audit notice is served."))
    return redirect("audits:audit_detail", pk=audit.pk)


@login_required
def audit_notice_pdf(request, pk):
    from jiandu.core.pdf import pdf_response

    from .documents import notice_filename, notice_pdf

    audit = queries.get_audit_for(request.user, pk)
    if not audit.notice_number:
        raise access.NotVisible()
    return pdf_response(notice_pdf(audit), notice_filename(audit))


def _date(value):
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None
