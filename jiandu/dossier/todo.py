"""待办 (core.todo): early warnings to acknowledge or handle, for those who handle them."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.accounts import access
from jiandu.core.todo import TodoItem, register_todo

from . import queries

MAX_ITEMS = 50  # the rest is on the alerts page, filtered


def items(user, today) -> list[TodoItem]:
    if not access.can(user, "dossier.handle_alerts"):
        return []
    alerts = (
        queries.alerts_visible_to(user)
        .filter(closed_at__isnull=True, handled_at__isnull=True, acknowledged_at__isnull=True)
        .filter(access.scope_q(user, "dossier.handle_alerts", "unit__path"))
    )
    rows = []
    for alert in queries.with_severity_rank(alerts).order_by("-severity_rank", "raised_at", "id")[:MAX_ITEMS]:
        rows.append(
            TodoItem(
                key=f"dossier.alert:{alert.pk}",
                title=_("Acknowledge or handle an early warning (%(severity)s)") % {"severity": alert.get_severity_display()},
                subject=alert.cadre.name if alert.cadre_id else (alert.unit.name if alert.unit_id else ""),
                url=reverse("dossier:cadre", args=[alert.cadre_id]) if alert.cadre_id else reverse("dossier:alerts"),
                detail=alert.text[:200],
            )
        )
    return rows


register_todo("dossier", items, label=gettext_lazy("Early warnings"))
