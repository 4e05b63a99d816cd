"""干部档案必审 (凡提四必, 《关于防止干部"带病提拔"的意见》2016): the organisation department's review
of a candidate's personnel file, 三龄两历一身份 — birth date (年龄), party age (党龄), working age
(工龄), education (学历), work history (经历) and cadre identity (身份) — as the file establishes
them, with the differences against the registry listed when it is recorded."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiandu.registry.models import Cadre


class FileReview(models.Model):
    candidate = models.OneToOneField("selection.Candidate", on_delete=models.CASCADE, related_name="file_review")
    reviewed_on = models.DateField(_("reviewed on"))
    birth_on = models.DateField(_("birth date in the file"))
    party_join_on = models.DateField(_("joined the party (file)"), null=True, blank=True)
    work_start_on = models.DateField(_("started work (file)"), null=True, blank=True)
    education = models.CharField(_("education in the file"), max_length=20, choices=Cadre.Education.choices)
    work_history = models.TextField(_("differences in the work history"), blank=True)
    identity = models.TextField(_("differences in the cadre identity"), blank=True)
    differences = models.JSONField(default=list, blank=True)  # the translated lines, as found when recorded
    handling = models.TextField(_("how the differences were settled (认定)"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("personnel file review")
