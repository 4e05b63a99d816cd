"""日常监督's figures on the role dashboards (core.dashboard): open items by deadline (written
inquiries awaiting the reply, required talks, rectification items of inspection tours, clues to
receive), inquiries by outcome and yellow cards and 诫勉 of the year. Scope: the queue counts what
the user acts on (oversight.manage; a clue officer's own department), the overview what the user
may read (oversight.view), through this app's own queries; one aggregate query per figure."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.accounts import access
from jiandu.core.dashboard import OVERVIEW, QUEUE, Chart, Series, bucket_counts, register_chart, register_deadline

from . import queries
from .models import Category, Clue, Inquiry, RectificationItem, Talk

AREA = gettext_lazy("Daily supervision")


def _perm(purpose: str) -> str:
    return "oversight.manage" if purpose == QUEUE else "oversight.view"


def _inquiries(user, today, purpose):
    perm = _perm(purpose)
    if not access.can(user, perm):
        return None
    qs = Inquiry.objects.filter(access.scope_q(user, perm), status=Inquiry.Status.DELIVERED)
    return bucket_counts(qs, "reply_due_on", today)


def _talks(user, today, purpose):
    perm = _perm(purpose)
    if not access.can(user, perm):
        return None
    qs = Talk.objects.filter(access.scope_q(user, perm), status=Talk.Status.REQUIRED)
    return bucket_counts(qs, "due_on", today)


def _rectification(user, today, purpose):
    perm = _perm(purpose)
    if not access.can(user, perm):
        return None
    tours = queries.tours_visible_to(user).values("pk")
    qs = RectificationItem.objects.filter(tour__in=tours).filter(access.scope_q(user, perm)).exclude(status=RectificationItem.Status.CLOSED)
    return bucket_counts(qs, "due_on", today)


def _clues(user, today, purpose):
    """Clues transferred to the user's own department and not yet received (clue officers only;
    never in an overview: that a clue exists is itself sensitive)."""
    if purpose != QUEUE or not access.can(user, "oversight.clues"):
        return None
    qs = Clue.objects.filter(access.scope_q(user, "oversight.clues", "to_unit__path"), status=Clue.Status.TRANSFERRED)
    return bucket_counts(qs, "receipt_due_on", today)


register_deadline("oversight.inquiries", _inquiries, label=gettext_lazy("Written inquiries awaiting the reply"), area=AREA, order=20)
register_deadline("oversight.talks", _talks, label=gettext_lazy("Required talks not yet held"), area=AREA, order=21)
register_deadline("oversight.rectification", _rectification, label=gettext_lazy("Rectification items of inspection tours"), area=AREA, order=22)
register_deadline("oversight.clues", _clues, label=gettext_lazy("Clues to receive"), area=AREA, order=23)


def inquiries_by_outcome(user, today):
    if not access.can(user, "oversight.view"):
        return None
    qs = queries.inquiries_visible_to(user).filter(issued_on__year=today.year).order_by()
    counts = qs.aggregate(
        waiting=Count("pk", filter=Q(status__in=[Inquiry.Status.ISSUED, Inquiry.Status.DELIVERED])),
        replied=Count("pk", filter=Q(status=Inquiry.Status.REPLIED)),
        **{value: Count("pk", filter=Q(status=Inquiry.Status.CLOSED, assessment=value)) for value in Inquiry.Assessment.values},
    )
    labels = [_("awaiting the reply"), _("replied, awaiting assessment")] + [str(label) for label in Inquiry.Assessment.labels]
    values = [counts["waiting"], counts["replied"]] + [counts[value] for value in Inquiry.Assessment.values]
    return Chart(
        key="oversight.inquiries_by_outcome",
        title=_("Written inquiries of %(year)s by outcome") % {"year": today.year},
        categories=labels,
        series=[Series(_("inquiries"), values)],
        horizontal=True,
        url=reverse("oversight:inquiry_list"),
    )


def yellow_cards_and_admonishment(user, today):
    if not access.can(user, "oversight.view"):
        return None
    year = today.year
    cards = queries.yellow_cards_visible_to(user).filter(created_at__year=year).order_by().count()
    dispositions = queries.dispositions_visible_to(user).filter(category=Category.ADMONISHMENT, decided_on__year=year).exclude(status="revoked").count()
    talks = queries.talks_visible_to(user).filter(kind=Talk.Kind.ADMONISHMENT, status=Talk.Status.HELD, talked_on__year=year).count()
    return Chart(
        key="oversight.yellow_cards",
        title=_("Yellow cards and 诫勉 in %(year)s") % {"year": year},
        categories=[_("yellow cards (亮黄牌)"), _("诫勉 dispositions"), _("诫勉 talks held")],
        series=[Series(_("count"), [cards, dispositions, talks])],
        url=reverse("oversight:yellow_card_list"),
    )


register_chart("oversight.yellow_cards", yellow_cards_and_admonishment, section=OVERVIEW, order=30)
register_chart("oversight.inquiries_by_outcome", inquiries_by_outcome, section=OVERVIEW, order=40)
