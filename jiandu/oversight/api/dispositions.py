"""Oversight API: dispositions, influence periods and the yellow cards the annual appraisal raises."""

import datetime as dt
from typing import Literal

from django.db.models import Q
from ninja import Field as F
from ninja import Query, Schema

from jiandu.accounts import access
from jiandu.core.api import Id, InputSchema, Page, PageQuery, Ref, optional, paginate, text

from .. import influence, queries
from ..actions import dispositions as disposition_actions
from ..actions import yellow_cards as yellow_card_actions
from ..models import Disposition
from .common import (
    CategoryValue,
    Count,
    DispositionStatus,
    MeasureValue,
    ReasonIn,
    _cadre,
    _in_unit,
    _ref,
    _request_fields,
    router,
)

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
