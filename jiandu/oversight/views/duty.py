"""Duty and integrity report pages (述责述廉): reports, sessions and the audience evaluation,
by ballot (jiandu.ballots) or, for a session evaluated on paper without it, by hand."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.ballots import queries as ballot_queries
from jiandu.core.queries import history_for
from jiandu.core.rates import format_percent

from .. import queries, tables, uploads
from ..actions import duty as duty_actions
from ..forms import ConfirmForm, DutySessionForm, DutySubmitForm, EvaluationBallotForm, EvaluationForm, OpinionForm, PlanDutyForm
from ..models import DutyReport
from .common import action_page, filter_rows, form_data, list_page, require_answer


def _crumbs(label, url, title):
    return [(_("Daily supervision"), reverse("oversight:index")), (label, url), (title, None)]


@login_required
def duty_report_list(request):
    access.require(request.user, "oversight.view")
    overdue = Q(status=DutyReport.Status.PENDING, due_on__lt=dt.date.today())
    form, qs = filter_rows(request, queries.duty_reports_visible_to(request.user), statuses=DutyReport.Status.choices, year_field="year", overdue_q=overdue)
    if "overdue" in form.fields:
        form.fields["overdue"].label = _("Missing (past due) only")
    actions = []
    if access.can(request.user, "oversight.manage"):
        actions = [
            (_("Plan the year's reports"), reverse("oversight:duty_plan")),
            (_("Record a session"), reverse("oversight:duty_session_create")),
            (_("Report sessions"), reverse("oversight:duty_session_list")),
        ]
    return list_page(request, title=_("Duty and integrity reports"), qs=qs, columns=tables.DUTY_REPORTS, form=form, export_name="duty-reports", actions=actions)


@login_required
def duty_plan(request):
    access.require(request.user, "oversight.manage")
    return action_page(
        request,
        form=PlanDutyForm(*form_data(request), user=request.user, initial={"year": dt.date.today().year}),
        obj=None,
        title=_("Plan the year's reports"),
        call=lambda data: duty_actions.plan_duty_reports(actor=request.user, **data),
        success=_("Reports planned for the leading cadres."),
        back=reverse("oversight:duty_report_list"),
    )


@login_required
def duty_session_create(request):
    access.require(request.user, "oversight.manage")
    created = {}

    def call(data):
        created["s"] = duty_actions.record_duty_session(actor=request.user, **data)

    response = action_page(
        request,
        form=DutySessionForm(*form_data(request), user=request.user, initial={"year": dt.date.today().year}),
        obj=None,
        title=_("Record a session"),
        call=call,
        success=_("Session recorded. For an evaluation by the audience, create its ballot here."),
        back=reverse("oversight:duty_session_list"),
    )
    if created:
        response["Location"] = reverse("oversight:duty_session_detail", args=[created["s"].pk])
    return response


@login_required
def duty_session_list(request):
    access.require(request.user, "oversight.view")
    form, qs = filter_rows(request, queries.duty_sessions_visible_to(request.user), year_field="year", cadre_field=None)
    actions = [(_("Record a session"), reverse("oversight:duty_session_create"))] if access.can(request.user, "oversight.manage") else []
    return list_page(request, title=_("Duty report sessions"), qs=qs, columns=tables.DUTY_SESSIONS, form=form, export_name="duty-sessions", actions=actions)


def evaluation_row(report: DutyReport) -> dict:
    """A report's audience evaluation as counts with exact rates (好率, 好+较好 rate)."""
    valid = report.valid_votes
    return {
        "report": report,
        "options": [(count, format_percent(count, valid)) for _label, count in report.evaluation_rows()] if report.has_evaluation else [],
        "valid": valid,
        "good_or_better": format_percent((report.count_good or 0) + (report.count_fairly_good or 0), valid) if report.has_evaluation else "",
    }


def ballot_links(ballot, user) -> list[tuple[str, str]]:
    """The ballots app's pages for the evaluation ballot that open for `user`: its page, the
    voting-code section of that page while it runs (codes are generated there, by a form), paper entry for
    those who enter paper ballots and, once it is closed, the results for those who may read them."""
    detail = reverse("ballots:detail", args=[ballot.pk])
    links = [(_("Ballot"), detail)]
    if not ballot.is_closed and access.can(user, "ballots.manage", ballot.unit_path):
        links.append((_("Voting codes"), f"{detail}#codes"))
    if access.can(user, "ballots.enter_paper", ballot.unit_path):
        links.append((_("Paper ballots"), reverse("ballots:paper", args=[ballot.pk])))
    if ballot.is_closed and access.can(user, "ballots.view_results", ballot.unit_path):
        links.append((_("Ballot results"), reverse("ballots:results", args=[ballot.pk])))
    return links


@login_required
def duty_session_detail(request, pk):
    session = queries.get_duty_session_for(request.user, pk)
    reports = list(session.reports.select_related("cadre", "unit").order_by("unit__path", "id"))
    manage = access.can(request.user, "oversight.manage", session.unit)
    linked = [r.pk for r in reports if r.ballot_id == session.ballot_id]
    ballot_alive = duty_actions.ballot_exists(linked, session.ballot_id)
    ballot = ballot_queries.ballots_visible_to(request.user).filter(pk=session.ballot_id).first() if ballot_alive else None
    awaiting = [r for r in reports if r.status == DutyReport.Status.HEARD and not r.has_evaluation]
    return render(
        request,
        "oversight/duty_session_detail.html",
        {
            "s": session,
            "rows": [evaluation_row(r) for r in reports],
            "labels": [label for _field, label in DutyReport.OPTIONS],
            "shows_unknown": any(r.count_unknown is not None for r in reports),
            "ballot": ballot,
            "ballot_alive": ballot_alive,
            "ballot_links": ballot_links(ballot, request.user) if ballot else [],
            "can_create_ballot": manage and not ballot_alive and bool(awaiting),
            "can_import": manage and ballot is not None and ballot.is_closed and any(r.awaits_ballot_results for r in reports),
            "can_manage": manage,
            "entries": history_for(request.user, session),
            "breadcrumbs": _crumbs(_("Duty report sessions"), reverse("oversight:duty_session_list"), str(session)),
        },
    )


@login_required
def duty_session_ballot(request, pk):
    session = queries.get_duty_session_for(request.user, pk)
    access.require(request.user, "oversight.manage", session.unit)
    form = EvaluationBallotForm(*form_data(request), initial={"group_1_name": _("Cadres and staff of the unit")})
    return action_page(
        request,
        form=form,
        obj=session,
        title=_("Create the evaluation ballot"),
        call=lambda data: duty_actions.create_evaluation_ballot(actor=request.user, session=session, **form.action_values()),
        success=_("Evaluation ballot created as a draft: open it, then hand out the voting codes or paper ballots in the ballot pages."),
        back=reverse("oversight:duty_session_detail", args=[session.pk]),
    )


@login_required
def duty_session_import(request, pk):
    session = queries.get_duty_session_for(request.user, pk)
    access.require(request.user, "oversight.manage", session.unit)
    return action_page(
        request,
        form=ConfirmForm(*form_data(request)),
        obj=session,
        title=_("Import the evaluation results"),
        call=lambda data: duty_actions.import_evaluation_results(actor=request.user, session=session),
        success=_("Evaluation results imported into the duty reports."),
        back=reverse("oversight:duty_session_detail", args=[session.pk]),
    )


@login_required
def duty_report_detail(request, pk):
    report = _duty_report(request, pk)
    rates = [(label, count, format_percent(count, report.valid_votes)) for label, count in report.evaluation_rows()] if report.has_evaluation else []
    manage = access.can(request.user, "oversight.manage", report.unit)
    return render(
        request,
        "oversight/duty_report_detail.html",
        {
            "r": report,
            "rates": rates,
            "files": uploads.attachments_of(report),
            "can_manage": manage,
            "can_enter_counts": manage and report.may_enter_counts,
            "can_submit": report.status == DutyReport.Status.PENDING and access.may_answer(request.user, report.cadre_id, report.unit, "oversight.manage"),
            "missing": report.is_missing(dt.date.today()),
            "entries": history_for(request.user, report),
            "breadcrumbs": _crumbs(_("Duty and integrity reports"), reverse("oversight:duty_report_list"), str(report)),
        },
    )


def _duty_report(request, pk):
    """A report in scope, or the cadre's own report (self service)."""
    return queries.get_duty_report_or_own(request.user, pk)


def _duty_action(request, pk, *, form, title, call, success, perm="oversight.manage"):
    report = _duty_report(request, pk)
    if perm == "answer":
        require_answer(request.user, report.cadre_id, report.unit)
    elif perm:
        access.require(request.user, perm, report.unit)
    return action_page(
        request,
        form=form,
        obj=report,
        title=title,
        call=lambda data: call(report, data),
        success=success,
        back=reverse("oversight:duty_report_detail", args=[report.pk]),
    )


@login_required
def duty_submit(request, pk):
    return _duty_action(
        request,
        pk,
        form=DutySubmitForm(*form_data(request), initial={"submitted_on": dt.date.today()}),
        title=_("Submit the report"),
        call=lambda r, d: duty_actions.submit_duty_report(actor=request.user, report=r, text=d["text"], submitted_on=d["submitted_on"], file=d.get("file")),
        success=_("Report submitted."),
        perm="answer",
    )


@login_required
def duty_evaluate(request, pk):
    return _duty_action(
        request,
        pk,
        form=EvaluationForm(*form_data(request)),
        title=_("Enter the audience evaluation"),
        call=lambda r, d: duty_actions.record_evaluation(actor=request.user, report=r, counts=d),
        success=_("Evaluation recorded."),
    )


@login_required
def duty_opinion(request, pk):
    return _duty_action(
        request,
        pk,
        form=OpinionForm(*form_data(request), initial={"on": dt.date.today()}),
        title=_("Record the team's opinion"),
        call=lambda r, d: duty_actions.record_team_opinion(actor=request.user, report=r, **d),
        success=_("Team opinion recorded."),
    )
