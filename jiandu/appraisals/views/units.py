"""An assessed unit (team, cadres, self-reports, target indicators, computation) and an assessed
cadre (self-report, results, grade, use of results)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiandu.accounts import access
from jiandu.core.errors import ActionError, RowErrors
from jiandu.core.queries import history_for
from jiandu.registry import queries as registry_queries
from jiandu.registry.models import Cadre

from .. import actions, queries, scoring
from ..forms import AddCadreForm, CadreReportForm, FollowUpDoneForm, TeamReportForm, UseForm, add_action_error, indicator_rows
from ..models import AdmonishmentProposal, GradeFollowUp
from .common import cycle_crumbs, run

BLANK_ROWS = 3


def _cadre_candidates(user, assessed_unit):
    taken = assessed_unit.cycle.cadres.values_list("cadre_id", flat=True)
    return (
        registry_queries.cadres_visible_to(user, "appraisals.manage")
        .filter(unit__path__startswith=assessed_unit.unit.path, status=Cadre.Status.SERVING)
        .exclude(pk__in=taken)
        .order_by("unit__path", "name_pinyin")[:300]
    )


def _unit_context(request, assessed_unit, *, rows=None, row_errors=None):
    cycle = assessed_unit.cycle
    can_manage = access.can(request.user, "appraisals.manage", cycle.unit)
    indicators = list(assessed_unit.indicators.all())
    if rows is None:
        rows = [{"name": i.name, "weight": f"{i.weight.normalize():f}", "score": f"{i.score.normalize():f}", "note": i.note} for i in indicators]
    editor_rows = rows + [{"name": "", "weight": "", "score": "", "note": ""}] * BLANK_ROWS
    return {
        "cycle": cycle,
        "assessed_unit": assessed_unit,
        "cadres": list(assessed_unit.cadres.select_related("cadre")),
        "indicators": indicators,
        "editor_rows": editor_rows,
        "row_errors": row_errors or [],
        "steps": queries.unit_computation(assessed_unit),
        "ballot_links": queries.ballot_links(assessed_unit.ballot_id),
        "can_manage": can_manage,
        "add_cadre_form": AddCadreForm(cadres=_cadre_candidates(request.user, assessed_unit)) if can_manage and cycle.may_change_membership else None,
        "team_report_form": TeamReportForm(initial={"text": assessed_unit.team_report_text}),
        "team_grade_label": queries.team_grade_label(cycle, assessed_unit.grade),
        "proposed_grade_label": queries.team_grade_label(cycle, assessed_unit.proposed_grade),
        "reasons": queries.describe_reasons(assessed_unit.proposal_reasons),
        "breadcrumbs": cycle_crumbs(cycle, (assessed_unit.unit_name, None)),
    }


@login_required
def unit_detail(request, pk):
    assessed_unit = queries.get_assessed_unit_for(request.user, pk)
    return render(request, "appraisals/unit_detail.html", _unit_context(request, assessed_unit))


@login_required
@require_POST
def unit_targets(request, pk):
    assessed_unit = queries.get_assessed_unit_for(request.user, pk, "appraisals.manage")
    rows = indicator_rows(request.POST)
    try:
        actions.save_indicators(actor=request.user, assessed_unit=assessed_unit, rows=rows)
    except RowErrors as exc:
        messages.error(request, _("Nothing was saved: correct the rows marked below."))
        return render(request, "appraisals/unit_detail.html", _unit_context(request, assessed_unit, rows=rows, row_errors=exc.errors), status=422)
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Target indicators saved."))
    return redirect(reverse("appraisals:unit_detail", args=[assessed_unit.pk]) + "#targets")


@login_required
@require_POST
def unit_remove(request, pk):
    assessed_unit = queries.get_assessed_unit_for(request.user, pk, "appraisals.manage")
    cycle_url = reverse("appraisals:cycle_detail", args=[assessed_unit.cycle_id])
    try:
        actions.remove_unit(actor=request.user, assessed_unit=assessed_unit)
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect("appraisals:unit_detail", pk=assessed_unit.pk)
    messages.success(request, _("%(unit)s is no longer assessed in this cycle.") % {"unit": assessed_unit.unit_name})
    return redirect(cycle_url)


@login_required
@require_POST
def unit_report(request, pk):
    assessed_unit = queries.get_assessed_unit_for(request.user, pk, "appraisals.manage")
    form = TeamReportForm(request.POST)
    back = reverse("appraisals:unit_detail", args=[assessed_unit.pk]) + "#report"
    if not form.is_valid():
        messages.error(request, _("The self-report is longer than 20000 characters."))
        return redirect(back)
    return run(
        request, lambda: actions.set_team_report(actor=request.user, assessed_unit=assessed_unit, text=form.cleaned_data["text"]), _("Self-report saved."), back
    )


@login_required
@require_POST
def cadre_add(request, pk):
    assessed_unit = queries.get_assessed_unit_for(request.user, pk, "appraisals.manage")
    candidates = _cadre_candidates(request.user, assessed_unit)
    form = AddCadreForm(request.POST, cadres=candidates)
    back = reverse("appraisals:unit_detail", args=[assessed_unit.pk])
    if not form.is_valid():
        messages.error(request, _("Choose a cadre."))
        return redirect(back)
    cadre = registry_queries.cadres_visible_to(request.user, "appraisals.manage").get(pk=form.cleaned_data["cadre"])
    return run(
        request,
        lambda: actions.add_cadre(actor=request.user, assessed_unit=assessed_unit, cadre=cadre, post=form.cleaned_data["post"]),
        _("%(name)s is assessed with this team.") % {"name": cadre.name},
        back,
    )


@login_required
def cadre_detail(request, pk):
    row = queries.get_assessed_cadre_for(request.user, pk)
    cycle = row.cycle
    can_manage = access.can(request.user, "appraisals.manage", cycle.unit)
    report_form = CadreReportForm(initial={"text": row.report_text})
    use_form = UseForm()
    if request.method == "POST":
        # The report form posts here so that problems are shown beside the fields.
        if not can_manage:
            raise access.NotVisible()
        report_form = CadreReportForm(request.POST, request.FILES)
        if report_form.is_valid():
            data = report_form.cleaned_data
            try:
                actions.set_cadre_report(actor=request.user, assessed_cadre=row, text=data["text"], file=data["file"], remove_file=data["remove_file"])
            except ActionError as exc:
                add_action_error(report_form, exc)
            else:
                messages.success(request, _("Self-report saved."))
                return redirect(reverse("appraisals:cadre_detail", args=[row.pk]) + "#report")
    proposal = AdmonishmentProposal.objects.filter(assessed_cadre=row).first()
    return render(
        request,
        "appraisals/cadre_detail.html",
        {
            "cycle": cycle,
            "row": row,
            "can_manage": can_manage,
            "report_form": report_form,
            "use_form": use_form,
            "uses": row.uses.all(),
            "follow_ups": row.follow_ups.all(),
            "follow_up_form": FollowUpDoneForm(),
            "can_confirm": access.can(request.user, "appraisals.confirm", cycle.unit),
            "today": timezone.localdate(),
            "proposal": proposal,
            "reasons": queries.describe_reasons(row.proposal_reasons),
            "computation": queries.cadre_computation(row),
            "dimensions": _dimensions(row),
            "votes": _votes(row),
            "events": queries.disqualifications_for(row.cadre, cycle),
            "ballot_links": queries.ballot_links(row.assessed_unit.ballot_id),
            "entries": history_for(request.user, cadre=row.cadre_id),
            "breadcrumbs": cycle_crumbs(
                cycle, (row.assessed_unit.unit_name, reverse("appraisals:unit_detail", args=[row.assessed_unit_id])), (row.cadre_name, None)
            ),
        },
    )


def _dimensions(row):
    labels = {"morality": "德", "ability": "能", "diligence": "勤", "results": "绩", "integrity": "廉"}
    out = []
    for code in scoring.DIMENSIONS:
        ballot = scoring.fraction_of(row.dimension_scores.get(code, ""))
        out.append(
            {
                "label": labels[code],
                "ballot": scoring.show(ballot),
                "used": scoring.show(scoring.fraction_of(row.results_element_exact)) if code == scoring.RESULTS_DIMENSION else scoring.show(ballot),
            }
        )
    overall = scoring.show(scoring.fraction_of(row.dimension_scores.get("overall", "")))
    out.append({"label": "总体评价", "ballot": overall, "used": overall})
    return out


def _votes(row):
    if row.valid_votes is None:
        return []
    labels = [("excellent", "优秀"), ("competent", "称职"), ("basically_competent", "基本称职"), ("incompetent", "不称职"), ("unknown", "不了解")]
    return [{"label": label, "count": int(row.votes.get(code, 0)), "valid": code != "unknown"} for code, label in labels]


@login_required
@require_POST
def cadre_remove(request, pk):
    row = queries.get_assessed_cadre_for(request.user, pk, "appraisals.manage")
    return run(
        request,
        lambda: actions.remove_cadre(actor=request.user, assessed_cadre=row),
        _("%(name)s is no longer assessed in this cycle.") % {"name": row.cadre_name},
        reverse("appraisals:unit_detail", args=[row.assessed_unit_id]),
    )


@login_required
@require_POST
def cadre_use(request, pk):
    row = queries.get_assessed_cadre_for(request.user, pk, "appraisals.manage")
    form = UseForm(request.POST)
    back = reverse("appraisals:cadre_detail", args=[row.pk]) + "#uses"
    if not form.is_valid():
        messages.error(request, _("Choose the use and enter its date."))
        return redirect(back)
    data = form.cleaned_data
    return run(
        request,
        lambda: actions.record_result_use(actor=request.user, assessed_cadre=row, kind=data["kind"], decided_on=data["decided_on"], note=data["note"]),
        _("Use of results recorded."),
        back,
    )


@login_required
@require_POST
def follow_up_done(request, pk):
    """Record that a 不称职 follow-up (lower the post, review dismissal) was done."""
    row = queries.get_assessed_cadre_for(request.user, pk, "appraisals.confirm")
    back = reverse("appraisals:cadre_detail", args=[row.pk]) + "#follow-ups"
    raw = request.POST.get("follow_up", "")
    follow_up = GradeFollowUp.objects.filter(assessed_cadre=row, pk=int(raw)).first() if raw.isascii() and raw.isdigit() and len(raw) < 18 else None
    form = FollowUpDoneForm(request.POST)
    if follow_up is None or not form.is_valid():
        messages.error(request, _("Enter the date it was done and its outcome."))
        return redirect(back)
    data = form.cleaned_data
    return run(
        request,
        lambda: actions.complete_follow_up(actor=request.user, follow_up=follow_up, done_on=data["done_on"], outcome=data["outcome"]),
        _("Follow-up recorded as done."),
        back,
    )


@login_required
def cadre_report_file(request, pk):
    """The self-report PDF, as an attachment (never rendered inline)."""
    row = queries.get_assessed_cadre_for(request.user, pk)
    if not row.report_file:
        raise access.NotVisible()
    response = FileResponse(row.report_file.open("rb"), as_attachment=True, filename=row.report_file_name or "report.pdf", content_type="application/pdf")
    actions.record_report_download(actor=request.user, assessed_cadre=row)
    response["X-Content-Type-Options"] = "nosniff"
    return response
