"""Officers' ballot pages (/ballots/). Views are adapters: fetch through queries (scoped; not
visible = 404), call one action, render or redirect. The voters' pages are in public_views."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jiandu.accounts import access
from jiandu.core.action_forms import try_action
from jiandu.core.errors import ActionError
from jiandu.core.listing import paginate
from jiandu.core.practice import get_setting
from jiandu.core.queries import history_for

from . import actions, exports, forms, queries, structure
from .actions.closing import close_problems
from .actions.definitions import open_problems
from .models import Ballot, PaperEntry
from .results import as_float


def _crumbs(ballot=None, *more):
    crumbs = [(_("Secret ballots"), reverse("ballots:index"))]
    if ballot is not None:
        crumbs.append((ballot.title, reverse("ballots:detail", args=[ballot.pk])))
    crumbs.extend(more)
    crumbs[-1] = (crumbs[-1][0], None)
    return crumbs


def _back(ballot, anchor=""):
    return redirect(reverse("ballots:detail", args=[ballot.pk]) + anchor)


def _attachment(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    from django.utils.http import content_disposition_header

    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response


def _public_base(request) -> str:
    return (get_setting("ballots.public_base_url") or "").strip().rstrip("/") or request.build_absolute_uri("/").rstrip("/")


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


# --- codes ----------------------------------------------------------------------------------


@login_required
@require_POST
@never_cache
def codes(request, pk):
    """Generate codes and answer with the file at once: the only moment plain codes exist."""
    ballot = queries.get_ballot_for(request.user, pk, "ballots.manage")
    form = forms.CodesForm(request.POST, ballot=ballot)
    if not form.is_valid():
        messages.error(request, _("Choose a voter group and a number of codes from 1 to 2000."))
        return _back(ballot, "#codes")
    group = queries.get_group(ballot, form.cleaned_data["group"])
    try:
        batch, plain = actions.generate_codes(actor=request.user, ballot=ballot, group=group, count=form.cleaned_data["count"])
    except ActionError as exc:
        messages.error(request, exc.message)
        return _back(ballot, "#codes")
    base = _public_base(request)
    name = f"ballot-{ballot.pk}-codes-{batch.number}"
    if form.cleaned_data["format"] == "xlsx":
        return _attachment(
            exports.code_list_xlsx(ballot, group, batch, plain, base), f"{name}.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    return _attachment(exports.code_sheet_pdf(ballot, group, batch, plain, base), f"{name}.pdf", "application/pdf")


@login_required
@require_POST
def void_batch(request, pk, batch_pk):
    ballot = queries.get_ballot_for(request.user, pk, "ballots.manage")
    batch = queries.get_batch_for(request.user, ballot, batch_pk)
    try_action(
        request, lambda: actions.void_code_batch(actor=request.user, batch=batch), _("The unused codes of batch %(n)d no longer work.") % {"n": batch.number}
    )
    return _back(ballot, "#codes")


# --- paper ----------------------------------------------------------------------------------


@login_required
def paper(request, pk):
    ballot = queries.get_ballot_for(request.user, pk, "ballots.enter_paper")
    entries = list(queries.paper_entries(ballot))
    return render(
        request,
        "ballots/paper.html",
        {
            "ballot": ballot,
            "groups": list(ballot.groups.all()),
            "turnout": queries.turnout(ballot),
            "entries": entries,
            "attention": [e for e in entries if e.status in (PaperEntry.Status.DISAGREED, PaperEntry.Status.AWAITING_SECOND)],
            "issue_form": forms.PaperIssueForm(ballot=ballot),
            "can_manage": access.can(request.user, "ballots.manage", ballot.unit_path),
            "breadcrumbs": _crumbs(ballot, (_("Paper ballots"), None)),
        },
    )


@login_required
@require_POST
def paper_issue(request, pk):
    ballot = queries.get_ballot_for(request.user, pk, "ballots.manage")
    form = forms.PaperIssueForm(request.POST, ballot=ballot)
    if form.is_valid():
        group = queries.get_group(ballot, form.cleaned_data["group"])
        try_action(request, lambda: actions.issue_paper_ballots(actor=request.user, ballot=ballot, group=group, count=form.cleaned_data["count"]), _("Saved."))
    else:
        messages.error(request, _("Choose a voter group and a whole number of paper ballots."))
    return redirect("ballots:paper", pk=ballot.pk)


@login_required
def paper_form_pdf(request, pk):
    ballot = queries.get_ballot_for(request.user, pk, "ballots.enter_paper")
    group = queries.get_group(ballot, request.GET.get("group", ""))
    if group is None:
        raise access.NotVisible()
    return _attachment(exports.paper_ballot_pdf(ballot, group), f"ballot-{ballot.pk}-paper-{group.code}.pdf", "application/pdf")


@login_required
def paper_sheet(request, pk):
    ballot = queries.get_ballot_for(request.user, pk, "ballots.enter_paper")
    group = queries.get_group(ballot, request.POST.get("group") or request.GET.get("group", ""))
    if group is None:
        raise access.NotVisible()
    answers, error, sheet_no = {}, None, request.POST.get("sheet_no", "")
    if request.method == "POST":
        try:
            answers = forms.parse_answers(request.POST, allow_blank=True)
            number = int(sheet_no) if sheet_no.strip().isdigit() else -1
            entry = actions.enter_paper_sheet(actor=request.user, ballot=ballot, group=group, sheet_no=number, answers=answers)
        except ActionError as exc:
            error = exc.message
        else:
            if entry.status == PaperEntry.Status.DISAGREED:
                messages.warning(
                    request,
                    _("Sheet %(n)d: the two entries disagree on %(d)d answers. Check the paper and resolve it.")
                    % {"n": entry.sheet_no, "d": entry.differences},
                )
            elif entry.status == PaperEntry.Status.AWAITING_SECOND:
                messages.success(request, _("Sheet %(n)d entered; it needs its second entry.") % {"n": entry.sheet_no})
            else:
                messages.success(request, _("Sheet %(n)d confirmed.") % {"n": entry.sheet_no})
            return redirect(reverse("ballots:paper_sheet", args=[ballot.pk]) + f"?group={group.pk}")
    return render(
        request,
        "ballots/paper_sheet.html",
        {
            "ballot": ballot,
            "group": group,
            "sections": forms.ballot_sections(ballot, group, answers),
            "sheet_no": sheet_no,
            "error": error,
            "breadcrumbs": _crumbs(ballot, (_("Paper ballots"), reverse("ballots:paper", args=[ballot.pk])), (_("Key in a paper ballot"), None)),
        },
        status=400 if error else 200,
    )


@login_required
def paper_counts(request, pk):
    ballot = queries.get_ballot_for(request.user, pk, "ballots.enter_paper")
    group = queries.get_group(ballot, request.POST.get("group") or request.GET.get("group", ""))
    if group is None:
        raise access.NotVisible()
    shape = structure.load(ballot)
    subjects = [s for s in shape.subjects if s.pk in set(shape.group_subjects[group.pk])]
    subject_id = request.POST.get("subject") or request.GET.get("subject") or (str(subjects[0].pk) if subjects else "")
    subject = next((s for s in subjects if str(s.pk) == subject_id), None)
    if subject is None:
        raise access.NotVisible()
    error, ballots, counts = None, request.POST.get("ballots", ""), {}
    if request.method == "POST":
        try:
            number, counts = forms.parse_counts(request.POST)
            entry = actions.enter_paper_counts(
                actor=request.user, ballot=ballot, group=group, subject=subject, ballots=number if number is not None else -1, counts=counts
            )
        except ActionError as exc:
            error = exc.message
        else:
            if entry.status == PaperEntry.Status.DISAGREED:
                messages.warning(request, _("The two entries of these counts disagree. Check the tally sheet and resolve it."))
            else:
                messages.success(request, _("Counts saved (%(status)s).") % {"status": entry.get_status_display()})
            return redirect(reverse("ballots:paper_counts", args=[ballot.pk]) + f"?group={group.pk}&subject={subject.pk}")
    grid = [
        {"question": q, "options": [{"option": o, "name": f"c-{q.pk}-{o.pk}", "value": counts.get(q.pk, {}).get(o.pk, "")} for o in shape.options[q.pk]]}
        for q in shape.subject_questions(subject)
    ]
    return render(
        request,
        "ballots/paper_counts.html",
        {
            "ballot": ballot,
            "group": group,
            "subject": subject,
            "subjects": subjects,
            "grid": grid,
            "ballots": ballots,
            "error": error,
            "breadcrumbs": _crumbs(ballot, (_("Paper ballots"), reverse("ballots:paper", args=[ballot.pk])), (_("Enter counts"), None)),
        },
        status=400 if error else 200,
    )


@login_required
def paper_resolve(request, pk, entry_pk):
    ballot = queries.get_ballot_for(request.user, pk, "ballots.enter_paper")
    entry = queries.get_paper_entry_for(request.user, ballot, entry_pk)
    error = None
    answers, counts, ballots = {}, {}, request.POST.get("ballots", "")
    if request.method == "POST":
        try:
            if entry.kind == PaperEntry.Kind.SHEET:
                answers = forms.parse_answers(request.POST, allow_blank=True)
                actions.resolve_paper_entry(actor=request.user, entry=entry, answers=answers)
            else:
                number, counts = forms.parse_counts(request.POST)
                actions.resolve_paper_entry(actor=request.user, entry=entry, ballots=number if number is not None else -1, counts=counts)
        except ActionError as exc:
            error = exc.message
        else:
            messages.success(request, _("Resolved: this entry is the one counted."))
            return redirect("ballots:paper", pk=ballot.pk)
    context = {
        "ballot": ballot,
        "entry": entry,
        "error": error,
        "ballots": ballots,
        "breadcrumbs": _crumbs(ballot, (_("Paper ballots"), reverse("ballots:paper", args=[ballot.pk])), (_("Resolve a disagreement"), None)),
    }
    if entry.kind == PaperEntry.Kind.SHEET:
        context["sections"] = forms.ballot_sections(ballot, entry.group, answers)
    else:
        shape = structure.load(ballot)
        context["grid"] = [
            {"question": q, "options": [{"option": o, "name": f"c-{q.pk}-{o.pk}", "value": counts.get(q.pk, {}).get(o.pk, "")} for o in shape.options[q.pk]]}
            for q in shape.subject_questions(entry.subject)
        ]
    return render(request, "ballots/paper_resolve.html", context, status=400 if error else 200)


@login_required
@require_POST
def paper_void(request, pk, entry_pk):
    ballot = queries.get_ballot_for(request.user, pk, "ballots.enter_paper")
    entry = queries.get_paper_entry_for(request.user, ballot, entry_pk)
    form = forms.VoidForm(request.POST)
    if form.is_valid():
        try_action(request, lambda: actions.void_paper_entry(actor=request.user, entry=entry, reason=form.cleaned_data["reason"]), _("The entry is void."))
    else:
        messages.error(request, _("Give the reason for voiding the entry."))
    return redirect("ballots:paper", pk=ballot.pk)


# --- results --------------------------------------------------------------------------------


def _results_or_message(request, ballot):
    try:
        return queries.results(ballot, user=request.user)
    except ActionError as exc:
        messages.info(request, exc.message)
        return None


GOOD_TO_BAD = ["#1b7f3b", "#6aa84f", "#f1c232", "#e69138", "#cc0000", "#990000"]


def _option_colors(options) -> list[str]:
    """Valid options from green (best, listed first) to red; options that are not valid votes grey."""
    valid = [o for o in options if o.is_valid_vote]
    colors = []
    for o in options:
        if not o.is_valid_vote:
            colors.append("#9e9e9e")
            continue
        position = valid.index(o)
        step = (len(GOOD_TO_BAD) - 1) * position // max(len(valid) - 1, 1)
        colors.append(GOOD_TO_BAD[step])
    return colors


def _chart_data(res) -> dict:
    """Plain numbers for the charts (floats for drawing only; tables show the exact values)."""
    charts = []
    for section in res.sections:
        chart_question = next((q for q in section.questions if q.is_overall), section.questions[0] if section.questions else None)
        if chart_question is None or not section.subjects:
            continue
        options = list(chart_question.options.all())
        bars = {
            "id": f"bars-{section.section.pk}",
            "title": f"{section.section.title} · {chart_question.label}",
            "subjects": [s.subject.label for s in section.subjects],
            "series": [{"name": o.label, "data": [s.question(chart_question.code).options[i].count for s in section.subjects]} for i, o in enumerate(options)],
            "colors": _option_colors(options),
        }
        entry = {"bars": bars}
        if section.has_dimensions:
            dims = [q for q in section.questions if q.code in ("morality", "ability", "diligence", "results", "integrity")]
            points = [float(o.points) for q in dims for o in q.options.all() if o.points is not None] or [0, 100]
            entry["radar"] = {
                "id": f"radar-{section.section.pk}",
                "title": f"{section.section.title} · {_('德 能 勤 绩 廉')}",
                # From the lowest to the highest points of the scale, so differences stay visible.
                "indicators": [{"name": q.label, "min": min(points), "max": max(points)} for q in dims],
                "series": [{"name": s.subject.label, "value": [as_float(s.question(q.code).score, 2) for q in dims]} for s in section.subjects],
            }
        charts.append(entry)
    return {"charts": charts, "labels": {"count": pgettext("ballot", "Ballots"), "score": pgettext("ballot", "Score")}}


@login_required
def results(request, pk):
    ballot = queries.get_ballot_for(request.user, pk, "ballots.view_results")
    res = _results_or_message(request, ballot)
    if res is None:
        return _back(ballot)
    return render(
        request,
        "ballots/results.html",
        {
            "ballot": ballot,
            "res": res,
            "chart_data": _chart_data(res),
            "breadcrumbs": _crumbs(ballot, (pgettext("ballot", "Results"), None)),
        },
    )


@login_required
def results_export(request, pk, fmt):
    ballot = queries.get_ballot_for(request.user, pk, "ballots.view_results")
    if fmt not in ("xlsx", "pdf"):
        raise access.NotVisible()
    res = _results_or_message(request, ballot)
    if res is None:
        return _back(ballot)
    stamp = timezone.localdate().isoformat()
    if fmt == "xlsx":
        content = exports.results_xlsx(res)
        response = _attachment(content, f"ballot-{ballot.pk}-results-{stamp}.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    else:
        response = _attachment(exports.results_pdf(res), f"ballot-{ballot.pk}-results-{stamp}.pdf", "application/pdf")
    actions.record_results_download(actor=request.user, ballot=ballot, fmt=fmt)  # as the results page is a read, the file is journaled
    return response
