"""Decisions API: 阳光周志 (weekly logs), leaders' public profiles and the public's feedback."""

import datetime as dt
from typing import Literal

from ninja import Field, Query, Schema

from jiandu.accounts import access
from jiandu.core.api import Id, InputSchema, Page, PageQuery, paginate, text

# --- 阳光周志 (weekly logs), leaders' public profiles and the public's feedback -----------------
from jiandu.registry.models import Cadre

from .. import log_actions, log_queries
from .common import router


class WeeklyLogOut(Schema):
    id: int
    leader_id: int
    leader: str
    week_start: dt.date
    status: str  # submitted / returned / published
    this_week: str
    next_week: str
    due_at: dt.datetime
    first_submitted_at: dt.datetime
    late: bool
    on_behalf: bool
    review_comment: str
    published_at: dt.datetime | None


def _log(log) -> dict:
    return {
        "id": log.pk,
        "leader_id": log.cadre_id,
        "leader": log.cadre.name,
        "week_start": log.week_start,
        "status": log.status,
        "this_week": log.this_week,
        "next_week": log.next_week,
        "due_at": log.due_at,
        "first_submitted_at": log.first_submitted_at,
        "late": log.is_late,
        "on_behalf": log.on_behalf,
        "review_comment": log.review_comment,
        "published_at": log.published_at,
    }


class LogFilter(PageQuery):
    status: Literal["submitted", "returned", "published"] | None = None


@router.get("/weekly-logs", response=Page[WeeklyLogOut], summary="Weekly logs", url_name="list_weekly_logs")
def list_weekly_logs(request, filters: Query[LogFilter]):
    """Weekly logs (阳光周志) of the leaders in your review scope, or your own."""
    qs = log_queries.logs_visible_to(request.user).order_by("-week_start", "id")
    if filters.status:
        qs = qs.filter(status=filters.status)
    return paginate(qs, filters, _log)


@router.get("/weekly-logs/{int:log_id}", response=WeeklyLogOut, summary="One weekly log", url_name="get_weekly_log")
def get_weekly_log(request, log_id: int):
    return _log(log_queries.get_log_for(request.user, log_id))


class WeeklyLogIn(InputSchema):
    leader_id: Id
    week_start: dt.date = Field(description="the Monday of the week")
    this_week: text(log_actions.TEXT_LIMIT)
    next_week: text(log_actions.TEXT_LIMIT)


@router.post("/weekly-logs", response={201: WeeklyLogOut}, summary="Submit a weekly log", url_name="submit_weekly_log")
def submit_weekly_log(request, payload: WeeklyLogIn):
    """Your own log (account linked to the leader), or, for the committee office, a leader's log
    entered for them (recorded as such). A returned log is submitted again the same way."""
    cadre = Cadre.objects.filter(pk=payload.leader_id).first()
    if cadre is None or not (log_actions.is_own(request.user, cadre) or access.can(request.user, "decisions.review_log", cadre.unit)):
        raise access.NotVisible()
    log = log_actions.submit_log(actor=request.user, cadre=cadre, week_start=payload.week_start, this_week=payload.this_week, next_week=payload.next_week)
    return 201, _log(log)


@router.post("/weekly-logs/{int:log_id}/publish", response=WeeklyLogOut, summary="Publish a weekly log", url_name="publish_weekly_log")
def publish_weekly_log(request, log_id: int):
    log = log_queries.get_log_for(request.user, log_id)
    return _log(log_actions.publish_log(actor=request.user, log=log))


class ReturnIn(InputSchema):
    comment: text(2000)


@router.post("/weekly-logs/{int:log_id}/return", response=WeeklyLogOut, summary="Return a weekly log for revision", url_name="return_weekly_log")
def return_weekly_log(request, log_id: int, payload: ReturnIn):
    log = log_queries.get_log_for(request.user, log_id)
    return _log(log_actions.return_log(actor=request.user, log=log, comment=payload.comment))


class ProfileIn(InputSchema):
    portfolio: text(2000) = ""
    office_phone: text(30) = ""
    office_address: text(200) = ""
    mailbox: text(100) = ""


class ProfileOut(ProfileIn):
    leader_id: int


@router.put("/leaders/{int:leader_id}/profile", response=ProfileOut, summary="Set a leader's public profile", url_name="save_leader_profile")
def save_leader_profile(request, leader_id: int, payload: ProfileIn):
    """Portfolio and public office contact shown on the portal (never private data)."""
    cadre = Cadre.objects.filter(access.scope_q(request.user, "decisions.review_log", "unit__path"), pk=leader_id).first()
    if cadre is None:
        raise access.NotVisible()
    profile = log_actions.save_leader_profile(actor=request.user, cadre=cadre, **payload.model_dump())
    return {"leader_id": cadre.pk, **{k: getattr(profile, k) for k in ("portfolio", "office_phone", "office_address", "mailbox")}}


class FeedbackOut(Schema):
    id: int
    kind: str
    subject: str
    body: str
    contact: str
    leader: str | None
    status: str
    received_at: dt.datetime
    reply: str
    clue_number: str | None = Field(None, description="the clue of daily supervision this report was passed as")


def _feedback(f) -> dict:
    return {
        "id": f.pk,
        "kind": f.kind,
        "subject": f.subject,
        "body": f.body,
        "contact": f.contact,
        "leader": f.leader.name if f.leader_id else None,
        "status": f.status,
        "received_at": f.received_at,
        "reply": f.reply,
        "clue_number": f.clue.number if f.clue_id else None,
    }


class FeedbackFilter(PageQuery):
    status: Literal["pending", "published", "rejected"] | None = None


@router.get("/feedback", response=Page[FeedbackOut], summary="Public feedback", url_name="list_public_feedback")
def list_public_feedback(request, filters: Query[FeedbackFilter]):
    """Messages sent from the public portal, for the committee office's moderation."""
    qs = log_queries.feedback_visible_to(request.user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return paginate(qs, filters, _feedback)


class ModerateIn(InputSchema):
    publish: bool
    reply: text(log_actions.TEXT_LIMIT) = ""
    note: text(200) = ""


@router.post("/feedback/{int:feedback_id}/moderate", response=FeedbackOut, summary="Moderate a message", url_name="moderate_public_feedback")
def moderate_public_feedback(request, feedback_id: int, payload: ModerateIn):
    """Publish a message with an optional reply, or keep it unpublished."""
    feedback = log_queries.get_feedback_for(request.user, feedback_id)
    return _feedback(log_actions.moderate_feedback(actor=request.user, feedback=feedback, publish=payload.publish, reply=payload.reply, note=payload.note))


class FeedbackClueIn(InputSchema):
    to_unit_id: Id = Field(description="the receiving department (a member of the joint meeting; the discipline department as a rule)")


@router.post(
    "/feedback/{int:feedback_id}/clue",
    response=FeedbackOut,
    summary="Pass a report about a leader to daily supervision as a clue (once)",
    url_name="pass_public_feedback_as_clue",
)
def pass_public_feedback_as_clue(request, feedback_id: int, payload: FeedbackClueIn):
    """Registered in your clue department and transferred at once; a report passed before, an
    opinion or a report naming no leader is refused."""
    feedback = log_queries.get_feedback_for(request.user, feedback_id)
    return _feedback(log_actions.pass_feedback_as_clue(actor=request.user, feedback=feedback, to_unit=payload.to_unit_id))
