"""Dashboard card: yellow-card proposals waiting for the organisation department."""

from django.urls import reverse
from django.utils.translation import gettext as _

from jiandu.accounts import access

from . import queries
from .models import AdmonishmentProposal


def pending_yellow_cards(user):
    if not access.can(user, "appraisals.view"):
        return None
    number = queries.proposals_visible_to(user).filter(status=AdmonishmentProposal.Status.PENDING).count()
    return {"label": _("Yellow-card proposals awaiting a decision"), "number": number, "url": reverse("appraisals:proposals"), "attention": number > 0}
