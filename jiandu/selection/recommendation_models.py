"""民主推荐 by meeting (会议推荐) on the ballot engine (issue #15 §1): the case's recommendation
ballot, referred to by id only, and the per-person results copied from it when the stage is
recorded — so the case record keeps the figures as reported even if settings change later. The
individual-talk route (谈话推荐) records its figures by hand (the generic stage record and the
candidate's recommendation votes)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiandu.registry.models import Cadre, Position

from .models import SelectionCase


class RecommendationBallot(models.Model):
    case = models.OneToOneField(SelectionCase, on_delete=models.CASCADE, related_name="recommendation_ballot")
    ballot_id = models.PositiveIntegerField()  # ballots.Ballot
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)


class RecommendationVote(models.Model):
    """One person's result on one post of the meeting recommendation: votes and the share of the
    post's valid ballots (as shown under the ballot's rounding)."""

    case = models.ForeignKey(SelectionCase, on_delete=models.CASCADE, related_name="recommendation_votes")
    position = models.ForeignKey(Position, verbose_name=_("post"), on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    post = models.CharField(_("post"), max_length=200)
    name = models.CharField(_("name"), max_length=200)
    cadre = models.ForeignKey(Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    written_in = models.BooleanField(_("written in"), default=False)
    votes = models.PositiveIntegerField(_("votes"))
    valid = models.PositiveIntegerField(_("valid ballots"))
    invalid = models.PositiveIntegerField(_("invalid ballots"), default=0)
    share = models.CharField(_("share of valid ballots"), max_length=20)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["case", "order", "id"]
