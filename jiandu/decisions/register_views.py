"""Pages of the 三重一大 registers, the units' rules, violations (handed to 日常监督 as clues),
decision tasks (督查) and setting up a body. Every write goes through `register_actions` (or
`actions.create_body`); every read through `register_queries`."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiandu.accounts import access
from jiandu.core import exports, listing
from jiandu.core.errors import ActionError
from jiandu.registry.models import Tenure, Unit

from . import actions, lists, queries, register_actions, register_queries, register_workbook, violations
from .models import DecisionTask, UnitRule
from .register_forms import BodyForm, CloseForm, EntryForm, HandOverForm, ImportForm, LinkForm, ProgressForm, RuleForm, TaskForm


def _require_manage(user):
    if not access.can(user, "decisions.manage"):
        raise access.NotVisible()


def _units(user):
    return Unit.objects.filter(access.scope_q(user, "decisions.manage", "path")).order_by("path")


def _unit_from(request, name="unit") -> Unit:
    raw = request.GET.get(name) or request.POST.get(name) or ""
    unit = _units(request.user).filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 12 else None
    if unit is None:
        raise access.NotVisible()
    return unit


# --- bodies -----------------------------------------------------------------------------------


@login_required
def new_body(request):
    """Set up a body of a unit; its members are the unit's current leaders, the principal the
    holder of the unit's principal post (more control through the API)."""
    _require_manage(request.user)
    form = BodyForm(request.POST or None, units=_units(request.user))
    if request.method == "POST" and form.is_valid():
        unit = _units(request.user).get(pk=form.cleaned_data["unit"])
        members = actions.current_leaders(unit)
        head = Tenure.objects.filter(position__unit=unit, position__is_principal=True, ended_on__isnull=True).select_related("cadre").first()
        principal = head.cadre if head and head.cadre in members else None
        try:
            actions.create_body(
                actor=request.user, unit=unit, name=form.cleaned_data["name"], kind=form.cleaned_data["kind"], members=members, principal=principal
            )
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The body is set up with %(n)d members.") % {"n": len(members)})
            return redirect("decisions:index")
    return render(request, "decisions/registers/body.html", {"title": _("Set up a decision-making body"), "form": form})


# --- registers ----------------------------------------------------------------------------------


def _found_by_entry(entries):
    found = {}
    for v in violations.find(entries, []):
        found.setdefault(v.entry.pk, []).append(v)
    return found


def _entries(request):
    """The register entries in scope, narrowed by the filter form (the page and its export)."""
    form = lists.EntryFilter(request.GET, units=_units(request.user))
    return form, lists.filter_entries(register_queries.entries_visible_to(request.user), **listing.cleaned_filters(form))


@login_required
def registers(request):
    _require_manage(request.user)
    if request.GET.get("format") == "xlsx":
        return registers_export(request)
    form, qs = _entries(request)
    result = listing.list_page(request, qs, sorts=lists.ENTRY_SORTS, default_sort="-executed")
    found = _found_by_entry(list(result.page))
    for entry in result.page:
        entry.violations = found.get(entry.pk, [])
    return render(
        request,
        "decisions/registers/index.html",
        {"title": _("三重一大 registers"), "form": form, "page": result.page, "sorts": result.sort_links, "units": _units(request.user)},
    )


@login_required
def registers_export(request):
    """The filtered register (all rows, in the page's order) with each entry's violations."""
    _require_manage(request.user)
    _form, qs = _entries(request)
    entries = list(lists.sorted_rows(request, qs, lists.ENTRY_SORTS, "-executed"))
    return exports.export_list(
        request.user,
        code="decisions.register.exported",
        title=_("三重一大 register"),
        columns=register_workbook.EXPORT_COLUMNS,
        rows=register_workbook.export_rows(entries, _found_by_entry(entries)),
        data={"filters": request.GET.urlencode()[:500]},
    )


@login_required
def registers_template(request):
    _require_manage(request.user)
    return register_workbook.template_response()


@login_required
def new_entry(request):
    unit = _unit_from(request)
    form = EntryForm(request.POST or None, decisions=register_queries.decisions_for_unit(request.user, unit), leaders=actions.current_leaders(unit))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        leaders = {c.pk: c for c in actions.current_leaders(unit)}
        try:
            entry = register_actions.add_entry(
                actor=request.user,
                unit=unit,
                kind=data["kind"],
                title=data["title"],
                amount=data["amount"],
                executed_on=data["executed_on"],
                decision=data["decision"],
                responsible=leaders.get(data["responsible"]),
                note=data["note"],
            )
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The entry is registered."))
            return redirect("decisions:register_entry", pk=entry.pk)
    return render(request, "decisions/registers/new.html", {"title": _("Register for %(unit)s") % {"unit": unit.name}, "form": form, "unit": unit})


@login_required
def entry_detail(request, pk):
    _require_manage(request.user)
    entry = register_queries.get_entry_for(request.user, pk)
    decisions = register_queries.decisions_for_unit(request.user, entry.unit)
    form = LinkForm(request.POST or None, decisions=decisions)
    if request.method == "POST" and form.is_valid():
        try:
            register_actions.link_decision(actor=request.user, entry=entry, decision=form.cleaned_data["decision"])
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The decision is linked."))
            return redirect("decisions:register_entry", pk=entry.pk)
    rule = violations.rule_for(entry.unit)
    return render(
        request,
        "decisions/registers/entry.html",
        {
            "title": entry.title,
            "entry": entry,
            "rule": rule.explain(),
            "violations": violations.entry_violations(entry, rule),
            "form": form,
            # link the meeting only when this reader may open it (no dead links)
            "meeting_visible": bool(entry.decision_id) and queries.meetings_visible_to(request.user).filter(pk=entry.decision.meeting_id).exists(),
        },
    )


@login_required
def import_entries(request):
    unit = _unit_from(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            with register_workbook.save_upload(form.cleaned_data["workbook"]) as handle:
                rows = register_workbook.read_rows(request.user, unit, handle.name)
            entries = register_actions.import_entries(actor=request.user, unit=unit, rows=rows)
        except exports.WorkbookError as error:
            form.add_error("workbook", str(error))
        except ActionError as error:
            form.add_error("workbook", error.message)
        else:
            messages.success(request, _("%(n)d entries imported.") % {"n": len(entries)})
            return redirect("decisions:registers")
    return render(request, "decisions/registers/import.html", {"title": _("Import the register of %(unit)s") % {"unit": unit.name}, "form": form, "unit": unit})


# --- rules --------------------------------------------------------------------------------------


@login_required
def rules(request):
    _require_manage(request.user)
    units = _units(request.user)
    form = RuleForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            register_actions.set_unit_rule(
                actor=request.user, unit=units.get(pk=data["unit"]), threshold=data["threshold"], matter_kinds=data["matter_kinds"], basis=data["basis"]
            )
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The unit's rule is set."))
            return redirect("decisions:rules")
    own = UnitRule.objects.filter(unit__in=units).select_related("unit")
    return render(
        request,
        "decisions/registers/rules.html",
        {
            "title": _("三重一大 thresholds and matters"),
            "district": violations.district_rule().explain(),
            "own": [(r, violations.rule_for(r.unit).explain()) for r in own],
            "form": form,
        },
    )


# --- violations ---------------------------------------------------------------------------------


def clue_departments(user):
    """The member departments a clue officer may send a clue to (the discipline department first)."""
    from jiandu.core import clue_referrals
    from jiandu.oversight.models import JointMember

    sending = clue_referrals.sending_department(user)
    if sending is None:
        return []
    units = [m.unit for m in JointMember.objects.filter(is_active=True).select_related("unit").order_by("unit__path") if m.unit_id != sending.pk]
    units.sort(key=lambda u: "纪委" not in u.name)  # the discipline department first
    return units


def _violations(user):
    return violations.find(register_queries.entries_visible_to(user), register_queries.void_items_visible_to(user))


@login_required
def violation_list(request):
    _require_manage(request.user)
    form = lists.ViolationFilter(request.GET, units=_units(request.user))
    found = lists.filter_violations(_violations(request.user), **listing.cleaned_filters(form))
    if request.GET.get("format") == "xlsx":
        rows = (
            [v.unit.name, v.label, (v.entry or v.item).title, v.explanation, v.handed.clue.number if v.handed else ""]
            for v in lists.sort_violations(request, found)
        )
        return exports.export_list(
            request.user,
            code="decisions.violations.exported",
            title=_("三重一大 violations"),
            columns=lists.VIOLATION_COLUMNS,
            rows=rows,
            data={"filters": request.GET.urlencode()[:500]},
        )
    result = lists.violation_page(request, found)
    departments = clue_departments(request.user)
    for v in result.page:
        v.form = HandOverForm(initial={"violation": v.key}, departments=departments) if departments and not v.handed else None
    return render(
        request,
        "decisions/registers/violations.html",
        {"title": _("三重一大 violations"), "form": form, "page": result.page, "sorts": result.sort_links, "may_hand_over": bool(departments)},
    )


@login_required
@require_POST
def hand_over(request):
    _require_manage(request.user)
    form = HandOverForm(request.POST, departments=clue_departments(request.user))
    if not form.is_valid():
        messages.error(request, _("Choose the department that receives the clue."))
        return redirect("decisions:violations")
    match = next((v for v in _violations(request.user) if v.key == form.cleaned_data["violation"]), None)
    if match is None:
        raise access.NotVisible()
    try:
        handed = register_actions.hand_over_violation(
            actor=request.user, kind=match.kind, entry=match.entry, item=match.item, to_unit=form.cleaned_data["to_unit"]
        )
    except ActionError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Handed to daily supervision as clue %(number)s.") % {"number": handed.clue.number})
    return redirect("decisions:violations")


# --- tasks --------------------------------------------------------------------------------------


@login_required
def tasks(request):
    _require_manage(request.user)
    today = dt.date.today()
    form = lists.TaskFilter(request.GET)
    qs = lists.filter_tasks(register_queries.tasks_visible_to(request.user), today=today, **listing.cleaned_filters(form))
    if request.GET.get("format") == "xlsx":
        rows = (
            [t.description, t.decision.title, t.decision.meeting.held_on, t.unit.name, t.owner, t.due_on, t.status, t.is_overdue(today)]
            for t in lists.sorted_rows(request, qs, lists.TASK_SORTS, "due").iterator(chunk_size=500)
        )
        return exports.export_list(
            request.user,
            code="decisions.tasks.exported",
            title=_("Tasks from decisions"),
            columns=lists.TASK_COLUMNS,
            rows=rows,
            data={"filters": request.GET.urlencode()[:500]},
        )
    result = listing.list_page(request, qs, sorts=lists.TASK_SORTS, default_sort="due")
    for task in result.page:
        task.overdue = task.is_overdue(today)
    may_create = register_queries.passed_items_visible_to(request.user).exists()
    return render(
        request,
        "decisions/registers/tasks.html",
        {"title": _("Tasks from decisions"), "form": form, "page": result.page, "sorts": result.sort_links, "may_create": may_create},
    )


@login_required
def new_task(request):
    _require_manage(request.user)
    decisions = register_queries.passed_items_visible_to(request.user).order_by("-meeting__held_on", "order")
    form = TaskForm(request.POST or None, decisions=decisions, units=Unit.objects.order_by("path"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task = register_actions.create_task(
                actor=request.user,
                decision=decisions.get(pk=data["decision"]),
                unit=Unit.objects.get(pk=data["unit"]),
                owner=data["owner"],
                description=data["description"],
                due_on=data["due_on"],
                working_days=data["working_days"],
            )
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The task is given."))
            return redirect("decisions:task", pk=task.pk)
    return render(request, "decisions/registers/task_new.html", {"title": _("Give a unit a task from a decision"), "form": form})


@login_required
def task_detail(request, pk):
    _require_manage(request.user)
    task = register_queries.get_task_for(request.user, pk)
    may_report = register_queries.may_report(request.user, task) and task.status == DecisionTask.Status.OPEN
    may_close = register_queries.may_close(request.user, task) and task.status == DecisionTask.Status.OPEN
    progress_form = ProgressForm(request.POST if request.POST.get("do") == "progress" else None)
    close_form = CloseForm(request.POST if request.POST.get("do") == "close" else None)
    if request.method == "POST":
        try:
            if request.POST.get("do") == "progress" and progress_form.is_valid():
                register_actions.report_progress(
                    actor=request.user, task=task, text=progress_form.cleaned_data["text"], reported_on=progress_form.cleaned_data["reported_on"]
                )
                messages.success(request, _("The progress is reported."))
                return redirect("decisions:task", pk=task.pk)
            if request.POST.get("do") == "close" and close_form.is_valid():
                register_actions.close_task(actor=request.user, task=task, note=close_form.cleaned_data["note"])
                messages.success(request, _("The task is closed."))
                return redirect("decisions:task", pk=task.pk)
        except ActionError as error:
            messages.error(request, error.message)
    return render(
        request,
        "decisions/registers/task.html",
        {
            "title": task.description,
            "task": task,
            "overdue": task.is_overdue(dt.date.today()),
            "progress": task.progress.all(),
            "progress_form": progress_form if may_report else None,
            "close_form": close_form if may_close else None,
        },
    )
