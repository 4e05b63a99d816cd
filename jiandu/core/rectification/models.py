"""Abstract bases of the rectification tables; each app subclasses them with its own links.

A concrete progress report has a foreign key `item` to the app's concrete item with
related_name "updates", a follow-up visit one with related_name "visits"."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiandu.core.calendar import working_days_between


class RectificationItemBase(models.Model):
    """One rectification item: the measure, its owner and deadline, and its verification (销号)."""

    class Status(models.TextChoices):
        OPEN = "open", _("in progress")
        REPORTED = "reported", _("progress reported, awaiting verification")
        CLOSED = "closed", _("verified and closed (销号)")

    measure = models.TextField(_("measure"))
    owner = models.CharField(_("owner"), max_length=100)
    due_on = models.DateField(_("deadline"))
    due_rule = models.CharField(max_length=400, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    verification_note = models.TextField(_("verification"), blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reminded_on = models.DateField(_("overdue reminder sent on"), null=True, blank=True)
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["due_on", "id"]

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    def is_overdue(self, today: dt.date) -> bool:
        """Not closed after its deadline: on the deadline itself not yet."""
        return self.status != self.Status.CLOSED and today > self.due_on

    def working_days_overdue(self, today: dt.date) -> int:
        return max(0, working_days_between(self.due_on, today)) if self.is_overdue(today) else 0

    def can_report_progress(self) -> bool:
        return self.status != self.Status.CLOSED

    def can_verify(self) -> bool:
        return self.status == self.Status.REPORTED

    def can_record_visit(self) -> bool:
        return self.status == self.Status.CLOSED


class ProgressReportBase(models.Model):
    """A progress report on an item (with an optional evidence file), or the verifier's note when
    the item is returned for more work."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", _("progress report")
        RETURNED = "returned", _("returned for more work")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PROGRESS)
    on = models.DateField(_("date"))
    progress = models.TextField(_("progress"))
    evidence_name = models.CharField(_("evidence"), max_length=200, blank=True)
    evidence_stored_name = models.CharField(max_length=64, blank=True)
    evidence_content_type = models.CharField(max_length=100, blank=True)
    evidence_size = models.PositiveIntegerField(default=0)
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]  # the order things happened in (a return is dated the day it was decided)

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence_stored_name)


class FollowUpVisitBase(models.Model):
    """A follow-up visit (跟踪回访) after an item was closed, with its outcome."""

    class Outcome(models.TextChoices):
        IN_PLACE = "in_place", _("rectification in place (整改到位)")
        PARTLY = "partly", _("partly in place (部分到位)")
        REBOUND = "rebound", _("problem has come back (出现反弹)")

    visited_on = models.DateField(_("visited on"))
    visited_by = models.CharField(_("visited by"), max_length=100)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["visited_on", "id"]
