"""JSON API of the meeting recommendation (会议推荐) on the ballot engine: open the case's
recommendation ballot, and record the stage from its results once the ballot is closed. The same
actions as the page, with the same access and journal; voting codes, paper entry and the close
are the ballots API's and pages'."""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, Schema

from jiandu.core.api import Id, InputSchema, text
from jiandu.core.errors import ActionError

from . import actions
from .api import CaseDetailOut, _cadre, _managed_case, get_case, router


class RecommendationPostIn(InputSchema):
    position_id: Id
    cadre_ids: list[Id] = Field(min_length=1, max_length=50, description="the candidates")
    max_choices: int = Field(ge=1, le=100, description="names per ballot at most")
    write_ins: int = Field(0, ge=0, le=10, description="lines for names not on the list")


class RecommendationGroupIn(InputSchema):
    name: text(100)
    headcount: int = Field(ge=1, le=100000)


class RecommendationBallotIn(InputSchema):
    posts: list[RecommendationPostIn] = Field(min_length=1, max_length=20)
    groups: list[RecommendationGroupIn] = Field(min_length=1, max_length=10)


class RecommendationBallotOut(Schema):
    ballot_id: int = Field(description="the ballot on /api/v1/ballots/: generate codes, close, read the results there")


class RecommendationRecordIn(InputSchema):
    held_on: dt.date
    handler: text(50)
    responsible: text(50)
    participants: text(2000) = ""


@router.post(
    "/cases/{int:case_id}/recommendation/ballot",
    response={201: RecommendationBallotOut},
    summary="Open the meeting-recommendation ballot of a case",
    url_name="open_selection_recommendation",
)
def open_recommendation(request, case_id: int, payload: RecommendationBallotIn):
    case = _managed_case(request, case_id)
    positions = {p.pk: p for p in case.positions.all()}
    posts = []
    for post in payload.posts:
        if post.position_id not in positions:
            raise ActionError(_("The post is not one of this case's positions."), field="position_id")
        posts.append(
            {
                "position": positions[post.position_id],
                "cadres": [_cadre(pk) for pk in post.cadre_ids],
                "max_choices": post.max_choices,
                "write_ins": post.write_ins,
            }
        )
    ballot = actions.open_recommendation_ballot(actor=request.user, case=case, posts=posts, groups=[(g.name, g.headcount) for g in payload.groups])
    return 201, {"ballot_id": ballot.pk}


@router.post(
    "/cases/{int:case_id}/recommendation/record",
    response=CaseDetailOut,
    summary="Record 民主推荐 from the closed recommendation ballot",
    url_name="record_selection_recommendation",
)
def record_recommendation(request, case_id: int, payload: RecommendationRecordIn):
    case = _managed_case(request, case_id)
    actions.record_recommendation_results(actor=request.user, case=case, **payload.model_dump())
    return get_case(request, case.pk)
