"""Core actions: local-practice settings (every change journaled with old and new value)."""

from fractions import Fraction

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import journal, notifications
from .errors import ActionError
from .models import LocalSetting, Notification, NotificationAddress, TodoRead
from .permissions import access
from .practice import definitions, forget_settings, get_setting


def parse_setting_value(definition, raw):
    """Convert form/API input into the stored JSON value, or raise ActionError naming the problem."""
    kind = definition.kind
    try:
        if kind == "int":
            value = int(str(raw).strip())
            if value < 0:
                raise ValueError
            return value
        if kind == "bool":
            if isinstance(raw, bool):
                return raw
            return str(raw).strip().lower() in {"1", "true", "yes", "on"}
        if kind == "fraction":
            value = Fraction(str(raw).strip())
            if not 0 <= value <= 1:
                raise ValueError
            return f"{value.numerator}/{value.denominator}"
        if kind == "choice":
            allowed = {c[0] for c in definition.choices}
            if raw not in allowed:
                raise ValueError
            return raw
        if kind == "list":
            if isinstance(raw, list):
                items = raw
            else:
                items = [line.strip() for line in str(raw).splitlines()]
            items = [item for item in items if item]
            if definition.choices:
                # A list of codes (ticked boxes on the page): only the declared codes, each once.
                allowed = [c[0] for c in definition.choices]
                if any(item not in allowed for item in items):
                    raise ValueError
                items = [code for code in allowed if code in items]
            return items
        return str(raw).strip()
    except (ValueError, ZeroDivisionError, TypeError) as exc:
        raise ActionError(_("Invalid value for %(label)s.") % {"label": definition.label}, field="value") from exc


def change_setting(*, actor, key: str, value) -> LocalSetting:
    """Override a local-practice setting; the journal keeps the history."""
    access.require(actor, access.setting_permission(key))
    definition = definitions().get(key)
    if definition is None:
        raise ActionError(_("Unknown setting."), field="key")
    value = parse_setting_value(definition, value)
    if key == "security.lockout_minutes" and value < 30:
        raise ActionError(_("Lockout must last at least 30 minutes (SECURITY.md)."), field="value")
    with transaction.atomic():
        old = get_setting(key)
        row, _created = LocalSetting.objects.select_for_update().get_or_create(key=key, defaults={"value": value, "updated_by_id": actor.pk})
        if not _created:
            row.value = value
            row.updated_by_id = actor.pk
            row.save()
        forget_settings()
        journal.record("core.setting.changed", actor=actor, target=row, data={"key": key, "old": old, "new": value})
    return row


def reset_setting(*, actor, key: str) -> None:
    """Return a setting to its documented default."""
    access.require(actor, access.setting_permission(key))
    if key not in definitions():
        raise ActionError(_("Unknown setting."), field="key")
    with transaction.atomic():
        row = LocalSetting.objects.select_for_update().filter(key=key).first()
        if row is None:
            raise ActionError(_("This setting already has its default value."))
        old = row.value
        row.delete()
        forget_settings()
        journal.record("core.setting.reset", actor=actor, target=("core.localsetting", key), data={"key": key, "old": old})


CHECKPOINT_FILE_MAX_BYTES = 1024 * 1024


def verify_journal(*, actor, checkpoint_file: bytes | None = None):
    """Verify the journal's hash chain against the checkpoint log, or against the checkpoints of an
    uploaded file (one the audit administrator downloaded earlier), and journal that it was
    verified (and the outcome). A forged checkpoint is refused and the refusal journaled."""
    access.require(actor, "journal.verify")
    checkpoints = None
    if checkpoint_file is not None:
        if len(checkpoint_file) > CHECKPOINT_FILE_MAX_BYTES:
            raise ActionError(_("The file is too large to be a checkpoint file (at most 1 MB)."), field="checkpoint")
        try:
            checkpoints = journal.parse_checkpoints(checkpoint_file.decode("utf-8"))
        except UnicodeDecodeError:
            raise ActionError(_("The file is not a checkpoint: choose a checkpoint file downloaded from this page."), field="checkpoint") from None
        except journal.CheckpointError as exc:
            with transaction.atomic():
                journal.record("core.journal.verified", actor=actor, data={"ok": False, "checkpoint": "rejected"}, outcome="failed")
            raise ActionError(str(exc), field="checkpoint") from None
        if not checkpoints:
            raise ActionError(_("The file is not a checkpoint: choose a checkpoint file downloaded from this page."), field="checkpoint")
    result = journal.verify(checkpoints=checkpoints)
    with transaction.atomic():
        journal.record(
            "core.journal.verified",
            actor=actor,
            data={
                "ok": result.ok,
                "checked": result.checked,
                "first_broken_seq": result.first_broken_seq,
                "checkpoints": result.checkpoints,
                "checkpoint": "uploaded" if checkpoint_file is not None else "log",
            },
            outcome="ok" if result.ok else "failed",
        )
    return result


def sign_journal_checkpoint(*, actor) -> "journal.Checkpoint":
    """A signed checkpoint of the journal's head for the audit administrator to keep outside the
    installation (and verify against later with `verify_journal --checkpoint FILE`). The chain is
    verified first: a broken chain is never signed. The download is journaled, and the checkpoint
    (which covers that entry) is appended to the checkpoint log too."""
    access.require(actor, "journal.verify")
    result = journal.verify()
    if not result.ok:
        if result.first_broken_seq is None:
            raise ActionError(_("No checkpoint was signed: %(reason)s") % {"reason": result.reason})
        raise ActionError(
            _("No checkpoint was signed: the journal is broken at entry #%(seq)s. %(reason)s") % {"seq": result.first_broken_seq, "reason": result.reason}
        )
    with transaction.atomic():
        entry = journal.record("core.journal.checkpoint_downloaded", actor=actor, data={"verified": result.checked})
        checkpoint = journal.sign_entry(entry)
    try:
        journal.append_checkpoint(checkpoint)
    except OSError:
        # The audit administrator still gets the signed checkpoint; the operator must fix the log.
        journal.log.exception("cannot append the downloaded checkpoint #%s to the checkpoint log", checkpoint.seq)
    return checkpoint


# Event handling: the system administrator's retry and backfill (docs/events.md).


def retry_event_handling(*, actor, handling_id: int):
    """Make a failed handling due now, with a fresh round of retries. Journaled."""
    from django.utils import timezone

    from .events import consumers
    from .models import EventHandling

    access.require(actor, "system.status")
    with transaction.atomic():
        handling = EventHandling.objects.select_for_update().select_related("event").filter(pk=handling_id).first()
        if handling is None:
            raise ActionError(_("This event handling no longer exists."))
        if handling.status not in (EventHandling.Status.FAILED, EventHandling.Status.GAVE_UP):
            raise ActionError(_("Only a failed handling can be retried; this one is %(status)s.") % {"status": handling.get_status_display()})
        if handling.consumer not in consumers():
            raise ActionError(_("The consumer of this event is no longer installed; it cannot be retried."))
        previous = {"status": handling.status, "attempts": handling.attempts, "failures": handling.failures}
        handling.status = EventHandling.Status.FAILED
        handling.failures = 0
        handling.next_attempt_at = timezone.now()
        handling.save(update_fields=["status", "failures", "next_attempt_at"])
        journal.record(
            "core.event.retry_requested",
            actor=actor,
            target=handling,
            data={"event": handling.event_id, "kind": handling.event.kind, "consumer": handling.consumer, "before": previous},
        )
    return handling


def backfill_events(*, actor, consumer: str, event_ids: list[int] | None = None) -> int:
    """Give a consumer the events that occurred before its applies_from date (all of them, or
    the listed ones): they become pending and the worker handles them. Journaled with the count
    and the period covered."""
    from django.db.models import Max, Min
    from django.utils import timezone

    from .events import backfill_candidates, consumers
    from .models import EventHandling

    access.require(actor, "system.status")
    registered = consumers().get(consumer)
    if registered is None:
        raise ActionError(_("No such consumer is installed."), field="consumer")
    with transaction.atomic():
        candidates = backfill_candidates(registered)
        if event_ids is not None:
            candidates = candidates.filter(pk__in=event_ids)
        span = candidates.aggregate(first=Min("occurred_at"), last=Max("occurred_at"))
        ids = list(candidates.values_list("pk", flat=True))
        if not ids:
            raise ActionError(_("There are no older events to backfill for this consumer."))
        now = timezone.now()
        EventHandling.objects.bulk_create(
            [EventHandling(event_id=pk, consumer=consumer, status=EventHandling.Status.PENDING, next_attempt_at=now, backfilled=True) for pk in ids],
            ignore_conflicts=True,
        )
        journal.record(
            "core.events.backfilled",
            actor=actor,
            target=("core.consumer", consumer),
            data={
                "consumer": consumer,
                "events": len(ids),
                "first": span["first"],
                "last": span["last"],
                "applies_from": registered.applies_from,
            },
        )
    return len(ids)


def open_todo(*, actor, key: str) -> None:
    """Mark an item of the actor's 待办 inbox read (the inbox stores nothing else: core.todo).
    The caller has found the item among the actor's own items."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied("todo")
    with transaction.atomic():
        _row, created = TodoRead.objects.get_or_create(user_id=actor.pk, key=key[:120], defaults={"read_at": timezone.now()})
        if created:
            journal.record("core.todo.opened", actor=actor, data={"item": key[:120]})


def mark_notifications_read(*, actor, ids=None) -> int:
    """Mark the actor's own notifications read: those of `ids`, or all unread ones. Another
    user's notification is never touched (the filter is by the actor). Returns how many."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied("notifications")
    with transaction.atomic():
        qs = Notification.objects.select_for_update().filter(user_id=actor.pk, read_at__isnull=True)
        if ids is not None:
            qs = qs.filter(pk__in=[int(i) for i in ids])
        pks = list(qs.values_list("pk", flat=True))
        if not pks:
            return 0
        Notification.objects.filter(pk__in=pks).update(read_at=timezone.now())
        notifications.forget_unread([actor.pk])
        journal.record("core.notifications.read", actor=actor, data={"count": len(pks)})
    return len(pks)


def set_notification_address(*, actor, email: str) -> None:
    """The actor's own address for notification mail (empty: no mail). The address itself is
    not journaled, only that it changed."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied("notifications")
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ActionError(_("This is not a valid e-mail address."), field="email") from None
        if len(email) > 254:
            raise ActionError(_("This is not a valid e-mail address."), field="email")
    with transaction.atomic():
        row = NotificationAddress.objects.select_for_update().filter(user_id=actor.pk).first()
        if row is None:
            NotificationAddress.objects.create(user_id=actor.pk, email=email, changed_at=timezone.now())
        elif row.email != email:
            row.email = email
            row.changed_at = timezone.now()
            row.save(update_fields=["email", "changed_at"])
        else:
            return
        journal.record("core.notifications.address_changed", actor=actor, data={"mail": bool(email)})
