"""待办 (core.todo): departure handovers waiting for the user's confirmation as one of the three
parties (the leaver or the successor through the user's cadre record, or the named supervisor)."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.core.todo import TodoItem, register_todo

from .models import Handover, HandoverSignature


def items(user, today) -> list[TodoItem]:
    cadre_id = getattr(user, "cadre_id", None)
    party = Q(supervisor_id=user.pk)
    if cadre_id:
        party |= Q(cadre_id=cadre_id) | Q(successor_id=cadre_id)
    rows = []
    handovers = Handover.objects.filter(party, status=Handover.Status.OPEN).select_related("cadre", "unit").prefetch_related("signatures")
    for handover in handovers.order_by("due_on", "id"):
        signed = {s.party for s in handover.signatures.all()}
        mine = []
        if cadre_id and handover.cadre_id == cadre_id:
            mine.append(HandoverSignature.Party.LEAVER)
        if cadre_id and handover.successor_id == cadre_id:
            mine.append(HandoverSignature.Party.SUCCESSOR)
        if handover.supervisor_id == user.pk:
            mine.append(HandoverSignature.Party.SUPERVISOR)
        due = [p for p in mine if p not in signed]
        if not due:
            continue
        rows.append(
            TodoItem(
                key=f"audits.handover:{handover.pk}",
                title=_("Confirm a departure handover as %(party)s") % {"party": "、".join(str(HandoverSignature.Party(p).label) for p in due)},
                subject=f"{handover.cadre.name}（{handover.unit.name}）",
                url=reverse("audits:handover_detail", args=[handover.pk]),
                due_on=handover.due_on,
            )
        )
    return rows


register_todo("audits", items, label=gettext_lazy("Responsibility supervision"))
