"""Pages of 个人有关事项: reporting years and reports, checks, passport custody. Every page that
shows reports or checks is journaled (actions.record_view)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jiandu.accounts import access
from jiandu.core.errors import ActionError
from jiandu.core.exports import DATE, Column, export_response
from jiandu.core.practice import get_setting
from jiandu.registry.models import Cadre

from . import actions, compare, forms, queries
from . import items as item_specs
from .models import Check, CheckRequest, Draw, Loan, Report, TravelDocument, TravelRequest

STATE_LABELS = {
    "submitted": gettext_lazy("submitted"),
    "late": gettext_lazy("submitted late"),
    "missing": gettext_lazy("missing"),
    "pending": gettext_lazy("not yet submitted"),
}


def _run(request, work, done, target):
    try:
        work()
    except ActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return target


def _invalid(request, form):
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}：{errors[0]}" if label else errors[0])


def _cadre_choices(user, perm):
    cadres = Cadre.objects.filter(access.scope_q(user, perm, "unit__path"), status=Cadre.Status.SERVING).order_by("sort_pinyin")[:2000]
    return [("", "—")] + [(c.pk, f"{c.name}（{c.unit.label}）") for c in cadres.select_related("unit")]


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
    return render(request, "matters/mine.html", {"reporters": reporters})


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


# --- checks --------------------------------------------------------------------------------------


@login_required
def checks(request):
    qs = queries.checks_visible_to(request.user).order_by("status", "-opened_at")
    form = forms.TargetedCheckForm()
    form.fields["cadre"].widget.choices = _cadre_choices(request.user, queries.VIEW)
    return render(request, "matters/checks.html", {"checks": qs[:500], "form": form})


@login_required
@require_POST
def check_targeted(request):
    queries.require_view(request.user)
    form = forms.TargetedCheckForm(request.POST)
    if not form.is_valid():
        _invalid(request, form)
        return redirect("matters:checks")
    cadre = Cadre.objects.filter(access.scope_q(request.user, queries.VIEW, "unit__path"), pk=form.cleaned_data["cadre"]).select_related("unit").first()
    if cadre is None:
        messages.error(request, _("Choose the cadre from the list."))
        return redirect("matters:checks")
    try:
        check = actions.request_targeted_check(cadre=cadre, reason=form.cleaned_data["reason"], actor=request.user)
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect("matters:checks")
    messages.success(request, _("The targeted check is open."))
    return redirect("matters:check", pk=check.pk)


@login_required
def check_detail(request, pk):
    check = queries.get_check_for(request.user, pk)
    actions.record_view(actor=request.user, check=check)
    asked = set(check.requests.values_list("department", flat=True))
    request_form = forms.RequestForm()
    request_form.fields["department"].widget.choices = [(d, d) for d in get_setting("matters.check_departments") or [] if d not in asked]
    kind = item_specs.KINDS.get(request.GET.get("kind", ""))
    return render(
        request,
        "matters/check.html",
        {
            "check": check,
            "requests": check.requests.all(),
            "comparisons": compare.compare(check),
            "report_items": check.report.items.all() if check.report else [],
            "open": check.status == Check.Status.OPEN,
            "request_form": request_form,
            "reply_form": forms.ReplyForm(),
            "kinds": list(item_specs.KINDS.values()),
            "kind": kind,
            "item_form": forms.item_form(kind) if kind else None,
            "classify_choices": forms.ClassifyForm.base_fields["classification"].choices,
            "conclude_form": forms.ConcludeForm(initial={"decided_on": dt.date.today()}),
        },
    )


@login_required
@require_POST
def check_request(request, pk):
    check = queries.get_check_for(request.user, pk)
    form = forms.RequestForm(request.POST)
    if not form.is_valid():
        _invalid(request, form)
        return redirect("matters:check", pk=check.pk)
    return _run(
        request,
        lambda: actions.send_request(actor=request.user, check=check, department=form.cleaned_data["department"]),
        _("The records request is sent."),
        redirect("matters:check", pk=check.pk),
    )


@login_required
@require_POST
def request_reply(request, pk):
    records_request = CheckRequest.objects.filter(pk=pk).first()
    if records_request is None:
        raise access.NotVisible()
    check = queries.get_check_for(request.user, records_request.check_case_id)
    form = forms.ReplyForm(request.POST)
    target = redirect("matters:check", pk=check.pk)
    if not form.is_valid():
        _invalid(request, form)
        return target
    rows = []
    kind = item_specs.KINDS.get(request.POST.get("kind", ""))
    if kind is not None:
        item_form = forms.item_form(kind, request.POST)
        if not item_form.is_valid():
            _invalid(request, item_form)
            return target
        data = item_form.cleaned_data
        rows.append(
            {"kind": kind.code, "holder": data["holder"], "holder_name": data["holder_name"], "values": {f.name: data.get(f.name, "") for f in kind.fields}}
        )
    return _run(
        request,
        lambda: actions.record_reply(actor=request.user, request=records_request, replied_on=form.cleaned_data["replied_on"], rows=rows),
        _("The reply is recorded."),
        target,
    )


@login_required
@require_POST
def check_classify(request, pk):
    check = queries.get_check_for(request.user, pk)
    form = forms.ClassifyForm(request.POST)
    if not form.is_valid():
        _invalid(request, form)
        return redirect("matters:check", pk=check.pk)
    return _run(
        request,
        lambda: actions.classify(
            actor=request.user, check=check, reply_item_id=form.cleaned_data["reply_item"], classification=form.cleaned_data["classification"]
        ),
        _("The classification is recorded."),
        redirect("matters:check", pk=check.pk),
    )


@login_required
@require_POST
def check_conclude(request, pk):
    check = queries.get_check_for(request.user, pk)
    form = forms.ConcludeForm(request.POST)
    if not form.is_valid():
        _invalid(request, form)
        return redirect("matters:check", pk=check.pk)
    data = form.cleaned_data
    return _run(
        request,
        lambda: actions.conclude_check(
            actor=request.user, check=check, handling=data["handling"], decided_on=data["decided_on"], deciding_body=data["deciding_body"]
        ),
        _("The check is concluded."),
        redirect("matters:check", pk=check.pk),
    )


# --- passports -----------------------------------------------------------------------------------


@login_required
def passports(request):
    holders = queries.holders_visible_to(request.user).prefetch_related("documents")
    form = forms.HolderForm(initial={"registered_on": dt.date.today()})
    form.fields["cadre"].widget.choices = _cadre_choices(request.user, queries.PASSPORTS)
    return render(
        request,
        "matters/passports.html",
        {
            "holders": holders,
            "overdue": queries.overdue_loans(request.user),
            "waiting": queries.travels_visible_to(request.user).filter(status=TravelRequest.Status.REQUESTED),
            "form": form,
            "return_days": get_setting("matters.passport_return_days"),
        },
    )


@login_required
def passports_export(request):
    rows = actions.export_register(actor=request.user)
    columns = [
        Column("name", _("Name")),
        Column("gender", _("Gender")),
        Column("birth_on", _("Birth date")),
        Column("id_number", _("ID number"), width=22),
        Column("unit", _("Unit and post"), width=30),
        Column("registered_on", _("Registered on"), kind=DATE),
        Column("documents", _("Documents kept"), width=40),
    ]
    response, _count = export_response(_("registered staff.xlsx"), columns=columns, rows=rows, sheet_title=_("Registered staff"))
    return response


@login_required
@require_POST
def passports_register(request):
    queries.require_passports(request.user)
    form = forms.HolderForm(request.POST)
    if not form.is_valid():
        _invalid(request, form)
        return redirect("matters:passports")
    cadre = Cadre.objects.filter(access.scope_q(request.user, queries.PASSPORTS, "unit__path"), pk=form.cleaned_data["cadre"]).select_related("unit").first()
    if cadre is None:
        messages.error(request, _("Choose the cadre from the list."))
        return redirect("matters:passports")
    return _run(
        request,
        lambda: actions.register_holder(actor=request.user, cadre=cadre, registered_on=form.cleaned_data["registered_on"]),
        _("The cadre is registered."),
        redirect("matters:passports"),
    )


@login_required
def holder_detail(request, pk):
    holder = queries.get_holder_for(request.user, pk)
    documents = list(holder.documents.all())
    travels = list(holder.travels.all())
    loans = list(Loan.objects.filter(document__holder=holder).select_related("document", "travel").order_by("-lent_on"))
    today = dt.date.today()
    for loan in loans:
        loan.overdue = loan.returned_on is None and loan.due_on < today
        loan.late = loan.returned_on is not None and loan.returned_on > loan.due_on
    lend = forms.LendForm(initial={"lent_on": today})
    lend.fields["document"].widget.choices = [(d.pk, f"{d.get_kind_display()} {d.number}") for d in documents if d.status == TravelDocument.Status.KEPT]
    lend.fields["travel"].widget.choices = [
        (t.pk, f"{t.destination} {t.departs_on:%Y-%m-%d}–{t.returns_on:%Y-%m-%d}") for t in travels if t.status == TravelRequest.Status.APPROVED
    ]
    return render(
        request,
        "matters/holder.html",
        {
            "holder": holder,
            "documents": documents,
            "travels": travels,
            "loans": loans,
            "document_form": forms.DocumentForm(initial={"received_on": today}),
            "travel_form": forms.TravelForm(),
            "lend_form": lend,
            "return_form": forms.ReturnForm(initial={"returned_on": today}),
            "decide_form": forms.DecideForm(),
            "can_decide": access.can(request.user, "matters.approve_travel", holder.cadre.unit) and getattr(request.user, "cadre_id", None) != holder.cadre_id,
        },
    )


def _holder_post(request, pk, form_class, work, done):
    holder = queries.get_holder_for(request.user, pk)
    form = form_class(request.POST)
    target = redirect("matters:holder", pk=holder.pk)
    if not form.is_valid():
        _invalid(request, form)
        return target
    return _run(request, lambda: work(holder, form.cleaned_data), done, target)


@login_required
@require_POST
def holder_document(request, pk):
    return _holder_post(
        request,
        pk,
        forms.DocumentForm,
        lambda h, d: actions.receive_document(
            actor=request.user, holder=h, kind=d["kind"], number=d["number"], received_on=d["received_on"], expires_on=d["expires_on"]
        ),
        _("The document is in custody."),
    )


@login_required
@require_POST
def holder_travel(request, pk):
    return _holder_post(
        request,
        pk,
        forms.TravelForm,
        lambda h, d: actions.request_travel(
            actor=request.user, holder=h, destination=d["destination"], purpose=d["purpose"], departs_on=d["departs_on"], returns_on=d["returns_on"]
        ),
        _("The travel request is recorded."),
    )


@login_required
@require_POST
def holder_lend(request, pk):
    def work(holder, d):
        document = holder.documents.filter(pk=d["document"]).first()
        travel = holder.travels.filter(pk=d["travel"]).first()
        if document is None or travel is None:
            raise ActionError(_("Choose the document and the approved travel from the lists."))
        actions.lend_document(actor=request.user, document=document, travel=travel, lent_on=d["lent_on"])

    return _holder_post(request, pk, forms.LendForm, work, _("The document is lent."))


@login_required
@require_POST
def travel_decide(request, pk):
    travel = queries.get_travel_for(request.user, pk)
    form = forms.DecideForm(request.POST)
    target = redirect("matters:holder", pk=travel.holder_id)
    if not form.is_valid():
        _invalid(request, form)
        return target
    return _run(
        request,
        lambda: actions.decide_travel(actor=request.user, travel=travel, approve=form.cleaned_data["approve"] == "1"),
        _("The decision is recorded."),
        target,
    )


@login_required
@require_POST
def loan_return(request, pk):
    loan = queries.loans_visible_to(request.user).filter(pk=pk).first()
    if loan is None:
        raise access.NotVisible()
    form = forms.ReturnForm(request.POST)
    target = redirect("matters:holder", pk=loan.document.holder_id)
    if not form.is_valid():
        _invalid(request, form)
        return target
    return _run(
        request,
        lambda: actions.return_document(actor=request.user, loan=loan, returned_on=form.cleaned_data["returned_on"]),
        _("The document is back in custody."),
        target,
    )
