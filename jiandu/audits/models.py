"""Economic-responsibility audits (issue #13, first slice): departure audits and handovers opened
by the `registry.departure` consumer, and exemptions of departures from them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jiandu.core.models import CreatedByEvent


class DepartureAudit(CreatedByEvent):
    """An economic-responsibility audit: a departure audit (离任审计) opened once per departure
    event, or an in-term audit (任中审计) started by the audit office (directly, with a reason, or
    by an approved yearly plan)."""

    class Kind(models.TextChoices):
        DEPARTURE = "departure", _("departure audit")
        IN_TERM = "in_term", _("in-term audit")

    class Stage(models.TextChoices):
        PLANNED = "planned", _("planned")
        NOTICE = "notice", _("notice served")

    tenure = models.ForeignKey("registry.Tenure", verbose_name=_("tenure"), on_delete=models.PROTECT, related_name="+")
    cadre = models.ForeignKey("registry.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("registry.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("responsibility from"))
    period_end = models.DateField(_("responsibility until"))
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.PLANNED)
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    notice_number = models.CharField(_("notice number"), max_length=60, blank=True)
    notice_served_on = models.DateField(_("notice served on"), null=True, blank=True)
    fieldwork_starts_on = models.DateField(_("fieldwork starts on"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.DEPARTURE)
    reason = models.TextField(_("reason"), blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-period_end", "id"]
        verbose_name = _("economic-responsibility audit")
        constraints = [
            models.UniqueConstraint(fields=["source_event_id"], condition=Q(source_event_id__isnull=False), name="audits_audit_once_per_event"),
        ]

    def __str__(self):
        return f"{self.cadre} {self.period_start}–{self.period_end}"


class Handover(CreatedByEvent):
    """A departure handover of economic matters (离任经济事项交接), opened once per departure event."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        COMPLETED = "completed", _("completed")

    tenure = models.ForeignKey("registry.Tenure", verbose_name=_("tenure"), on_delete=models.PROTECT, related_name="+")
    cadre = models.ForeignKey("registry.Cadre", verbose_name=_("leaver"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("registry.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    departed_on = models.DateField(_("departure date"))
    due_on = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    successor = models.ForeignKey("registry.Cadre", verbose_name=_("successor"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("handover supervisor"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("departure handover")
        constraints = [
            models.UniqueConstraint(fields=["source_event_id"], condition=Q(source_event_id__isnull=False), name="audits_handover_once_per_event"),
        ]

    def __str__(self):
        return f"{self.cadre} {self.departed_on}"


class HandoverItem(models.Model):
    """One item of the handover checklist (the setting audits.handover_checklist when opened)."""

    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(_("item"), max_length=200)
    figures = models.CharField(_("figures"), max_length=500, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["handover", "order"], name="audits_handover_item_order")]


class HandoverSignature(models.Model):
    """A confirmation of the handover in the app by one of its three parties."""

    class Party(models.TextChoices):
        LEAVER = "leaver", _("leaver")
        SUCCESSOR = "successor", _("successor")
        SUPERVISOR = "supervisor", _("handover supervisor")

    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="signatures")
    party = models.CharField(max_length=16, choices=Party.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["signed_at", "id"]
        constraints = [models.UniqueConstraint(fields=["handover", "party"], name="audits_handover_one_signature_per_party")]


class DepartureExemption(models.Model):
    """A request to exempt a departure from the departure audit and handover, with the reason;
    effective only once the head approves it (审批). A rejected request may be followed by a new one."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("awaiting approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    event = models.ForeignKey("core.DomainEvent", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED)
    # Null only on requests made before approval existed (migrated as approved by their decider).
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("note on the decision"), blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("departure exemption")
        constraints = [
            models.UniqueConstraint(fields=["event"], condition=Q(status__in=["requested", "approved"]), name="audits_one_live_exemption_per_event"),
        ]


class AuditPlan(models.Model):
    """The yearly audit plan (年度审计计划): in-term audits of subjects chosen by risk, drafted by
    the audit office and approved by the head; the approval starts the audits."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        APPROVED = "approved", _("approved")

    year = models.PositiveIntegerField(_("year"), unique=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drafted_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_on = models.DateField(_("approved on"), null=True, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("yearly audit plan")

    def __str__(self):
        return str(self.year)


class AuditPlanEntry(models.Model):
    """One subject in a yearly plan, with the risk score and its parts as computed when chosen."""

    plan = models.ForeignKey(AuditPlan, on_delete=models.CASCADE, related_name="entries")
    tenure = models.ForeignKey("registry.Tenure", verbose_name=_("tenure"), on_delete=models.PROTECT, related_name="+")
    cadre = models.ForeignKey("registry.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("registry.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    score = models.PositiveIntegerField(_("risk score"))
    parts = models.JSONField(default=list)
    reason = models.TextField(_("reason"), blank=True)
    audit = models.ForeignKey(DepartureAudit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-score", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "tenure"], name="audits_plan_entry_once")]
