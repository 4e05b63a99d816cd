"""Attachments, readable only with the record they belong to."""

import datetime as dt

from django.db.models import Count, Q

from jiandu.accounts import access

from ..models import (
    Attachment,
    Disposition,
    DutyReport,
    Finding,
    Inquiry,
    RectificationItem,
    Talk,
)
from .base import _int
from .clues import clues_to_receive, get_clue_for, overdue_clue_feedback, overdue_clue_receipts
from .duty import get_duty_report_for, missing_duty_reports
from .influence import active_influence
from .inquiries import get_inquiry_for, inquiries_visible_to, overdue_inquiries
from .talks import dispositions_visible_to, get_disposition_for, get_talk_for, overdue_follow_ups, overdue_required_talks
from .tours import get_tour_for, overdue_rectification_items
from .yellow_cards import open_yellow_cards

# --- attachments --------------------------------------------------------------------------------

OWNER_GETTERS = {
    "disposition": lambda user, pk: get_disposition_for(user, pk),
    "talk": lambda user, pk: get_talk_for(user, pk),
    "inquiry": lambda user, pk: get_inquiry_for(user, pk),
    "clue": lambda user, pk: get_clue_for(user, pk),
    "inspectiontour": lambda user, pk: get_tour_for(user, pk),
    "rectificationupdate": lambda user, pk: get_tour_for(
        user, RectificationItem.objects.filter(updates__pk=_int(pk)).values_list("tour_id", flat=True).first()
    ),
    "dutyreport": lambda user, pk: get_duty_report_for(user, pk),
}


def get_attachment_for(user, pk) -> tuple[Attachment, object]:
    """An attachment whose owner record the user may read; (attachment, owner)."""
    attachment = Attachment.objects.filter(pk=_int(pk)).first()
    if attachment is None or attachment.owner_type not in OWNER_GETTERS:
        raise access.NotVisible()
    owner = OWNER_GETTERS[attachment.owner_type](user, attachment.owner_id)
    return attachment, owner


# --- a cadre's history (dossier) -----------------------------------------------------------------


def cadre_history(cadre) -> dict:
    """Everything oversight holds about one cadre (read by the dossier; the caller checks access)."""
    cadre_id = getattr(cadre, "pk", cadre)
    return {
        "dispositions": list(Disposition.objects.filter(cadre_id=cadre_id).order_by("-decided_on")),
        "talks": list(Talk.objects.filter(cadre_id=cadre_id).order_by("-talked_on")),
        "inquiries": list(Inquiry.objects.filter(cadre_id=cadre_id).exclude(status=Inquiry.Status.DRAFT)),
        "duty_reports": list(DutyReport.objects.filter(cadre_id=cadre_id).order_by("-year")),
        "findings": list(Finding.objects.filter(cadres__pk=cadre_id)),
        "influence": active_influence(cadre_id),
    }


# --- attention counts (index page, dashboard cards) ----------------------------------------------


def attention_counts(user, today: dt.date | None = None) -> dict[str, int]:
    today = today or dt.date.today()
    counts = {}
    if access.can(user, "oversight.view"):
        counts["overdue_talks"] = overdue_required_talks(user, today).count()
        counts["overdue_follow_ups"] = overdue_follow_ups(user, today).count()
        counts["overdue_inquiries"] = overdue_inquiries(user, today).count()
        counts["awaiting_assessment"] = inquiries_visible_to(user).filter(status=Inquiry.Status.REPLIED).count()
        counts["overdue_rectification"] = overdue_rectification_items(user, today).count()
        counts["missing_duty_reports"] = missing_duty_reports(user, today).count()
        counts["open_yellow_cards"] = open_yellow_cards(user).count()
        counts["running_influence"] = (
            dispositions_visible_to(user)
            .filter(status=Disposition.Status.EFFECTIVE, decided_on__lte=today)
            .filter(Q(is_permanent=True) | Q(influence_ends_on__gte=today))
            .aggregate(n=Count("cadre", distinct=True))["n"]
        )
    if access.can(user, "oversight.clues") or access.can(user, "oversight.view_clues_all"):
        counts["overdue_clue_receipts"] = overdue_clue_receipts(user, today).count()
        counts["overdue_clue_feedback"] = overdue_clue_feedback(user, today).count()
        counts["clues_to_receive"] = clues_to_receive(user).count()
    return counts
