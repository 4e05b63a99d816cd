"""Dashboard card: ballots whose voting time has ended and that still need to be closed."""

from django.urls import reverse
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core.dashboard import register_card

from . import queries


@register_card
def ballots_to_close(user):
    if not access.can(user, "ballots.manage"):
        return None
    open_count = queries.ballots_visible_to(user, "ballots.manage").filter(status="open").count()
    past = queries.ballots_past_closing(user).count()
    if not open_count and not past:
        return None
    if past:
        return {"label": _("Ballots to close and count"), "number": past, "url": reverse("ballots:index") + "?status=open", "attention": True}
    return {"label": _("Ballots open for voting"), "number": open_count, "url": reverse("ballots:index") + "?status=open", "attention": False}
