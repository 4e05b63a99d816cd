"""Inspection tours (巡察/巡查): preparation → stationing → report → feedback → rectification → closed."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiandu.core.blockers import Blocker
from jiandu.core.rectification.models import FollowUpVisitBase, ProgressReportBase, RectificationItemBase


class InspectionTour(models.Model):
    class Kind(models.TextChoices):
        PATROL = "patrol", _("inspection tour (巡察)")
        SPOT = "spot", _("spot inspection (巡查)")

    class Stage(models.TextChoices):
        PREPARATION = "preparation", _("preparation")
        STATIONING = "stationing", _("stationing")
        REPORT = "report", _("report")
        FEEDBACK = "feedback", _("feedback")
        RECTIFICATION = "rectification", _("rectification")
        CLOSED = "closed", _("closed")

    STAGE_ORDER = [Stage.PREPARATION, Stage.STATIONING, Stage.REPORT, Stage.FEEDBACK, Stage.RECTIFICATION, Stage.CLOSED]

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PATROL)
    year = models.PositiveSmallIntegerField(_("year"))
    organiser = models.ForeignKey("registry.Unit", verbose_name=_("organised by"), on_delete=models.PROTECT, related_name="+")
    planned_start = models.DateField(_("period from"))
    planned_end = models.DateField(_("period to"))
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.PREPARATION, db_index=True)
    stationed_on = models.DateField(_("stationed on"), null=True, blank=True)
    report_text = models.TextField(_("report"), blank=True)
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    feedback_on = models.DateField(_("feedback given on"), null=True, blank=True)
    rectification_due_on = models.DateField(_("rectification report due by"), null=True, blank=True)
    rectification_due_rule = models.CharField(max_length=400, blank=True)
    rectification_report = models.TextField(_("rectification report"), blank=True)
    rectification_reported_on = models.DateField(_("rectification report received on"), null=True, blank=True)
    public_summary = models.TextField(_("public summary of rectification"), blank=True)
    is_publishable = models.BooleanField(_("publishable"), default=False)
    rectification_reminded_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "-planned_start", "-id"]
        verbose_name = _("inspection tour")

    def __str__(self):
        return self.name

    @property
    def leader(self):
        return self.members.filter(role=TourMember.Role.LEADER).first()

    def stage_index(self) -> int:
        return self.STAGE_ORDER.index(self.stage)

    @property
    def next_stage(self):
        index = self.stage_index()
        return self.STAGE_ORDER[index + 1] if index + 1 < len(self.STAGE_ORDER) else None

    def next_stage_blockers(self) -> list[Blocker]:
        """What is missing before the tour can move to its next stage (shown in the stepper and
        enforced by the transition actions)."""
        missing = []
        members = self.members.filter(is_removed=False)
        if self.stage == self.Stage.PREPARATION:
            if not self.targets.exists():
                missing.append(Blocker("no_targets", _("Choose at least one target unit.")))
            if not members.filter(role=TourMember.Role.LEADER).exists():
                missing.append(Blocker("no_leader", _("Appoint a team leader.")))
            undeclared = [m.name for m in members if m.declared_on is None]
            if undeclared:
                missing.append(Blocker("undeclared", _("Conflict-of-interest declaration missing: %(names)s.") % {"names": "、".join(undeclared)}))
            conflicted = [m.name for m in members if m.has_conflict]
            if conflicted:
                missing.append(
                    Blocker("conflicted", _("Members declaring a conflict of interest must be replaced: %(names)s.") % {"names": "、".join(conflicted)})
                )
        elif self.stage == self.Stage.STATIONING:
            if not self.work_logs.exists():
                missing.append(Blocker("no_work_log", _("Record the stationing work in the work log.")))
        elif self.stage == self.Stage.REPORT:
            if not self.report_text:
                missing.append(Blocker("no_report", _("Record the inspection report.")))
        elif self.stage == self.Stage.FEEDBACK:
            planned = set(self.rectification_items.values_list("unit_id", flat=True))
            without = [t.unit.name for t in self.targets.select_related("unit") if t.unit_id not in planned]
            if without:
                missing.append(Blocker("no_plan", _("Rectification plan missing for: %(names)s.") % {"names": "、".join(without)}))
        elif self.stage == self.Stage.RECTIFICATION:
            if not self.rectification_reported_on:
                missing.append(Blocker("not_reported", _("Record the units' rectification report.")))
            open_items = self.rectification_items.exclude(status=RectificationItem.Status.CLOSED).count()
            if open_items:
                missing.append(Blocker("items_open", _("%(n)d rectification items are not verified and closed yet.") % {"n": open_items}))
        return missing

    def is_rectification_report_overdue(self, today: dt.date) -> bool:
        return (
            self.stage == self.Stage.RECTIFICATION
            and self.rectification_reported_on is None
            and self.rectification_due_on is not None
            and today > self.rectification_due_on
        )


class TourTarget(models.Model):
    tour = models.ForeignKey(InspectionTour, on_delete=models.PROTECT, related_name="targets")
    unit = models.ForeignKey("registry.Unit", verbose_name=_("target unit"), on_delete=models.PROTECT, related_name="+")
    # 《中国共产党巡视工作条例》 art. 27: the unit's principal is the first person responsible for
    # rectification; recorded when feedback is given (the principal in post on that day).
    first_responsible = models.ForeignKey(
        "registry.Cadre", verbose_name=_("first person responsible for rectification"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["unit__path"]
        constraints = [models.UniqueConstraint(fields=["tour", "unit"], name="oversight_tour_target_unique")]


class TourMember(models.Model):
    class Role(models.TextChoices):
        LEADER = "leader", _("team leader")
        DEPUTY = "deputy", _("deputy leader")
        MEMBER = "member", _("member")

    tour = models.ForeignKey(InspectionTour, on_delete=models.PROTECT, related_name="members")
    name = models.CharField(_("name"), max_length=50)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    declared_on = models.DateField(_("conflict-of-interest declaration on"), null=True, blank=True)
    has_conflict = models.BooleanField(_("declares a conflict of interest"), default=False)
    declaration = models.TextField(_("declaration"), blank=True)
    is_removed = models.BooleanField(default=False)
    removed_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["role", "id"]

    def __str__(self):
        return self.name


class WorkLog(models.Model):
    class Method(models.TextChoices):
        QUESTIONNAIRE = "questionnaire", _("questionnaire")
        SYMPOSIUM = "symposium", _("symposium")
        INDIVIDUAL_TALK = "individual_talk", _("individual talk")
        DOCUMENT_REVIEW = "document_review", _("document review")
        PROJECT_INSPECTION = "project_inspection", _("key-project inspection")
        FUND_CHECK = "fund_check", _("fund-use check")

    tour = models.ForeignKey(InspectionTour, on_delete=models.PROTECT, related_name="work_logs")
    unit = models.ForeignKey("registry.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    on = models.DateField(_("date"))
    description = models.TextField(_("description"))
    participants = models.PositiveIntegerField(_("people involved"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["on", "id"]


class Finding(models.Model):
    class Category(models.TextChoices):
        POLITICAL = "political", _("political responsibility")
        DISCIPLINE = "discipline", _("discipline and integrity")
        ORGANISATION = "organisation", _("organisation and personnel")
        FINANCE = "finance", _("finance and funds")
        WORK_STYLE = "work_style", _("work style")
        OTHER = "other", _("other")

    class Severity(models.TextChoices):
        LOW = "low", _("minor")
        MEDIUM = "medium", _("moderate")
        HIGH = "high", _("serious")

    tour = models.ForeignKey(InspectionTour, on_delete=models.PROTECT, related_name="findings")
    unit = models.ForeignKey("registry.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    description = models.TextField(_("description"))
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices, default=Severity.MEDIUM)
    evidence = models.TextField(_("evidence"), blank=True)
    cadres = models.ManyToManyField("registry.Cadre", verbose_name=_("cadres involved"), blank=True, related_name="oversight_findings")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("finding")

    def __str__(self):
        return self.description[:40]


class RectificationItem(RectificationItemBase):
    """An item of a target unit's rectification plan (jiandu.core.rectification, shared with the
    audit findings)."""

    tour = models.ForeignKey(InspectionTour, on_delete=models.PROTECT, related_name="rectification_items")
    unit = models.ForeignKey("registry.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    finding = models.ForeignKey(Finding, verbose_name=_("finding"), null=True, blank=True, on_delete=models.PROTECT, related_name="rectification_items")

    class Meta(RectificationItemBase.Meta):
        pass


class RectificationUpdate(ProgressReportBase):
    item = models.ForeignKey(RectificationItem, on_delete=models.PROTECT, related_name="updates")


class FollowUpVisit(FollowUpVisitBase):
    item = models.ForeignKey(RectificationItem, on_delete=models.PROTECT, related_name="visits")
