"""Reads of collective decisions, scoped by access.py: the office that records a body's meetings
(`decisions.manage` on its unit) sees them, and so does every member of the body (the committee
member's account sees the meetings of the bodies it belongs to, through its linked cadre)."""

from django.db.models import Q

from jiandu.accounts import access

from . import verdict as rules
from .models import Body, Meeting


def _body_q(user, prefix: str = "") -> Q:
    q = access.scope_q(user, "decisions.manage", f"{prefix}unit__path")
    cadre_id = getattr(user, "cadre_id", None)
    if cadre_id and access.can(user, "decisions.view"):
        q |= Q(**{f"{prefix}memberships__cadre_id": cadre_id})
    return q


def bodies_visible_to(user):
    if not getattr(user, "is_authenticated", False):
        return Body.objects.none()
    return Body.objects.filter(pk__in=Body.objects.filter(_body_q(user)).values("pk")).select_related("unit", "principal")


def meetings_visible_to(user):
    return Meeting.objects.filter(body__in=bodies_visible_to(user)).select_related("body", "body__unit")


def get_meeting_for(user, pk) -> Meeting:
    meeting = meetings_visible_to(user).filter(pk=pk).first()
    if meeting is None:
        raise access.NotVisible()
    return meeting


def may_record(user) -> bool:
    return access.can(user, "decisions.manage")


def item_verdict(item) -> rules.Verdict:
    """The verdict of a stored item, recomputed from its rows (the arithmetic to show)."""
    meeting = item.meeting
    attendances = list(meeting.attendances.all())
    statements = [rules.Statement(s.cadre_id, s.stance, s.reason) for s in item.statements.all()]
    written = [rules.WrittenOpinion(w.cadre_id, w.stance, w.reason) for w in item.written_opinions.all()]
    return rules.compute(
        total=len(attendances),
        present=sum(1 for a in attendances if a.present),
        category=item.rule_category,
        statements=statements,
        principal=meeting.principal_id,
        written_opinions=written,
    )
