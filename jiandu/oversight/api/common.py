"""What every part of the oversight API shares: the router, the value types, the lookups in the
caller's scope and the reason body."""

from contextlib import contextmanager
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from ninja import Field as F
from ninja import Router

from jiandu.accounts import access
from jiandu.core.api import MAX_POSITIVE_INT, InputSchema, text
from jiandu.core.errors import ActionError
from jiandu.registry import queries as registry_queries

from .. import queries
from ..models import Category, Clue, Disposition, DutySession, Inquiry, InspectionTour, Measure, Talk, TourMember, WorkLog

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


class ReasonIn(InputSchema):
    reason: text(2_000, 1)


def _member_unit(unit_id, field: str, *, sender_for=None):
    """A member department of the joint meeting (and one `sender_for` may send clues from)."""
    if unit_id is None:
        return None
    member = queries.members().filter(unit_id=unit_id).first()
    if member is None or (sender_for is not None and not access.can(sender_for, "oversight.clues", member.unit)):
        raise ActionError(_("Choose a member department of the joint meeting."), field=field)
    return member.unit


def _managed_unit(user, unit_id: int):
    """A unit the caller manages oversight records of (404 otherwise, as a missing one)."""
    unit = registry_queries.units_visible_to(user, "oversight.manage").filter(pk=unit_id).first()
    if unit is None:
        raise access.NotVisible()
    return unit
