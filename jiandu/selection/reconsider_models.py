"""复议: the committee reconsidering its decision on one candidate. Allowed when more than half of
all members agree (decisions.verdict.reconsideration); the new statements give a new verdict
(decisions.verdict.compute), which replaces the candidate's outcome. Once per candidate."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Candidate


class Reconsideration(models.Model):
    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="reconsideration")
    held_on = models.DateField(_("date of the meeting"))
    agreeing = models.PositiveSmallIntegerField(_("members agreeing to reconsider"))
    reason = models.TextField(_("reason for reconsidering"))
    present = models.JSONField(default=list)  # cadre ids of the members present, the body's order
    statements = models.JSONField(default=list)  # [[cadre id, stance], …] in speaking order
    previous_outcome = models.CharField(max_length=16)
    outcome = models.CharField(max_length=16)  # decisions.verdict VOID / PASSED / FAILED
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
