"""JSON API of the trace-back report (倒查) of an appointment and its accountability reviews
(问责审查): the same reads and actions as the pages, with the same access and journal."""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Schema

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.api import Id, InputSchema, text
from jiandu.core.errors import ActionError

from . import accountability_actions, accountability_report, queries
from .accountability_models import AccountabilityReview
from .api import router


class TraceRowOut(Schema):
    stage: str
    item: str
    people: str
    recorded: str


class AccountabilityReviewOut(Schema):
    id: int
    stage: str
    responsible: list[str]
    finding: str
    measures: str
    opened_on: dt.date
    disposition_id: int | None
    status: str
    concluded_on: dt.date | None
    conclusion: str


class TraceReportOut(Schema):
    case_id: int
    candidate_id: int
    cadre: str
    position: str
    rows: list[TraceRowOut]
    people: list[str]
    reviews: list[AccountabilityReviewOut]


def _review(r) -> dict:
    return {
        "id": r.pk,
        "stage": r.stage,
        "responsible": list(r.responsible),
        "finding": r.finding,
        "measures": r.measures,
        "opened_on": r.opened_on,
        "disposition_id": r.disposition_id,
        "status": r.status,
        "concluded_on": r.concluded_on,
        "conclusion": r.conclusion,
    }


def _report(candidate) -> dict:
    return {
        "case_id": candidate.case_id,
        "candidate_id": candidate.pk,
        "cadre": candidate.cadre.name,
        "position": str(candidate.position),
        "rows": accountability_report.rows(candidate),
        "people": accountability_report.people(candidate),
        "reviews": [_review(r) for r in candidate.accountability_reviews.order_by("opened_on", "id")],
    }


@router.get("/candidates/{int:candidate_id}/trace", response=TraceReportOut, summary="Trace-back report of an appointment", url_name="get_selection_trace")
def get_trace(request, candidate_id: int):
    candidate = queries.get_candidate_for(request.user, candidate_id)
    journal.record("selection.trace.viewed", actor=request.user, target=candidate.case, unit=candidate.case.unit, cadre=candidate.cadre, data={})
    return _report(candidate)


class AccountabilityReviewIn(InputSchema):
    stage: text(16)
    responsible: list[text(100)]
    finding: text(4000)
    measures: text(4000) = ""
    opened_on: dt.date
    disposition_id: Id | None = None


def _managed(request, candidate):
    if not access.can(request.user, "selection.manage", candidate.case.unit):
        raise access.NotVisible()


@router.post(
    "/candidates/{int:candidate_id}/reviews", response={201: TraceReportOut}, summary="Record an accountability review", url_name="open_selection_review"
)
def open_review(request, candidate_id: int, payload: AccountabilityReviewIn):
    from jiandu.oversight.queries import dispositions_visible_to

    candidate = queries.get_candidate_for(request.user, candidate_id)
    _managed(request, candidate)
    data = payload.model_dump()
    disposition = None
    if data.get("disposition_id") is not None:
        disposition = dispositions_visible_to(request.user).filter(pk=data["disposition_id"]).first()
        if disposition is None:
            raise ActionError(_("The disposition is not one you may see."), field="disposition_id")
    data.pop("disposition_id", None)
    accountability_actions.open_review(actor=request.user, candidate=candidate, disposition=disposition, **data)
    return 201, _report(candidate)


class AccountabilityConcludeIn(InputSchema):
    concluded_on: dt.date
    conclusion: text(4000)
    measures: text(4000) = ""


@router.post("/reviews/{int:review_id}/conclude", response=TraceReportOut, summary="Conclude an accountability review", url_name="conclude_selection_review")
def conclude_review(request, review_id: int, payload: AccountabilityConcludeIn):
    review = AccountabilityReview.objects.filter(candidate__case__in=queries.cases_visible_to(request.user), pk=review_id).select_related("candidate").first()
    if review is None:
        raise access.NotVisible()
    candidate = queries.get_candidate_for(request.user, review.candidate_id)
    _managed(request, candidate)
    accountability_actions.conclude_review(actor=request.user, review=review, **payload.model_dump())
    return _report(candidate)
