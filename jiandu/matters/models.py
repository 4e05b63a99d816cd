"""个人有关事项 (issue #18, first slice): yearly reports with structured items (asset items
encrypted at rest), random and targeted checks against departments' records, and the custody of
private passports. Reports and checks are read only with matters.view_reports (queries.py)."""

import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiandu.core import crypto

from . import items


class ReportingYear(models.Model):
    """A yearly reporting window (规定 art. 5); the list of reporters is frozen when it opens."""

    year = models.PositiveSmallIntegerField(_("reporting year"), unique=True)
    deadline = models.DateField(_("deadline"))
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-year"]
        verbose_name = _("reporting year")

    def __str__(self):
        return str(self.year)


class Reporter(models.Model):
    """A cadre on a year's frozen list, with the unit and level when the window opened."""

    year = models.ForeignKey(ReportingYear, on_delete=models.PROTECT, related_name="reporters")
    cadre = models.ForeignKey("registry.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("registry.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("leadership level"), max_length=32, blank=True)

    class Meta:
        ordering = ["unit__path", "cadre__sort_pinyin", "id"]
        constraints = [models.UniqueConstraint(fields=["year", "cadre"], name="matters_reporter_once_a_year")]


class Report(models.Model):
    """One version of a reporter's yearly report. Submitted versions never change; a correction
    is a new version (draft, then submitted) that supersedes the previous one."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")

    class Channel(models.TextChoices):
        SELF = "self", _("filled in by the cadre")
        PAPER = "paper", _("paper report recorded by an officer")

    reporter = models.ForeignKey(Reporter, on_delete=models.PROTECT, related_name="reports")
    version = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    correction_reason = models.CharField(_("reason for the correction"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)

    class Meta:
        ordering = ["reporter", "-version"]
        constraints = [models.UniqueConstraint(fields=["reporter", "version"], name="matters_report_version_unique")]


class SealedValues(models.Model):
    """An item with typed values: family items in clear, asset items (规定 art. 4) encrypted with
    the field key (SM4-GCM where available), bound to the row they belong to."""

    kind = models.CharField(_("item"), max_length=32, choices=[(k.code, k.label) for k in items.KINDS.values()])
    holder = models.CharField(_("whose"), max_length=16, choices=items.HOLDERS, default="self")
    holder_name = models.CharField(_("name"), max_length=50, blank=True)
    plain = models.JSONField(default=dict, blank=True)
    sealed = models.TextField(blank=True)

    class Meta:
        abstract = True

    @property
    def kind_spec(self) -> items.Kind:
        return items.KINDS[self.kind]

    def _context(self) -> bytes:
        raise NotImplementedError

    def set_values(self, values: dict) -> None:
        if self.kind_spec.section == items.ASSET:
            self.plain = {}
            self.sealed = crypto.encrypt(json.dumps(values, ensure_ascii=False).encode(), context=self._context())
        else:
            self.plain, self.sealed = values, ""

    @property
    def values(self) -> dict:
        if self.sealed:
            return json.loads(crypto.decrypt(self.sealed, context=self._context()))
        return dict(self.plain)

    def display(self) -> list[tuple]:
        values = self.values
        return [(f.label, values.get(f.name, "")) for f in self.kind_spec.fields]


class ReportItem(SealedValues):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["report", "position"]
        constraints = [models.UniqueConstraint(fields=["report", "position"], name="matters_item_position")]

    def _context(self) -> bytes:
        return f"matters.report_item:{self.report_id}:{self.position}".encode()


class Draw(models.Model):
    """The yearly random draw (抽查): seed, share and the frozen population, so it can be re-run."""

    year = models.OneToOneField(ReportingYear, on_delete=models.PROTECT, related_name="draw")
    seed = models.CharField(_("seed"), max_length=64)
    share = models.CharField(_("share"), max_length=20)
    population = models.JSONField(default=list)  # reporter ids, sorted
    selected = models.JSONField(default=list)  # reporter ids, sorted
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(auto_now_add=True)


class Check(models.Model):
    """A check (查核) of one cadre's report against departments' records: random or targeted."""

    class Kind(models.TextChoices):
        RANDOM = "random", _("random check")
        TARGETED = "targeted", _("targeted check")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CONCLUDED = "concluded", _("concluded")

    class Handling(models.TextChoices):
        NONE = "none", _("no handling needed (consistent)")
        CRITICISM = "criticism", _("criticism and education (批评教育)")
        WRITTEN_SELF_CRITICISM = "self_criticism", _("written self-criticism (责令作出检查)")
        ADMONISHMENT = "admonishment", _("admonishment (诫勉)")
        DISQUALIFIED = "disqualified", _("disqualified as inspection subject (取消考察对象资格)")
        TRANSFER = "transfer", _("transferred from the post (调离岗位)")
        DEMOTION = "demotion", _("demotion (降职)")
        REMOVAL = "removal", _("removal from office (免职)")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    cadre = models.ForeignKey("registry.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("registry.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    draw = models.ForeignKey(Draw, null=True, blank=True, on_delete=models.PROTECT, related_name="checks")
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    handling = models.CharField(_("handling"), max_length=20, choices=Handling.choices, blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    disposition_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]


class CheckRequest(models.Model):
    """A request for records to one department, and its reply."""

    check_case = models.ForeignKey(Check, on_delete=models.CASCADE, related_name="requests")
    department = models.CharField(_("department"), max_length=100)
    sent_on = models.DateField(_("sent on"))
    replied_on = models.DateField(_("replied on"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["check_case", "department"], name="matters_request_once_per_department")]


class ReplyItem(SealedValues):
    """One item a department's records show, in the same typed fields as the report."""

    request = models.ForeignKey(CheckRequest, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["request", "position"]
        constraints = [models.UniqueConstraint(fields=["request", "position"], name="matters_reply_item_position")]

    def _context(self) -> bytes:
        return f"matters.reply_item:{self.request_id}:{self.position}".encode()


class Finding(models.Model):
    """The classification of one compared item (处理办法 art. 3 漏报, art. 4 隐瞒不报)."""

    class Classification(models.TextChoices):
        CONSISTENT = "consistent", _("consistent")
        OMISSION = "omission", _("omission (漏报)")
        CONCEALMENT = "concealment", _("concealment (隐瞒不报)")

    check_case = models.ForeignKey(Check, on_delete=models.CASCADE, related_name="findings")
    reply_item = models.OneToOneField(ReplyItem, on_delete=models.CASCADE, related_name="finding")
    classification = models.CharField(_("classification"), max_length=16, choices=Classification.choices)
    article = models.CharField(_("article"), max_length=100, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)


# Stored with the finding as the citation itself (the instrument's own words), whatever the language.
ARTICLES = {
    Finding.Classification.CONSISTENT: "",
    Finding.Classification.OMISSION: "《领导干部个人有关事项报告查核结果处理办法》第三条（漏报）",
    Finding.Classification.CONCEALMENT: "《领导干部个人有关事项报告查核结果处理办法》第四条（隐瞒不报）",
}


# --- 因私出国（境）证照 custody ------------------------------------------------------------------


class PassportHolder(models.Model):
    """A cadre on the register of registered staff (登记备案人员) whose documents are kept."""

    class FilingKind(models.TextChoices):
        # The groups the exit-entry authorities register (公安机关出入境管理部门 登记备案): the
        # filing kind is a column of the register they take.
        LEADING_CADRE = "leading_cadre", _("leading cadre at county/division level and above")
        CIVIL_SERVANT = "civil_servant", _("other civil servant or staff managed as one")
        INSTITUTION_LEADER = "institution_leader", _("leader of a public institution")
        ENTERPRISE_LEADER = "enterprise_leader", _("leader of a state-owned enterprise")
        CLASSIFIED = "classified", _("staff handling state secrets")
        OTHER = "other", _("other staff to be registered")

    cadre = models.OneToOneField("registry.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="+")
    registered_on = models.DateField(_("registered on"))
    filing_kind = models.CharField(_("filing kind"), max_length=24, choices=FilingKind.choices, default=FilingKind.LEADING_CADRE)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["cadre__sort_pinyin", "id"]


class TravelDocument(models.Model):
    class Kind(models.TextChoices):
        PASSPORT = "passport", _("ordinary passport")
        HK_MACAO = "hk_macao", _("permit for Hong Kong and Macao")
        TAIWAN = "taiwan", _("permit for Taiwan")

    class Status(models.TextChoices):
        KEPT = "kept", _("in custody")
        LENT = "lent", _("lent out")

    holder = models.ForeignKey(PassportHolder, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("document"), max_length=16, choices=Kind.choices)
    number = models.CharField(_("document number"), max_length=30)
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    received_on = models.DateField(_("received on"))
    status = models.CharField(_("custody"), max_length=8, choices=Status.choices, default=Status.KEPT)

    class Meta:
        ordering = ["holder", "kind", "id"]
        constraints = [models.UniqueConstraint(fields=["kind", "number"], name="matters_document_unique")]


class TravelRequest(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("awaiting approval")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    holder = models.ForeignKey(PassportHolder, on_delete=models.PROTECT, related_name="travels")
    destination = models.CharField(_("destination"), max_length=100)
    purpose = models.CharField(_("purpose"), max_length=200)
    departs_on = models.DateField(_("departs on"))
    returns_on = models.DateField(_("returns on"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(_("decided on"), null=True, blank=True)

    class Meta:
        ordering = ["-departs_on", "-id"]


class Loan(models.Model):
    """A kept document lent out for an approved trip; due back N days after the return."""

    document = models.ForeignKey(TravelDocument, on_delete=models.PROTECT, related_name="loans")
    travel = models.ForeignKey(TravelRequest, on_delete=models.PROTECT, related_name="loans")
    lent_on = models.DateField(_("lent on"))
    due_on = models.DateField(_("due back on"))
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    reminded_on = models.DateField(_("reminded on"), null=True, blank=True)  # the reminder before the due date (once)
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True)  # overdue, reported to the head (once)

    class Meta:
        ordering = ["due_on", "id"]


# --- 事项变化随时报告 ---------------------------------------------------------------------------


class EventReport(SealedValues):
    """A change reported between the yearly reports (规定 art. 6, 事项变化随时报告): one family matter
    (a marriage change, a spouse's or child's emigration …) in the same typed fields as the
    yearly report, due within the configured days after the event; late ones are flagged."""

    class Channel(models.TextChoices):
        SELF = "self", _("filled in by the cadre")
        PAPER = "paper", _("paper report recorded by an officer")

    cadre = models.ForeignKey("registry.Cadre", verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("registry.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    event_on = models.DateField(_("date of the change"))
    due_on = models.DateField(_("to be reported by"))
    reported_on = models.DateField(_("reported on"))
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reported_on", "-id"]

    @property
    def is_late(self) -> bool:
        """Reported after the due day (on the due day itself: on time)."""
        return self.reported_on > self.due_on

    def _context(self) -> bytes:
        raise ValueError("event reports hold family matters only (never sealed asset items)")
