"""Clues between departments (who may read, send and receive them) and the joint meeting."""

import datetime as dt

from django.db.models import Q, QuerySet

from jiandu.accounts import access

from ..models import (
    Clue,
    JointMeeting,
    JointMember,
)
from .base import _get

# --- clues --------------------------------------------------------------------------------------


def _clue_q(user) -> Q:
    """The one rule for reading clues (security issue #8.2): the clue officers of the sending and
    of the receiving department (`oversight.clues`, an assignment on that department's unit only),
    and the organisation department's head (`oversight.view_clues_all`: the convener of the joint
    meeting, who follows receipt and feedback; read only). Nobody else, whatever other role."""
    if access.is_unrestricted(user, "oversight.view_clues_all"):
        return Q(pk__isnull=False)
    q = access.scope_q(user, "oversight.view_clues_all", "cadre_unit__path")
    q |= access.scope_q(user, "oversight.clues", "from_unit__path")
    q |= access.scope_q(user, "oversight.clues", "to_unit__path")
    return q


def clues_with_full_access(user) -> QuerySet[Clue]:
    """Clues the user may read: see `_clue_q`. Lists, detail, exports, statistics, counters and
    the API all start from this query."""
    return Clue.objects.filter(_clue_q(user)).select_related("cadre", "from_unit", "to_unit", "cadre_unit")


def clues_visible_to(user) -> QuerySet[Clue]:
    """Clues listed for the user: exactly those the user may read (no masked rows: that a cadre
    is the subject of a clue is itself sensitive)."""
    return clues_with_full_access(user)


def may_read_clue(user, clue: Clue) -> bool:
    return clues_with_full_access(user).filter(pk=clue.pk).exists()


def get_clue_for(user, pk) -> Clue:
    """A clue the user may read (others: 404). The caller journals the view."""
    return _get(clues_with_full_access(user), pk)


def is_clue_sender(user, clue: Clue) -> bool:
    """A clue officer of the sending department (transfers and closes)."""
    return access.can(user, "oversight.clues", clue.from_unit)


def is_clue_receiver(user, clue: Clue) -> bool:
    """A clue officer of the receiving department who is not also on the sending side: the
    sender never signs its own receipt nor reports its own handling."""
    if clue.to_unit_id is None or not access.can(user, "oversight.clues", clue.to_unit):
        return False
    return not is_clue_sender(user, clue) and clue.created_by_id != getattr(user, "pk", None)


def clues_to_receive(user) -> QuerySet[Clue]:
    """Transferred clues awaiting the receipt of one of the user's departments (not sent by them)."""
    mine = access.unit_paths(user, "oversight.clues")
    return (
        clues_with_full_access(user)
        .filter(status=Clue.Status.TRANSFERRED, to_unit__path__in=mine)
        .exclude(from_unit__path__in=mine)
        .exclude(created_by_id=getattr(user, "pk", None))
    )


def overdue_clue_receipts(user, today: dt.date | None = None) -> QuerySet[Clue]:
    today = today or dt.date.today()
    return clues_with_full_access(user).filter(status=Clue.Status.TRANSFERRED, receipt_due_on__lt=today)


def overdue_clue_feedback(user, today: dt.date | None = None) -> QuerySet[Clue]:
    today = today or dt.date.today()
    return clues_with_full_access(user).filter(status__in=[Clue.Status.TRANSFERRED, Clue.Status.RECEIVED], feedback_due_on__lt=today)


def members() -> QuerySet[JointMember]:
    return JointMember.objects.filter(is_active=True).select_related("unit")


def meetings_visible_to(user) -> QuerySet[JointMeeting]:
    """Joint meetings: every meeting for the member departments' clue officers; otherwise those
    convened in the user's oversight.view scope."""
    if access.can(user, "oversight.view_clues_all") or any(access.can(user, "oversight.clues", m.unit) for m in members()):
        return JointMeeting.objects.select_related("organiser")
    return JointMeeting.objects.filter(access.scope_q(user, "oversight.view", "organiser__path")).select_related("organiser")


def get_meeting_for(user, pk) -> JointMeeting:
    return _get(meetings_visible_to(user), pk)


def open_clue_count(cadre) -> int:
    """For selection's 凡提四必 (线索具体的信访举报必查): how many clues about the cadre are neither
    closed nor answered with a verified result. A count only: no clue's content leaves this app."""
    return Clue.objects.filter(cadre_id=cadre.pk, status__in=[Clue.Status.REGISTERED, Clue.Status.TRANSFERRED, Clue.Status.RECEIVED]).count()
