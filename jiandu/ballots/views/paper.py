"""Ballot pages: paper ballots, their form, the counting sheet, counts and their review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiandu.accounts import access
from jiandu.core.action_forms import try_action
from jiandu.core.errors import ActionError

from .. import actions, exports, forms, queries, structure
from ..models import PaperEntry
from .common import _attachment, _crumbs

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
    answers, written, error, sheet_no = {}, {}, None, request.POST.get("sheet_no", "")
    if request.method == "POST":
        try:
            answers = forms.parse_answers(request.POST, allow_blank=True)
            written = forms.parse_written(request.POST)
            number = int(sheet_no) if sheet_no.strip().isdigit() else -1
            entry = actions.enter_paper_sheet(actor=request.user, ballot=ballot, group=group, sheet_no=number, answers=answers, written=written)
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
            "sections": forms.ballot_sections(ballot, group, answers, written=written),
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
    subjects = [s for s in shape.subjects if s.pk in set(shape.group_subjects[group.pk]) and s.section_id not in shape.posts]
    posts = _group_posts(shape, group)
    if not subjects and posts and not request.GET.get("subject"):
        return redirect(reverse("ballots:paper_post_counts", args=[ballot.pk]) + f"?group={group.pk}&section={posts[0].section_id}")
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
            "posts": posts,
            "grid": grid,
            "ballots": ballots,
            "error": error,
            "breadcrumbs": _crumbs(ballot, (_("Paper ballots"), reverse("ballots:paper", args=[ballot.pk])), (_("Enter counts"), None)),
        },
        status=400 if error else 200,
    )


def _group_posts(shape, group) -> list:
    """The recommendation sections this group votes on."""
    questions = {item.question_id for item in shape.layouts[group.pk].items}
    return [post for post in shape.posts.values() if post.question_id in questions]


@login_required
def paper_post_counts(request, pk):
    """A recommendation section counted by hand: votes per candidate, other names with their
    votes, ballots invalid for the post, for one voter group."""
    ballot = queries.get_ballot_for(request.user, pk, "ballots.enter_paper")
    group = queries.get_group(ballot, request.POST.get("group") or request.GET.get("group", ""))
    if group is None:
        raise access.NotVisible()
    shape = structure.load(ballot)
    posts = _group_posts(shape, group)
    section_id = request.POST.get("section") or request.GET.get("section", "")
    post = next((p for p in posts if str(p.section_id) == section_id), None)
    if post is None:
        raise access.NotVisible()
    section = next(s for s in shape.sections if s.pk == post.section_id)
    error, ballots, invalid, counts, written = None, request.POST.get("ballots", ""), request.POST.get("invalid", ""), {}, {}
    if request.method == "POST":
        try:
            number, counts, written, invalid_n = forms.parse_post_counts(request.POST)
            entry = actions.enter_paper_post_counts(
                actor=request.user,
                ballot=ballot,
                group=group,
                section=section,
                ballots=number if number is not None else -1,
                counts=counts,
                written=written,
                invalid=invalid_n if invalid_n is not None else -1,
            )
        except ActionError as exc:
            error = exc.message
        else:
            if entry.status == PaperEntry.Status.DISAGREED:
                messages.warning(request, _("The two entries of these counts disagree. Check the tally sheet and resolve it."))
            else:
                messages.success(request, _("Counts saved (%(status)s).") % {"status": entry.get_status_display()})
            return redirect(reverse("ballots:paper_post_counts", args=[ballot.pk]) + f"?group={group.pk}&section={section.pk}")
    return render(
        request,
        "ballots/paper_post_counts.html",
        {
            "ballot": ballot,
            "group": group,
            "section": section,
            "posts": posts,
            "grid": forms.post_counts_grid(shape, group, section, counts, written),
            "ballots": ballots,
            "invalid": invalid,
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
    answers, counts, written, ballots, invalid = {}, {}, {}, request.POST.get("ballots", ""), request.POST.get("invalid", "")
    if request.method == "POST":
        try:
            if entry.kind == PaperEntry.Kind.SHEET:
                answers = forms.parse_answers(request.POST, allow_blank=True)
                written = forms.parse_written(request.POST)
                actions.resolve_paper_entry(actor=request.user, entry=entry, answers=answers, written=written)
            elif entry.kind == PaperEntry.Kind.POST:
                number, counts, written, invalid_n = forms.parse_post_counts(request.POST)
                actions.resolve_paper_entry(
                    actor=request.user,
                    entry=entry,
                    ballots=number if number is not None else -1,
                    counts=counts,
                    written=written,
                    invalid=invalid_n if invalid_n is not None else -1,
                )
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
        "invalid": invalid,
        "breadcrumbs": _crumbs(ballot, (_("Paper ballots"), reverse("ballots:paper", args=[ballot.pk])), (_("Resolve a disagreement"), None)),
    }
    if entry.kind == PaperEntry.Kind.SHEET:
        context["sections"] = forms.ballot_sections(ballot, entry.group, answers, written=written)
    elif entry.kind == PaperEntry.Kind.POST:
        context["post_grid"] = forms.post_counts_grid(structure.load(ballot), entry.group, entry.section, counts, written)
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
