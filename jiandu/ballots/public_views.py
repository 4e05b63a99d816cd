"""The voters' pages (/vote/, no login): enter or scan a code, answer, review, submit, receipt;
and the published list of counted receipts. Plain form posts: everything works without
JavaScript; mobile-first templates.

Codes travel only in POST bodies after the landing page (the QR code's /vote/?c=CODE is the one
GET that carries a code; the proxy should not log query strings on /vote/). Pages are never
cached. Before reading a posted body we check its type and size, then CSRF, so a wrong or
oversized request gets a clear answer and nothing is stored.
"""

from django.http import FileResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, ensure_csrf_cookie
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jiandu.core.errors import ActionError
from jiandu.core.middleware import client_ip

from . import actions, codes, forms, queries, ratelimit, structure
from .models import Subject

MAX_BODY = 256 * 1024
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
ERROR_STATUS = {"used": 409, "void": 410, "closed": 410, "ended": 410, "not_open": 403}


def _problem(request, title: str, message: str, status: int):
    return render(request, "vote/problem.html", {"title": title, "message": message}, status=status)


def _guard(request):
    """Type, size and CSRF checks of a posted ballot, before its body is read."""
    content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if content_type not in FORM_TYPES:
        return _problem(
            request, _("Unsupported request"), _("Ballots are sent by the voting form; this request was of another kind. Please go back and use the form."), 415
        )
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = MAX_BODY + 1
    if length > MAX_BODY:
        return _problem(request, _("Request too large"), _("The request is larger than any ballot. Please go back and use the form."), 413)
    rejected = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
    if rejected is not None:
        return rejected
    return None


def _blocked(request):
    if ratelimit.is_blocked(client_ip(request)):
        minutes = ratelimit.window_seconds() // 60
        return _problem(
            request,
            _("Too many wrong codes"),
            _("Too many wrong voting codes were entered from this network. Please wait %(n)d minutes, or ask the organisers for help.") % {"n": minutes},
            429,
        )
    return None


def _entry_page(request, code="", error: ActionError | None = None):
    status = 200 if error is None else ERROR_STATUS.get(error.code, 400)
    return render(request, "vote/enter.html", {"code": codes.display(code) if code else "", "error": error.message if error else None}, status=status)


def _check(request, code):
    """(CodeCheck, None) or (None, error response). Counts failures toward the rate limit."""
    blocked = _blocked(request)
    if blocked:
        return None, blocked
    try:
        return actions.check_code(code), None
    except ActionError as exc:
        ratelimit.record_failure(client_ip(request), exc.code)
        return None, _entry_page(request, code, exc)


def _ballot_page(request, checked, code, answers=None, missing=(), error=None, written=None):
    sections = forms.ballot_sections(checked.ballot, checked.group, answers, missing, written)
    total = sum(1 if sec.get("post") else len(s["questions"]) for sec in sections for s in (sec["subjects"][:1] if sec.get("post") else sec["subjects"]))
    return render(
        request,
        "vote/ballot.html",
        {
            "ballot": checked.ballot,
            "group": checked.group,
            "sections": sections,
            "code": codes.display(code),
            "error": error,
            "total": total,
            "missing": len(missing),
        },
        status=400 if error else 200,
    )


@never_cache
@csrf_exempt
@ensure_csrf_cookie
@require_http_methods(["GET", "POST"])
def enter(request):
    """Enter a code (or arrive from a QR code with ?c=CODE) and get the ballot form."""
    if request.method == "POST":
        refused = _guard(request)
        if refused:
            return refused
        code = request.POST.get("code", "")
    else:
        code = request.GET.get("c", "")
        if not code:
            return _entry_page(request)
    checked, refused = _check(request, code)
    if refused:
        return refused
    return _ballot_page(request, checked, code)


@never_cache
@csrf_exempt
@require_POST
def ballot(request):
    """step=review: check and show the answers; step=edit: back to the form; step=submit: cast."""
    refused = _guard(request)
    if refused:
        return refused
    code = request.POST.get("code", "")
    step = request.POST.get("step", "review")
    if step == "submit":
        return _submit(request, code)
    checked, refused = _check(request, code)
    if refused:
        return refused
    try:
        answers = forms.parse_answers(request.POST, allow_blank=False)
        written = forms.parse_written(request.POST)
    except ActionError as exc:
        return _ballot_page(request, checked, code, error=exc.message)
    if step == "edit":
        return _ballot_page(request, checked, code, answers, written=written)
    shape = structure.load(checked.ballot)
    try:
        chosen = structure.validate(shape, checked.group.pk, answers)
        structure.apply_recommendations(shape, checked.group.pk, list(chosen), written, paper=False)
    except structure.IncompleteBallot as exc:
        return _ballot_page(request, checked, code, answers, exc.missing, exc.message, written)
    except ActionError as exc:
        if exc.code in ("too_many", "write_ins"):
            return _ballot_page(request, checked, code, answers, error=exc.message, written=written)
        return _ballot_page(request, checked, code, error=exc.message)
    return render(
        request,
        "vote/review.html",
        {"ballot": checked.ballot, "group": checked.group, "code": codes.display(code), "review": _review(shape, checked.group, chosen, written)},
    )


BALLOT_PROBLEMS = {"incomplete", "foreign_subject", "foreign_option", "too_many", "write_ins"}


def _submit(request, code):
    """Cast the ballot. The action checks the code itself; the ballot form is rebuilt only when
    the answers need correcting (the fast path is one code look-up and one transaction)."""
    blocked = _blocked(request)
    if blocked:
        return blocked
    answers = written = None
    try:
        answers = forms.parse_answers(request.POST, allow_blank=False)
        written = forms.parse_written(request.POST)
        submission = actions.cast_ballot(code=code, answers=answers, written=written)
    except ActionError as exc:
        if exc.code not in BALLOT_PROBLEMS:
            ratelimit.record_failure(client_ip(request), exc.code)
            return _entry_page(request, code, exc)
        checked, refused = _check(request, code)
        if refused:
            return refused
        if isinstance(exc, structure.IncompleteBallot):
            return _ballot_page(request, checked, code, answers, exc.missing, exc.message, written)
        if exc.code in ("too_many", "write_ins"):
            return _ballot_page(request, checked, code, answers, error=exc.message, written=written)
        return _ballot_page(request, checked, code, error=exc.message)
    ballot = submission.ballot
    return render(
        request,
        "vote/receipt.html",
        {"ballot": ballot, "receipt": submission.receipt, "receipts_url": request.build_absolute_uri(reverse("vote:receipts", args=[ballot.public_id]))},
    )


def _review(shape, group, chosen, written=None):
    """The answers as the voter gave them; a recommendation section as one row naming the people
    recommended (candidates marked, then the names written in, as entered)."""
    layout = shape.layouts[group.pk]
    subjects, questions, options = shape.subject_by_id, shape.question_by_id, shape.option_by_id
    written = written or {}
    rows = []
    posts = {post.question_id: post for post in shape.posts.values()}
    for item, option_id in zip(layout.items, chosen, strict=True):
        subject = subjects[item.subject_id]
        post = posts.get(item.question_id)
        if post is not None:
            if not rows or rows[-1].get("post") is not post:
                lines = [n for n in written.get(post.section_id, []) if n.strip()]
                rows.append({"post": post, "names": [], "marks": [], "written": lines, "field": f"w-{post.section_id}"})
            if option_id is not None:
                rows[-1]["names"].append(subject.label)
                rows[-1]["marks"].append({"name": f"a-{item.subject_id}-{item.question_id}", "value": option_id})
            continue
        if not rows or "subject" not in rows[-1] or rows[-1]["subject"].pk != subject.pk:
            rows.append({"subject": subject, "answers": []})
        rows[-1]["answers"].append({"question": questions[item.question_id], "option": options[option_id], "name": f"a-{item.subject_id}-{item.question_id}"})
    for row in rows:  # the names written in after the marked candidates, each person once
        if "post" in row:
            for name in (structure.normalise_name(n) for n in row["written"]):
                if name not in row["names"]:
                    row["names"].append(name)
    return rows


@never_cache
@csrf_exempt
@require_POST
def report(request, public_id):
    """A subject's self-report file, for a voter holding a usable code of a group that rates it."""
    refused = _guard(request)
    if refused:
        return refused
    code = request.POST.get("code", "")
    checked, refused = _check(request, code)
    if refused:
        return refused
    subject = Subject.objects.filter(public_id=public_id, ballot=checked.ballot).first()
    shape = structure.load(checked.ballot)
    if subject is None or subject.pk not in shape.group_subjects.get(checked.group.pk, []) or not subject.report_file:
        return _problem(request, _("Not found"), _("This self-report is not available."), 404)
    response = FileResponse(
        subject.report_file.open("rb"), as_attachment=True, filename=subject.report_file_name or "report.pdf", content_type="application/pdf"
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def receipts(request, public_id):
    """The published receipts of counted ballots, and a check of one receipt."""
    ballot = queries.ballot_by_public_id(public_id)
    if ballot is None:
        return _problem(request, _("Not found"), _("There is no such evaluation."), 404)
    receipt = request.GET.get("r", "").strip()[:40]
    checked = None
    if receipt:
        if codes.receipt_problem(receipt):
            checked = "malformed"
        else:
            checked = "counted" if queries.is_receipt_counted(ballot, receipt) else "missing"
    listed = queries.counted_receipts(ballot)
    return render(request, "vote/receipts.html", {"ballot": ballot, "receipt": receipt, "checked": checked, "receipts": listed})
