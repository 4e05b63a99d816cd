"""The early-warning scan over the rules of core.alerts: raise once, update while the cause
lasts, close when it ends. Idempotent: a second run on the same day raises nothing new."""

import datetime as dt
import logging
from dataclasses import dataclass

from django.utils import timezone

from jiandu.core import alerts as rules

from .models import Alert

log = logging.getLogger(__name__)


@dataclass
class ScanResult:
    raised: int = 0
    updated: int = 0
    closed: int = 0
    failed: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {"raised": self.raised, "updated": self.updated, "closed": self.closed, "failed": list(self.failed)}


def scan(today: dt.date | None = None) -> ScanResult:
    """Evaluate every rule (callers run it in a transaction and journal the result)."""
    from django.db import transaction

    today = today or dt.date.today()
    now = timezone.now()
    result = ScanResult()
    failed = []
    raised = []
    for rule in rules.rules():
        try:
            with transaction.atomic():
                matches = {m.key: m for m in rule.query(today)}
        except Exception:
            log.exception("early-warning rule %s failed", rule.name)
            failed.append(rule.name)
            continue
        # Only what a comparison needs is read; new alerts are inserted in one statement (a first
        # scan over a province raises thousands), changed ones updated one by one (few a night).
        open_alerts = {
            key: (pk, text, severity)
            for pk, key, text, severity in Alert.objects.select_for_update()
            .filter(rule=rule.name, closed_at__isnull=True)
            .values_list("pk", "key", "text", "severity")
            .order_by()
        }
        new = []
        for key, match in matches.items():
            text = str(match.text)[:500]
            alert = open_alerts.get(key)
            if alert is None:
                new.append(
                    Alert(
                        rule=rule.name,
                        key=key[:120],
                        cadre_id=match.cadre_id,
                        unit_id=match.unit_id,
                        severity=rule.severity,
                        text=text,
                        raised_at=now,
                        updated_at=now,
                    )
                )
                raised.append((rule, key, match, text))
            elif alert[1] != text or alert[2] != rule.severity:
                Alert.objects.filter(pk=alert[0]).update(text=text, severity=rule.severity, updated_at=now)
                result.updated += 1
        Alert.objects.bulk_create(new, batch_size=1000)
        result.raised += len(new)
        gone = [alert[0] for key, alert in open_alerts.items() if key not in matches]
        if gone:
            result.closed += Alert.objects.filter(pk__in=gone).update(closed_at=now)
    result.failed = tuple(failed)
    _notify(raised, today)
    return result


def _notify(raised, today) -> None:
    """Each new alert is a notification to the people who handle alerts over its unit (a query for
    the units, one for the assignments and a few to write, whatever the number of alerts)."""
    if not raised:
        return
    from django.urls import reverse
    from django.utils.translation import gettext_noop

    from jiandu.accounts import access
    from jiandu.core import notifications
    from jiandu.registry.models import Unit

    paths = dict(Unit.objects.filter(pk__in={m.unit_id for _r, _k, m, _t in raised if m.unit_id}).values_list("pk", "path"))
    handlers = access.holder_assignments("dossier.handle_alerts")
    url = reverse("dossier:alerts")
    notes = [
        notifications.Note(
            access.holders_among(handlers, paths.get(match.unit_id)),
            gettext_noop("Early warning: %(text)s"),
            url,
            params={"text": text},
            cause=f"dossier.alert:{rule.name}:{key}"[:120],
            sensitive=True,
        )
        for rule, key, match, text in raised
    ]
    notifications.notify_many(notifications.ALERT, notes, today=today)
