"""The dossier holds no facts of its own (the pillars do): only when each reader last looked at
each cadre's file, for "what changed since I last looked"."""

from django.conf import settings
from django.db import models


class LastLook(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    cadre = models.ForeignKey("registry.Cadre", on_delete=models.PROTECT, related_name="+")
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "cadre"], name="dossier_last_look_once")]
