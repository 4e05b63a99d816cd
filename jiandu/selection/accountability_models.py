"""问责审查 (用人失察失误责任追究): the review of an appointment found faulty after the fact —
which stage failed, who of the people named in the record is responsible, the finding and the
measures, optionally the daily-supervision disposition that carries them out."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Candidate, Stage


class AccountabilityReview(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CONCLUDED = "concluded", _("concluded")

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="accountability_reviews")
    stage = models.CharField(_("stage that failed"), max_length=16, choices=Stage.choices)
    responsible = models.JSONField(_("people responsible"), default=list)
    finding = models.TextField(_("finding"))
    measures = models.TextField(_("measures"), blank=True)
    opened_on = models.DateField(_("opened on"))
    disposition = models.ForeignKey("oversight.Disposition", verbose_name=_("disposition"), on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["opened_on", "id"]
        verbose_name = _("accountability review")

    def __str__(self):
        return f"{self.candidate} {self.get_stage_display()}"
