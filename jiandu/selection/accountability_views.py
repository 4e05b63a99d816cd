"""Pages of the trace-back report (倒查) of an appointment and its accountability reviews
(问责审查): the report (page, PDF, xlsx), the report reached from a registry tenure that came
from a case, and the forms to open and conclude a review."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.action_forms import action_form
from jiandu.core.exports import export_response
from jiandu.core.pdf import pdf_response

from . import accountability_actions, accountability_documents, accountability_forms, accountability_report, queries
from .accountability_models import AccountabilityReview
from .models import Candidate


def _candidate(request, pk, candidate_pk) -> Candidate:
    candidate = queries.get_candidate_for(request.user, candidate_pk)
    if candidate.case_id != int(pk):
        raise access.NotVisible()
    return candidate


def trace_url(candidate) -> str:
    return reverse("selection:trace", args=[candidate.case_id, candidate.pk])


@login_required
def trace_report(request, pk, candidate_pk):
    """倒查: every stage of the appointment with the people responsible and what they recorded."""
    candidate = _candidate(request, pk, candidate_pk)
    journal.record("selection.trace.viewed", actor=request.user, target=candidate.case, unit=candidate.case.unit, cadre=candidate.cadre, data={})
    return render(
        request,
        "selection/trace.html",
        {
            "title": _("Trace-back report: %(name)s") % {"name": candidate.cadre.name},
            "candidate": candidate,
            "rows": accountability_report.rows(candidate),
            "reviews": candidate.accountability_reviews.select_related("disposition").order_by("opened_on", "id"),
            "may_manage": access.can(request.user, "selection.manage", candidate.case.unit),
        },
    )


@login_required
def trace_tenure(request, tenure_pk):
    """The report of the appointment a registry tenure came from (404 when no visible case made it)."""
    candidate = Candidate.objects.filter(case__in=queries.cases_visible_to(request.user), tenure_id=tenure_pk).first()
    if candidate is None:
        raise access.NotVisible()
    return redirect(trace_url(candidate))


@login_required
def trace_pdf(request, pk, candidate_pk):
    candidate = _candidate(request, pk, candidate_pk)
    content = accountability_documents.report_pdf(candidate, printed_on=timezone.localdate())
    journal.record(
        "selection.trace.printed", actor=request.user, target=candidate.case, unit=candidate.case.unit, cadre=candidate.cadre, data={"format": "pdf"}
    )
    return pdf_response(content, accountability_documents.report_filename(candidate, "pdf"))


@login_required
def trace_xlsx(request, pk, candidate_pk):
    candidate = _candidate(request, pk, candidate_pk)
    journal.record(
        "selection.trace.printed", actor=request.user, target=candidate.case, unit=candidate.case.unit, cadre=candidate.cadre, data={"format": "xlsx"}
    )
    response, _count = export_response(
        accountability_documents.report_filename(candidate, "xlsx"),
        columns=accountability_report.columns(),
        rows=accountability_report.table(candidate),
        sheet_title=_("Trace-back report"),
    )
    return response


def _managed_candidate(request, pk, candidate_pk) -> Candidate:
    candidate = _candidate(request, pk, candidate_pk)
    if not access.can(request.user, "selection.manage", candidate.case.unit):
        raise access.NotVisible()
    return candidate


def dispositions_for(user, candidate):
    """Dispositions the user may see about people named in the record (to link a review to)."""
    from jiandu.oversight.queries import dispositions_visible_to

    return dispositions_visible_to(user).filter(cadre__name__in=accountability_report.people(candidate)).order_by("-decided_on", "-id")


@login_required
def review_new(request, pk, candidate_pk):
    candidate = _managed_candidate(request, pk, candidate_pk)
    form = accountability_forms.ReviewForm(
        request.POST or None,
        stages=accountability_report.failed_stage_choices(candidate),
        people=accountability_report.people(candidate),
        dispositions=dispositions_for(request.user, candidate),
    )
    return action_form(
        request,
        form=form,
        template="selection/form.html",
        call=lambda data: accountability_actions.open_review(actor=request.user, candidate=candidate, **data),
        success=_("The accountability review is recorded."),
        back=trace_url(candidate),
        context={"title": _("Accountability review of the appointment of %(name)s") % {"name": candidate.cadre.name}, "back": trace_url(candidate)},
    )


@login_required
def review_conclude(request, pk, review_pk):
    review = AccountabilityReview.objects.filter(candidate__case_id=pk, pk=review_pk).select_related("candidate").first()
    if review is None:
        raise access.NotVisible()
    candidate = _managed_candidate(request, pk, review.candidate_id)
    if review.status != AccountabilityReview.Status.OPEN:
        raise access.NotVisible()
    return action_form(
        request,
        form=accountability_forms.ConcludeForm(request.POST or None),
        template="selection/form.html",
        call=lambda data: accountability_actions.conclude_review(actor=request.user, review=review, **data),
        success=_("The accountability review is concluded."),
        back=trace_url(candidate),
        context={"title": _("Conclude the accountability review"), "back": trace_url(candidate)},
    )
