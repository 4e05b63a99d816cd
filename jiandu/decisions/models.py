"""Bodies that decide collectively, their meetings, agenda items and members' statements
(三重一大, DOMAIN.md §3). The verdict of an item is computed by `verdict.py` from these rows."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiandu.registry.models import Cadre, Unit

from . import verdict as rules


class Body(models.Model):
    class Kind(models.TextChoices):
        STANDING_COMMITTEE = "standing_committee", _("standing committee")
        EXECUTIVE_MEETING = "executive_meeting", _("government executive meeting")
        PARTY_GROUP = "party_group", _("party group")

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="decision_bodies")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    principal = models.ForeignKey(Cadre, verbose_name=_("principal"), on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    members = models.ManyToManyField(Cadre, verbose_name=_("members"), related_name="decision_bodies", through="BodyMember")

    class Meta:
        ordering = ["unit__path", "name", "id"]
        verbose_name = _("decision-making body")

    def __str__(self):
        return self.name


class BodyMember(models.Model):
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="memberships")
    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["body", "cadre"], name="decisions_member_once")]


class Meeting(models.Model):
    body = models.ForeignKey(Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    principal = models.ForeignKey(Cadre, verbose_name=_("principal"), on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("meeting")

    def __str__(self):
        return self.title

    @property
    def total(self):
        return self.attendances.count()

    @property
    def present(self):
        return self.attendances.filter(present=True).count()


class Stance(models.TextChoices):
    AGREE = rules.AGREE, _("agree (同意)")
    DISAGREE = rules.DISAGREE, _("disagree (不同意)")
    DEFER = rules.DEFER, _("defer (缓议)")


class Attendance(models.Model):
    """One row per member expected at the meeting (the body's members when it was recorded)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    cadre = models.ForeignKey(Cadre, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(_("present"), default=True)
    absence_reason = models.CharField(_("reason for absence"), max_length=200, blank=True)
    written_opinion = models.TextField(_("written opinion"), blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "cadre"], name="decisions_attendance_once")]


class AgendaItem(models.Model):
    class Category(models.TextChoices):
        MAJOR_DECISION = "major_decision", _("major decision (重大决策)")
        APPOINTMENT = "appointment", _("important appointment or removal (重要干部任免)")
        MAJOR_PROJECT = "major_project", _("major project (重大项目安排)")
        LARGE_FUNDS = "large_funds", _("large sum of money (大额度资金使用)")
        OTHER = "other", _("other")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=16, decimal_places=2, null=True, blank=True)
    proposer = models.ForeignKey(Cadre, verbose_name=_("proposer"), on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16)  # verdict.VOID / PASSED / FAILED, as computed when recorded

    class Meta:
        ordering = ["meeting", "order"]
        constraints = [models.UniqueConstraint(fields=["meeting", "order"], name="decisions_item_order_once")]

    @property
    def rule_category(self):
        return rules.APPOINTMENT if self.category == self.Category.APPOINTMENT else rules.GENERAL


class ItemStatement(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="statements")
    order = models.PositiveSmallIntegerField(_("speaking order"))
    cadre = models.ForeignKey(Cadre, verbose_name=_("member"), on_delete=models.PROTECT, related_name="decision_statements")
    stance = models.CharField(_("stance"), max_length=16, choices=Stance.choices)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["item", "order"]
        constraints = [
            models.UniqueConstraint(fields=["item", "order"], name="decisions_statement_order_once"),
            models.UniqueConstraint(fields=["item", "cadre"], name="decisions_statement_once"),
        ]


class WrittenStance(models.Model):
    """An absent member's written opinion on one item: recorded, never counted."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="written_opinions")
    cadre = models.ForeignKey(Cadre, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+")
    stance = models.CharField(_("stance"), max_length=16, choices=Stance.choices)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "cadre"], name="decisions_written_once")]


# --- 三重一大 registers, violations and follow-through (issue #14 §2 and §3) ---------------------


class MatterKind(models.TextChoices):
    """The kinds of register entry; a unit lists which of them always need a collective decision."""

    PROJECT = "project", _("major project (重大项目)")
    PROCUREMENT = "procurement", _("procurement (采购)")
    PAYMENT = "payment", _("large payment (大额资金支付)")


class UnitRule(models.Model):
    """A unit's own 三重一大 list and money threshold; without one, the nearest unit above it that
    has one applies, else the district settings (`decisions.threshold_yuan`, `decisions.matter_kinds`)."""

    unit = models.OneToOneField(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="decision_rule")
    threshold = models.DecimalField(_("threshold (yuan)"), max_digits=16, decimal_places=2)
    matter_kinds = models.JSONField(_("matters that always need a collective decision"), default=list, blank=True)
    basis = models.CharField(_("basis"), max_length=200, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["unit__path"]


class RegisterEntry(models.Model):
    """One major project, procurement or large payment of a unit, linked to the agenda item that
    approved it (or not: then it may be a violation, see `violations.py`)."""

    class Source(models.TextChoices):
        FORM = "form", _("form")
        IMPORT = "import", _("workbook import")
        API = "api", _("API")

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="decision_register")
    kind = models.CharField(_("kind"), max_length=16, choices=MatterKind.choices)
    title = models.CharField(_("title"), max_length=200)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=16, decimal_places=2)
    executed_on = models.DateField(_("executed on"))
    decision = models.ForeignKey(
        AgendaItem, verbose_name=_("approving decision"), on_delete=models.PROTECT, related_name="register_entries", null=True, blank=True
    )
    responsible = models.ForeignKey(Cadre, verbose_name=_("responsible leader"), on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.FORM)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-executed_on", "-id"]
        verbose_name = _("register entry")

    def __str__(self):
        return self.title


class ViolationClue(models.Model):
    """A violation handed to 日常监督 as a clue: once per violation (entry or item, and kind)."""

    class Kind(models.TextChoices):
        NO_DECISION = "no_decision", _("no valid collective decision")
        EXECUTED_EARLY = "executed_early", _("executed before the decision")
        VOID_MEETING = "void_meeting", _("decided by a meeting without quorum")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="clues", null=True, blank=True)
    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="violation_clues", null=True, blank=True)
    clue = models.ForeignKey("oversight.Clue", on_delete=models.PROTECT, related_name="+")
    handed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    handed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "entry"], condition=models.Q(entry__isnull=False), name="decisions_violation_entry_once"),
            models.UniqueConstraint(fields=["kind", "item"], condition=models.Q(item__isnull=False), name="decisions_violation_item_once"),
        ]


class DecisionTask(models.Model):
    """A task a passed decision gives a unit (督查): owner, deadline, progress, closed by the office."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    decision = models.ForeignKey(AgendaItem, verbose_name=_("decision"), on_delete=models.PROTECT, related_name="tasks")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="decision_tasks")
    owner = models.CharField(_("owner"), max_length=100)
    description = models.CharField(_("task"), max_length=500)
    due_on = models.DateField(_("due on"))
    due_rule = models.CharField(_("how the deadline was computed"), max_length=400, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN, db_index=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_note = models.CharField(_("closing note"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("decision task")

    def __str__(self):
        return self.description

    def is_overdue(self, today) -> bool:
        """Overdue from the day after the due date, while open."""
        return self.status == self.Status.OPEN and today > self.due_on


class TaskProgress(models.Model):
    task = models.ForeignKey(DecisionTask, on_delete=models.CASCADE, related_name="progress")
    reported_on = models.DateField(_("reported on"))
    text = models.CharField(_("progress"), max_length=2000)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["reported_on", "id"]


from . import register_settings  # noqa: E402,F401  (the registers' settings, declared at import)

# --- 阳光周志: leaders' public profiles, weekly logs, public feedback (issue #14 §4–5) ------------


class LeaderProfile(models.Model):
    """What the public portal may show about a district leader besides name and post: the
    portfolio (分管工作) and the office's public contact. Never private data (the cadre's own
    phone, ID number or family stay in the registry)."""

    cadre = models.OneToOneField(Cadre, verbose_name=_("leader"), on_delete=models.PROTECT, related_name="leader_profile")
    portfolio = models.TextField(_("portfolio (分管工作)"), blank=True)
    office_phone = models.CharField(_("public office phone"), max_length=30, blank=True)
    office_address = models.CharField(_("public office address"), max_length=200, blank=True)
    mailbox = models.CharField(_("public mailbox"), max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("leader's public profile")


class WeeklyLog(models.Model):
    """One leader's weekly log (阳光周志) for the week starting `week_start` (a Monday)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("awaiting review")
        RETURNED = "returned", _("returned for revision")
        PUBLISHED = "published", _("published")

    cadre = models.ForeignKey(Cadre, verbose_name=_("leader"), on_delete=models.PROTECT, related_name="weekly_logs")
    week_start = models.DateField(_("week (Monday)"))
    this_week = models.TextField(_("this week's work"))
    next_week = models.TextField(_("next week's plan"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    due_at = models.DateTimeField(_("deadline"))
    submitted_at = models.DateTimeField(_("submitted at"))
    first_submitted_at = models.DateTimeField(_("first submitted at"))
    is_late = models.BooleanField(_("late"), default=False)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    on_behalf = models.BooleanField(_("entered by the office for the leader"), default=False)
    review_comment = models.TextField(_("review comment"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["-week_start", "cadre__sort_pinyin", "id"]
        verbose_name = _("weekly log")
        constraints = [models.UniqueConstraint(fields=["cadre", "week_start"], name="decisions_weekly_log_once")]

    def __str__(self):
        return f"{self.cadre.name} {self.week_start.isoformat()}"


class WeeklyLogReminder(models.Model):
    """A reminder sent to a leader whose log for a week was still missing (once per week)."""

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="+")
    week_start = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cadre", "week_start"], name="decisions_log_reminder_once")]


class PublicFeedback(models.Model):
    """An opinion or report sent from the public portal: kept out of sight until the office
    approves it; a reply may be published with it."""

    class Kind(models.TextChoices):
        OPINION = "opinion", _("opinion or suggestion")
        REPORT = "report", _("report of misconduct")

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting moderation")
        PUBLISHED = "published", _("published")
        REJECTED = "rejected", _("not published")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.OPINION)
    leader = models.ForeignKey(Cadre, verbose_name=_("about the leader"), on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=100)
    body = models.TextField(_("message"))
    contact = models.CharField(_("contact (optional)"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    received_at = models.DateTimeField(auto_now_add=True)
    reply = models.TextField(_("reply"), blank=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_note = models.CharField(_("note"), max_length=200, blank=True)
    # A report passed to 日常监督 as a clue, once (who and when: the clue and the journal).
    clue = models.ForeignKey("oversight.Clue", verbose_name=_("clue"), on_delete=models.PROTECT, related_name="+", null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("public feedback")
