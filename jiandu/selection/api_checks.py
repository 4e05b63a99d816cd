"""JSON API of 干部档案必审 (凡提四必): record a candidate's personnel-file review. The state of
the four checks is part of each candidate in `get_selection_case`."""

import datetime as dt

from jiandu.core.api import InputSchema, text

from . import actions, queries
from .api import CaseDetailOut, get_case, router


class FileReviewIn(InputSchema):
    reviewed_on: dt.date
    birth_on: dt.date
    party_join_on: dt.date | None = None
    work_start_on: dt.date | None = None
    education: text(20)
    work_history: text(4000) = ""
    identity: text(4000) = ""
    handling: text(4000) = ""


@router.post("/candidates/{int:candidate_id}/file-review", response=CaseDetailOut, summary="Record the personnel-file review", url_name="review_selection_file")
def review_file(request, candidate_id: int, payload: FileReviewIn):
    """干部档案必审: the file's 三龄两历一身份; the differences against the registry are listed and
    must be settled (`handling`). Needs selection.manage on the case's unit; journaled."""
    candidate = queries.get_candidate_for(request.user, candidate_id)
    actions.record_file_review(actor=request.user, candidate=candidate, **payload.model_dump())
    return get_case(request, candidate.case_id)
