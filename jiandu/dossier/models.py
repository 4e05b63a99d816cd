"""The dossier holds no facts of its own (the pillars do): only when each reader last looked at
each cadre's file, for "what changed since I last looked"."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LastLook(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    cadre = models.ForeignKey("registry.Cadre", on_delete=models.PROTECT, related_name="+")
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "cadre"], name="dossier_last_look_once")]


class Alert(models.Model):
    """One early warning (core.alerts): raised once per rule and cause (`key`), updated while the
    cause lasts, closed by the scan when it ends; acknowledged by a person with a note."""

    class Severity(models.TextChoices):
        INFO = "info", _("notice")
        WARNING = "warning", _("warning")
        SERIOUS = "serious", _("serious")

    rule = models.CharField(max_length=80)
    key = models.CharField(max_length=120)
    cadre = models.ForeignKey("registry.Cadre", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("registry.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    text = models.CharField(_("alert"), max_length=500)
    raised_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True)
    # Handled (处置) by a person with a note: no longer open for the users. The scan keeps following
    # the cause (closed_at stays empty while it lasts), so a handled alert does not come back while
    # the same cause lasts; once the cause ends the scan closes it, and a new alert is raised if the
    # cause returns later.
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    handling_note = models.TextField(_("how it was handled"), blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["rule", "key"], condition=models.Q(closed_at__isnull=True), name="dossier_alert_open_once")]
        indexes = [models.Index(fields=["cadre", "closed_at"], name="dossier_alert_cadre_idx")]

    @property
    def state(self) -> str:
        if self.closed_at:
            return "closed"
        if self.handled_at:
            return "handled"
        if self.acknowledged_at:
            return "acknowledged"
        return "open"
