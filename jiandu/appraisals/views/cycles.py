"""Cycle list, creation, overview (stepper), membership, target scores and their import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiandu.accounts import access
from jiandu.core.errors import ActionError, RowErrors
from jiandu.core.exports import workbook_response, xlsx_filename
from jiandu.core.listing import paginate
from jiandu.core.queries import history_for
from jiandu.registry import queries as registry_queries
from jiandu.registry.forms import PICKER_LIMIT

from .. import actions, queries, scoring, targets
from ..forms import AddUnitForm, CycleForm, CycleUpdateForm, ImportForm, add_action_error
from ..models import AdmonishmentProposal, AppraisalCycle, AssessedCadre, AssessedUnit
from .common import cycle_crumbs, cycle_tabs, run


def _count(rows):
    """The number of `rows` of the outer cycle, as a subquery (0 when none)."""
    counted = rows.filter(cycle=OuterRef("pk")).order_by().values("cycle").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@login_required
def index(request):
    access.require(request.user, "appraisals.view")
    # Counted per cycle shown (subqueries), not by joining every assessed unit and cadre of every
    # cycle before the page is cut (50 cycles of a province: most of the page's time).
    qs = queries.cycles_visible_to(request.user).annotate(
        unit_count=_count(AssessedUnit.objects.all()),
        cadre_count=_count(AssessedCadre.objects.all()),
        pending=_count(AdmonishmentProposal.objects.filter(status=AdmonishmentProposal.Status.PENDING)),
    )
    year = request.GET.get("year", "")
    if year.isascii() and year.isdigit() and 1 <= int(year) <= 9999:
        qs = qs.filter(year=int(year))
    if request.GET.get("kind") in AppraisalCycle.Kind.values:
        qs = qs.filter(kind=request.GET["kind"])
    if request.GET.get("status") in AppraisalCycle.Status.values:
        qs = qs.filter(status=request.GET["status"])
    text = request.GET.get("q", "").strip().replace("\x00", "")  # PostgreSQL cannot compare NUL
    if text:
        qs = qs.filter(title__contains=text)
    page = paginate(request, qs.order_by("-year", "-id"))
    years = queries.cycles_visible_to(request.user).order_by("-year").values_list("year", flat=True).distinct()
    return render(
        request,
        "appraisals/index.html",
        {
            "page": page,
            "years": years,
            "kinds": AppraisalCycle.Kind.choices,
            "statuses": AppraisalCycle.Status.choices,
            "can_manage": access.can(request.user, "appraisals.manage"),
            "pending": queries.proposals_visible_to(request.user).filter(status=AdmonishmentProposal.Status.PENDING).count(),
            "breadcrumbs": [(_("Target supervision"), None)],
        },
    )


@login_required
def cycle_create(request):
    access.require(request.user, "appraisals.manage")
    units = registry_queries.units_visible_to(request.user, "appraisals.manage").order_by("path")
    form = CycleForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = data["unit"]
        try:
            cycle = actions.create_cycle(
                actor=request.user,
                unit=unit,
                year=data["year"],
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
                uses_target_scores=data["uses_target_scores"],
            )
        except ActionError as exc:
            add_action_error(form, exc)
        else:
            messages.success(request, _("The appraisal cycle was created. Add the units to assess."))
            return redirect("appraisals:cycle_detail", pk=cycle.pk)
    return render(
        request,
        "appraisals/cycle_form.html",
        {"form": form, "breadcrumbs": [(_("Target supervision"), reverse("appraisals:index")), (_("New appraisal cycle"), None)]},
    )


@login_required
def cycle_detail(request, pk):
    cycle = queries.get_cycle_for(request.user, pk)
    units = list(cycle.units.annotate(cadre_count=Count("cadres", distinct=True), indicator_count=Count("indicators", distinct=True)))
    for unit in units:
        unit.grade_label = queries.team_grade_label(cycle, unit.grade or unit.proposed_grade)
    can_manage = access.can(request.user, "appraisals.manage", cycle.unit)
    add_form = None
    if can_manage and cycle.may_change_membership:
        taken = {u.unit_id for u in units}
        # The organising unit's active sub-units not yet in the cycle (filtered in the database:
        # a province-wide officer sees 2,000 units, the cycle's subtree is a fraction of them).
        below = registry_queries.units_visible_to(request.user, "appraisals.manage").filter(path__startswith=cycle.unit.path, is_active=True)
        candidates = below.exclude(pk=cycle.unit_id).exclude(pk__in=taken).order_by("path")
        add_form = AddUnitForm(units=registry_queries.units_visible_to(request.user, "appraisals.manage"), rows=candidates[:PICKER_LIMIT])
    return render(
        request,
        "appraisals/cycle_detail.html",
        {
            "cycle": cycle,
            "units": units,
            "steps": queries.stepper(cycle),
            "tabs": cycle_tabs(cycle, "overview"),
            "can_manage": can_manage,
            "can_confirm": access.can(request.user, "appraisals.confirm", cycle.unit),
            "add_form": add_form,
            "update_form": CycleUpdateForm(initial={"title": cycle.title, "description": cycle.description, "uses_target_scores": cycle.uses_target_scores})
            if can_manage
            else None,
            "proposals": cycle.proposals.select_related("cadre"),
            "entries": history_for(request.user, cycle),
            "breadcrumbs": cycle_crumbs(cycle)[:-1] + [(cycle.title, None)],
        },
    )


@login_required
@require_POST
def cycle_update(request, pk):
    cycle = queries.get_cycle_for(request.user, pk, "appraisals.manage")
    form = CycleUpdateForm(request.POST)
    back = reverse("appraisals:cycle_detail", args=[cycle.pk])
    if not form.is_valid():
        messages.error(request, _("Check the title and notes."))
        return redirect(back)
    data = form.cleaned_data
    return run(
        request,
        lambda: actions.update_cycle(
            actor=request.user, cycle=cycle, title=data["title"], description=data["description"], uses_target_scores=data["uses_target_scores"]
        ),
        _("Saved."),
        back,
    )


@login_required
@require_POST
def add_unit(request, pk):
    cycle = queries.get_cycle_for(request.user, pk, "appraisals.manage")
    back = reverse("appraisals:cycle_detail", args=[cycle.pk])
    units = registry_queries.units_visible_to(request.user, "appraisals.manage")
    form = AddUnitForm(request.POST, units=units)
    if not form.is_valid():
        messages.error(request, _("Choose a unit."))
        return redirect(back)
    unit = form.cleaned_data["unit"]
    return run(
        request,
        lambda: actions.add_unit(actor=request.user, cycle=cycle, unit=unit, include_team=form.cleaned_data["include_team"]),
        _("%(unit)s is assessed in this cycle.") % {"unit": unit.name},
        back,
    )


@login_required
@require_POST
def complete(request, pk):
    cycle = queries.get_cycle_for(request.user, pk, "appraisals.manage")
    return run(
        request,
        lambda: actions.complete_cycle(actor=request.user, cycle=cycle),
        _("The cycle is complete: results used."),
        reverse("appraisals:cycle_detail", args=[cycle.pk]),
    )


@login_required
def targets_page(request, pk):
    cycle = queries.get_cycle_for(request.user, pk)
    can_manage = access.can(request.user, "appraisals.manage", cycle.unit) and cycle.may_change_targets and cycle.uses_target_scores
    form = ImportForm()
    row_errors = []
    if request.method == "POST":
        if not can_manage:
            raise access.NotVisible()
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                summary = actions.import_targets(actor=request.user, cycle=cycle, file=form.cleaned_data["file"])
            except RowErrors as exc:
                row_errors = exc.errors
                form.add_error(None, _("Nothing was imported: correct the rows below and upload the file again."))
            except ActionError as exc:
                add_action_error(form, exc)
            else:
                messages.success(request, _("Imported %(indicators)d indicators for %(units)d units.") % summary)
                return redirect("appraisals:targets", pk=cycle.pk)
    units = []
    for unit in cycle.units.prefetch_related("indicators"):
        indicators = list(unit.indicators.all())
        units.append({"unit": unit, "indicators": indicators, "base": scoring.target_base([(i.weight, i.score) for i in indicators])})
    return render(
        request,
        "appraisals/targets.html",
        {
            "cycle": cycle,
            "units": units,
            "form": form,
            "row_errors": row_errors,
            "can_manage": can_manage,
            "tabs": cycle_tabs(cycle, "targets"),
            "breadcrumbs": cycle_crumbs(cycle, (_("Target scores"), None)),
        },
    )


@login_required
def targets_template(request, pk):
    cycle = queries.get_cycle_for(request.user, pk)
    data = targets.template([(u.unit_name, list(u.indicators.all())) for u in cycle.units.prefetch_related("indicators")])
    return workbook_response(data, xlsx_filename(cycle.title, _("Target scores template")))


@login_required
def unit_results(request):
    """单位考核结果: a unit leader reads the confirmed results of his unit and the units below it."""
    access.require(request.user, "appraisals.view_unit_results")
    rows = [
        {"assessed": assessed, "team_grade": queries.team_grade_label(assessed.cycle, assessed.grade), "cadres": list(assessed.cadres.all())}
        for assessed in queries.unit_results_visible_to(request.user)
    ]
    return render(request, "appraisals/unit_results.html", {"rows": rows, "breadcrumbs": [(_("Appraisal results of my unit"), None)]})
