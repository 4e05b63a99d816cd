"""Written inquiries (函询) to cadres, with their reply deadline in working days."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Inquiry(models.Model):
    """draft → issued → delivered → replied → closed (assessed); draft/issued → withdrawn."""

    class Source(models.TextChoices):
        CLUE = "clue", _("a clue")
        COMPLAINT = "complaint", _("a complaint or report")
        FINDING = "finding", _("an inspection or audit finding")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        ISSUED = "issued", _("issued, awaiting delivery")
        DELIVERED = "delivered", _("delivered, awaiting reply")
        REPLIED = "replied", _("replied, awaiting assessment")
        CLOSED = "closed", _("assessed")
        WITHDRAWN = "withdrawn", _("withdrawn")

    class Assessment(models.TextChoices):
        CLEAR = "clear", _("explained clearly (说明清楚)")
        BASICALLY_CLEAR = "basically_clear", _("basically explained (基本清楚)")
        NEEDS_VERIFICATION = "needs_verification", _("needs further verification (需进一步核实)")
        INCONSISTENT = "inconsistent", _("inconsistent with the facts (与事实不符)")

    class FollowUp(models.TextChoices):
        CLOSE = "close", _("close the matter")
        TALK = "talk", _("hold a talk")
        TRANSFER = "transfer", _("transfer for verification")

    number = models.CharField(_("number"), max_length=40, blank=True)
    cadre = models.ForeignKey("registry.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="oversight_inquiries")
    unit = models.ForeignKey("registry.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    source_clue = models.ForeignKey("oversight.Clue", verbose_name=_("source clue"), null=True, blank=True, on_delete=models.PROTECT, related_name="inquiries")
    source_finding = models.ForeignKey(
        "oversight.Finding", verbose_name=_("source finding"), null=True, blank=True, on_delete=models.PROTECT, related_name="inquiries"
    )
    source_note = models.TextField(_("about the source"), blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    questions = models.TextField(_("questions"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    principal_name = models.CharField(_("copied to (unit principal)"), max_length=50, blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    reply_due_on = models.DateField(_("reply due by"), null=True, blank=True)
    reply_due_rule = models.CharField(_("how the due date was computed"), max_length=400, blank=True)
    reminded_on = models.DateField(_("reminder sent on"), null=True, blank=True)
    escalated_on = models.DateField(_("escalated to the head on"), null=True, blank=True)
    reply_text = models.TextField(_("reply"), blank=True)
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    reply_signed_off_by = models.CharField(_("reply signed off by (principal)"), max_length=50, blank=True)
    reply_signed_off_on = models.DateField(_("reply signed off on"), null=True, blank=True)
    assessment = models.CharField(_("assessment"), max_length=20, choices=Assessment.choices, blank=True)
    assessment_note = models.TextField(_("assessment notes"), blank=True)
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True)
    follow_up = models.CharField(_("follow-up"), max_length=10, choices=FollowUp.choices, blank=True)
    follow_up_talk = models.ForeignKey("oversight.Talk", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    follow_up_clue = models.ForeignKey("oversight.Clue", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("written inquiry")
        # The list's default order: its first page without sorting every inquiry (issue 17).
        indexes = [models.Index(fields=["-created_at", "-id"], name="oversight_inquiry_order_idx")]
        verbose_name_plural = _("written inquiries")

    def __str__(self):
        return self.number or f"{self.cadre} {self.subject}"

    def is_overdue(self, today: dt.date) -> bool:
        """Delivered and not replied after the due date (the due date itself is in time)."""
        return self.status == self.Status.DELIVERED and self.reply_due_on is not None and today > self.reply_due_on

    @property
    def can_edit(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def can_issue(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def can_deliver(self) -> bool:
        return self.status == self.Status.ISSUED

    @property
    def can_reply(self) -> bool:
        return self.status == self.Status.DELIVERED

    @property
    def can_assess(self) -> bool:
        return self.status == self.Status.REPLIED

    @property
    def can_withdraw(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.ISSUED)

    @property
    def is_visible_to_cadre(self) -> bool:
        return self.status in (self.Status.DELIVERED, self.Status.REPLIED, self.Status.CLOSED)
