"""Written inquiries in the caller's scope, the cadre's own, and the overdue ones."""

import datetime as dt

from django.db.models import QuerySet

from jiandu.accounts import access

from ..models import (
    Inquiry,
)
from .base import _int, _scoped

# --- inquiries ----------------------------------------------------------------------------------


def inquiries_visible_to(user) -> QuerySet[Inquiry]:
    return _scoped(Inquiry, user).select_related("cadre", "unit")


def my_inquiries(user) -> QuerySet[Inquiry]:
    """A cadre's own inquiries once delivered (self service)."""
    if not (getattr(user, "cadre_id", None) and access.can(user, "self.view")):
        return Inquiry.objects.none()
    return Inquiry.objects.filter(cadre_id=user.cadre_id, status__in=[Inquiry.Status.DELIVERED, Inquiry.Status.REPLIED, Inquiry.Status.CLOSED])


def get_inquiry_for(user, pk) -> Inquiry:
    inquiry = inquiries_visible_to(user).filter(pk=_int(pk)).first() or my_inquiries(user).select_related("cadre", "unit").filter(pk=_int(pk)).first()
    if inquiry is None:
        raise access.NotVisible()
    return inquiry


def overdue_inquiries(user, today: dt.date | None = None) -> QuerySet[Inquiry]:
    today = today or dt.date.today()
    return inquiries_visible_to(user).filter(status=Inquiry.Status.DELIVERED, reply_due_on__lt=today).order_by("reply_due_on")
