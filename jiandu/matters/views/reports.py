"""Personal-matters pages: reporting years, draws, the reporters and their reports."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiandu.accounts import access
from jiandu.core.errors import ActionError
from jiandu.core.exports import Column, export_response
from jiandu.core.practice import get_setting

from .. import actions, forms, queries
from .. import items as item_specs
from ..models import Draw, Report
from .common import STATE_LABELS, _invalid, _run

# --- years and reports ---------------------------------------------------------------------------


@login_required
def index(request):
    queries.require_view(request.user)
    years = list(queries.years_visible_to(request.user))
    return render(
        request,
        "matters/index.html",
        {"years": years, "form": forms.OpenYearForm(), "can_open": access.is_unrestricted(request.user, queries.VIEW)},
    )


@login_required
@require_POST
def open_year(request):
    queries.require_view(request.user)
    form = forms.OpenYearForm(request.POST)
    if not form.is_valid():
        _invalid(request, form)
        return redirect("matters:index")
    year = form.cleaned_data["year"]
    return _run(
        request,
        lambda: actions.open_year(actor=request.user, year=year, deadline=form.cleaned_data["deadline"]),
        _("The reporting year is open and its list of reporters frozen."),
        redirect("matters:index"),
    )


@login_required
def year_detail(request, year):
    year = queries.get_year_for(request.user, year)
    today = dt.date.today()
    reporters = list(queries.reporters_visible_to(request.user, year).order_by("unit__path", "cadre__sort_pinyin"))
    counts = {}
    for r in reporters:
        r.state = queries.reporter_state(r, today)
        r.state_label = STATE_LABELS[r.state]
        counts[r.state] = counts.get(r.state, 0) + 1
    show = request.GET.get("show", "")
    if show in STATE_LABELS:
        reporters = [r for r in reporters if r.state == show]
    actions.record_view(actor=request.user, year=year)
    draw = Draw.objects.filter(year=year).first()
    return render(
        request,
        "matters/year.html",
        {
            "year": year,
            "reporters": reporters,
            "counts": [(k, STATE_LABELS[k], counts.get(k, 0)) for k in STATE_LABELS],
            "show": show,
            "draw": draw,
            "draw_form": forms.DrawForm(),
            "share": get_setting("matters.random_share"),
            "can_draw": access.is_unrestricted(request.user, queries.VIEW) and draw is None,
            "can_export": access.can(request.user, "matters.export_reports") and access.is_unrestricted(request.user, queries.VIEW),
        },
    )


@login_required
def year_export(request, year):
    year = queries.get_year_for(request.user, year)
    rows = actions.export_reports(actor=request.user, year=year)
    columns = [
        Column("cadre", _("Cadre")),
        Column("unit", _("Unit")),
        Column("version", _("Version")),
        Column("kind", _("Item")),
        Column("holder", _("Whose")),
        Column("name", _("Name")),
        Column("values", _("Details"), width=60),
    ]
    response, _count = export_response(
        _("personal-matters reports %(year)s.xlsx") % {"year": year.year}, columns=columns, rows=rows, sheet_title=str(year.year)
    )
    return response


@login_required
@require_POST
def draw_make(request, year):
    year = queries.get_year_for(request.user, year)
    form = forms.DrawForm(request.POST)
    if not form.is_valid():
        _invalid(request, form)
        return redirect("matters:year", year=year.year)
    return _run(
        request,
        lambda: actions.draw_sample(actor=request.user, year=year, seed=form.cleaned_data["seed"]),
        _("The random sample is drawn."),
        redirect("matters:year", year=year.year),
    )


@login_required
def draw_detail(request, pk):
    queries.require_view(request.user)
    draw = Draw.objects.select_related("year", "drawn_by").filter(pk=pk).first()
    if draw is None:
        raise access.NotVisible()
    checks = queries.checks_visible_to(request.user).filter(draw=draw).order_by("cadre__sort_pinyin")
    return render(request, "matters/draw.html", {"draw": draw, "checks": checks, "rerun": request.session.pop(f"matters.rerun.{draw.pk}", None)})


@login_required
@require_POST
def draw_rerun(request, pk):
    queries.require_view(request.user)
    draw = Draw.objects.filter(pk=pk).first()
    if draw is None:
        raise access.NotVisible()
    again, same = actions.rerun_draw(actor=request.user, draw=draw)
    request.session[f"matters.rerun.{draw.pk}"] = {"count": len(again), "same": same}
    return redirect("matters:draw", pk=draw.pk)


@login_required
def mine(request):
    reporters = list(queries.own_reporters(request.user))
    for r in reporters:
        r.state_label = STATE_LABELS[queries.reporter_state(r)]
    cadre_id = getattr(request.user, "cadre_id", None)
    may_report_change = bool(cadre_id and access.is_self(request.user, cadre_id) and access.can(request.user, "self.answer"))
    return render(request, "matters/mine.html", {"reporters": reporters, "may_report_change": may_report_change})


@login_required
def reporter_detail(request, pk):
    reporter = queries.get_reporter_for(request.user, pk)
    reports = list(reporter.reports.order_by("-version"))
    state = queries.reporter_state(reporter)
    return render(
        request,
        "matters/reporter.html",
        {
            "reporter": reporter,
            "reports": reports,
            "state_label": STATE_LABELS[state],
            "has_draft": any(r.status == Report.Status.DRAFT for r in reports),
            "has_submitted": any(r.status == Report.Status.SUBMITTED for r in reports),
            "form": forms.StartReportForm(),
        },
    )


@login_required
@require_POST
def reporter_start(request, pk):
    reporter = queries.get_reporter_for(request.user, pk)
    form = forms.StartReportForm(request.POST)
    if not form.is_valid():
        _invalid(request, form)
        return redirect("matters:reporter", pk=reporter.pk)
    try:
        report = actions.start_report(actor=request.user, reporter=reporter, correction_reason=form.cleaned_data["correction_reason"])
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect("matters:reporter", pk=reporter.pk)
    return redirect("matters:report", pk=report.pk)


@login_required
def report_detail(request, pk):
    report = queries.get_report_for(request.user, pk)
    actions.record_view(actor=request.user, report=report)
    writable = report.status == Report.Status.DRAFT and report.channel == _channel(request.user, report)
    kind = item_specs.KINDS.get(request.GET.get("kind", ""))
    sections = [
        (_("Family matters (规定 art. 3)"), [k for k in item_specs.KINDS.values() if k.section == item_specs.FAMILY]),
        (_("Income and assets (规定 art. 4)"), [k for k in item_specs.KINDS.values() if k.section == item_specs.ASSET]),
    ]
    return render(
        request,
        "matters/report.html",
        {
            "report": report,
            "reporter": report.reporter,
            "items": report.items.all(),
            "writable": writable,
            "sections": sections,
            "kind": kind,
            "item_form": forms.item_form(kind) if kind and writable else None,
            "submit_form": forms.SubmitForm(),
        },
    )


def _channel(user, report):
    if access.is_self(user, report.reporter.cadre) and access.can(user, "self.answer"):
        return Report.Channel.SELF
    return Report.Channel.PAPER if access.can(user, queries.VIEW, report.reporter.unit) else None


@login_required
@require_POST
def report_item(request, pk):
    report = queries.get_report_for(request.user, pk)
    kind = item_specs.KINDS.get(request.POST.get("kind", ""))
    if kind is None:
        messages.error(request, _("Choose the kind of item."))
        return redirect("matters:report", pk=report.pk)
    form = forms.item_form(kind, request.POST)
    if not form.is_valid():
        _invalid(request, form)
        return redirect(f"{request.path.removesuffix('item/')}?kind={kind.code}")
    data = form.cleaned_data
    values = {f.name: data.get(f.name, "") for f in kind.fields}
    return _run(
        request,
        lambda: actions.add_item(actor=request.user, report=report, kind=kind.code, holder=data["holder"], holder_name=data["holder_name"], values=values),
        _("The item is added."),
        redirect("matters:report", pk=report.pk),
    )


@login_required
@require_POST
def report_item_remove(request, pk, position):
    report = queries.get_report_for(request.user, pk)
    return _run(
        request,
        lambda: actions.remove_item(actor=request.user, report=report, position=position),
        _("The item is removed."),
        redirect("matters:report", pk=report.pk),
    )


@login_required
@require_POST
def report_submit(request, pk):
    report = queries.get_report_for(request.user, pk)
    form = forms.SubmitForm(request.POST)
    if not form.is_valid():
        _invalid(request, form)
        return redirect("matters:report", pk=report.pk)
    return _run(
        request,
        lambda: actions.submit_report(actor=request.user, report=report, received_on=form.cleaned_data["received_on"]),
        _("The report is submitted."),
        redirect("matters:report", pk=report.pk),
    )
