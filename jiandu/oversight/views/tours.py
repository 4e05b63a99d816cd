"""Inspection tour pages and the yearly statistics."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import exports, journal
from jiandu.core.queries import history_for
from jiandu.core.rectification import display, evidence
from jiandu.core.rectification import forms as rectification_forms

from .. import deadlines, queries, tables, uploads
from ..actions import tours as tour_actions
from ..forms import (
    ConfirmForm,
    DeclarationForm,
    FeedbackForm,
    FindingForm,
    FindingTransferForm,
    ItemForm,
    PublicSummaryForm,
    ReasonForm,
    RectificationReportForm,
    ReportForm,
    StationForm,
    TargetForm,
    TeamMemberForm,
    TourForm,
    WorkLogForm,
)
from ..models import InspectionTour, RectificationItem
from .common import action_page, filter_rows, form_data, list_page


def _crumbs(label, url, title):
    return [(_("Daily supervision"), reverse("oversight:index")), (label, url), (title, None)]


@login_required
def tour_list(request):
    access.require(request.user, "oversight.view")
    overdue = Q(stage=InspectionTour.Stage.RECTIFICATION, rectification_reported_on__isnull=True, rectification_due_on__lt=dt.date.today())
    form, qs = filter_rows(
        request,
        queries.tours_visible_to(request.user).prefetch_related("targets__unit"),
        statuses=InspectionTour.Stage.choices,
        kinds=InspectionTour.Kind.choices,
        status_field="stage",
        year_field="year",
        cadre_field=None,
        unit_field="targets__unit",
        overdue_q=overdue,
    )
    if "status" in form.fields:
        form.fields["status"].label = _("Stage")
    actions = [(_("Plan a tour"), reverse("oversight:tour_create"))] if access.can(request.user, "oversight.manage") else []
    actions.append((_("Rectification items"), reverse("oversight:rectification_list")))
    return list_page(request, title=_("Inspection tours"), qs=qs, columns=tables.TOURS, form=form, export_name="inspection-tours", actions=actions)


@login_required
def rectification_list(request):
    access.require(request.user, "oversight.view")
    visible = RectificationItem.objects.filter(tour__in=queries.tours_visible_to(request.user).values("pk")).select_related("tour", "unit")
    form, qs = filter_rows(
        request,
        visible,
        statuses=RectificationItem.Status.choices,
        cadre_field=None,
        overdue_q=Q(due_on__lt=dt.date.today()) & ~Q(status=RectificationItem.Status.CLOSED),
    )
    return list_page(request, title=_("Rectification items"), qs=qs, columns=tables.RECTIFICATION_ITEMS, form=form, export_name="rectification-items")


@login_required
def tour_create(request):
    access.require(request.user, "oversight.manage")
    created = {}

    def call(data):
        created["t"] = tour_actions.plan_tour(actor=request.user, **data)

    response = action_page(
        request,
        form=TourForm(*form_data(request), user=request.user, initial={"year": dt.date.today().year}),
        obj=None,
        title=_("Plan a tour"),
        call=call,
        success=_("Tour planned."),
        back=reverse("oversight:tour_list"),
    )
    if created:
        response["Location"] = reverse("oversight:tour_detail", args=[created["t"].pk])
    return response


def _rectification_items(tour, can_manage: bool) -> list:
    """The tour's items for the shared partial (core.rectification), with the steps the user may
    take; files attached to progress updates before the shared evidence field stay listed."""
    Stage = InspectionTour.Stage

    def links(item):
        if not can_manage:
            return []
        step = lambda name: reverse("oversight:tour_step_child", args=[tour.pk, name, item.pk])  # noqa: E731
        out = []
        if tour.stage in (Stage.FEEDBACK, Stage.RECTIFICATION) and item.can_report_progress():
            out.append((_("Record progress"), step("progress")))
        if tour.stage == Stage.RECTIFICATION and item.can_verify():
            out += [(_("Verify and close"), step("close-item")), (_("Return for more work"), step("return-item"))]
        if tour.stage in (Stage.RECTIFICATION, Stage.CLOSED) and item.can_record_visit():
            out.append((_("Record a follow-up visit"), step("visit")))
        return out

    items = tour.rectification_items.select_related("unit", "finding").prefetch_related("updates", "visits")
    rows = display.annotate(items, links=links, evidence_url=lambda r: reverse("oversight:rectification_evidence", args=[r.pk]))
    for item in rows:
        for report in item.reports:
            report.extra_files = [(f.original_name, reverse("oversight:download", args=[f.pk])) for f in uploads.attachments_of(report)]
    return rows


@login_required
def rectification_evidence(request, pk):
    """The evidence file of a tour's progress update, to a user who may read the tour: a download."""
    from ..models import RectificationUpdate

    update = RectificationUpdate.objects.filter(pk=pk, item__tour__in=queries.tours_visible_to(request.user).values("pk")).select_related("item__tour").first()
    response = evidence.response(update) if update is not None else None
    if response is None:
        raise access.NotVisible()
    tour = update.item.tour
    journal.record("oversight.tour.evidence_downloaded", actor=request.user, target=tour, unit=tour.organiser_id, data={"item": update.item_id})
    return response


@login_required
def tour_detail(request, pk):
    tour = queries.get_tour_for(request.user, pk)
    index = tour.stage_index()
    steps = [
        {"label": label, "state": "done" if i < index else ("current" if i == index else "pending")}
        for i, (value, label) in enumerate(InspectionTour.Stage.choices)
    ]
    can_manage = access.can(request.user, "oversight.manage", tour.organiser)
    items = _rectification_items(tour, can_manage)
    return render(
        request,
        "oversight/tour_detail.html",
        {
            "t": tour,
            "steps": steps,
            "blockers": tour.next_stage_blockers(),
            "members": tour.members.all(),
            "targets": tour.targets.select_related("unit", "first_responsible"),
            "logs": tour.work_logs.select_related("unit"),
            # Clues only as far as the user may read them (issue #8.2): the same scoped query.
            "findings": tour.findings.select_related("unit").prefetch_related(
                "cadres", Prefetch("clues", queryset=queries.clues_with_full_access(request.user))
            ),
            "rect_items": items,
            "rect_show_unit": True,
            "clues": queries.clues_with_full_access(request.user).filter(source_tour=tour),
            "files": uploads.attachments_of(tour),
            "due_explanation": deadlines.explain(tour.rectification_due_rule),
            "report_overdue": tour.is_rectification_report_overdue(dt.date.today()),
            "can_manage": can_manage,
            "entries": history_for(request.user, tour),
            "breadcrumbs": _crumbs(_("Inspection tours"), reverse("oversight:tour_list"), tour.name),
        },
    )


def _tour_action(request, pk, *, form, title, call, success, confirm=""):
    tour = queries.get_tour_for(request.user, pk)
    access.require(request.user, "oversight.manage", tour.organiser)
    return action_page(
        request,
        form=form(tour),
        obj=tour,
        title=title,
        call=lambda data: call(tour, data),
        success=success,
        back=reverse("oversight:tour_detail", args=[tour.pk]),
        confirm=confirm,
    )


def _child(model, tour, child_pk, **filters):
    row = model.objects.filter(pk=child_pk, tour=tour, **filters).first()
    if row is None:
        raise access.NotVisible()
    return row


def _today_initial(*names):
    return {name: dt.date.today() for name in names}


@login_required
def tour_step(request, pk, step, child=None):
    """One view for every tour action; `step` names it (see urls.py)."""
    from ..models import Finding, TourMember

    p = form_data(request)
    u = request.user
    steps = {
        "target": (lambda t: TargetForm(*p, user=u), _("Add a target unit"), lambda t, d: tour_actions.add_target(actor=u, tour=t, **d), _("Target added.")),
        "member": (lambda t: TeamMemberForm(*p), _("Add a team member"), lambda t, d: tour_actions.add_team_member(actor=u, tour=t, **d), _("Member added.")),
        "declare": (
            lambda t: DeclarationForm(*p, initial=_today_initial("declared_on")),
            _("Conflict-of-interest declaration"),
            lambda t, d: tour_actions.declare_interest(actor=u, member=_child(TourMember, t, child), **d),
            _("Declaration recorded."),
        ),
        "remove-member": (
            lambda t: ReasonForm(*p),
            _("Remove the team member"),
            lambda t, d: tour_actions.remove_team_member(actor=u, member=_child(TourMember, t, child), **d),
            _("Member removed."),
        ),
        "station": (
            lambda t: StationForm(*p, initial=_today_initial("stationed_on")),
            _("Start stationing"),
            lambda t, d: tour_actions.start_stationing(actor=u, tour=t, **d),
            _("Stationing started."),
        ),
        "log": (
            lambda t: WorkLogForm(*p, tour=t, initial=_today_initial("on")),
            _("Add to the work log"),
            lambda t, d: tour_actions.log_work(actor=u, tour=t, **d),
            _("Work logged."),
        ),
        "finish": (lambda t: ConfirmForm(*p), _("Finish stationing"), lambda t, d: tour_actions.finish_stationing(actor=u, tour=t), _("Stationing finished.")),
        "finding": (
            lambda t: FindingForm(*p, tour=t),
            _("Record a finding"),
            lambda t, d: tour_actions.record_finding(actor=u, tour=t, **d),
            _("Finding recorded."),
        ),
        "report": (
            lambda t: ReportForm(*p, initial={"report_text": t.report_text, "reported_on": dt.date.today()}),
            _("Record the report"),
            lambda t, d: tour_actions.record_report(actor=u, tour=t, report_text=d["report_text"], reported_on=d["reported_on"], file=d.get("file")),
            _("Report recorded."),
        ),
        "feedback": (
            lambda t: FeedbackForm(*p, initial=_today_initial("feedback_on")),
            _("Give feedback to the units"),
            lambda t, d: tour_actions.give_feedback(actor=u, tour=t, **d),
            _("Feedback recorded; the rectification report deadline is set."),
        ),
        "transfer": (
            lambda t: FindingTransferForm(*p, user=u, finding=_child(Finding, t, child)),
            _("Transfer the finding as a clue"),
            lambda t, d: tour_actions.transfer_finding(actor=u, finding=_child(Finding, t, child), **d),
            _("Finding transferred to the clue registry."),
        ),
        "item": (
            lambda t: ItemForm(*p, tour=t),
            _("Add a rectification item"),
            lambda t, d: tour_actions.add_rectification_item(actor=u, tour=t, **d),
            _("Rectification item added."),
        ),
        "rectify": (
            lambda t: ConfirmForm(*p),
            _("Start rectification"),
            lambda t, d: tour_actions.start_rectification(actor=u, tour=t),
            _("Rectification started."),
        ),
        "progress": (
            lambda t: rectification_forms.ProgressReportForm(*p, initial=_today_initial("on")),
            _("Record progress"),
            lambda t, d: tour_actions.record_progress(actor=u, item=_child(RectificationItem, t, child), **d),
            _("Progress recorded."),
        ),
        "close-item": (
            lambda t: rectification_forms.VerifyForm(*p),
            _("Verify and close the item (销号)"),
            lambda t, d: tour_actions.close_item(actor=u, item=_child(RectificationItem, t, child), verification_note=d["note"]),
            _("Item closed."),
        ),
        "return-item": (
            lambda t: rectification_forms.ReturnForm(*p),
            _("Return for more work"),
            lambda t, d: tour_actions.return_item(actor=u, item=_child(RectificationItem, t, child), note=d["note"]),
            _("The item is returned for more work."),
        ),
        "visit": (
            lambda t: rectification_forms.FollowUpVisitForm(*p, initial=_today_initial("visited_on")),
            _("Record a follow-up visit"),
            lambda t, d: tour_actions.record_visit(actor=u, item=_child(RectificationItem, t, child), **d),
            _("The follow-up visit is recorded."),
        ),
        "rectification-report": (
            lambda t: RectificationReportForm(*p, initial=_today_initial("reported_on")),
            _("Record the rectification report"),
            lambda t, d: tour_actions.record_rectification_report(actor=u, tour=t, text=d["text"], reported_on=d["reported_on"], file=d.get("file")),
            _("Rectification report recorded."),
        ),
        "summary": (
            lambda t: PublicSummaryForm(*p, initial={"summary": t.public_summary, "is_publishable": t.is_publishable}),
            _("Public summary of rectification"),
            lambda t, d: tour_actions.set_public_summary(actor=u, tour=t, **d),
            _("Public summary saved."),
        ),
        "close": (lambda t: ConfirmForm(*p), _("Close the tour"), lambda t, d: tour_actions.close_tour(actor=u, tour=t), _("Tour closed.")),
    }
    if step not in steps:
        raise access.NotVisible()
    form, title, call, success = steps[step]
    return _tour_action(request, pk, form=form, title=title, call=call, success=success)


# --- statistics -------------------------------------------------------------------------------------


@login_required
def statistics_page(request):
    """Yearly counts as ECharts charts (data in a JSON script tag; CSP allows no inline script)."""

    from ..statistics import yearly

    access.require(request.user, "oversight.view")
    try:
        year = int(request.GET.get("year", dt.date.today().year))
    except ValueError:
        year = dt.date.today().year
    if not 2000 <= year <= 2100:
        year = dt.date.today().year
    sections = yearly(request.user, year)
    if request.GET.get("format") == "xlsx":
        return _statistics_xlsx(year, sections)
    charts = {key: {"title": s["title"], "labels": [r[0] for r in s["rows"]], "values": [r[1] for r in s["rows"]]} for key, s in sections.items()}
    return render(
        request,
        "oversight/statistics.html",
        {
            "year": year,
            "years": list(range(dt.date.today().year, dt.date.today().year - 6, -1)),
            "sections": sections,
            "charts": charts,
            "breadcrumbs": [(_("Daily supervision"), reverse("oversight:index")), (_("Statistics"), None)],
        },
    )


def _statistics_xlsx(year, sections):
    book = exports.Book()
    for key, section in sections.items():
        sheet = book.sheet(key)
        sheet.title(f"{year} {section['title']}")
        sheet.header([_("Item"), _("Count")])
        sheet.width(0, 0, 36)
        for label, count in section["rows"]:
            sheet.values([str(label), count])
    return exports.workbook_response(book.close(), f"oversight-statistics-{year}.xlsx")
