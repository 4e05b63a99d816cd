"""Ballot pages: results, their chart and exports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from jiandu.accounts import access
from jiandu.core.errors import ActionError

from .. import actions, exports, queries
from ..results import as_float
from .common import _attachment, _back, _crumbs

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
