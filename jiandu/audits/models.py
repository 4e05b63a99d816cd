"""Economic-responsibility audits (issue #13, first slice): departure audits and handovers opened
by the `registry.departure` consumer, and exemptions of departures from them."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiandu.core.models import CreatedByEvent
from jiandu.core.rectification.models import FollowUpVisitBase, ProgressReportBase, RectificationItemBase


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
        FIELDWORK = "fieldwork", _("fieldwork")
        DRAFT_REPORT = "draft_report", _("draft report with the audited cadre")
        REPORTED = "reported", _("final report issued; rectification")
        CLOSED = "closed", _("closed")

    class Grade(models.TextChoices):
        GOOD = "good", _("good (好)")
        FAIRLY_GOOD = "fairly_good", _("fairly good (较好)")
        AVERAGE = "average", _("average (一般)")
        POOR = "poor", _("poor (较差)")

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
    fieldwork_started_on = models.DateField(_("fieldwork started on"), null=True, blank=True)
    draft_sent_on = models.DateField(_("draft report sent on"), null=True, blank=True)
    comments_due_on = models.DateField(_("comments due on"), null=True, blank=True)
    comments_received_on = models.DateField(_("comments received on"), null=True, blank=True)
    comments = models.TextField(_("written comments of the audited cadre"), blank=True)
    no_objection = models.BooleanField(_("no objection (no comments within the window)"), default=False)
    report_issued_on = models.DateField(_("final report issued on"), null=True, blank=True)
    grade = models.CharField(_("evaluation"), max_length=16, choices=Grade.choices, blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    report_number = models.CharField(_("report number"), max_length=60, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

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


class HandoverAttachment(models.Model):
    """A file supporting one checklist item (a contract list, a bank statement …): checked before
    it is stored (core.rectification.evidence), kept under MEDIA_ROOT/handovers/ with a random
    name and read back only through the access-checked download."""

    item = models.ForeignKey(HandoverItem, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("file"), max_length=200)
    stored_name = models.CharField(max_length=64)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]


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


class Finding(models.Model):
    """A problem found by an audit (审计发现问题): category, amount, severity, the cadre's kind of
    responsibility and the evidence; its rectification (整改) is one or more RectificationItems
    (jiandu.core.rectification), and the finding is rectified when every item is closed."""

    class Category(models.TextChoices):
        FINANCIAL_RULES = "financial_rules", _("violation of financial rules")
        STATE_ASSETS = "state_assets", _("loss of state assets")
        INEFFECTIVE_INVESTMENT = "ineffective_investment", _("ineffective investment")
        DECISION_PROCEDURE = "decision_procedure", _("breach of decision procedure")
        OTHER = "other", _("other")

    class Responsibility(models.TextChoices):
        # 《党政主要领导干部和国有企事业单位主要领导人员经济责任审计规定》(2019) distinguishes
        # direct and leadership responsibility (the 2010 provisions also had 主管责任).
        DIRECT = "direct", _("direct responsibility (直接责任)")
        LEADERSHIP = "leadership", _("leadership responsibility (领导责任)")

    class Severity(models.TextChoices):
        LOW = "low", _("minor")
        MEDIUM = "medium", _("moderate")
        HIGH = "high", _("serious")

    class Status(models.TextChoices):
        OPEN = "open", _("rectification under way")
        VERIFIED = "verified", _("rectified: every item verified and closed")

    audit = models.ForeignKey(DepartureAudit, on_delete=models.PROTECT, related_name="findings")
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    amount = models.DecimalField(_("amount involved (yuan)"), max_digits=16, decimal_places=2, default=0)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices, default=Severity.MEDIUM)
    responsibility = models.CharField(_("responsibility"), max_length=16, choices=Responsibility.choices)
    description = models.TextField(_("description"))
    evidence = models.TextField(_("evidence"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    verified_on = models.DateField(_("rectified on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # 移送问题线索: the clue of daily supervision's registry this finding became (once; the registry
    # is reached through core.clue_referrals, so the clue is kept by its id and number).
    clue_id = models.PositiveIntegerField(_("clue"), null=True, blank=True, unique=True)
    clue_number = models.CharField(_("clue number"), max_length=40, blank=True)
    clue_to = models.CharField(_("clue transferred to"), max_length=200, blank=True)
    clue_transferred_at = models.DateTimeField(_("transferred as a clue at"), null=True, blank=True)
    clue_transferred_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["audit", "id"]
        verbose_name = _("audit finding")
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="audits_finding_amount_not_negative")]


class RectificationItem(RectificationItemBase):
    """One rectification item of a finding: the owner is a cadre of the audited unit or a named
    person (then only `owner` is filled)."""

    finding = models.ForeignKey(Finding, verbose_name=_("finding"), on_delete=models.PROTECT, related_name="items")
    owner_cadre = models.ForeignKey("registry.Cadre", verbose_name=_("rectification owner"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta(RectificationItemBase.Meta):
        verbose_name = _("rectification item")


class RectificationUpdate(ProgressReportBase):
    item = models.ForeignKey(RectificationItem, on_delete=models.PROTECT, related_name="updates")


class FollowUpVisit(FollowUpVisitBase):
    item = models.ForeignKey(RectificationItem, on_delete=models.PROTECT, related_name="visits")


class TrainingSession(models.Model):
    """A training or warning-education session (培训与警示教育, issue #13 §7) organised by a unit,
    with the cadres invited to it (TrainingParticipant) and their attendance."""

    class Kind(models.TextChoices):
        ECONOMIC = "economic_responsibility", _("economic-responsibility training")
        WARNING = "warning_education", _("warning-education visit")
        REGULATION = "regulation_study", _("study of party discipline and regulations")

    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    title = models.CharField(_("session title"), max_length=200)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    required = models.BooleanField(_("attendance required"), default=False)
    organiser = models.ForeignKey("registry.Unit", verbose_name=_("organising unit"), on_delete=models.PROTECT, related_name="+")
    materials = models.TextField(_("materials"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("training session")
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=24), name="audits_training_hours_in_range")]

    def __str__(self):
        return f"{self.held_on} {self.title}"


class TrainingParticipant(models.Model):
    """A cadre invited to a session, with the attendance recorded afterwards."""

    class Attendance(models.TextChoices):
        PENDING = "pending", _("not yet recorded")
        ATTENDED = "attended", _("attended")
        ABSENT = "absent", _("absent")
        EXCUSED = "excused", _("excused (leave approved)")

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="participants")
    cadre = models.ForeignKey("registry.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="+")
    attendance = models.CharField(_("attendance"), max_length=16, choices=Attendance.choices, default=Attendance.PENDING)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "id"]
        verbose_name = _("training participant")
        constraints = [models.UniqueConstraint(fields=["session", "cadre"], name="audits_training_participant_once")]

    def __str__(self):
        return f"{self.cadre} {self.session}"


class AuditAppeal(models.Model):
    """A use of the appeal route against an audit's result (《党政主要领导干部和国有企事业单位主要
    领导人员经济责任审计规定》2019): the audited cadre's application for review (复查) by the audit
    office, or, against the review decision, for reconsideration (复核) by the higher audit office;
    with the deadlines as computed when applied for (the day counts are settings, calendar days)."""

    class Level(models.TextChoices):
        REVIEW = "review", _("review (复查)")
        RECONSIDERATION = "reconsideration", _("reconsideration (复核)")

    class Outcome(models.TextChoices):
        UPHELD = "upheld", _("upheld (维持)")
        CHANGED = "changed", _("changed (变更)")
        REVOKED = "revoked", _("revoked (撤销)")

    audit = models.ForeignKey(DepartureAudit, on_delete=models.PROTECT, related_name="appeals")
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    received_on = models.DateField(_("contested document received on"))
    application_days = models.PositiveSmallIntegerField(_("days to apply"))
    application_due_on = models.DateField(_("application due on"))
    applied_on = models.DateField(_("applied on"))
    grounds = models.TextField(_("grounds"))
    decision_days = models.PositiveSmallIntegerField(_("days to decide"))
    decision_due_on = models.DateField(_("decision due on"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    decision_note = models.TextField(_("note on the decision"), blank=True)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["audit", "applied_on", "id"]
        verbose_name = _("appeal against an audit")
        constraints = [
            models.UniqueConstraint(fields=["audit", "level"], name="audits_appeal_once_per_level"),
            models.CheckConstraint(condition=Q(decided_on__isnull=True) | ~Q(outcome=""), name="audits_appeal_decided_with_outcome"),
        ]

    def __str__(self):
        return f"{self.audit} {self.level} {self.applied_on}"

    @property
    def is_open(self) -> bool:
        return self.decided_on is None

    def is_decision_overdue(self, today: dt.date) -> bool:
        """Undecided after the day the decision was due (the due day itself is still in time)."""
        return self.decided_on is None and today > self.decision_due_on
