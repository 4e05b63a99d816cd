"""Selection cases (选拔任用, 2019 《党政领导干部选拔任用工作条例》; DOMAIN.md §6, issue #15).

One case per appointment process, for one or more positions. Its stages are recorded in order
(STAGE_ORDER), one record each; candidates (考察对象) carry their vetting requests, the
committee's statements on them and the outcome computed by decisions.verdict."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiandu.decisions.models import Body, Stance
from jiandu.registry.models import Cadre, Position, Tenure, Unit

from . import settings as selection_settings  # noqa: F401 - declares the local-practice settings


class Stage(models.TextChoices):
    MOTION = "motion", _("motion (动议)")
    RECOMMENDATION = "recommendation", _("democratic recommendation (民主推荐)")
    CANDIDATES = "candidates", _("inspection subjects determined (确定考察对象)")
    VETTING = "vetting", _("pre-appointment vetting (任前预审)")
    INSPECTION = "inspection", _("inspection (考察)")
    CONSULTATION = "consultation", _("consultation (酝酿)")
    DECISION = "decision", _("decision (讨论决定)")
    NOTICE = "notice", _("public notice (任前公示)")
    APPOINTMENT = "appointment", _("appointment (任职)")


STAGE_ORDER = list(Stage.values)


class SelectionCase(models.Model):
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    positions = models.ManyToManyField(Position, verbose_name=_("positions"), related_name="+")
    reasons = models.TextField(_("reasons"))
    qualifications = models.TextField(_("qualifications"), blank=True)
    scope = models.TextField(_("scope"), blank=True)
    proposed_by = models.CharField(_("proposed by"), max_length=100)
    prior_approval_on = models.DateField(_("prior approval of the higher organisation department"), null=True, blank=True)
    prior_approval_ref = models.CharField(_("approval reference"), max_length=100, blank=True)
    notice_starts_on = models.DateField(_("notice starts on"), null=True, blank=True)
    notice_ends_on = models.DateField(_("notice ends on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("selection case")

    def __str__(self):
        return self.title

    def recorded_stages(self) -> set[str]:
        return set(self.stages.values_list("stage", flat=True))

    def next_stage(self) -> str | None:
        done = self.recorded_stages()
        return next((s for s in STAGE_ORDER if s not in done), None)


class StageRecord(models.Model):
    case = models.ForeignKey(SelectionCase, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    held_on = models.DateField(_("date"))
    handler = models.CharField(_("handled by (经办人)"), max_length=50)
    responsible = models.CharField(_("responsible (负责人)"), max_length=50)
    participants = models.TextField(_("participants"), blank=True)
    result = models.TextField(_("result"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "stage"], name="selection_stage_once")]


class Candidate(models.Model):
    class Probation(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed in the post")
        REMOVED = "removed", _("removed from the trial post")

    case = models.ForeignKey(SelectionCase, on_delete=models.CASCADE, related_name="candidates")
    cadre = models.ForeignKey(Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="+")
    position = models.ForeignKey(Position, verbose_name=_("proposed post"), on_delete=models.PROTECT, related_name="+")
    recommendation_votes = models.PositiveIntegerField(_("recommendation votes"), null=True, blank=True)
    exceptional = models.TextField(_("exceptional promotion (破格): qualifications not met"), blank=True)
    listed_on = models.DateField(_("listed on"))
    vetting_override = models.TextField(_("head's reason to go on despite vetting"), blank=True)
    # Art. 24 (5) not applied to this candidate (the emigration block): the head's recorded reason
    # and the reference of the approval that allows it (rules.emigration_exception).
    emigration_exception = models.TextField(_("reason the emigration block does not apply"), blank=True)
    emigration_approval_ref = models.CharField(_("approval reference of the exception"), max_length=100, blank=True)
    outcome = models.CharField(_("decision"), max_length=16, blank=True)  # decisions.verdict VOID / PASSED / FAILED
    outcome_note = models.TextField(blank=True)
    tenure = models.ForeignKey(Tenure, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    probation_until = models.DateField(_("probation until"), null=True, blank=True)
    probation_result = models.CharField(_("probation result"), max_length=16, choices=Probation.choices, blank=True)
    probation_reviewed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["case", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "cadre"], name="selection_candidate_once")]

    def __str__(self):
        return self.cadre.name


class Canvassing(models.Model):
    """Recorded canvassing (跑官、拉票等非组织行为) by a cadre in this case (art. 24)."""

    case = models.ForeignKey(SelectionCase, on_delete=models.CASCADE, related_name="canvassing")
    cadre = models.ForeignKey(Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="+")
    found_on = models.DateField(_("date"))
    details = models.TextField(_("details"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")


class VettingRequest(models.Model):
    class Result(models.TextChoices):
        NO_PROBLEM = "no_problem", _("no problem found")
        PROBLEM = "problem", _("problem found")
        VERIFY = "verify", _("needs verification")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="vetting")
    department = models.ForeignKey(Unit, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+")
    sent_on = models.DateField(_("sent on"))
    due_on = models.DateField(_("reply due"))
    result = models.CharField(_("result"), max_length=16, choices=Result.choices, blank=True)
    details = models.TextField(_("details"), blank=True)
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    resolution = models.TextField(_("how the problem was resolved"), blank=True)
    reminded_on = models.DateField(_("reminded on"), null=True, blank=True)  # the daily job, once (actions/vetting_reminders.py)
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True)  # overdue, reported to the organisation department once

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["candidate", "department"], name="selection_vetting_once")]

    @property
    def open_problem(self) -> bool:
        return self.result in (self.Result.PROBLEM, self.Result.VERIFY) and not self.resolution


class CaseDecision(models.Model):
    case = models.OneToOneField(SelectionCase, on_delete=models.CASCADE, related_name="decision")
    body = models.ForeignKey(Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("date"))
    principal = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")


class DecisionMember(models.Model):
    decision = models.ForeignKey(CaseDecision, on_delete=models.CASCADE, related_name="members")
    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(default=True)

    class Meta:
        ordering = ["id"]


class DecisionStatement(models.Model):
    decision = models.ForeignKey(CaseDecision, on_delete=models.CASCADE, related_name="statements")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="statements")
    order = models.PositiveSmallIntegerField(_("speaking order"))
    cadre = models.ForeignKey(Cadre, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+")
    stance = models.CharField(_("stance"), max_length=16, choices=Stance.choices)

    class Meta:
        ordering = ["candidate", "order"]


class Objection(models.Model):
    case = models.ForeignKey(SelectionCase, on_delete=models.CASCADE, related_name="objections")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="objections")
    received_on = models.DateField(_("received on"))
    content = models.TextField(_("objection"))
    verification = models.TextField(_("verification and handling"), blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["received_on", "id"]


from .accountability_models import AccountabilityReview  # noqa: E402, F401  (倒查问责审查)
from .checks_models import FileReview  # noqa: E402, F401  (干部档案必审, checks_models.py)
from .materials_models import Material  # noqa: E402, F401  (uploads on stage records and vetting replies)
from .recommendation_models import RecommendationBallot, RecommendationVote  # noqa: E402, F401  (会议推荐, recommendation_models.py)
from .reconsider_models import Reconsideration  # noqa: E402, F401  (复议, reconsider_models.py)
from .survey_models import SelectionSurvey, SurveyAppointee  # noqa: E402, F401  (一报告两评议, survey_models.py)
