"""Pages of selection cases: the list, one case with its stages, candidates, vetting, decision,
notice and appointment, the forms of each action, the vetting departments' requests, and the
record sheet per candidate (PDF and xlsx)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.errors import ActionError
from jiandu.core.exports import Column, export_response
from jiandu.core.pdf import pdf_response
from jiandu.decisions.models import Body
from jiandu.registry.models import Cadre, Position, Unit

from . import actions, forms, four_checks, queries, reconsider_views, rules, sheet
from .models import Objection, Stage


def _can_see(user) -> bool:
    return access.can(user, "selection.view") or access.can(user, "selection.vet")


@login_required
def index(request):
    if not _can_see(request.user):
        raise access.NotVisible()
    cases = list(queries.cases_visible_to(request.user).prefetch_related("stages")[:200]) if access.can(request.user, "selection.view") else []
    rows = [{"case": c, "next": c.next_stage()} for c in cases]
    requests = list(queries.vetting_requests_for_department(request.user).order_by("result", "due_on")[:200])
    return render(
        request,
        "selection/index.html",
        {
            "title": _("Selection supervision"),
            "rows": rows,
            "stage_labels": dict(Stage.choices),
            "requests": requests,
            "may_open": access.can(request.user, "selection.manage"),
            "may_vet": bool(queries.department_paths(request.user)),
            "may_view_surveys": access.can(request.user, "selection.view"),
        },
    )


@login_required
def overdue(request):
    """Vetting requests past their deadline without a reply, among those the user sees."""
    if not _can_see(request.user):
        raise access.NotVisible()
    rows = list(queries.overdue(queries.vetting_requests_visible_to(request.user)).order_by("due_on")[:500])
    return render(request, "selection/overdue.html", {"title": _("Overdue vetting replies"), "rows": rows})


def _manageable_units(user):
    return Unit.objects.filter(access.scope_q(user, "selection.manage", "path"))


@login_required
def new_case(request):
    if not access.can(request.user, "selection.manage"):
        raise access.NotVisible()
    units = _manageable_units(request.user)
    positions = Position.objects.filter(unit__in=units, is_active=True, kind="leading").select_related("unit").order_by("unit__path", "order", "id")
    form = forms.CaseForm(request.POST or None, positions=positions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = list(data["positions"])
        unit = _common_unit(chosen, units)
        try:
            case = actions.create_case(actor=request.user, unit=unit, **{k: v for k, v in data.items()})
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The case is opened with its motion."))
            return redirect("selection:case", pk=case.pk)
    return render(request, "selection/form.html", {"title": _("Open a selection case (motion)"), "form": form})


def _common_unit(positions, units):
    """The highest manageable unit above every chosen position (the case's unit)."""
    paths = [p.unit.path for p in positions]
    best = None
    for unit in units.order_by("path"):
        if all(path.startswith(unit.path) for path in paths) and (best is None or len(unit.path) > len(best.path)):
            best = unit
    return best or positions[0].unit


@login_required
def case_detail(request, pk):
    case = queries.get_case_for(request.user, pk)
    stages = queries.stage_rows(case)
    candidates = []
    for candidate in case.candidates.select_related("cadre__unit", "position__unit", "tenure", "file_review").prefetch_related(
        "vetting__department", "objections"
    ):
        candidates.append(
            {
                "c": candidate,
                "checks": four_checks.four_checks(candidate),
                "verdict": queries.candidate_verdict(candidate),
                "outcome": queries.outcome_label(candidate.outcome),
                "missing": sheet.missing(candidate),
                "may_form": _may_open_form(request.user, candidate.cadre),
            }
        )
    decision = getattr(case, "decision", None)
    recommended = next((row["record"] for row in stages if row["stage"] == Stage.RECOMMENDATION and row["record"]), None)
    return render(
        request,
        "selection/case.html",
        {
            "title": case.title,
            "case": case,
            "stages": stages,
            "next": case.next_stage(),
            "recommendation_votes": list(case.recommendation_votes.all()),
            "recommendation_valid_until": rules.recommendation_valid_until(recommended.held_on) if recommended else None,
            "candidates": candidates,
            "canvassing": case.canvassing.select_related("cadre"),
            "objections": case.objections.select_related("candidate__cadre"),
            "decision": decision,
            "vetting_problems": queries.vetting_problems(case),
            "four_checks_basis": four_checks.BASIS,
            "may_manage": access.can(request.user, "selection.manage", case.unit),
            "may_decide": access.can(request.user, "selection.decide", case.unit),
            "may_reconsider": reconsider_views.may_reconsider(request.user, case),
        },
    )


def _may_open_form(user, cadre) -> bool:
    """The registry's 干部任免审批表 (PDF and .lrmx) opens for whoever sees the cadre in the registry
    with registry.view_sensitive on the cadre's unit (registry lrmx.require_print / require_export)."""
    return access.can(user, "registry.view", cadre.unit) and access.can(user, "registry.view_sensitive", cadre.unit)


def _managed_case(request, pk):
    case = queries.get_case_for(request.user, pk)
    if not access.can(request.user, "selection.manage", case.unit):
        raise access.NotVisible()
    return case


def _form_page(request, *, title, form, run, back, success):
    if request.method == "POST" and form.is_valid():
        try:
            run(form.cleaned_data)
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, success)
            return redirect(back)
    return render(request, "selection/form.html", {"title": title, "form": form, "back": back})


@login_required
def record_stage(request, pk, stage):
    case = _managed_case(request, pk)
    if stage not in actions.GENERIC_STAGES:
        raise access.NotVisible()
    form = forms.StageForm(request.POST or None)
    extra = queries.vetting_problems(case) if stage == Stage.VETTING else []
    if extra and request.method != "POST":
        form.add_error(None, _("Still open: %(problems)s") % {"problems": "；".join(extra)})
    return _form_page(
        request,
        title=_("%(case)s: record %(stage)s") % {"case": case.title, "stage": Stage(stage).label},
        form=form,
        run=lambda d: actions.record_stage(actor=request.user, case=case, stage=stage, **d),
        back=case_url(case),
        success=_("The stage is recorded."),
    )


def case_url(case):
    from django.urls import reverse

    return reverse("selection:case", args=[case.pk])


def _case_cadres(request):
    """Serving cadres the user may see in the registry."""
    return Cadre.objects.filter(access.scope_q(request.user, "registry.view", "unit__path"), status=Cadre.Status.SERVING).order_by("sort_pinyin", "id")


@login_required
def add_candidate(request, pk):
    case = _managed_case(request, pk)
    form = forms.CandidateForm(request.POST or None, cadres=_case_cadres(request), positions=case.positions.all())
    return _form_page(
        request,
        title=_("%(case)s: list an inspection subject") % {"case": case.title},
        form=form,
        run=lambda d: actions.add_candidate(actor=request.user, case=case, **d),
        back=case_url(case),
        success=_("The inspection subject is listed."),
    )


@login_required
def record_canvassing(request, pk):
    case = _managed_case(request, pk)
    form = forms.CanvassingForm(request.POST or None, cadres=_case_cadres(request))
    return _form_page(
        request,
        title=_("%(case)s: record canvassing") % {"case": case.title},
        form=form,
        run=lambda d: actions.record_canvassing(actor=request.user, case=case, **d),
        back=case_url(case),
        success=_("The canvassing is recorded."),
    )


@login_required
def prior_approval(request, pk):
    case = _managed_case(request, pk)
    return _form_page(
        request,
        title=_("%(case)s: prior approval of the exceptional promotion") % {"case": case.title},
        form=forms.ApprovalForm(request.POST or None),
        run=lambda d: actions.record_prior_approval(actor=request.user, case=case, **d),
        back=case_url(case),
        success=_("The prior approval is recorded."),
    )


@login_required
def send_vetting(request, pk):
    case = _managed_case(request, pk)
    return _form_page(
        request,
        title=_("%(case)s: send vetting requests") % {"case": case.title},
        form=forms.SendVettingForm(request.POST or None),
        run=lambda d: actions.send_vetting(actor=request.user, case=case, **d),
        back=case_url(case),
        success=_("The vetting requests are sent."),
    )


@login_required
def override_vetting(request, pk, candidate_pk):
    case = queries.get_case_for(request.user, pk)
    if not access.can(request.user, "selection.decide", case.unit):
        raise access.NotVisible()
    candidate = queries.get_candidate_for(request.user, candidate_pk)
    return _form_page(
        request,
        title=_("Go on with %(name)s despite the vetting") % {"name": candidate.cadre.name},
        form=forms.ReasonForm(request.POST or None),
        run=lambda d: actions.override_vetting(actor=request.user, candidate=candidate, **d),
        back=case_url(case),
        success=_("The override is recorded."),
    )


@login_required
def vetting_request(request, pk):
    """One request: its department's officers reply; the organisation department resolves a problem."""
    vetting = queries.get_vetting_request_for(request.user, pk)
    of_department = queries.vetting_requests_for_department(request.user).filter(pk=vetting.pk).exists()
    may_reply = of_department and not vetting.result
    may_resolve = vetting.open_problem and access.can(request.user, "selection.manage", vetting.candidate.case.unit)
    form = None
    if may_reply:
        form = forms.ReplyForm(request.POST or None)
        run = lambda d: actions.reply_vetting(actor=request.user, request=vetting, **d)  # noqa: E731
    elif may_resolve:
        form = forms.ResolutionForm(request.POST or None)
        run = lambda d: actions.resolve_vetting(actor=request.user, request=vetting, **d)  # noqa: E731
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            run(form.cleaned_data)
        except ActionError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("selection:vetting", pk=vetting.pk)
    return render(
        request,
        "selection/vetting.html",
        {
            "title": _("Vetting request"),
            "v": vetting,
            "form": form,
            "may_attach": of_department and Stage.VETTING not in vetting.candidate.case.recorded_stages(),
        },
    )


@login_required
def record_decision(request, pk):
    case = _managed_case(request, pk)
    bodies = Body.objects.filter(access.scope_q(request.user, "decisions.manage", "unit__path")).order_by("id")
    body = bodies.filter(pk=request.GET.get("body") or 0).first() if (request.GET.get("body") or "").isdigit() else None
    if body is None:
        return render(request, "selection/bodies.html", {"title": _("Choose the body that decides"), "bodies": bodies, "case": case})
    members = [m.cadre for m in body.memberships.select_related("cadre").order_by("id")]
    members.sort(key=lambda c: c.pk == body.principal_id)  # the principal states last
    candidates = list(case.candidates.select_related("cadre", "file_review").prefetch_related("vetting__department"))
    form = forms.DecisionForm(request.POST or None, members=members, candidates=candidates)
    if request.method != "POST":  # 凡提四必 still open, shown before the statements are entered
        for candidate in candidates:
            problems = four_checks.gate_problems(candidate)
            if problems:
                messages.warning(request, f"{candidate.cadre.name}：{'；'.join(problems)}")

    def run(data):
        absent = {m for m in members if all(data[f"s_{c.pk}_{m.pk}"] == form.ABSENT for c in candidates)}
        statements = {c: [(m, data[f"s_{c.pk}_{m.pk}"]) for m in members if m not in absent and data[f"s_{c.pk}_{m.pk}"] != form.ABSENT] for c in candidates}
        actions.record_decision(
            actor=request.user, case=case, body=body, held_on=data["held_on"], handler=data["handler"], absent=list(absent), statements=statements
        )

    return _form_page(
        request,
        title=_("%(case)s: decision of %(body)s") % {"case": case.title, "body": body.name},
        form=form,
        run=run,
        back=case_url(case),
        success=_("The decision is recorded."),
    )


@login_required
def start_notice(request, pk):
    case = _managed_case(request, pk)
    return _form_page(
        request,
        title=_("%(case)s: public notice") % {"case": case.title},
        form=forms.NoticeForm(request.POST or None),
        run=lambda d: actions.start_notice(actor=request.user, case=case, **d),
        back=case_url(case),
        success=_("The notice is recorded."),
    )


@login_required
def record_objection(request, pk):
    case = _managed_case(request, pk)
    return _form_page(
        request,
        title=_("%(case)s: record an objection") % {"case": case.title},
        form=forms.ObjectionForm(request.POST or None, candidates=case.candidates.select_related("cadre")),
        run=lambda d: actions.record_objection(actor=request.user, **d),
        back=case_url(case),
        success=_("The objection is recorded."),
    )


@login_required
def resolve_objection(request, pk, objection_pk):
    case = _managed_case(request, pk)
    objection = Objection.objects.filter(case=case, pk=objection_pk).first()
    if objection is None:
        raise access.NotVisible()
    return _form_page(
        request,
        title=_("Resolve the objection of %(date)s") % {"date": objection.received_on.isoformat()},
        form=forms.ResolveObjectionForm(request.POST or None),
        run=lambda d: actions.resolve_objection(actor=request.user, objection=objection, **d),
        back=case_url(case),
        success=_("The objection is resolved."),
    )


@login_required
def appoint(request, pk, candidate_pk):
    case = _managed_case(request, pk)
    candidate = queries.get_candidate_for(request.user, candidate_pk)
    if candidate.case_id != case.pk:
        raise access.NotVisible()
    return _form_page(
        request,
        title=_("Appoint %(name)s") % {"name": candidate.cadre.name},
        form=forms.AppointForm(request.POST or None),
        run=lambda d: actions.appoint_candidate(actor=request.user, candidate=candidate, **d),
        back=case_url(case),
        success=_("The appointment is recorded with its talks."),
    )


@login_required
def review_probation(request, pk, candidate_pk):
    case = queries.get_case_for(request.user, pk)
    if not access.can(request.user, "selection.decide", case.unit):
        raise access.NotVisible()
    candidate = queries.get_candidate_for(request.user, candidate_pk)
    return _form_page(
        request,
        title=_("Probation review of %(name)s") % {"name": candidate.cadre.name},
        form=forms.ProbationForm(request.POST or None),
        run=lambda d: actions.review_probation(actor=request.user, candidate=candidate, **d),
        back=case_url(case),
        success=_("The probation review is recorded."),
    )


@login_required
def record_sheet_pdf(request, pk, candidate_pk):
    candidate = queries.get_candidate_for(request.user, candidate_pk)
    if candidate.case_id != int(pk):
        raise access.NotVisible()
    content = sheet.pdf(candidate)
    journal.record(
        "selection.sheet.printed", actor=request.user, target=candidate.case, unit=candidate.case.unit, cadre=candidate.cadre, data={"format": "pdf"}
    )
    return pdf_response(content, sheet.filename(candidate, "pdf"))


SHEET_COLUMNS = [Column("item", gettext_lazy("Item"), width=24), Column("content", gettext_lazy("Content"), width=80)]


@login_required
def record_sheet_xlsx(request, pk, candidate_pk):
    candidate = queries.get_candidate_for(request.user, candidate_pk)
    if candidate.case_id != int(pk):
        raise access.NotVisible()
    journal.record(
        "selection.sheet.printed", actor=request.user, target=candidate.case, unit=candidate.case.unit, cadre=candidate.cadre, data={"format": "xlsx"}
    )
    response, _count = export_response(sheet.filename(candidate, "xlsx"), columns=SHEET_COLUMNS, rows=sheet.rows(candidate), sheet_title=_("Record sheet"))
    return response
