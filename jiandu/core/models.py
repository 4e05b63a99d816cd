"""Core tables: the append-only journal with its chain head, local-practice settings, durable events."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JournalEntry(models.Model):
    """One journaled action or security event (留痕). Append-only: database triggers refuse
    UPDATE and DELETE; each row carries the keyed hash of its content and of the row before."""

    class Outcome(models.TextChoices):
        OK = "ok", _("succeeded")
        DENIED = "denied", _("denied")
        FAILED = "failed", _("failed")

    seq = models.BigIntegerField(unique=True)
    at = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_username = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=64, blank=True)
    ip = models.CharField(max_length=64, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    action = models.CharField(max_length=100, db_index=True)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    unit_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    unit_path = models.CharField(max_length=255, blank=True, db_index=True)
    cadre_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.OK)
    data = models.JSONField(default=dict, blank=True)
    algorithm = models.CharField(max_length=20)
    prev_hash = models.CharField(max_length=128)
    hash = models.CharField(max_length=128)

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "seq"], name="journal_target_idx"),
            models.Index(fields=["cadre_id", "seq"], name="journal_cadre_idx"),
        ]

    def __str__(self):
        return f"#{self.seq} {self.action}"


class JournalHead(models.Model):
    """The chain's last link (one row). Locking it serialises journal writers so the chain stays
    linear; comparing it with the last row detects truncation."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=128, default="")


class LocalSetting(models.Model):
    """A local-practice setting (DOMAIN.md [L]/[R?]) overriding its documented default."""

    key = models.CharField(max_length=100, unique=True)
    value = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)
    updated_by_id = models.BigIntegerField(null=True, blank=True)

    def __str__(self):
        return self.key


class DomainEvent(models.Model):
    """A durable event recorded by a lower app in the same transaction as its cause, consumed
    exactly once by each interested higher app (ARCHITECTURE.md: never a signal). Kinds and their
    payloads are listed in docs/events.md."""

    kind = models.CharField(max_length=100, db_index=True)
    subject_type = models.CharField(max_length=100)
    subject_id = models.BigIntegerField()
    unit_id = models.BigIntegerField(null=True, blank=True)
    cadre_id = models.BigIntegerField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    occurred_at = models.DateTimeField()
    # The user whose action caused the event (None for the system itself).
    caused_by_id = models.BigIntegerField(null=True, blank=True)
    caused_by_username = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["id"]


class EventHandling(models.Model):
    """One consumer's handling of one event (unique per consumer: exactly once). A row is created
    pending when the event falls in the consumer's period (events.register_consumer applies_from),
    or by an explicit backfill for an older event."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        DONE = "done", _("handled")
        FAILED = "failed", _("failed, will retry")
        GAVE_UP = "gave_up", _("failed, retries exhausted")

    event = models.ForeignKey(DomainEvent, on_delete=models.PROTECT, related_name="handlings")
    consumer = models.CharField(max_length=100)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)  # every run of the handler, all rounds
    failures = models.PositiveIntegerField(default=0)  # consecutive failures since the last manual retry
    last_error = models.TextField(blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    backfilled = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "consumer"], name="event_handled_once")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="core_eventhandling_due")]


class JobLease(models.Model):
    """A scheduled job's next wall-clock run and who holds it: workers take a run by moving
    `next_run_at` forward with a conditional update, so only one of them runs it."""

    name = models.CharField(max_length=100, unique=True)
    next_run_at = models.DateTimeField()
    holder = models.CharField(max_length=100, blank=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self):
        return self.name


class CreatedByEvent(models.Model):
    """For records a consumer creates: which event caused them and which user's action caused
    the event (docs/events.md, "who acts"). Fill with `events.provenance(event)`."""

    source_event_id = models.BigIntegerField(null=True, blank=True)
    caused_by_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        abstract = True


class DocumentCounter(models.Model):
    """The last 发文字号 issued under one prefix in one year (示组函〔2026〕N号). Numbers are taken
    with `jiandu.core.documents.next_document_number`, which increments this row atomically."""

    prefix = models.CharField(max_length=40)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="core_document_counter_unique")]

    def __str__(self):
        return f"{self.prefix}〔{self.year}〕{self.last}"


class TodoRead(models.Model):
    """A user opened an item of their 待办 inbox (core.todo): read / unread is all the inbox
    stores; the items themselves are computed from each app's records."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=120)
    read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="core_todo_read_once")]


class Notification(models.Model):
    """A message to one user about a cause elsewhere in the system (core.notifications.notify):
    a reminder, an escalation, an alert, a vetting request, a clue to receive, a returned weekly
    log. One per user, cause and day. The e-mail, when mail is configured, says only the kind and
    the link; it is sent by the worker (`mail_state` pending → sent / failed)."""

    class MailState(models.TextChoices):
        NONE = "none", _("not mailed")
        PENDING = "pending", _("waiting to be mailed")
        SENT = "sent", _("mailed")
        FAILED = "failed", _("mail failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32)
    title = models.CharField(max_length=300)  # the English source text (translated when shown)
    params = models.JSONField(default=dict, blank=True)  # its %(name)s values
    url = models.CharField(max_length=300, blank=True)
    sensitive = models.BooleanField(default=False)
    cause = models.CharField(max_length=120)
    created_on = models.DateField()
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    mail_state = models.CharField(max_length=16, choices=MailState.choices, default=MailState.NONE)
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "cause", "created_on"], name="core_notification_once_a_day")]
        indexes = [
            models.Index(fields=["user", "read_at"], name="core_notif_user_read"),
            models.Index(fields=["mail_state"], name="core_notif_mail_state"),
        ]

    @property
    def text(self) -> str:
        """The title in the reader's language (the catalogue of the app that wrote it)."""
        from django.utils.translation import gettext

        translated = gettext(self.title)
        try:
            return translated % self.params if self.params else translated
        except (KeyError, ValueError, TypeError):
            return self.title


class NotificationAddress(models.Model):
    """The address a user's notifications are mailed to (set by the user on the notifications
    page; empty or missing: no mail)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(blank=True)
    changed_at = models.DateTimeField()
