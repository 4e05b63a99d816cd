"""Dispositions and talks in the caller's scope, and the overdue ones."""

import datetime as dt

from django.db.models import QuerySet

from jiandu.accounts import access

from ..models import (
    Disposition,
    Talk,
)
from .base import _get, _int, _scoped


def dispositions_visible_to(user) -> QuerySet[Disposition]:
    return _scoped(Disposition, user).select_related("cadre", "unit")


def get_disposition_for(user, pk) -> Disposition:
    return _get(dispositions_visible_to(user), pk)


def talks_visible_to(user) -> QuerySet[Talk]:
    return _scoped(Talk, user).select_related("cadre", "unit", "disposition")


def get_talk_for(user, pk) -> Talk:
    """A talk in scope, or the cadre's own talk in self service (to submit an explanation)."""
    talk = talks_visible_to(user).filter(pk=_int(pk)).first()
    if talk is None and getattr(user, "cadre_id", None) and access.can(user, "self.view"):
        talk = Talk.objects.select_related("cadre", "unit").filter(pk=_int(pk), cadre_id=user.cadre_id, status=Talk.Status.HELD).first()
    if talk is None:
        raise access.NotVisible()
    return talk


def overdue_required_talks(user, today: dt.date | None = None) -> QuerySet[Talk]:
    today = today or dt.date.today()
    return talks_visible_to(user).filter(status=Talk.Status.REQUIRED, due_on__lt=today).order_by("due_on")


def overdue_follow_ups(user, today: dt.date | None = None) -> QuerySet[Talk]:
    today = today or dt.date.today()
    return talks_visible_to(user).filter(status=Talk.Status.HELD, follow_up_done_on__isnull=True, follow_up_due_on__lt=today).exclude(follow_up="")
