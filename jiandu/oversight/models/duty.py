"""Yearly duty and integrity reports (述责述廉): 自己述、群众评、班子议."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DutySession(models.Model):
    """A session where reports are heard."""

    class Mode(models.TextChoices):
        PUBLIC = "public", _("public")
        INTERNAL = "internal", _("internal")

    unit = models.ForeignKey("registry.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    held_on = models.DateField(_("date"))
    mode = models.CharField(_("form"), max_length=10, choices=Mode.choices, default=Mode.INTERNAL)
    place = models.CharField(_("place"), max_length=100, blank=True)
    audience = models.TextField(_("audience"), blank=True)
    # The audience evaluation (群众评) as a ballot of jiandu.ballots, when the engine is used;
    # sessions evaluated on paper without it have none and their counts are entered by hand.
    ballot_id = models.BigIntegerField(_("evaluation ballot"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.unit} {self.held_on}"

    @property
    def has_ballot(self) -> bool:
        return self.ballot_id is not None


class DutyReport(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting the report")
        SUBMITTED = "submitted", _("submitted")
        HEARD = "heard", _("heard at a session")
        CONCLUDED = "concluded", _("team opinion recorded")

    # Audience evaluation options (群众评) and their field names.
    OPTIONS = (("count_good", _("good")), ("count_fairly_good", _("fairly good")), ("count_average", _("average")), ("count_poor", _("poor")))

    year = models.PositiveSmallIntegerField(_("year"))
    cadre = models.ForeignKey("registry.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="oversight_duty_reports")
    unit = models.ForeignKey("registry.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    position_title = models.CharField(_("position"), max_length=150, blank=True)
    due_on = models.DateField(_("due by"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    text = models.TextField(_("report"), blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    session = models.ForeignKey(DutySession, verbose_name=_("session"), null=True, blank=True, on_delete=models.PROTECT, related_name="reports")
    count_good = models.PositiveIntegerField(_("good"), null=True, blank=True)
    count_fairly_good = models.PositiveIntegerField(_("fairly good"), null=True, blank=True)
    count_average = models.PositiveIntegerField(_("average"), null=True, blank=True)
    count_poor = models.PositiveIntegerField(_("poor"), null=True, blank=True)
    # 不了解 (does not know): counted, but not a valid vote for the rates; None when not asked.
    count_unknown = models.PositiveIntegerField(_("does not know"), null=True, blank=True)
    # The session's evaluation ballot (jiandu.ballots) this report is a subject of.
    ballot_id = models.BigIntegerField(_("ballot"), null=True, blank=True)
    team_opinion = models.TextField(_("leadership team's opinion"), blank=True)
    team_opinion_on = models.DateField(_("team opinion on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "unit__path", "id"]
        verbose_name = _("duty and integrity report")
        constraints = [models.UniqueConstraint(fields=["year", "cadre"], name="oversight_duty_report_once_a_year")]

    def __str__(self):
        return f"{self.year} {self.cadre}"

    def is_missing(self, today: dt.date) -> bool:
        return self.status == self.Status.PENDING and today > self.due_on

    @property
    def has_evaluation(self) -> bool:
        return self.count_good is not None

    @property
    def has_ballot(self) -> bool:
        return self.ballot_id is not None

    @property
    def may_enter_counts(self) -> bool:
        """Counts are entered by hand for a report heard without an evaluation ballot (a session
        evaluated on paper without the ballot engine)."""
        return self.status == self.Status.HEARD and self.ballot_id is None

    @property
    def awaits_ballot_results(self) -> bool:
        return self.status == self.Status.HEARD and self.ballot_id is not None and not self.has_evaluation

    @property
    def valid_votes(self) -> int:
        return sum(getattr(self, f) or 0 for f, _label in self.OPTIONS)

    def evaluation_rows(self):
        """(label, count) per option."""
        return [(label, getattr(self, f) or 0) for f, label in self.OPTIONS]
