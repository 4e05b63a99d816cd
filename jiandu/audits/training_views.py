"""Pages of training and warning education (培训与警示教育, issue #13 §7): the sessions, a
session with its participants and attendance, creating and editing a session, training hours per
cadre and year, and absences without leave from required sessions (both exportable as xlsx).
Reading needs `audits.view`, writing `audits.manage` (checked by the actions)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jiandu.accounts import access
from jiandu.core import action_forms, exports, listing
from jiandu.core.errors import ActionError
from jiandu.registry import queries as registry_queries
from jiandu.registry.models import Unit

from . import forms
from . import training_actions as actions
from . import training_queries as queries
from .models import TrainingParticipant, TrainingSession

SESSION_SORTS = {"date": "held_on", "title": "title", "hours": "hours", "kind": "kind"}
HOURS_SORTS = {"name": "sort_pinyin", "unit": "unit__path", "hours": "hours"}
MISSED_SORTS = {"date": "session__held_on", "name": "cadre__sort_pinyin", "unit": "cadre__unit__path"}
SEARCH_LIMIT = 20


def _require_view(user):
    if not access.can(user, "audits.view"):
        raise access.NotVisible()


def _managed_units(user):
    return Unit.objects.filter(access.scope_q(user, "audits.manage", "path")).order_by("path")


def _year(request) -> tuple[forms.TrainingYearForm, int]:
    form = forms.TrainingYearForm(request.GET)
    return form, listing.cleaned_filters(form).get("year") or timezone.localdate().year


@login_required
def training_list(request):
    """Sessions of the user's units, filtered by year and kind."""
    _require_view(request.user)
    form = forms.TrainingFilterForm(request.GET)
    qs = queries.filter_sessions(request.user, **listing.cleaned_filters(form)).annotate(
        invited=Count("participants"), attended=Count("participants", filter=Q(participants__attendance=TrainingParticipant.Attendance.ATTENDED))
    )
    result = listing.list_page(request, qs, sorts=SESSION_SORTS, default_sort="-date")
    return render(
        request,
        "audits/training_list.html",
        {"form": form, "page": result.page, "sorts": result.sort_links, "can_manage": _managed_units(request.user).exists()},
    )


def _session_form(request, units, initial=None):
    return forms.TrainingSessionForm(request.POST or None, initial=initial, units=units)


@login_required
def training_create(request):
    units = _managed_units(request.user)
    if not units.exists():
        raise access.NotVisible()
    form = _session_form(request, units)
    if request.method == "POST" and form.is_valid():
        try:
            session = actions.create_session(actor=request.user, **form.cleaned_data)
        except ActionError as exc:
            action_forms.add_action_error(form, exc)
        else:
            messages.success(request, _("The session is recorded; now add its participants."))
            return redirect("audits:training_detail", pk=session.pk)
    back = reverse("audits:training_list")
    return render(request, "audits/training_form.html", {"form": form, "back": back, "title": _("New training session")}, status=400 if form.errors else 200)


@login_required
def training_edit(request, pk):
    session = queries.get_session_for(request.user, pk)
    if not access.can(request.user, "audits.manage", session.organiser):
        raise access.NotVisible()
    initial = {f: getattr(session, f) for f in ("kind", "title", "held_on", "place", "hours", "required", "organiser", "materials")}
    back = reverse("audits:training_detail", args=[session.pk])
    return action_forms.action_form(
        request,
        form=_session_form(request, _managed_units(request.user), initial=initial),
        call=lambda data: actions.update_session(actor=request.user, session=session, **data),
        success=_("The session is saved."),
        back=back,
        template="audits/training_form.html",
        context={"title": _("Edit the training session"), "session": session},
    )


@login_required
def training_detail(request, pk):
    session = queries.get_session_for(request.user, pk)
    can_manage = access.can(request.user, "audits.manage", session.organiser)
    participants = list(queries.participants_of(session))
    q = (request.GET.get("q") or "").strip()
    found = []
    if can_manage and q:
        invited = {p.cadre_id for p in participants}
        pool = registry_queries.cadres_visible_to(request.user).filter(status="serving").exclude(pk__in=invited)
        found = list(registry_queries.search_cadres(pool, q, user=request.user).order_by("sort_pinyin", "id")[:SEARCH_LIMIT])
    counts = {value: 0 for value in TrainingParticipant.Attendance.values}
    for participant in participants:
        counts[participant.attendance] += 1
    return render(
        request,
        "audits/training_detail.html",
        {
            "session": session,
            "participants": participants,
            "counts": [(label, counts[value]) for value, label in TrainingParticipant.Attendance.choices],
            "can_manage": can_manage,
            "can_record": can_manage and session.held_on <= timezone.localdate(),
            "attendance_choices": [(c, label) for c, label in TrainingParticipant.Attendance.choices if c != TrainingParticipant.Attendance.PENDING],
            "q": q,
            "found": found,
            "search_limit": SEARCH_LIMIT,
            "import_form": forms.TrainingImportForm(),
            "max_mb": exports.MAX_UPLOAD_BYTES // (1024 * 1024),
        },
    )


def _post(request, pk, form_class, work, done):
    """A button on the session page: read the posted form, run the action, back to the page."""
    session = queries.get_session_for(request.user, pk)
    if not access.can(request.user, "audits.manage", session.organiser):
        raise access.NotVisible()
    form = form_class(request.POST)
    if form.is_valid():
        action_forms.try_action(request, lambda: work(session, form.cleaned_data), done)
    else:
        messages.error(request, forms.first_error(form))
    return redirect("audits:training_detail", pk=session.pk)


@login_required
@require_POST
def training_add(request, pk):
    def work(session, data):
        cadre = registry_queries.cadres_visible_to(request.user).filter(pk=data["cadre"]).first()
        if cadre is None:
            raise ActionError(_("Choose the cadre from the registry."), field="cadre")
        actions.add_participant(actor=request.user, session=session, cadre=cadre)

    return _post(request, pk, forms.TrainingCadreForm, work, _("The cadre is added to the participants."))


@login_required
@require_POST
def training_remove(request, pk):
    return _post(
        request,
        pk,
        forms.TrainingParticipantForm,
        lambda session, data: actions.remove_participant(actor=request.user, session=session, participant_id=data["participant"]),
        _("The cadre is taken off the participants."),
    )


@login_required
@require_POST
def training_attendance(request, pk):
    return _post(
        request,
        pk,
        forms.TrainingAttendanceForm,
        lambda session, data: actions.record_attendance(
            actor=request.user, session=session, participant_id=data["participant"], attendance=data["attendance"], reason=data["reason"]
        ),
        _("The attendance is recorded."),
    )


@login_required
@require_POST
def training_import(request, pk):
    """Participants from a workbook: every row, or none when any row is refused (listed)."""
    import tempfile

    session = queries.get_session_for(request.user, pk)
    if not access.can(request.user, "audits.manage", session.organiser):
        raise access.NotVisible()
    form = forms.TrainingImportForm(request.POST, request.FILES)
    back = redirect("audits:training_detail", pk=session.pk)
    if not form.is_valid():
        messages.error(request, forms.first_error(form))
        return back
    upload = form.cleaned_data["workbook"]
    if upload.size > exports.MAX_UPLOAD_BYTES:
        messages.error(request, _("The file is larger than %(n)d MB; split it into several files.") % {"n": exports.MAX_UPLOAD_BYTES // (1024 * 1024)})
        return back
    added = []
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()

        def work():
            added.extend(actions.import_participants(actor=request.user, session=session, path=handle.name))

        try:
            ok = action_forms.try_action(request, work, _("The workbook is imported."))
        except exports.WorkbookError as exc:
            messages.error(request, str(exc))
            ok = False
    if ok:
        messages.info(request, _("%(n)d cadres added to the participants.") % {"n": len(added)})
    return back


# --- per-cadre reports ------------------------------------------------------------------------

HOURS_COLUMNS = [
    exports.Column("name", gettext_lazy("Cadre")),
    exports.Column("unit", gettext_lazy("Unit"), width=30),
    exports.Column("hours", gettext_lazy("Training hours"), kind=exports.AUTO),
]


@login_required
def training_hours(request):
    """Cadres invited to a session in the chosen year, with the hours they attended."""
    _require_view(request.user)
    form, year = _year(request)
    qs = queries.cadre_hours(request.user, year)
    if request.GET.get("format") == "xlsx":
        rows = ([c.name, c.unit.name, float(c.hours)] for c in listing.order_by_sort(qs, HOURS_SORTS, request.GET.get("sort"), "name").iterator(chunk_size=500))
        return exports.export_list(
            request.user,
            code="audits.training.hours_exported",
            title=_("Training hours %(year)s") % {"year": year},
            columns=HOURS_COLUMNS,
            rows=rows,
            data={"year": year},
        )
    result = listing.list_page(request, qs, sorts=HOURS_SORTS, default_sort="name")
    return render(request, "audits/training_hours.html", {"form": form, "year": year, "page": result.page, "sorts": result.sort_links})


MISSED_COLUMNS = [
    exports.Column("name", gettext_lazy("Cadre")),
    exports.Column("unit", gettext_lazy("Unit"), width=30),
    exports.Column("date", gettext_lazy("Date"), kind=exports.DATE),
    exports.Column("kind", gettext_lazy("Kind"), kind=exports.CHOICE, choices=TrainingSession.Kind.choices, width=24),
    exports.Column("title", gettext_lazy("Training session"), width=30),
    exports.Column("organiser", gettext_lazy("Organising unit"), width=24),
    exports.Column("hours", gettext_lazy("Hours"), kind=exports.AUTO),
    exports.Column("reason", gettext_lazy("Reason given"), width=30),
]


@login_required
def training_missed(request):
    """Cadres absent without leave from sessions whose attendance was required."""
    _require_view(request.user)
    form, year = _year(request)
    qs = queries.missed_required(request.user, year=year)
    if request.GET.get("format") == "xlsx":
        rows = (
            [p.cadre.name, p.cadre.unit.name, p.session.held_on, p.session.kind, p.session.title, p.session.organiser.name, float(p.session.hours), p.reason]
            for p in listing.order_by_sort(qs, MISSED_SORTS, request.GET.get("sort"), "date").iterator(chunk_size=500)
        )
        return exports.export_list(
            request.user,
            code="audits.training.missed_exported",
            title=_("Absences from required sessions %(year)s") % {"year": year},
            columns=MISSED_COLUMNS,
            rows=rows,
            data={"year": year},
        )
    result = listing.list_page(request, qs, sorts=MISSED_SORTS, default_sort="date")
    sessions = set(queries.sessions_visible_to(request.user).filter(pk__in={p.session_id for p in result.page}).values_list("pk", flat=True))
    for participant in result.page:
        participant.session_openable = participant.session_id in sessions
    return render(request, "audits/training_missed.html", {"form": form, "year": year, "page": result.page, "sorts": result.sort_links})


# --- the participants' import template, deleting a session ------------------------------------------


@login_required
def training_template(request):
    """The workbook to fill in for importing participants: exactly the columns the import reads."""
    if not _managed_units(request.user).exists():
        raise access.NotVisible()
    return exports.template_response(
        f"{_('Training participants')}.xlsx",
        columns=actions.IMPORT_COLUMNS,
        sheet_title=_("Participants"),
        notes=[_("One cadre per row, from row 3. The ID number may be left empty when no other cadre you may see has the same name.")],
    )


@login_required
def training_delete(request, pk):
    """Confirm, then delete a session whose attendance is not recorded (the action refuses otherwise)."""
    session = queries.get_session_for(request.user, pk)
    if not access.can(request.user, "audits.manage", session.organiser):
        raise access.NotVisible()
    recorded = session.participants.exclude(attendance=TrainingParticipant.Attendance.PENDING).count()
    if request.method == "POST":
        try:
            actions.delete_session(actor=request.user, session=session)
        except ActionError as exc:
            messages.error(request, exc.message)
            return redirect("audits:training_detail", pk=session.pk)
        messages.success(request, _("The session is deleted."))
        return redirect("audits:training_list")
    return render(request, "audits/training_delete.html", {"session": session, "recorded": recorded, "invited": session.participants.count()})
