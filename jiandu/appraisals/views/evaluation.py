"""Democratic evaluation setup and closing, grade proposal and confirmation, results and export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiandu.accounts import access
from jiandu.ballots import queries as ballot_queries
from jiandu.core.errors import ActionError
from jiandu.core.exports import workbook_response, xlsx_filename
from jiandu.registry.models import Cadre

from .. import actions, queries
from ..actions.evaluation import voter_groups
from ..forms import ConfirmGradesForm, OpenEvaluationForm, add_action_error
from ..models import GRADE_ORDER, Grade
from .common import cycle_crumbs, cycle_tabs, run


def _default_headcounts(units, groups) -> dict:
    """Staff-like groups default to the unit's serving cadres; others are left to fill in."""
    defaults = {}
    for unit in units:
        serving = Cadre.objects.filter(unit__path__startswith=unit.unit.path, status=Cadre.Status.SERVING).count()
        for index, group in enumerate(groups):
            if index == 0 and serving:
                defaults[(unit.pk, group["code"])] = serving
    return defaults


@login_required
def evaluation(request, pk):
    cycle = queries.get_cycle_for(request.user, pk)
    can_manage = access.can(request.user, "appraisals.manage", cycle.unit)
    units = list(cycle.units.select_related("unit"))
    form = None
    groups = []
    settings_problem = ""
    if cycle.may_open_evaluation and can_manage:
        try:
            groups = voter_groups()
        except ActionError as exc:
            settings_problem = exc.message
        form = OpenEvaluationForm(request.POST or None, units=units, groups=groups, defaults=_default_headcounts(units, groups))
        if request.method == "POST" and not settings_problem and form.is_valid():
            try:
                actions.open_evaluation(
                    actor=request.user,
                    cycle=cycle,
                    headcounts=form.headcounts(),
                    opens_at=form.cleaned_data["opens_at"],
                    closes_at=form.cleaned_data["closes_at"],
                )
            except ActionError as exc:
                add_action_error(form, exc)
            else:
                messages.success(request, _("The ballots were created and opened. Generate the voting codes for each unit."))
                return redirect("appraisals:evaluation", pk=cycle.pk)
    elif request.method == "POST":
        raise access.NotVisible()
    visible = {b.pk: b for b in ballot_queries.ballots_visible_to(request.user).filter(pk__in=[u.ballot_id for u in units if u.ballot_id])}
    rows = []
    for unit in units:
        ballot = visible.get(unit.ballot_id)
        rows.append(
            {
                "unit": unit,
                "ballot": ballot,
                "turnout": ballot_queries.turnout(ballot) if ballot else [],
                "links": queries.ballot_links(unit.ballot_id) if ballot else {},
            }
        )
    return render(
        request,
        "appraisals/evaluation.html",
        {
            "cycle": cycle,
            "form": form,
            "groups": groups or (cycle.parameters or {}).get("voter_groups", []),
            "settings_problem": settings_problem,
            "rows": rows,
            "can_manage": can_manage,
            "setup_problems": queries.setup_problems(cycle) if cycle.may_open_evaluation else [],
            "close_problems": queries.close_problems(cycle) if cycle.may_close_evaluation else [],
            "tabs": cycle_tabs(cycle, "evaluation"),
            "breadcrumbs": cycle_crumbs(cycle, (_("Democratic evaluation"), None)),
        },
    )


@login_required
@require_POST
def evaluation_close(request, pk):
    cycle = queries.get_cycle_for(request.user, pk, "appraisals.manage")
    return run(
        request,
        lambda: actions.close_evaluation(actor=request.user, cycle=cycle),
        _("The evaluation is closed and counted; the scores are computed."),
        reverse("appraisals:evaluation", args=[cycle.pk]),
    )


def _grades_context(request, cycle, form=None):
    cadres = list(cycle.cadres.select_related("assessed_unit", "cadre"))
    units = list(cycle.units.all())
    can_confirm = access.can(request.user, "appraisals.confirm", cycle.unit) and cycle.may_confirm_grades
    if form is None and can_confirm:
        form = ConfirmGradesForm(cadres=cadres, units=units, team_choices=queries.team_grade_choices(cycle))
    field = "grade" if cycle.grades_confirmed else "proposed_grade"
    by_cadre = queries.disqualifications_for_many([row.cadre_id for row in cadres], cycle)
    disqualified = {row.pk: by_cadre[row.cadre_id] for row in cadres}
    return {
        "cycle": cycle,
        "form": form,
        "cadres": [
            {
                "row": row,
                "reasons": queries.describe_reasons(row.proposal_reasons),
                "events": disqualified[row.pk],
                "field": form[f"cadre-{row.pk}"] if form else None,
                "reason_field": form[f"reason-{row.pk}"] if form else None,
            }
            for row in cadres
        ],
        "units": [
            {
                "row": unit,
                "reasons": queries.describe_reasons(unit.proposal_reasons),
                "proposed": queries.team_grade_label(cycle, unit.proposed_grade),
                "grade": queries.team_grade_label(cycle, unit.grade),
                "field": form[f"team-{unit.pk}"] if form else None,
                "reason_field": form[f"team-reason-{unit.pk}"] if form else None,
            }
            for unit in units
        ],
        "quotas": queries.cadre_quotas(cycle, field=field),
        "team_quota": queries.team_quota(cycle, field=field),
        "can_manage": access.can(request.user, "appraisals.manage", cycle.unit),
        "can_confirm": can_confirm,
        "tabs": cycle_tabs(cycle, "grades"),
        "breadcrumbs": cycle_crumbs(cycle, (_("Grades"), None)),
    }


@login_required
def grades(request, pk):
    cycle = queries.get_cycle_for(request.user, pk)
    if request.method == "POST":
        if not (access.can(request.user, "appraisals.confirm", cycle.unit) and cycle.may_confirm_grades):
            raise access.NotVisible()
        form = ConfirmGradesForm(
            request.POST, cadres=cycle.cadres.select_related("assessed_unit"), units=cycle.units.all(), team_choices=queries.team_grade_choices(cycle)
        )
        if form.is_valid():
            cadre_grades, team_grades = form.decisions()
            try:
                actions.confirm_grades(actor=request.user, cycle=cycle, cadre_grades=cadre_grades, team_grades=team_grades)
            except ActionError as exc:
                add_action_error(form, exc)
            else:
                messages.success(request, _("The grades are confirmed."))
                return redirect("appraisals:grades", pk=cycle.pk)
        return render(request, "appraisals/grades.html", _grades_context(request, cycle, form), status=422)
    return render(request, "appraisals/grades.html", _grades_context(request, cycle))


@login_required
@require_POST
def grades_propose(request, pk):
    cycle = queries.get_cycle_for(request.user, pk, "appraisals.manage")
    return run(
        request,
        lambda: actions.propose_grades(actor=request.user, cycle=cycle),
        _("Grades proposed. The organisation department's head confirms them."),
        reverse("appraisals:grades", args=[cycle.pk]),
    )


@login_required
def results(request, pk):
    cycle = queries.get_cycle_for(request.user, pk)
    cadres = list(cycle.cadres.select_related("assessed_unit").prefetch_related("uses"))
    proposals = {p.assessed_cadre_id: p for p in cycle.proposals.all()}
    grade_labels = dict(Grade.choices)
    return render(
        request,
        "appraisals/results.html",
        {
            "cycle": cycle,
            "cadres": [{"row": row, "proposal": proposals.get(row.pk), "grade": grade_labels.get(row.grade or row.proposed_grade, "")} for row in cadres],
            "units": [
                {"row": unit, "grade": queries.team_grade_label(cycle, unit.grade or unit.proposed_grade)}
                for unit in cycle.units.all().order_by("rank", "order")
            ],
            "chart_data": queries.chart_data(cycle) if cycle.results_available else None,
            "grade_order": GRADE_ORDER,
            "tabs": cycle_tabs(cycle, "results"),
            "breadcrumbs": cycle_crumbs(cycle, (_("Results"), None)),
        },
    )


@login_required
def results_export(request, pk):
    cycle = queries.get_cycle_for(request.user, pk)
    try:
        data = actions.export_results(actor=request.user, cycle=cycle)
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect("appraisals:results", pk=cycle.pk)
    return workbook_response(data, xlsx_filename(cycle.title, _("Evaluation results")))
