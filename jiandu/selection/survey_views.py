"""Pages of the yearly selection survey (一报告两评议): the list by year, a survey with its
results, the report download, closing, the note on a low-rated appointee and the results
workbook. Scope: selection.view on the organising unit to read, selection.manage to act."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import action_forms, exports, journal, listing

from . import survey_actions, survey_forms, survey_queries
from .survey_models import SelectionSurvey

SURVEY_SORTS = {"year": "year", "unit": "unit__path"}


def _survey_url(survey) -> str:
    return reverse("selection:survey", args=[survey.pk])


@login_required
def surveys(request):
    if not access.can(request.user, "selection.view"):
        raise access.NotVisible()
    result = listing.list_page(request, survey_queries.surveys_visible_to(request.user), sorts=SURVEY_SORTS, default_sort="-year")
    return render(
        request,
        "selection/survey_list.html",
        {
            "title": _("Yearly survey of selection work (一报告两评议)"),
            "page": result.page,
            "rows": result.rows,
            "sorts": result.sort_links,
            "may_open": access.can(request.user, "selection.manage"),
        },
    )


@login_required
def new_survey(request):
    if not access.can(request.user, "selection.manage"):
        raise access.NotVisible()
    units = survey_queries.organising_units(request.user)
    if not units.exists():
        raise access.NotVisible()
    form = survey_forms.SurveyForm(request.POST or None, request.FILES or None, units=units)
    created = {}

    def call(_data):
        created["survey"] = survey_actions.create_survey(actor=request.user, **form.action_values())
        return created["survey"]

    response = action_forms.action_form(
        request,
        form=form,
        call=call,
        success=_("The survey is open: give out the voting codes on its ballot."),
        back=reverse("selection:surveys"),
        template="selection/survey_form.html",
        context={"title": _("Open the yearly survey of selection work")},
    )
    if "survey" in created:
        response["Location"] = _survey_url(created["survey"])
    return response


@login_required
def survey_detail(request, pk):
    survey = survey_queries.get_survey_for(request.user, pk)
    results = survey_queries.survey_results(survey)
    return render(
        request,
        "selection/survey_detail.html",
        {
            "title": survey.title,
            "survey": survey,
            "results": results,
            "appointees": survey.appointees.select_related("cadre"),
            "ballot_url": reverse("ballots:detail", args=[survey.ballot_id])
            if survey.ballot_id and access.can(request.user, "ballots.manage", survey.unit)
            else "",
            "may_manage": access.can(request.user, "selection.manage", survey.unit),
        },
    )


def _managed(request, pk) -> SelectionSurvey:
    survey = survey_queries.get_survey_for(request.user, pk)
    if not access.can(request.user, "selection.manage", survey.unit):
        raise access.NotVisible()
    return survey


@login_required
def close_survey(request, pk):
    survey = _managed(request, pk)  # 404 before 405: nothing is told to whoever may not see it
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return action_forms.run_action(
        request,
        lambda: survey_actions.close_survey(actor=request.user, survey=survey),
        _("The survey is closed and its results are counted."),
        _survey_url(survey),
    )


@login_required
def survey_note(request, pk, appointee_pk):
    survey = _managed(request, pk)
    appointee = survey_queries.get_appointee_for(request.user, survey, appointee_pk)
    form = survey_forms.SurveyNoteForm(request.POST or None, initial={"explanation": appointee.explanation, "measures": appointee.measures})
    return action_forms.action_form(
        request,
        form=form,
        call=lambda data: survey_actions.record_appointee_note(actor=request.user, appointee=appointee, **data),
        success=_("The explanation and action are recorded."),
        back=_survey_url(survey),
        template="selection/form.html",
        context={"title": _("%(name)s: explanation and action on a low rating") % {"name": appointee.cadre.name}},
    )


@login_required
def survey_report(request, pk):
    survey = survey_queries.get_survey_for(request.user, pk)
    if not survey.report_file:
        raise access.NotVisible()
    journal.record("selection.survey.report_downloaded", actor=request.user, target=survey, unit=survey.unit, data={"year": survey.year})
    return FileResponse(survey.report_file.open("rb"), as_attachment=True, filename=survey.report_name or f"{survey.year}.pdf")


@login_required
def survey_xlsx(request, pk):
    survey = survey_queries.get_survey_for(request.user, pk)
    results = survey_queries.survey_results(survey)
    book = exports.Book()
    sheet = book.sheet(_("Results"))
    sheet.title(survey.title)
    sheet.note(_("Participants: %(n)d") % {"n": survey.participants})
    sheet.header([_("Category"), _("Participants")])
    for name, count in survey.category_rows():
        sheet.values([name, count])
    if results is None:
        sheet.note(_("Voting is not closed yet: no results."))
    else:
        sheet.skip()
        sheet.header([_("Evaluated"), _("Post"), *[label for label, _c in (results.work[0].counts if results.work else [])], _("Valid votes"), _("Rate")])
        for figure in results.work:
            sheet.values([figure.label, "", *[c for _l, c in figure.counts], figure.valid, figure.rate_text])
        sheet.note(results.work_rule)
        if results.appointees:
            sheet.skip()
            sheet.header(
                [_("Evaluated"), _("Post"), *[label for label, _c in results.appointees[0].figure.counts], _("Valid votes"), _("Rate"), _("Low rating")]
            )
            for row in results.appointees:
                f = row.figure
                sheet.values([f.label, f.note, *[c for _l, c in f.counts], f.valid, f.rate_text, _("yes") if row.low else ""])
            sheet.note(results.appointee_rule)
    sheet.width(0, 1, 28)
    journal.record("selection.survey.exported", actor=request.user, target=survey, unit=survey.unit, data={"year": survey.year, "format": "xlsx"})
    return exports.workbook_response(book.close(), f"{survey.year}年度选人用人工作一报告两评议结果.xlsx")
