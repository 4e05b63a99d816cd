"""Oversight JSON API (/api/v1/oversight/): dispositions and yellow cards (also those the annual
appraisal raises), influence periods, talks, written inquiries, clues and yearly statistics.

Adapters like the pages: reads through oversight.queries (scoped; not visible = 404), writes
through the actions with `actor=request.user`; the core glue turns ActionError into 400, not
visible into 404 and schema errors into 422. Objects named in a body (a cadre, a clue, a
finding) are looked up in the caller's scope too, so "exists elsewhere" and "does not exist"
both answer 404. Every read of a clue is journaled (`oversight.clue.viewed`, via "api").

Operation names carry the `oversight_` prefix: ninja names each route "api:<operation>" in one
namespace shared by every app, and names such as `list_talks` or `statistics` would collide.
"""

import datetime as dt
from contextlib import contextmanager
from typing import Annotated, Literal

from django.db.models import Q
from django.utils.translation import gettext as _
from ninja import Field as F
from ninja import File, Form, Path, Query, Router, Schema
from ninja.files import UploadedFile

from jiandu.accounts import access
from jiandu.accounts.refusals import record_refusal
from jiandu.core.api import MAX_POSITIVE_INT, Id, InputSchema, Page, PageQuery, Ref, optional, paginate, text
from jiandu.core.errors import ActionError
from jiandu.registry import queries as registry_queries

from . import deadlines, influence, queries
from .actions import clues as clue_actions
from .actions import dispositions as disposition_actions
from .actions import duty as duty_actions
from .actions import inquiries as inquiry_actions
from .actions import talks as talk_actions
from .actions import tours as tour_actions
from .actions import yellow_cards as yellow_card_actions
from .models import Category, Clue, Disposition, DutySession, Inquiry, InspectionTour, Measure, Talk, TourMember, WorkLog

router = Router(tags=["oversight"])

MeasureValue = Literal[tuple(Measure.values)]
CategoryValue = Literal[tuple(Category.values)]
DispositionStatus = Literal[tuple(Disposition.Status.values)]
TalkKind = Literal[tuple(Talk.Kind.values)]
TalkStatus = Literal[tuple(Talk.Status.values)]
ExplanationState = Literal[tuple(Talk.Explanation.values)]
InquirySource = Literal[tuple(Inquiry.Source.values)]
InquiryStatus = Literal[tuple(Inquiry.Status.values)]
Assessment = Literal[tuple(Inquiry.Assessment.values)]
FollowUp = Literal[tuple(Inquiry.FollowUp.values)]
ClueSource = Literal[tuple(Clue.Source.values)]
ClueSensitivity = Literal[tuple(Clue.Sensitivity.values)]
ClueStatus = Literal[tuple(Clue.Status.values)]
ClueResult = Literal[tuple(Clue.Result.values)]
TourKind = Literal[tuple(InspectionTour.Kind.values)]
TourStage = Literal[tuple(InspectionTour.Stage.values)]
SessionMode = Literal[tuple(DutySession.Mode.values)]
MemberRole = Literal[tuple(TourMember.Role.values)]
WorkMethod = Literal[tuple(WorkLog.Method.values)]

LongText = text(10_000)
Count = Annotated[int, F(ge=0, le=MAX_POSITIVE_INT)]


@contextmanager
def _request_fields(**names):
    """Name the request field (cadre_id) where an action names its argument (cadre)."""
    try:
        yield
    except ActionError as exc:
        exc.field = names.get(exc.field, exc.field)
        raise


def _cadre(user, cadre_id: int, perm: str):
    """The cadre a body names, within the caller's `perm` scope (404 otherwise)."""
    return registry_queries.get_cadre_for(user, cadre_id, perm)


def _in_unit(qs, user, unit_id: int | None, path_field: str = "unit__path"):
    """Rows under a unit the user may read oversight records of (none when it is not visible)."""
    if unit_id is None:
        return qs
    unit = registry_queries.units_visible_to(user, "oversight.view").filter(pk=unit_id).first()
    return qs.filter(**{f"{path_field}__startswith": unit.path}) if unit else qs.none()


def _ref(obj) -> dict | None:
    return {"id": obj.pk, "name": str(obj)} if obj is not None else None


# --- dispositions and influence periods ----------------------------------------------------


class DispositionOut(Schema):
    id: int
    cadre: Ref
    unit: Ref
    category: CategoryValue
    measure: MeasureValue
    measure_label: str
    decided_on: dt.date
    deciding_body: str
    document_number: str
    grounds: str
    probation_years: int | None
    influence_months: int | None
    is_permanent: bool
    influence_ends_on: dt.date | None = F(description="last day of the influence period (inclusive); null when permanent or none")
    influence_explanation: str = F(description="the rule applied and how the end was computed")
    bar: str = F(description="what is barred while it runs: further_use, promotion, higher_post, any_post, or empty")
    no_leading_post_until: dt.date | None = F(description="first tier of a two-tier bar: no leading post at all until this day (inclusive)")
    lifted_on: dt.date | None = F(description="停职检查: the day it was lifted (it runs until lifted)")
    status: DispositionStatus
    corrects_id: int | None = F(description="the disposition this one corrects")
    closed_on: dt.date | None
    closed_reason: str

    @staticmethod
    def resolve_cadre(obj):
        return _ref(obj.cadre)

    @staticmethod
    def resolve_unit(obj):
        return _ref(obj.unit)

    @staticmethod
    def resolve_measure_label(obj):
        return str(obj.get_measure_display())

    @staticmethod
    def resolve_influence_explanation(obj):
        return influence.explain(obj)


class DispositionFilters(PageQuery):
    cadre: Id = optional()
    unit: Id = optional(description="this unit and the units below it")
    category: CategoryValue = optional()
    status: DispositionStatus = optional()
    running_on: dt.date = optional(description="only dispositions whose influence period runs on this date")


class DispositionIn(InputSchema):
    cadre_id: Id
    measure: MeasureValue
    decided_on: dt.date = F(description="not in the future; the influence period starts on it")
    deciding_body: text(100, 1)
    grounds: text(10_000, 1)
    document_number: text(60) = ""
    probation_years: int | None = F(None, ge=1, le=2, description="only (and always) for party_probation: 1 or 2")


class ReasonIn(InputSchema):
    reason: text(2_000, 1)


class CorrectionIn(InputSchema):
    reason: text(2_000, 1)
    measure: MeasureValue = optional()
    decided_on: dt.date = optional()
    deciding_body: text(100, 1) = optional()
    grounds: text(10_000, 1) = optional()
    document_number: text(60) = optional()
    probation_years: int = optional(ge=1, le=2)


class AdmonishmentIn(InputSchema):
    cadre_id: Id
    grounds: text(10_000, 1)
    source_type: text(40, 1) = F(description='what the yellow card comes from, e.g. "appraisals.proposal"')
    source_id: text(40, 1) = F(description="the id of that source; one yellow card per source")
    figures: dict[text(40, 1), Count] = F(default_factory=dict, max_length=20, description="the counts behind it, e.g. {poor: 11, valid: 30}")
    decided_on: dt.date | None = F(None, description="defaults to today")


class InfluenceOut(Schema):
    disposition_id: int
    measure: MeasureValue
    measure_label: str
    decided_on: dt.date
    ends_on: dt.date | None = F(description="last day inside the period (inclusive); null: no end")
    reason: str
    explanation: str


class InfluenceQuery(Schema):
    on: dt.date = optional(description="the date to check; leave out for today")


@router.get("/dispositions", response=Page[DispositionOut], summary="List dispositions")
def oversight_list_dispositions(request, filters: Query[DispositionFilters]):
    access.require(request.user, "oversight.view")
    qs = _in_unit(queries.dispositions_visible_to(request.user), request.user, filters.unit)
    if filters.cadre is not None:
        qs = qs.filter(cadre_id=filters.cadre)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.running_on is not None:
        on = filters.running_on
        qs = qs.filter(status=Disposition.Status.EFFECTIVE, decided_on__lte=on).filter(Q(is_permanent=True) | Q(influence_ends_on__gte=on))
    return paginate(qs.order_by("-decided_on", "-id"), filters)


@router.get("/dispositions/{disposition_id}", response=DispositionOut, summary="One disposition")
def oversight_get_disposition(request, disposition_id: Id):
    return queries.get_disposition_for(request.user, disposition_id)


@router.post("/dispositions", response={201: DispositionOut}, summary="Record a disposition")
def oversight_create_disposition(request, payload: DispositionIn):
    """Needs the right to manage oversight records of the cadre's unit. The influence period is
    computed from the measure and the decision date."""
    cadre = _cadre(request.user, payload.cadre_id, "oversight.manage")
    values = payload.model_dump(exclude={"cadre_id"})
    with _request_fields(cadre="cadre_id"):
        return 201, disposition_actions.record_disposition(actor=request.user, cadre=cadre, **values)


@router.post("/dispositions/{disposition_id}/revoke", response=DispositionOut, summary="Revoke a disposition")
def oversight_revoke_disposition(request, disposition_id: Id, payload: ReasonIn):
    """Needs the right to confirm (the head of the organisation department); an unheld yellow-card
    talk is cancelled with it."""
    disposition = queries.get_disposition_for(request.user, disposition_id)
    return disposition_actions.revoke_disposition(actor=request.user, disposition=disposition, reason=payload.reason)


@router.post("/dispositions/{disposition_id}/correct", response={201: DispositionOut}, summary="Correct a disposition")
def oversight_correct_disposition(request, disposition_id: Id, payload: CorrectionIn):
    """The original is kept as `corrected`; the answer is the new disposition with the corrected
    values (fields left out keep the original's)."""
    disposition = queries.get_disposition_for(request.user, disposition_id)
    return 201, disposition_actions.correct_disposition(actor=request.user, disposition=disposition, **payload.model_dump(exclude_unset=True))


@router.post("/admonishments", response={201: DispositionOut}, summary="Issue a yellow card (诫勉) with its required talk")
def oversight_create_admonishment(request, payload: AdmonishmentIn):
    """Needs the right to confirm. One yellow card per source (`code: duplicate` otherwise); the
    诫勉 talk is due within the configured number of working days."""
    cadre = _cadre(request.user, payload.cadre_id, "oversight.confirm")
    values = payload.model_dump(exclude={"cadre_id"})
    with _request_fields(cadre="cadre_id"):
        return 201, disposition_actions.create_admonishment(actor=request.user, cadre=cadre, **values)


@router.get("/cadres/{cadre_id}/influence", response=list[InfluenceOut], summary="Influence periods running for a cadre")
def oversight_cadre_influence(request, cadre_id: Id, params: Query[InfluenceQuery]):
    """The periods running on the date (default today): read by selection (art. 24) and appraisals."""
    cadre = _cadre(request.user, cadre_id, "oversight.view")
    return [
        {
            "disposition_id": r.disposition.pk,
            "measure": r.measure,
            "measure_label": str(r.measure_label),
            "decided_on": r.decided_on,
            "ends_on": r.ends_on,
            "reason": r.reason,
            "explanation": r.explanation,
        }
        for r in queries.active_influence(cadre, on=params.on)
    ]


# --- yellow cards from the annual appraisal -------------------------------------------------

YellowCardState = Literal[tuple(queries.YellowCardState.values)]


class YellowCardOut(Schema):
    id: int
    cadre: Ref
    unit: Ref = F(description="the cadre's unit")
    appraisal: str = F(description="the appraisal that raised the yellow card")
    year: int
    figures: str = F(description="the triggering figures as printed, e.g. 不称职 1/3 = 33.33%")
    count: int = F(description="votes for the dissatisfaction options")
    valid: int = F(description="valid votes")
    threshold: str = F(description="an exact fraction, e.g. 1/3")
    inclusive: bool = F(description="a share exactly at the threshold triggers the yellow card")
    state: YellowCardState
    state_label: str
    raised_at: dt.datetime
    decided_at: dt.datetime | None
    decision_note: str = F(description="the note of the confirmation, or the reason of the dismissal")
    reference: str = F(description='set once the admonishment is issued, e.g. "oversight.admonishment:12"')

    @staticmethod
    def resolve_cadre(obj):
        return _ref(obj.cadre)

    @staticmethod
    def resolve_unit(obj):
        return _ref(obj.cadre.unit)

    @staticmethod
    def resolve_appraisal(obj):
        return obj.cycle.title

    @staticmethod
    def resolve_year(obj):
        return obj.cycle.year

    @staticmethod
    def resolve_count(obj):
        return obj.numerator

    @staticmethod
    def resolve_valid(obj):
        return obj.denominator

    @staticmethod
    def resolve_state_label(obj):
        return str(queries.YellowCardState(obj.state).label)

    @staticmethod
    def resolve_raised_at(obj):
        return obj.created_at


class YellowCardFilters(PageQuery):
    state: YellowCardState = optional()
    year: int = optional(ge=2000, le=2100)
    cadre: Id = optional()


class YellowCardConfirmIn(InputSchema):
    grounds: text(10_000, 1) = optional(description="leave out for the grounds stated from the figures")
    decided_on: dt.date = optional(description="not in the future; defaults to today; the talk is due within the configured working days")
    deciding_body: text(100, 1) = optional()
    note: text(2_000) = optional(description="kept with the appraisal's record of the decision")


@router.get("/yellow-cards", response=Page[YellowCardOut], summary="List the appraisal's yellow cards")
def oversight_list_yellow_cards(request, filters: Query[YellowCardFilters]):
    """Admonishment proposals of the appraisals organised in the caller's scope, undecided first."""
    access.require(request.user, "oversight.view")
    qs = queries.yellow_cards_visible_to(request.user)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.year is not None:
        qs = qs.filter(cycle__year=filters.year)
    if filters.cadre is not None:
        qs = qs.filter(cadre_id=filters.cadre)
    return paginate(qs, filters)


@router.get("/yellow-cards/{yellow_card_id}", response=YellowCardOut, summary="One yellow card")
def oversight_get_yellow_card(request, yellow_card_id: Id):
    return queries.get_yellow_card_for(request.user, yellow_card_id)


@router.post("/yellow-cards/{yellow_card_id}/confirm", response={201: DispositionOut}, summary="Confirm a yellow card: admonish (诫勉)")
def oversight_confirm_yellow_card(request, yellow_card_id: Id, payload: YellowCardConfirmIn):
    """Needs the right to confirm. Records the 诫勉 disposition with the triggering figures and its
    required talk, and marks the proposal taken up; refused (`code: duplicate`) once done."""
    proposal = queries.get_yellow_card_for(request.user, yellow_card_id, "oversight.confirm")
    values = payload.model_dump(exclude_unset=True)
    values.setdefault("grounds", queries.yellow_card_grounds(proposal))
    return 201, yellow_card_actions.confirm_yellow_card(actor=request.user, proposal=proposal, **values)


@router.post("/yellow-cards/{yellow_card_id}/dismiss", response=YellowCardOut, summary="Dismiss a yellow card with the reason")
def oversight_dismiss_yellow_card(request, yellow_card_id: Id, payload: ReasonIn):
    proposal = queries.get_yellow_card_for(request.user, yellow_card_id, "oversight.confirm")
    yellow_card_actions.dismiss_yellow_card(actor=request.user, proposal=proposal, reason=payload.reason)
    return queries.get_yellow_card_for(request.user, yellow_card_id)


# --- talks ---------------------------------------------------------------------------------


class TalkOut(Schema):
    id: int
    cadre: Ref
    unit: Ref
    kind: TalkKind
    kind_label: str
    status: TalkStatus
    due_on: dt.date | None
    due_explanation: str = F(description="how the due date was computed (working days)")
    talked_on: dt.date | None
    place: str
    talkers: str
    talker_role: str
    recorder: str
    reason: str
    summary: str
    response: str
    follow_up: str
    follow_up_due_on: dt.date | None
    follow_up_done_on: dt.date | None
    follow_up_result: str
    explanation: ExplanationState
    disposition_id: int | None

    @staticmethod
    def resolve_cadre(obj):
        return _ref(obj.cadre)

    @staticmethod
    def resolve_unit(obj):
        return _ref(obj.unit)

    @staticmethod
    def resolve_kind_label(obj):
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_due_explanation(obj):
        return deadlines.explain(obj.due_rule)


class TalkFilters(PageQuery):
    cadre: Id = optional()
    unit: Id = optional(description="this unit and the units below it")
    kind: TalkKind = optional()
    status: TalkStatus = optional()


class TalkIn(InputSchema):
    cadre_id: Id
    kind: TalkKind
    talked_on: dt.date = F(description="not in the future")
    talkers: text(200, 1)
    reason: text(10_000, 1)
    summary: text(10_000, 1)
    place: text(100) = ""
    talker_role: text(100) = ""
    recorder: text(50) = ""
    response: LongText = ""
    follow_up: LongText = ""
    follow_up_due_on: dt.date | None = F(None, description="required with a follow-up; not in the past")
    explanation_required: bool = F(False, description="only after a reminder or an admonishment talk")


@router.get("/talks", response=Page[TalkOut], summary="List talks")
def oversight_list_talks(request, filters: Query[TalkFilters]):
    access.require(request.user, "oversight.view")
    qs = _in_unit(queries.talks_visible_to(request.user), request.user, filters.unit)
    if filters.cadre is not None:
        qs = qs.filter(cadre_id=filters.cadre)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return paginate(qs.order_by("-talked_on", "-id"), filters)


@router.get("/talks/{talk_id}", response=TalkOut, summary="One talk")
def oversight_get_talk(request, talk_id: Id):
    return queries.get_talk_for(request.user, talk_id)


@router.post("/talks", response={201: TalkOut}, summary="Record a talk that was held")
def oversight_create_talk(request, payload: TalkIn):
    cadre = _cadre(request.user, payload.cadre_id, "oversight.manage")
    values = payload.model_dump(exclude={"cadre_id"})
    with _request_fields(cadre="cadre_id"):
        return 201, talk_actions.record_talk(actor=request.user, cadre=cadre, **values)


class HoldTalkIn(InputSchema):
    talked_on: dt.date = F(description="not in the future, nor before the decision that required the talk")
    talkers: text(200, 1)
    summary: text(10_000, 1)
    place: text(100) = ""
    talker_role: text(100) = ""
    recorder: text(50) = ""
    reason: LongText = F("", description="defaults to the reason the talk was required for")
    response: LongText = ""
    follow_up: LongText = ""
    follow_up_due_on: dt.date | None = F(None, description="required with a follow-up; not in the past")
    explanation_required: bool = F(True, description="only after a reminder or an admonishment talk")


@router.post("/talks/{talk_id}/hold", response=TalkOut, summary="Record that a required talk was held")
def oversight_hold_talk(request, talk_id: Id, payload: HoldTalkIn):
    talk = queries.get_talk_for(request.user, talk_id)
    return talk_actions.hold_talk(actor=request.user, talk=talk, **payload.model_dump())


@router.post("/talks/{talk_id}/cancel", response=TalkOut, summary="Cancel a required talk, with the reason")
def oversight_cancel_talk(request, talk_id: Id, payload: ReasonIn):
    talk = queries.get_talk_for(request.user, talk_id)
    return talk_actions.cancel_talk(actor=request.user, talk=talk, reason=payload.reason)


class FollowUpDoneIn(InputSchema):
    done_on: dt.date = F(description="not in the future, nor before the talk")
    result: text(10_000, 1)


@router.post("/talks/{talk_id}/follow-up", response=TalkOut, summary="Record that a talk's follow-up was completed")
def oversight_complete_talk_follow_up(request, talk_id: Id, payload: FollowUpDoneIn):
    talk = queries.get_talk_for(request.user, talk_id)
    return talk_actions.complete_follow_up(actor=request.user, talk=talk, done_on=payload.done_on, result=payload.result)


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


def _member_unit(unit_id, field: str, *, sender_for=None):
    """A member department of the joint meeting (and one `sender_for` may send clues from)."""
    if unit_id is None:
        return None
    member = queries.members().filter(unit_id=unit_id).first()
    if member is None or (sender_for is not None and not access.can(sender_for, "oversight.clues", member.unit)):
        raise ActionError(_("Choose a member department of the joint meeting."), field=field)
    return member.unit


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


# --- clues ---------------------------------------------------------------------------------


class ClueOut(Schema):
    id: int
    number: str
    cadre: Ref
    cadre_unit: Ref
    from_unit: Ref
    to_unit: Ref | None
    source: ClueSource
    sensitivity: ClueSensitivity
    summary: str
    status: ClueStatus
    transferred_on: dt.date | None
    receipt_due_on: dt.date | None
    feedback_due_on: dt.date | None
    received_on: dt.date | None
    handling: str
    result: ClueResult | Literal[""]
    fed_back_on: dt.date | None
    closed_on: dt.date | None

    @staticmethod
    def resolve_cadre(obj):
        return _ref(obj.cadre)

    @staticmethod
    def resolve_cadre_unit(obj):
        return _ref(obj.cadre_unit)

    @staticmethod
    def resolve_from_unit(obj):
        return _ref(obj.from_unit)

    @staticmethod
    def resolve_to_unit(obj):
        return _ref(obj.to_unit)


class ClueFilters(PageQuery):
    status: ClueStatus = optional()
    cadre: Id = optional()


class ReceiptIn(InputSchema):
    received_on: dt.date | None = F(None, description="defaults to today")


class HandlingIn(InputSchema):
    handling: text(10_000, 1)
    result: ClueResult
    fed_back_on: dt.date | None = F(None, description="defaults to today")


def _read_clue(user):
    def journaled(clue):
        clue_actions.record_clue_view(actor=user, clue=clue, via="api")
        return clue

    return journaled


class TransferIn(InputSchema):
    to_unit_id: Id = F(description="a member department of the joint meeting, not the sending one")
    transferred_on: dt.date | None = F(None, description="defaults to today")


class CloseIn(InputSchema):
    pass


@contextmanager
def _refusal_journaled(request):
    """A refused clue request (not visible, or the wrong side) answers 404 like a missing clue and
    is journaled as a denied access, as the pages do (accounts.refusals)."""
    try:
        yield
    except access.NotVisible as exc:
        record_refusal(request, exc)
        raise


@router.get("/clues", response=Page[ClueOut], summary="List the clues you may read (each read is journaled)")
def oversight_list_clues(request, filters: Query[ClueFilters]):
    """Clues sent or received by the departments whose clue officer you are (or all, read only,
    with the right to read every clue). Each clue returned is journaled as read."""
    user = request.user
    with _refusal_journaled(request):
        if not (access.can(user, "oversight.clues") or access.can(user, "oversight.view_clues_all")):
            raise access.NotVisible()
    qs = queries.clues_with_full_access(user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.cadre is not None:
        qs = qs.filter(cadre_id=filters.cadre)
    return paginate(qs.order_by("-created_at", "-id"), filters, transform=_read_clue(user))


@router.get("/clues/{clue_id}", response=ClueOut, summary="One clue (the read is journaled)")
def oversight_get_clue(request, clue_id: Id):
    with _refusal_journaled(request):
        clue = queries.get_clue_for(request.user, clue_id)
    return _read_clue(request.user)(clue)


class ClueIn(InputSchema):
    cadre_id: Id
    from_unit_id: Id = F(description="the sending department: a member of the joint meeting whose clue officer you are")
    source: ClueSource
    summary: text(10_000, 1)
    sensitivity: ClueSensitivity = Clue.Sensitivity.SENSITIVE


@router.post("/clues", response={201: ClueOut}, summary="Register a clue (the sending department's clue officer)")
def oversight_create_clue(request, payload: ClueIn):
    """As the page: any cadre of the district may be named; the sending department must be a member
    department whose clue officer you are."""
    with _refusal_journaled(request):
        if not access.can(request.user, "oversight.clues"):
            raise access.NotVisible()
    from_unit = _member_unit(payload.from_unit_id, "from_unit_id", sender_for=request.user)
    with _request_fields(cadre="cadre_id", from_unit="from_unit_id"):
        clue = clue_actions.register_clue(
            actor=request.user,
            cadre=payload.cadre_id,
            from_unit=from_unit,
            source=payload.source,
            summary=payload.summary,
            sensitivity=payload.sensitivity,
        )
    return 201, clue


@router.post("/clues/{clue_id}/transfer", response=ClueOut, summary="Transfer the clue (sending department's clue officer)")
def oversight_transfer_clue(request, clue_id: Id, payload: TransferIn):
    with _refusal_journaled(request), _request_fields(to_unit="to_unit_id"):
        clue = queries.get_clue_for(request.user, clue_id)
        return clue_actions.transfer_clue(actor=request.user, clue=clue, to_unit=payload.to_unit_id, transferred_on=payload.transferred_on)


@router.post("/clues/{clue_id}/receipt", response=ClueOut, summary="Confirm receipt (receiving department's clue officer)")
def oversight_receive_clue(request, clue_id: Id, payload: ReceiptIn):
    with _refusal_journaled(request):
        clue = queries.get_clue_for(request.user, clue_id)
        return clue_actions.confirm_receipt(actor=request.user, clue=clue, received_on=payload.received_on)


@router.post("/clues/{clue_id}/feedback", response=ClueOut, summary="Report handling and result (receiving department's clue officer)")
def oversight_clue_feedback(request, clue_id: Id, payload: HandlingIn):
    with _refusal_journaled(request):
        clue = queries.get_clue_for(request.user, clue_id)
        return clue_actions.report_handling(actor=request.user, clue=clue, handling=payload.handling, result=payload.result, fed_back_on=payload.fed_back_on)


@router.post("/clues/{clue_id}/close", response=ClueOut, summary="Close the clue after the feedback (sending department's clue officer)")
def oversight_close_clue(request, clue_id: Id, payload: CloseIn):
    with _refusal_journaled(request):
        clue = queries.get_clue_for(request.user, clue_id)
        return clue_actions.close_clue(actor=request.user, clue=clue)


# --- inspection tours ----------------------------------------------------------------------


class TourMemberOut(Schema):
    id: int
    name: str
    role: MemberRole
    declared_on: dt.date | None = F(description="conflict-of-interest declaration; null until declared")
    has_conflict: bool
    declaration: str
    is_removed: bool


class TourOut(Schema):
    id: int
    name: str
    kind: TourKind
    kind_label: str
    year: int
    organiser: Ref
    targets: list[Ref]
    planned_start: dt.date
    planned_end: dt.date
    stage: TourStage
    stage_label: str
    stationed_on: dt.date | None
    reported_on: dt.date | None
    feedback_on: dt.date | None
    rectification_due_on: dt.date | None
    rectification_reported_on: dt.date | None
    closed_on: dt.date | None
    team: list[TourMemberOut]
    next_stage_blockers: list[str] = F(description="what must be done before the tour moves to its next stage")

    @staticmethod
    def resolve_kind_label(obj):
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_team(obj):
        return list(obj.members.order_by("id"))

    @staticmethod
    def resolve_next_stage_blockers(obj):
        return [str(b) for b in obj.next_stage_blockers()]

    @staticmethod
    def resolve_stage_label(obj):
        return str(obj.get_stage_display())

    @staticmethod
    def resolve_organiser(obj):
        return _ref(obj.organiser)

    @staticmethod
    def resolve_targets(obj):
        return [_ref(t.unit) for t in obj.targets.select_related("unit").order_by("unit__path")]


class TourFilters(PageQuery):
    year: int = optional(ge=2000, le=2100)
    stage: TourStage = optional()


class TourIn(InputSchema):
    organiser_id: Id = F(description="the organising unit (you manage oversight there)")
    name: text(200, 1)
    kind: TourKind = InspectionTour.Kind.PATROL
    year: int = F(..., ge=2000, le=2100)
    planned_start: dt.date
    planned_end: dt.date = F(description="not before planned_start")
    target_ids: list[Id] = F([], max_length=200, description="the inspected units (you manage oversight there)")


def _managed_unit(user, unit_id: int):
    """A unit the caller manages oversight records of (404 otherwise, as a missing one)."""
    unit = registry_queries.units_visible_to(user, "oversight.manage").filter(pk=unit_id).first()
    if unit is None:
        raise access.NotVisible()
    return unit


@router.get("/tours", response=Page[TourOut], summary="List inspection tours (巡察)")
def oversight_list_tours(request, filters: Query[TourFilters]):
    access.require(request.user, "oversight.view")
    qs = queries.tours_visible_to(request.user)
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    return paginate(qs.order_by("-year", "-id"), filters)


@router.get("/tours/{tour_id}", response=TourOut, summary="One inspection tour")
def oversight_get_tour(request, tour_id: Id):
    return queries.get_tour_for(request.user, tour_id)


@router.post("/tours", response={201: TourOut}, summary="Plan an inspection tour")
def oversight_create_tour(request, payload: TourIn):
    organiser = _managed_unit(request.user, payload.organiser_id)
    targets = [_managed_unit(request.user, pk) for pk in payload.target_ids]
    with _request_fields(organiser="organiser_id", targets="target_ids"):
        tour = tour_actions.plan_tour(
            actor=request.user,
            organiser=organiser,
            name=payload.name,
            kind=payload.kind,
            year=payload.year,
            planned_start=payload.planned_start,
            planned_end=payload.planned_end,
            targets=targets,
        )
    return 201, tour


class TourTargetIn(InputSchema):
    unit_id: Id = F(description="a unit you manage oversight records of")


class TourMemberIn(InputSchema):
    name: text(50, 1)
    role: MemberRole = TourMember.Role.MEMBER


class DeclarationIn(InputSchema):
    has_conflict: bool
    declaration: LongText = F("", description="required when declaring a conflict")
    declared_on: dt.date | None = F(None, description="defaults to today; not in the future")


class StationingIn(InputSchema):
    stationed_on: dt.date | None = F(None, description="defaults to today; not in the future")


class EmptyIn(InputSchema):
    pass


class WorkLogIn(InputSchema):
    unit_id: Id = F(description="a target unit of the tour")
    method: WorkMethod
    on: dt.date = F(description="not in the future, nor before the stationing")
    description: text(10_000, 1)
    participants: Count = 0


class WorkLogOut(Schema):
    id: int
    unit: Ref
    method: WorkMethod
    on: dt.date
    description: str
    participants: int

    @staticmethod
    def resolve_unit(obj):
        return _ref(obj.unit)


def _tour_member(user, tour_id: int, member_id: int) -> TourMember:
    tour = queries.get_tour_for(user, tour_id)
    member = tour.members.filter(pk=member_id).first()
    if member is None:
        raise access.NotVisible()
    return member


@router.post("/tours/{tour_id}/targets", response=TourOut, summary="Add a target unit (preparation)")
def oversight_add_tour_target(request, tour_id: Id, payload: TourTargetIn):
    tour = queries.get_tour_for(request.user, tour_id)
    unit = _managed_unit(request.user, payload.unit_id)
    with _request_fields(unit="unit_id"):
        tour_actions.add_target(actor=request.user, tour=tour, unit=unit)
    return queries.get_tour_for(request.user, tour_id)


@router.post("/tours/{tour_id}/members", response={201: TourMemberOut}, summary="Add a team member (preparation; one leader)")
def oversight_add_tour_member(request, tour_id: Id, payload: TourMemberIn):
    tour = queries.get_tour_for(request.user, tour_id)
    return 201, tour_actions.add_team_member(actor=request.user, tour=tour, name=payload.name, role=payload.role)


@router.post("/tours/{tour_id}/members/{member_id}/declaration", response=TourMemberOut, summary="Record a member's conflict-of-interest declaration")
def oversight_declare_interest(request, tour_id: Id, member_id: Id, payload: DeclarationIn):
    member = _tour_member(request.user, tour_id, member_id)
    return tour_actions.declare_interest(actor=request.user, member=member, **payload.model_dump())


@router.post("/tours/{tour_id}/members/{member_id}/remove", response=TourMemberOut, summary="Remove a team member, with the reason (preparation)")
def oversight_remove_tour_member(request, tour_id: Id, member_id: Id, payload: ReasonIn):
    member = _tour_member(request.user, tour_id, member_id)
    return tour_actions.remove_team_member(actor=request.user, member=member, reason=payload.reason)


@router.post("/tours/{tour_id}/stationing", response=TourOut, summary="Start stationing (the team is complete and declared)")
def oversight_start_stationing(request, tour_id: Id, payload: StationingIn):
    tour = queries.get_tour_for(request.user, tour_id)
    tour_actions.start_stationing(actor=request.user, tour=tour, stationed_on=payload.stationed_on)
    return queries.get_tour_for(request.user, tour_id)


@router.post("/tours/{tour_id}/work-log", response={201: WorkLogOut}, summary="Log stationing work at a target unit")
def oversight_log_tour_work(request, tour_id: Id, payload: WorkLogIn):
    tour = queries.get_tour_for(request.user, tour_id)
    unit = _managed_unit(request.user, payload.unit_id)
    with _request_fields(unit="unit_id"):
        values = payload.model_dump(exclude={"unit_id"})
        return 201, tour_actions.log_work(actor=request.user, tour=tour, unit=unit, **values)


@router.post("/tours/{tour_id}/stationing/finish", response=TourOut, summary="Finish stationing: the tour moves on to its report")
def oversight_finish_stationing(request, tour_id: Id, payload: EmptyIn):
    tour = queries.get_tour_for(request.user, tour_id)
    tour_actions.finish_stationing(actor=request.user, tour=tour)
    return queries.get_tour_for(request.user, tour_id)


# --- duty-report sessions (述责述廉) --------------------------------------------------------


class DutySessionOut(Schema):
    id: int
    unit: Ref
    year: int
    held_on: dt.date
    mode: SessionMode
    mode_label: str
    place: str
    audience: str
    ballot_id: int | None = F(description="the audience evaluation ballot, once created")
    report_ids: list[int] = F(description="the duty reports heard at the session")

    @staticmethod
    def resolve_unit(obj):
        return _ref(obj.unit)

    @staticmethod
    def resolve_mode_label(obj):
        return str(obj.get_mode_display())

    @staticmethod
    def resolve_report_ids(obj):
        return list(obj.reports.order_by("id").values_list("pk", flat=True))


class DutySessionFilters(PageQuery):
    year: int = optional(ge=2000, le=2100)
    unit: Id = optional(description="this unit and the units below it")


class DutySessionIn(InputSchema):
    unit_id: Id = F(description="the unit holding the session (you manage oversight there)")
    year: int = F(..., ge=2000, le=2100, description="the year the reports are for")
    held_on: dt.date = F(description="not in the future")
    mode: SessionMode
    report_ids: list[Id] = F(..., min_length=1, max_length=500, description="submitted reports of that year, heard at the session")
    place: text(100) = ""
    audience: LongText = ""


@router.get("/duty-sessions", response=Page[DutySessionOut], summary="List duty-report sessions")
def oversight_list_duty_sessions(request, filters: Query[DutySessionFilters]):
    access.require(request.user, "oversight.view")
    qs = _in_unit(queries.duty_sessions_visible_to(request.user), request.user, filters.unit)
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    return paginate(qs, filters)


@router.get("/duty-sessions/{session_id}", response=DutySessionOut, summary="One duty-report session")
def oversight_get_duty_session(request, session_id: Id):
    return queries.get_duty_session_for(request.user, session_id)


@router.post("/duty-sessions", response={201: DutySessionOut}, summary="Record a session where submitted duty reports were heard")
def oversight_create_duty_session(request, payload: DutySessionIn):
    unit = _managed_unit(request.user, payload.unit_id)
    reports = [queries.get_duty_report_for(request.user, pk) for pk in dict.fromkeys(payload.report_ids)]
    with _request_fields(reports="report_ids"):
        session = duty_actions.record_duty_session(
            actor=request.user,
            unit=unit,
            year=payload.year,
            held_on=payload.held_on,
            mode=payload.mode,
            reports=reports,
            place=payload.place,
            audience=payload.audience,
        )
    return 201, queries.get_duty_session_for(request.user, session.pk)


# --- statistics ----------------------------------------------------------------------------


class StatisticsRow(Schema):
    label: str
    count: int


class StatisticsSection(Schema):
    title: str
    rows: list[StatisticsRow]


class StatisticsOut(Schema):
    year: int
    talks: StatisticsSection
    dispositions: StatisticsSection
    inquiries: StatisticsSection
    tours: StatisticsSection
    tour_stages: StatisticsSection
    clues: StatisticsSection
    units: StatisticsSection


@router.get("/statistics/{year}", response=StatisticsOut, summary="Yearly counts by kind and by unit")
def oversight_statistics(request, year: int = Path(..., ge=2000, le=2100)):
    """The counts of the statistics page, over the records you may read."""
    from .statistics import yearly

    access.require(request.user, "oversight.view")
    sections = yearly(request.user, year)
    return {
        "year": year,
        **{
            key: {"title": str(section["title"]), "rows": [{"label": str(label), "count": n} for label, n in section["rows"]]}
            for key, section in sections.items()
        },
    }
