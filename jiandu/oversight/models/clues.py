"""The cadre-supervision joint meeting (干部监督联席会议) and its clue registry (问题线索)."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JointMember(models.Model):
    """A member department of the joint meeting: a registry unit chosen by the org department."""

    unit = models.OneToOneField("registry.Unit", verbose_name=_("department"), on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(_("active"), default=True)
    joined_on = models.DateField(_("member since"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        ordering = ["unit__path"]
        verbose_name = _("joint meeting member")

    def __str__(self):
        return str(self.unit)


class JointMeeting(models.Model):
    held_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    place = models.CharField(_("place"), max_length=100, blank=True)
    attending_units = models.ManyToManyField("registry.Unit", verbose_name=_("departments present"), related_name="+", blank=True)
    attendees = models.TextField(_("attendees"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    organiser = models.ForeignKey("registry.Unit", verbose_name=_("convened by"), on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("joint meeting")

    def __str__(self):
        return f"{self.held_on} {self.title}"


class Clue(models.Model):
    """registered → transferred → received → fed back → closed.

    Access (queries.py, docs/decisions/0007): read by the clue officers of the sending and the
    receiving department (`oversight.clues`, a role on that department's unit only) and by
    `oversight.view_clues_all` (read only); nobody else sees the row at all."""

    class Source(models.TextChoices):
        PETITION = "petition", _("petition or report letter")
        AUDIT = "audit", _("audit")
        INSPECTION = "inspection", _("inspection tour")
        INQUIRY = "inquiry", _("written inquiry")
        MEETING = "meeting", _("joint meeting")
        OTHER = "other", _("other")

    class Sensitivity(models.TextChoices):
        NORMAL = "normal", _("normal")
        SENSITIVE = "sensitive", _("sensitive")
        CONFIDENTIAL = "confidential", _("confidential")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("registered")
        TRANSFERRED = "transferred", _("transferred, awaiting receipt")
        RECEIVED = "received", _("received, being handled")
        FED_BACK = "fed_back", _("handling reported")
        CLOSED = "closed", _("closed")

    class Result(models.TextChoices):
        SUBSTANTIATED = "substantiated", _("substantiated")
        PARTLY = "partly", _("partly substantiated")
        UNSUBSTANTIATED = "unsubstantiated", _("not substantiated")
        REFERRED = "referred", _("referred onwards")

    number = models.CharField(_("number"), max_length=40, blank=True)
    cadre = models.ForeignKey("registry.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="oversight_clues")
    cadre_unit = models.ForeignKey("registry.Unit", verbose_name=_("cadre's unit"), on_delete=models.PROTECT, related_name="+")
    from_unit = models.ForeignKey("registry.Unit", verbose_name=_("sending department"), on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    source_tour = models.ForeignKey("oversight.InspectionTour", null=True, blank=True, on_delete=models.PROTECT, related_name="clues")
    source_finding = models.ForeignKey("oversight.Finding", null=True, blank=True, on_delete=models.PROTECT, related_name="clues")
    meeting = models.ForeignKey(JointMeeting, verbose_name=_("joint meeting"), null=True, blank=True, on_delete=models.PROTECT, related_name="clues")
    summary = models.TextField(_("summary"))
    sensitivity = models.CharField(_("sensitivity"), max_length=12, choices=Sensitivity.choices, default=Sensitivity.SENSITIVE)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED, db_index=True)
    to_unit = models.ForeignKey("registry.Unit", verbose_name=_("receiving department"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    transferred_on = models.DateField(_("transferred on"), null=True, blank=True)
    receipt_due_on = models.DateField(_("receipt due by"), null=True, blank=True)
    receipt_due_rule = models.CharField(max_length=400, blank=True)
    feedback_due_on = models.DateField(_("feedback due by"), null=True, blank=True)
    feedback_due_rule = models.CharField(max_length=400, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    handling = models.TextField(_("handling"), blank=True)
    result = models.CharField(_("result"), max_length=16, choices=Result.choices, blank=True)
    fed_back_on = models.DateField(_("feedback on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("clue")
        indexes = [models.Index(fields=["-created_at", "-id"], name="oversight_clue_order_idx")]  # the list's default order

    def __str__(self):
        return self.number or f"#{self.pk}"

    def is_receipt_overdue(self, today: dt.date) -> bool:
        return self.status == self.Status.TRANSFERRED and self.receipt_due_on is not None and today > self.receipt_due_on

    def is_feedback_overdue(self, today: dt.date) -> bool:
        return self.status in (self.Status.TRANSFERRED, self.Status.RECEIVED) and self.feedback_due_on is not None and today > self.feedback_due_on

    @property
    def can_transfer(self) -> bool:
        return self.status == self.Status.REGISTERED

    @property
    def can_receive(self) -> bool:
        return self.status == self.Status.TRANSFERRED

    @property
    def can_feed_back(self) -> bool:
        return self.status == self.Status.RECEIVED

    @property
    def can_close(self) -> bool:
        return self.status == self.Status.FED_BACK
