"""JSON API of the yearly selection survey (一报告两评议): list the surveys, one survey with its
participants and counted results, close it, and record the explanation and action on a
low-rated appointee; opening a survey is a multipart form with the report file. Schema names
start with Survey (unique in the API)."""

import datetime as dt

from ninja import File, Form, Query, Schema
from ninja.files import UploadedFile

from jiandu.accounts import access
from jiandu.core.api import InputSchema, Page, PageQuery, paginate, text

from . import survey_actions, survey_queries
from .api import router


class SurveyListOut(Schema):
    id: int
    year: int
    title: str
    unit: str
    participants: int
    closed: bool


class SurveyCategoryOut(Schema):
    category: str
    participants: int


class SurveyFigureOut(Schema):
    label: str
    post: str
    counts: dict[str, int]
    valid: int
    positive: int
    negative: int
    rate: str
    negative_share: str


class SurveyAppointeeOut(Schema):
    id: int
    cadre_id: int
    cadre_name: str
    post: str
    started_on: dt.date
    result: SurveyFigureOut | None
    low: bool
    explanation: str
    measures: str


class SurveyDetailOut(SurveyListOut):
    categories: list[SurveyCategoryOut]
    work: list[SurveyFigureOut]
    appointees: list[SurveyAppointeeOut]
    work_rule: str
    appointee_rule: str
    low_share: str


class SurveyNoteIn(InputSchema):
    explanation: text(4000)
    measures: text(4000)


def _require_view(user):
    if not access.can(user, "selection.view"):
        raise access.NotVisible()


def _row(survey) -> dict:
    return {
        "id": survey.pk,
        "year": survey.year,
        "title": survey.title,
        "unit": survey.unit.name,
        "participants": survey.participants,
        "closed": survey.closed_at is not None,
    }


def _figure(figure) -> dict:
    return {
        "label": figure.label,
        "post": figure.note,
        "counts": dict(figure.counts),
        "valid": figure.valid,
        "positive": figure.positive,
        "negative": figure.negative,
        "rate": figure.rate_text,
        "negative_share": figure.negative_text,
    }


def _detail(survey) -> dict:
    results = survey_queries.survey_results(survey)
    by_appointee = {row.appointee.pk: row for row in results.appointees} if results else {}
    appointees = []
    for a in survey.appointees.select_related("cadre"):
        row = by_appointee.get(a.pk)
        appointees.append(
            {
                "id": a.pk,
                "cadre_id": a.cadre_id,
                "cadre_name": a.cadre.name,
                "post": a.post,
                "started_on": a.started_on,
                "result": _figure(row.figure) if row else None,
                "low": bool(row and row.low),
                "explanation": a.explanation,
                "measures": a.measures,
            }
        )
    return {
        **_row(survey),
        "categories": [{"category": name, "participants": count} for name, count in survey.category_rows()],
        "work": [_figure(f) for f in results.work] if results else [],
        "appointees": appointees,
        "work_rule": results.work_rule if results else "",
        "appointee_rule": results.appointee_rule if results else "",
        "low_share": str(results.threshold) if results else "",
    }


@router.get("/surveys", response=Page[SurveyListOut], summary="Yearly surveys of selection work", url_name="list_selection_surveys")
def list_surveys(request, page: Query[PageQuery]):
    _require_view(request.user)
    return paginate(survey_queries.surveys_visible_to(request.user), page, _row)


@router.get("/surveys/{int:survey_id}", response=SurveyDetailOut, summary="One yearly survey with its results", url_name="get_selection_survey")
def get_survey(request, survey_id: int):
    """Participants by category; once closed, the counts and rates of each figure (满意率 and
    认同率 over valid votes, 不了解 not valid) with the rounding rule, and the low-rated appointees."""
    return _detail(survey_queries.get_survey_for(request.user, survey_id))


@router.post("/surveys", response={201: SurveyDetailOut}, summary="Open the yearly survey of selection work", url_name="create_selection_survey")
def create_survey(
    request,
    year: Form[int],
    report: File[UploadedFile],
    count_committee: Form[int] = 0,
    count_heads: Form[int] = 0,
    count_others: Form[int] = 0,
    title: Form[str | None] = None,
    unit_id: Form[int | None] = None,
):
    """Multipart form: the year, the participants per category (全委会成员, 部门主要负责人, 其他)
    and the standing committee's report (PDF or DOCX). Creates and opens the survey's ballot on
    `unit_id` (default: the first party committee where the caller manages selection, or else
    the highest such unit); codes are issued through the ballots API."""
    units = survey_queries.organising_units(request.user)
    unit = units.filter(pk=unit_id).first() if unit_id else units.first()
    if unit is None:
        raise access.NotVisible()
    survey = survey_actions.create_survey(
        actor=request.user,
        unit=unit,
        year=year,
        title=title or "",
        headcounts={"committee": count_committee, "heads": count_heads, "others": count_others},
        report=report,
    )
    return 201, _detail(survey)


def _managed(user, survey_id):
    survey = survey_queries.get_survey_for(user, survey_id)
    if not access.can(user, "selection.manage", survey.unit):
        raise access.NotVisible()
    return survey


@router.post("/surveys/{int:survey_id}/close", response=SurveyDetailOut, summary="Close a yearly survey and count it", url_name="close_selection_survey")
def close_survey(request, survey_id: int):
    survey = survey_actions.close_survey(actor=request.user, survey=_managed(request.user, survey_id))
    return _detail(survey)


@router.post(
    "/surveys/{int:survey_id}/appointees/{int:appointee_id}/note",
    response=SurveyDetailOut,
    summary="Explanation and action on a low-rated appointee",
    url_name="note_selection_survey_appointee",
)
def note_appointee(request, survey_id: int, appointee_id: int, body: SurveyNoteIn):
    survey = _managed(request.user, survey_id)
    appointee = survey_queries.get_appointee_for(request.user, survey, appointee_id)
    survey_actions.record_appointee_note(actor=request.user, appointee=appointee, explanation=body.explanation, measures=body.measures)
    return _detail(survey)
