"""Oversight API: written inquiries (函询) from draft to assessment."""

import datetime as dt
from typing import Literal

from ninja import Field as F
from ninja import File, Form, Query, Schema
from ninja.files import UploadedFile

from jiandu.accounts import access
from jiandu.core.api import Id, InputSchema, Page, PageQuery, Ref, optional, paginate, text

from .. import deadlines, queries
from ..actions import inquiries as inquiry_actions
from .common import (
    Assessment,
    FollowUp,
    InquirySource,
    InquiryStatus,
    LongText,
    ReasonIn,
    _cadre,
    _in_unit,
    _member_unit,
    _ref,
    _request_fields,
    router,
)

# --- written inquiries ---------------------------------------------------------------------


class InquiryOut(Schema):
    id: int
    number: str
    cadre: Ref
    unit: Ref
    source: InquirySource
    subject: str
    questions: str
    status: InquiryStatus
    issued_on: dt.date | None
    principal_name: str = F(description="the unit principal the letter is copied to")
    delivered_on: dt.date | None
    reply_due_on: dt.date | None
    reply_due_explanation: str = F(description="how the reply deadline was computed (working days)")
    replied_on: dt.date | None
    reply_text: str
    reply_signed_off_by: str
    reply_signed_off_on: dt.date | None
    assessment: Assessment | Literal[""]
    follow_up: FollowUp | Literal[""]

    @staticmethod
    def resolve_cadre(obj):
        return _ref(obj.cadre)

    @staticmethod
    def resolve_unit(obj):
        return _ref(obj.unit)

    @staticmethod
    def resolve_reply_due_explanation(obj):
        return deadlines.explain(obj.reply_due_rule)


class InquiryFilters(PageQuery):
    cadre: Id = optional()
    unit: Id = optional(description="this unit and the units below it")
    status: InquiryStatus = optional()


class InquiryIn(InputSchema):
    cadre_id: Id
    source: InquirySource
    subject: text(200, 1)
    questions: text(10_000, 1) = F(description="one question a line; the letter numbers them")
    source_note: LongText = ""
    source_clue_id: Id | None = F(None, description="with source `clue`: a clue you may read")
    source_finding_id: Id | None = F(None, description="with source `finding`: an inspection finding you may read")


class IssueIn(InputSchema):
    issued_on: dt.date | None = F(None, description="defaults to today")


class DeliveryIn(InputSchema):
    delivered_on: dt.date


class SignOffIn(InputSchema):
    signed_off_on: dt.date
    principal: text(50) = F("", description="who signed; defaults to the unit's principal")


class AssessmentIn(InputSchema):
    assessment: Assessment
    follow_up: FollowUp
    note: LongText = ""
    talk_due_on: dt.date | None = F(None, description="with follow-up `talk`: when the talk is due")
    transfer_to_unit_id: Id | None = F(None, description="with follow-up `transfer`: the member department that verifies")
    transfer_from_unit_id: Id | None = F(None, description="with follow-up `transfer`: your sending department (default: your own)")


def _inquiries(user):
    if access.can(user, "oversight.view"):
        return queries.inquiries_visible_to(user)
    if access.can(user, "self.view"):
        return queries.my_inquiries(user).select_related("cadre", "unit")
    raise access.NotVisible()


@router.get("/inquiries", response=Page[InquiryOut], summary="List written inquiries")
def oversight_list_inquiries(request, filters: Query[InquiryFilters]):
    """Officers see the inquiries in their scope; a cadre sees their own once delivered."""
    qs = _in_unit(_inquiries(request.user), request.user, filters.unit)
    if filters.cadre is not None:
        qs = qs.filter(cadre_id=filters.cadre)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return paginate(qs.order_by("-created_at", "-id"), filters)


@router.get("/inquiries/{inquiry_id}", response=InquiryOut, summary="One written inquiry")
def oversight_get_inquiry(request, inquiry_id: Id):
    return queries.get_inquiry_for(request.user, inquiry_id)


@router.post("/inquiries", response={201: InquiryOut}, summary="Draft a written inquiry")
def oversight_create_inquiry(request, payload: InquiryIn):
    user = request.user
    cadre = _cadre(user, payload.cadre_id, "oversight.manage")
    clue = queries.get_clue_for(user, payload.source_clue_id) if payload.source_clue_id is not None else None
    finding = None
    if payload.source_finding_id is not None:
        finding = queries.findings_visible_to(user).filter(pk=payload.source_finding_id).first()
        if finding is None:
            raise access.NotVisible()
    values = payload.model_dump(include={"source", "subject", "questions", "source_note"})
    with _request_fields(cadre="cadre_id", source_clue="source_clue_id", source_finding="source_finding_id"):
        return 201, inquiry_actions.draft_inquiry(actor=user, cadre=cadre, source_clue=clue, source_finding=finding, **values)


@router.post("/inquiries/{inquiry_id}/issue", response=InquiryOut, summary="Issue the letter")
def oversight_issue_inquiry(request, inquiry_id: Id, payload: IssueIn):
    """Numbers the letter (组函〔year〕n号, prefix from the settings) and copies it to the unit's principal."""
    inquiry = queries.get_inquiry_for(request.user, inquiry_id)
    return inquiry_actions.issue_inquiry(actor=request.user, inquiry=inquiry, issued_on=payload.issued_on)


@router.post("/inquiries/{inquiry_id}/withdraw", response=InquiryOut, summary="Withdraw a draft or an undelivered inquiry, with the reason")
def oversight_withdraw_inquiry(request, inquiry_id: Id, payload: ReasonIn):
    inquiry = queries.get_inquiry_for(request.user, inquiry_id)
    return inquiry_actions.withdraw_inquiry(actor=request.user, inquiry=inquiry, reason=payload.reason)


@router.post("/inquiries/{inquiry_id}/delivery", response=InquiryOut, summary="Record delivery to the cadre")
def oversight_deliver_inquiry(request, inquiry_id: Id, payload: DeliveryIn):
    """Sets the reply deadline in working days from the delivery date."""
    inquiry = queries.get_inquiry_for(request.user, inquiry_id)
    return inquiry_actions.record_delivery(actor=request.user, inquiry=inquiry, delivered_on=payload.delivered_on)


@router.post("/inquiries/{inquiry_id}/reply", response=InquiryOut, summary="Reply with the signed file (multipart form)")
def oversight_reply_inquiry(request, inquiry_id: Id, reply_text: Form[text(10_000, 1)], replied_on: Form[dt.date], file: File[UploadedFile]):
    """The cadre answers their own delivered inquiry; an officer may record a reply received on
    paper. The file (PDF, JPEG, PNG, DOCX or XLSX) is checked by content."""
    inquiry = queries.get_inquiry_for(request.user, inquiry_id)
    return inquiry_actions.record_reply(actor=request.user, inquiry=inquiry, reply_text=reply_text, replied_on=replied_on, file=file)


@router.post("/inquiries/{inquiry_id}/sign-off", response=InquiryOut, summary="Record the principal's sign-off on the reply")
def oversight_sign_off_inquiry(request, inquiry_id: Id, payload: SignOffIn):
    inquiry = queries.get_inquiry_for(request.user, inquiry_id)
    return inquiry_actions.sign_off_reply(actor=request.user, inquiry=inquiry, signed_off_on=payload.signed_off_on, principal=payload.principal)


@router.post("/inquiries/{inquiry_id}/assessment", response=InquiryOut, summary="Assess the reply and decide the follow-up")
def oversight_assess_inquiry(request, inquiry_id: Id, payload: AssessmentIn):
    user = request.user
    inquiry = queries.get_inquiry_for(user, inquiry_id)
    to_unit = _member_unit(payload.transfer_to_unit_id, "transfer_to_unit_id")
    from_unit = _member_unit(payload.transfer_from_unit_id, "transfer_from_unit_id", sender_for=user)
    values = payload.model_dump(include={"assessment", "follow_up", "note", "talk_due_on"})
    with _request_fields(transfer_to="transfer_to_unit_id", transfer_from="transfer_from_unit_id"):
        return inquiry_actions.assess_reply(actor=user, inquiry=inquiry, transfer_to=to_unit, transfer_from=from_unit, **values)
