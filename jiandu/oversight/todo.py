"""待办 (core.todo): clues transferred to the user's department awaiting its receipt (clue
officers), admonishment talks required and not yet held, and yellow cards to decide (officers
who record them)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.accounts import access
from jiandu.core.todo import TodoItem, register_todo

from . import queries
from .models import Talk


def items(user, today) -> list[TodoItem]:
    rows = []
    for clue in queries.clues_to_receive(user).select_related("from_unit", "to_unit").order_by("receipt_due_on", "id"):
        rows.append(
            TodoItem(
                key=f"oversight.clue:{clue.pk}",
                title=_("Confirm receipt of a transferred clue"),
                subject=_("%(number)s, from %(unit)s") % {"number": clue.number or clue.pk, "unit": clue.from_unit.name if clue.from_unit else ""},
                url=reverse("oversight:clue_detail", args=[clue.pk]),
                due_on=clue.receipt_due_on,
            )
        )
    if access.can(user, "oversight.manage"):
        required = queries.talks_visible_to(user).filter(status=Talk.Status.REQUIRED).filter(access.scope_q(user, "oversight.manage", "unit__path"))
        for talk in required.order_by("due_on", "id"):
            rows.append(
                TodoItem(
                    key=f"oversight.talk:{talk.pk}",
                    title=_("Hold a required talk: %(kind)s") % {"kind": talk.get_kind_display()},
                    subject=f"{talk.cadre.name}（{talk.unit.name}）",
                    url=reverse("oversight:talk_detail", args=[talk.pk]),
                    due_on=talk.due_on,
                )
            )
    if access.can(user, "oversight.confirm"):
        pending = queries.yellow_cards_visible_to(user, "oversight.confirm").filter(state=queries.YellowCardState.PENDING)
        for proposal in pending.order_by("created_at", "id"):
            rows.append(
                TodoItem(
                    key=f"oversight.yellow_card:{proposal.pk}",
                    title=_("Decide a yellow card: admonish or dismiss"),
                    subject=f"{proposal.cadre.name}（{proposal.cycle.year}，{proposal.figures}）",
                    url=reverse("oversight:yellow_card_detail", args=[proposal.pk]),
                )
            )
    return rows


register_todo("oversight", items, label=gettext_lazy("Daily supervision"))
