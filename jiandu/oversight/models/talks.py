"""Talks (谈话) with cadres, seven kinds (DOMAIN.md §7)."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Talk(models.Model):
    class Kind(models.TextChoices):
        ROUTINE = "routine", _("routine communication (平时沟通)")
        REMINDER = "reminder", _("reminder and help (提醒帮助)")
        APPRAISAL_FEEDBACK = "appraisal_feedback", _("appraisal feedback (考核反馈)")
        POST_CHANGE = "post_change", _("change of post (职务调整)")
        PRE_APPOINTMENT = "pre_appointment", _("pre-appointment integrity talk (任前廉政)")
        CRITICISM = "criticism", _("criticism (批评)")
        ADMONISHMENT = "admonishment", _("admonishment (诫勉)")

    class Status(models.TextChoices):
        REQUIRED = "required", _("required, not yet held")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    class Explanation(models.TextChoices):
        NOT_REQUIRED = "not_required", _("not required")
        AWAITING = "awaiting", _("awaiting the cadre's explanation")
        SUBMITTED = "submitted", _("submitted, awaiting the principal's sign-off")
        SIGNED_OFF = "signed_off", _("signed off by the principal")

    # Kinds for which a written explanation may be required (DOMAIN.md §7).
    EXPLANATION_KINDS = (Kind.REMINDER, Kind.ADMONISHMENT)

    cadre = models.ForeignKey("registry.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="oversight_talks")
    unit = models.ForeignKey("registry.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, db_index=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.HELD)
    due_on = models.DateField(_("due by"), null=True, blank=True)
    due_rule = models.CharField(_("how the due date was computed"), max_length=400, blank=True)
    talked_on = models.DateField(_("date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=100, blank=True)
    talkers = models.CharField(_("talker(s)"), max_length=200, blank=True)
    talker_role = models.CharField(_("talker's role"), max_length=100, blank=True)
    recorder = models.CharField(_("recorder"), max_length=50, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    response = models.TextField(_("the cadre's response"), blank=True)
    follow_up = models.TextField(_("follow-up required"), blank=True)
    follow_up_due_on = models.DateField(_("follow-up due by"), null=True, blank=True)
    follow_up_done_on = models.DateField(_("follow-up completed on"), null=True, blank=True)
    follow_up_result = models.TextField(_("follow-up result"), blank=True)
    explanation = models.CharField(_("written explanation"), max_length=16, choices=Explanation.choices, default=Explanation.NOT_REQUIRED)
    explanation_submitted_on = models.DateField(_("explanation submitted on"), null=True, blank=True)
    explanation_signed_off_by = models.CharField(_("signed off by (principal)"), max_length=50, blank=True)
    explanation_signed_off_on = models.DateField(_("signed off on"), null=True, blank=True)
    disposition = models.ForeignKey(
        "oversight.Disposition", verbose_name=_("disposition"), null=True, blank=True, on_delete=models.PROTECT, related_name="talks"
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-talked_on", "-id"]
        verbose_name = _("talk")
        indexes = [
            models.Index(fields=["status", "due_on"], name="oversight_talk_due_idx"),
            models.Index(fields=["-talked_on", "-id"], name="oversight_talk_order_idx"),  # the list's default order
        ]

    def __str__(self):
        return f"{self.cadre} {self.get_kind_display()}"

    @property
    def date(self):
        return self.talked_on or self.due_on

    def is_overdue(self, today: dt.date) -> bool:
        """A required talk not held by its due date (the due date itself is still in time)."""
        return self.status == self.Status.REQUIRED and self.due_on is not None and today > self.due_on

    def is_follow_up_overdue(self, today: dt.date) -> bool:
        return bool(self.follow_up) and self.follow_up_done_on is None and self.follow_up_due_on is not None and today > self.follow_up_due_on

    @property
    def can_hold(self) -> bool:
        return self.status == self.Status.REQUIRED

    @property
    def can_complete_follow_up(self) -> bool:
        return self.status == self.Status.HELD and bool(self.follow_up) and self.follow_up_done_on is None

    @property
    def can_submit_explanation(self) -> bool:
        return self.status == self.Status.HELD and self.explanation == self.Explanation.AWAITING

    @property
    def can_sign_off_explanation(self) -> bool:
        return self.explanation == self.Explanation.SUBMITTED
