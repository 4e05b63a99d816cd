"""Dispositions (处理/处分): every measure taken about a cadre, with its influence period."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    REMINDER = "reminder", _("reminder (提醒)")
    INQUIRY = "inquiry", _("written inquiry (函询)")
    ADMONISHMENT = "admonishment", _("admonishment (诫勉)")
    CIRCULATION = "circulation", _("circulated criticism (通报)")
    ORGANISATIONAL = "organisational", _("organisational handling (组织处理)")
    PARTY = "party", _("party disciplinary sanction (党纪处分)")
    ADMINISTRATIVE = "administrative", _("administrative sanction (政务处分)")


class Measure(models.TextChoices):
    REMINDER = "reminder", _("reminder")
    INQUIRY = "inquiry", _("written inquiry")
    ADMONISHMENT_TALK = "admonishment_talk", _("admonishment by talk")
    ADMONISHMENT_WRITING = "admonishment_writing", _("admonishment in writing")
    CIRCULATION = "circulation", _("circulated criticism")
    SUSPENSION = "suspension", _("suspension for examination")
    ADJUSTMENT = "adjustment", _("adjustment of post")
    TRANSFER = "transfer", _("transfer away from the post as unsuitable for it")
    RESIGNATION_ACCOUNTABILITY = "resignation_accountability", _("resignation taking responsibility")
    RESIGNATION_ORDERED = "resignation_ordered", _("ordered resignation")
    REMOVAL_ACCOUNTABILITY = "removal_accountability", _("removal from office for accountability")
    REMOVAL_UNSUITABLE = "removal_unsuitable", _("removal from office as unsuitable for the post")
    # Before 免职 was split; kept for the records made then, refused for new ones.
    REMOVAL = "removal", _("removal from office (recorded before the split)")
    DEMOTION = "demotion", _("demotion")
    PARTY_WARNING = "party_warning", _("party warning")
    PARTY_SERIOUS_WARNING = "party_serious_warning", _("serious party warning")
    PARTY_POST_REMOVAL = "party_post_removal", _("removal from party post")
    PARTY_PROBATION = "party_probation", _("probation within the party")
    PARTY_EXPULSION = "party_expulsion", _("expulsion from the party")
    ADMIN_WARNING = "admin_warning", _("administrative warning")
    ADMIN_DEMERIT = "admin_demerit", _("recorded demerit")
    ADMIN_MAJOR_DEMERIT = "admin_major_demerit", _("recorded major demerit")
    ADMIN_DOWNGRADE = "admin_downgrade", _("downgrade")
    ADMIN_DISMISSAL_FROM_POST = "admin_dismissal_from_post", _("dismissal from post")
    ADMIN_EXPULSION = "admin_expulsion", _("expulsion from public office")


CATEGORY_OF = {
    Measure.REMINDER: Category.REMINDER,
    Measure.INQUIRY: Category.INQUIRY,
    Measure.ADMONISHMENT_TALK: Category.ADMONISHMENT,
    Measure.ADMONISHMENT_WRITING: Category.ADMONISHMENT,
    Measure.CIRCULATION: Category.CIRCULATION,
    Measure.SUSPENSION: Category.ORGANISATIONAL,
    Measure.ADJUSTMENT: Category.ORGANISATIONAL,
    Measure.TRANSFER: Category.ORGANISATIONAL,
    Measure.RESIGNATION_ACCOUNTABILITY: Category.ORGANISATIONAL,
    Measure.RESIGNATION_ORDERED: Category.ORGANISATIONAL,
    Measure.REMOVAL_ACCOUNTABILITY: Category.ORGANISATIONAL,
    Measure.REMOVAL_UNSUITABLE: Category.ORGANISATIONAL,
    Measure.REMOVAL: Category.ORGANISATIONAL,
    Measure.DEMOTION: Category.ORGANISATIONAL,
    Measure.PARTY_WARNING: Category.PARTY,
    Measure.PARTY_SERIOUS_WARNING: Category.PARTY,
    Measure.PARTY_POST_REMOVAL: Category.PARTY,
    Measure.PARTY_PROBATION: Category.PARTY,
    Measure.PARTY_EXPULSION: Category.PARTY,
    Measure.ADMIN_WARNING: Category.ADMINISTRATIVE,
    Measure.ADMIN_DEMERIT: Category.ADMINISTRATIVE,
    Measure.ADMIN_MAJOR_DEMERIT: Category.ADMINISTRATIVE,
    Measure.ADMIN_DOWNGRADE: Category.ADMINISTRATIVE,
    Measure.ADMIN_DISMISSAL_FROM_POST: Category.ADMINISTRATIVE,
    Measure.ADMIN_EXPULSION: Category.ADMINISTRATIVE,
}


# The measures a new disposition may carry (not the legacy undifferentiated 免职).
NEW_MEASURE_CHOICES = [(value, label) for value, label in Measure.choices if value != Measure.REMOVAL]


class Bar(models.TextChoices):
    """What an influence period bars (influence.py cites the rule of each)."""

    FURTHER_USE = "further_use", _("promotion or further use")
    PROMOTION = "promotion", _("promotion")
    HIGHER_POST = "higher_post", _("a post higher than the former one")
    ANY_POST = "any_post", _("any post")


class Disposition(models.Model):
    """One measure about a cadre. Never edited after it is recorded: a correction creates a new
    disposition that `corrects` the old one (marked corrected), a revocation marks it revoked;
    both with a reason, so the history stays intact."""

    class Status(models.TextChoices):
        EFFECTIVE = "effective", _("in effect")
        CORRECTED = "corrected", _("corrected")
        REVOKED = "revoked", _("revoked")

    cadre = models.ForeignKey("registry.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="oversight_dispositions")
    unit = models.ForeignKey("registry.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, db_index=True)
    measure = models.CharField(_("measure"), max_length=32, choices=Measure.choices)
    decided_on = models.DateField(_("decision date"))
    deciding_body = models.CharField(_("deciding body"), max_length=100)
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    grounds = models.TextField(_("grounds"))
    probation_years = models.PositiveSmallIntegerField(_("probation term (years)"), null=True, blank=True)
    # The influence period, computed once from the rule in force at the decision (influence.py).
    influence_months = models.PositiveSmallIntegerField(_("influence period (months)"), null=True, blank=True)
    is_permanent = models.BooleanField(_("no end date"), default=False)
    influence_ends_on = models.DateField(_("influence period ends (inclusive)"), null=True, blank=True)
    influence_rule = models.CharField(_("rule applied"), max_length=400, blank=True)
    bar = models.CharField(_("barred while it runs"), max_length=20, choices=Bar.choices, blank=True)
    # First tier of a two-tier bar (引咎辞职, 责令辞职, 因问责免职): no leading post at all until then.
    no_leading_post_until = models.DateField(_("no leading post until (inclusive)"), null=True, blank=True)
    # 停职检查 runs until lifted; the lifting date ends it (its last day is the day before).
    lifted_on = models.DateField(_("lifted on"), null=True, blank=True)
    # The arithmetic of a cumulated period (influence.py), shown by its explanation.
    influence_basis = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.EFFECTIVE)
    corrects = models.ForeignKey("self", verbose_name=_("corrects"), null=True, blank=True, on_delete=models.PROTECT, related_name="corrections")
    closed_on = models.DateField(_("corrected or revoked on"), null=True, blank=True)
    closed_reason = models.TextField(_("reason for correction or revocation"), blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source_type = models.CharField(_("source"), max_length=40, blank=True)
    source_id = models.CharField(max_length=40, blank=True)
    figures = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("disposition")
        indexes = [
            models.Index(fields=["cadre", "status", "decided_on"], name="oversight_disp_cadre_idx"),
            models.Index(fields=["-decided_on", "-id"], name="oversight_disp_order_idx"),  # the list's default order
        ]

    def __str__(self):
        return f"{self.cadre} {self.get_measure_display()} {self.decided_on}"

    @property
    def influence_free_on(self) -> dt.date | None:
        """The first day the cadre is no longer under this disposition's influence."""
        if self.influence_ends_on is None:
            return None
        return self.influence_ends_on + dt.timedelta(days=1)

    def is_running(self, on: dt.date) -> bool:
        """The influence period runs from the decision date to `influence_ends_on`, both inclusive."""
        if self.status != self.Status.EFFECTIVE or on < self.decided_on:
            return False
        if self.is_permanent:
            return True
        return self.influence_ends_on is not None and on <= self.influence_ends_on

    @property
    def can_be_lifted(self) -> bool:
        return self.status == self.Status.EFFECTIVE and self.measure == Measure.SUSPENSION and self.lifted_on is None and self.is_permanent

    @property
    def can_be_closed(self) -> bool:
        return self.status == self.Status.EFFECTIVE
