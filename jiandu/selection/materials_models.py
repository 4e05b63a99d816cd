"""Materials of a selection case (材料): files attached to a stage record, or to a vetting
department's reply. Checked before anything is stored (core.rectification.evidence), kept under
MEDIA_ROOT/selection/ with a random name and read back only through the access-checked,
journaled download (views_materials.py)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Material(models.Model):
    stage_record = models.ForeignKey("selection.StageRecord", on_delete=models.CASCADE, related_name="materials", null=True, blank=True)
    vetting = models.ForeignKey("selection.VettingRequest", on_delete=models.CASCADE, related_name="materials", null=True, blank=True)
    name = models.CharField(_("file"), max_length=200)
    stored_name = models.CharField(max_length=64)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stage_record__isnull=False, vetting__isnull=True) | Q(stage_record__isnull=True, vetting__isnull=False),
                name="selection_material_one_owner",
            )
        ]
