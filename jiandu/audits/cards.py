"""Dashboard card: departures still without their audit or handover."""

from django.urls import reverse
from django.utils.translation import gettext as _

from jiandu.accounts import access


def open_departures_card(user):
    if not access.can(user, "audits.manage"):
        return None
    from . import queries

    number = queries.open_departures_visible_to(user).count()
    return {"label": _("Departures without an audit or handover"), "number": number, "url": reverse("audits:departures"), "attention": number > 0}


def overdue_handovers_card(user):
    if not access.can(user, "audits.manage"):
        return None
    from . import queries

    number = queries.overdue(queries.handovers_visible_to(user)).count()
    return {"label": _("Overdue departure handovers"), "number": number, "url": reverse("audits:handovers") + "?overdue=1", "attention": number > 0}


def pending_exemptions_card(user):
    """For the head: exemptions from 凡离必审 awaiting approval."""
    if not access.can(user, "audits.approve"):
        return None
    from . import queries

    number = queries.pending_exemptions_for_approver(user).count()
    return {"label": _("Departure exemptions awaiting your approval"), "number": number, "url": reverse("audits:departures"), "attention": number > 0}


def draft_plans_card(user):
    """For the head: yearly audit plans drafted and not yet approved."""
    if not access.can(user, "audits.approve"):
        return None
    from .models import AuditPlan

    number = AuditPlan.objects.filter(status=AuditPlan.Status.DRAFT).exclude(drafted_by=user).count()
    return {"label": _("Yearly audit plans awaiting approval"), "number": number, "url": reverse("audits:plans"), "attention": number > 0}


def overdue_rectifications_card(user):
    """For the audit office: rectification items of findings past their deadline, not closed."""
    if not access.can(user, "audits.manage"):
        return None
    from . import queries

    number = queries.overdue_rectification_items(queries.rectification_items_visible_to(user)).count()
    return {"label": _("Overdue rectifications of audit findings"), "number": number, "url": reverse("audits:findings") + "?overdue=1", "attention": number > 0}
