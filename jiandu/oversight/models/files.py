"""Uploaded files (attachments) of every oversight record; stored under MEDIA_ROOT with random
names, served only through the access-checked download view (uploads.py)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Attachment(models.Model):
    """A file attached to an oversight record. `owner_type` names the record's model (its
    `_meta.model_name`), `purpose` what the file is (document, explanation, reply, evidence…)."""

    owner_type = models.CharField(max_length=40)
    owner_id = models.BigIntegerField()
    purpose = models.CharField(_("purpose"), max_length=40)
    original_name = models.CharField(_("file name"), max_length=200)
    stored_name = models.CharField(max_length=120, unique=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["owner_type", "owner_id"], name="oversight_attachment_owner_idx")]

    def __str__(self):
        return self.original_name
