"""Ballot pages: list, create, detail, draft edits, eligibility, open, close and discard."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiandu.accounts import access
from jiandu.core.action_forms import try_action
from jiandu.core.errors import ActionError
from jiandu.core.listing import paginate
from jiandu.core.queries import history_for

from .. import actions, forms, queries, structure
from ..actions.closing import close_problems
from ..actions.definitions import open_problems
from ..models import Ballot
from .common import _back, _crumbs

# --- list and create ------------------------------------------------------------------------


@login_required
def index(request):
    if not any(access.can(request.user, p) for p in queries.PERMISSIONS):
        raise access.NotVisible()
    qs = queries.ballots_visible_to(request.user)
    text = request.GET.get("q", "").strip().replace("\x00", "")  # PostgreSQL cannot compare NUL
    if text:
        qs = qs.filter(title__icontains=text)
    status = request.GET.get("status")
    if status in Ballot.Status.values:
        qs = qs.filter(status=status)
    year = request.GET.get("year", "")
    if year.isascii() and year.isdigit() and 1 <= int(year) <= 9999:
        qs = qs.filter(created_at__year=int(year))
    page = paginate(request, qs.order_by("-created_at", "-id"))
    return render(
        request,
        "ballots/index.html",
        {
            "page": page,
            "statuses": Ballot.Status.choices,
            "can_create": access.can(request.user, "ballots.manage"),
            "past_closing": queries.ballots_past_closing(request.user).count(),
            "breadcrumbs": [(_("Secret ballots"), None)],
        },
    )


@login_required
def create(request):
    access.require(request.user, "ballots.manage")
    form = forms.BallotCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            unit = form.selected_unit()
            ballot = actions.create_ballot(actor=request.user, unit=unit, spec=form.build_spec())
        except ActionError as exc:
            form.add_action_error(exc)
        else:
            messages.success(request, _("Ballot created as a draft. Check who rates whom, then open it."))
            return _back(ballot)
    return render(request, "ballots/create.html", {"form": form, "breadcrumbs": _crumbs(None, (_("New ballot"), None))})


# --- detail and draft edits -----------------------------------------------------------------


@login_required
def detail(request, pk):
    ballot = queries.get_ballot_for(request.user, pk)
    shape = structure.load(ballot)
    user = request.user
    can_manage = access.can(user, "ballots.manage", ballot.unit_path)
    context = {
        "ballot": ballot,
        "shape": shape,
        "sections": [(s, shape.questions[s.pk], [subj for subj in shape.subjects if subj.section_id == s.pk]) for s in shape.sections],
        "eligibility": {g.pk: set(ids) for g, ids in ((g, shape.group_subjects[g.pk]) for g in shape.groups)},
        "turnout": queries.turnout(ballot),
        "batches": ballot.code_batches.select_related("group") if can_manage else [],
        "can_manage": can_manage,
        "can_paper": access.can(user, "ballots.enter_paper", ballot.unit_path),
        "can_results": access.can(user, "ballots.view_results", ballot.unit_path),
        "open_problems": open_problems(ballot) if ballot.is_draft else [],
        "close_problems": close_problems(ballot) if ballot.is_open else [],
        "state": ballot.voting_state(),
        "codes_form": forms.CodesForm(ballot=ballot),
        "window_form": forms.WindowForm(initial={"opens_at": ballot.opens_at, "closes_at": ballot.closes_at}),
        "rate_form": forms.RateDisplayForm(ballot=ballot, initial={"places": ballot.rate_places, "rounding": ballot.rate_rounding}),
        "rate_display": ballot_rate_display(ballot),
        "update_form": forms.BallotUpdateForm(initial={"title": ballot.title, "description": ballot.description, "double_entry": ballot.double_entry}),
        "receipts_url": reverse("vote:receipts", args=[ballot.public_id]),
        "entries": history_for(user, ballot),
        "breadcrumbs": _crumbs(ballot),
    }
    if context["eligibility"]:
        context["matrix"] = [(subject, [(g, subject.pk in context["eligibility"][g.pk]) for g in shape.groups]) for subject in shape.subjects]
    return render(request, "ballots/detail.html", context)


@login_required
@require_POST
def update(request, pk):
    ballot = queries.get_ballot_for(request.user, pk, "ballots.manage")
    form = forms.BallotUpdateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please correct the details: %(errors)s") % {"errors": "; ".join(e for errs in form.errors.values() for e in errs)})
    else:
        try_action(request, lambda: actions.update_ballot(actor=request.user, ballot=ballot, **form.cleaned_data), _("Details saved."))
    return _back(ballot)


@login_required
@require_POST
def window(request, pk):
    ballot = queries.get_ballot_for(request.user, pk, "ballots.manage")
    form = forms.WindowForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter dates and times like 2026-12-20 09:00."))
    else:
        try_action(request, lambda: actions.update_window(actor=request.user, ballot=ballot, **form.cleaned_data), _("Voting window saved."))
    return _back(ballot)


def ballot_rate_display(ballot) -> list[tuple[str, str]]:
    """(scope, rule) for the ballot and each section that has its own display."""
    from jiandu.core import rates

    own = rates.display(ballot.rate_places, ballot.rate_rounding)
    rows = [(_("The whole ballot"), own.rule())]
    for section in ballot.sections.order_by("order", "id"):
        if section.rate_places is not None or section.rate_rounding:
            shown = rates.Display(own.places if section.rate_places is None else section.rate_places, section.rate_rounding or own.mode)
            rows.append((section.title, shown.rule()))
    return rows


@login_required
@require_POST
def rate_display(request, pk):
    """Places and rounding of the ballot's rates, or of one section's (display only, any state)."""
    ballot = queries.get_ballot_for(request.user, pk, "ballots.manage")
    form = forms.RateDisplayForm(request.POST, ballot=ballot)
    if not form.is_valid():
        messages.error(request, _("Choose the decimal places and the rounding."))
    else:
        data = form.cleaned_data
        try_action(
            request,
            lambda: actions.set_rate_display(actor=request.user, ballot=ballot, places=data["places"], rounding=data["rounding"], section=data["section"]),
            _("Display of rates saved."),
        )
    return _back(ballot)


@login_required
@require_POST
def eligibility(request, pk):
    ballot = queries.get_ballot_for(request.user, pk, "ballots.manage")
    shape = structure.load(ballot)
    rates = {g.pk: [s.pk for s in shape.subjects if request.POST.get(f"rate-{g.pk}-{s.pk}")] for g in shape.groups}
    try_action(request, lambda: actions.set_eligibility(actor=request.user, ballot=ballot, rates=rates), _("Saved who rates whom."))
    return _back(ballot, "#eligibility")


@login_required
def report(request, pk, subject_pk):
    ballot = queries.get_ballot_for(request.user, pk, "ballots.manage")
    subject = queries.get_subject_for(request.user, ballot, subject_pk, "ballots.manage")
    form = forms.ReportForm(request.POST or None, request.FILES or None, initial={"report_text": subject.report_text})
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_subject_report(
                actor=request.user,
                subject=subject,
                text=form.cleaned_data["report_text"],
                file=form.cleaned_data["report_file"],
                remove_file=form.cleaned_data["remove_file"],
            )
        except ActionError as exc:
            form.add_error("report_file" if exc.field == "report_file" else None, exc.message)
        else:
            messages.success(request, _("Self-report saved."))
            return _back(ballot)
    return render(
        request,
        "ballots/report.html",
        {"ballot": ballot, "subject": subject, "form": form, "breadcrumbs": _crumbs(ballot, (_("Self-report of %(name)s") % {"name": subject.label}, None))},
    )


@login_required
@require_POST
def open_view(request, pk):
    ballot = queries.get_ballot_for(request.user, pk, "ballots.manage")
    try_action(request, lambda: actions.open_ballot(actor=request.user, ballot=ballot), _("The ballot is open."))
    return _back(ballot)


@login_required
@require_POST
def discard(request, pk):
    ballot = queries.get_ballot_for(request.user, pk, "ballots.manage")
    if try_action(request, lambda: actions.discard_draft(actor=request.user, ballot=ballot), _("The draft was deleted.")):
        return redirect("ballots:index")
    return _back(ballot)


@login_required
@require_POST
def close_view(request, pk):
    ballot = queries.get_ballot_for(request.user, pk, "ballots.manage")
    if try_action(request, lambda: actions.close_ballot(actor=request.user, ballot=ballot), _("The ballot is closed and counted.")):
        if access.can(request.user, "ballots.view_results", ballot.unit_path):
            return redirect("ballots:results", pk=ballot.pk)
    return _back(ballot)
