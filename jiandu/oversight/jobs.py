"""Background work of daily supervision (run by `manage.py run_worker`) and dashboard cards.

Each job is idempotent: reminders and escalations are recorded once per record (a date field
marks them), so two workers or a restart do no harm.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core.dashboard import register_card
from jiandu.core.jobs import register_job

HOUR = 3600


@register_job("oversight.inquiry_reminders", every_seconds=HOUR)
def inquiry_reminders():
    """Remind cadres of inquiry replies due within the reminder window."""
    from .actions.inquiries import send_reply_reminders

    return send_reply_reminders()


@register_job("oversight.inquiry_escalation", every_seconds=HOUR)
def inquiry_escalation():
    """Escalate overdue inquiry replies to the head."""
    from .actions.inquiries import escalate_overdue_inquiries

    return escalate_overdue_inquiries()


@register_job("oversight.rectification_reminders", every_seconds=6 * HOUR)
def rectification_reminders():
    """Overdue rectification items and reports."""
    from .actions.tours import send_rectification_reminders

    return send_rectification_reminders()


def _card(label, number, url, attention=True):
    return {"label": label, "number": number, "url": url, "attention": attention and bool(number)}


@register_card
def overdue_oversight_card(user):
    """Overdue replies, required talks and rectification items in the user's scope."""
    if not access.can(user, "oversight.view"):
        return None
    from . import queries

    n = queries.overdue_inquiries(user).count() + queries.overdue_required_talks(user).count() + queries.overdue_rectification_items(user).count()
    return _card(_("Daily supervision: overdue items"), n, reverse("oversight:index"))


@register_card
def clue_card(user):
    """Clues awaiting receipt or feedback for the user's department."""
    if not (access.can(user, "oversight.clues") or access.can(user, "oversight.view_clues_all")):
        return None
    from .models import Clue
    from .queries import clues_with_full_access

    n = clues_with_full_access(user).filter(status__in=[Clue.Status.TRANSFERRED, Clue.Status.RECEIVED]).count()
    return _card(_("Clues in progress"), n, reverse("oversight:clue_list"), attention=False)


@register_card
def my_inquiry_card(user):
    """A cadre's own inquiries awaiting their reply."""
    if not (getattr(user, "cadre_id", None) and access.can(user, "self.answer")):
        return None
    from .models import Inquiry
    from .queries import my_inquiries

    n = my_inquiries(user).filter(status=Inquiry.Status.DELIVERED).count()
    return _card(_("Written inquiries awaiting my reply"), n, reverse("oversight:my_inquiries")) if n else None


@register_card
def yellow_cards_to_admonish_card(user):
    """Yellow cards confirmed in the appraisal pages whose admonishment is not yet recorded
    (appraisals' own card counts the undecided ones; this one does not repeat it)."""
    if not access.can(user, "oversight.confirm"):
        return None
    from .queries import YellowCardState, yellow_cards_visible_to

    n = yellow_cards_visible_to(user, "oversight.confirm").filter(state=YellowCardState.CONFIRMED).count()
    return _card(_("Confirmed yellow cards awaiting the admonishment"), n, reverse("oversight:yellow_card_list") + "?status=confirmed") if n else None
