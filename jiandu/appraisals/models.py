"""Annual appraisal (目标监督, DOMAIN.md §4): a cycle assesses teams (units) and their leading
cadres; each unit has a target assessment (indicators with weights and scores) and a democratic
evaluation (one secret ballot per unit, held by the ballots app and referred to by id); the system
proposes grades, the organisation department confirms them; dissatisfaction at the threshold
gives a yellow-card (admonishment) proposal; the use of results is recorded per cadre.

Rows change only through appraisals.actions. Scores are kept as exact fractions ("n/d" text) with
a rounded decimal copy for sorting and display.
"""

from fractions import Fraction

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiandu.registry.models import Cadre, Unit

from . import settings as appraisal_settings  # noqa: F401 - declares the local-practice settings


class Grade(models.TextChoices):
    """Individual grades [R] (2019 考核条例); codes match the ballots' "grade" scale.

    Sources: 优秀/称职/基本称职/不称职 — 《党政领导干部考核工作条例》(2019), chapter on 考核评价,
    and 《公务员法》(2018) / 《公务员考核规定》(2020) for civil servants. 不定等次 — see
    settings.py (appraisals.sanction_year_outcomes, with its sources). The 优秀 quota (generally
    at most 20 %, up to 25 % with approval) is 《公务员考核规定》(2020), a setting with that source.
    """

    EXCELLENT = "excellent", _("excellent")
    COMPETENT = "competent", _("competent")
    BASICALLY_COMPETENT = "basically_competent", _("basically competent")
    INCOMPETENT = "incompetent", _("incompetent")
    # 不定等次，只写评语: a cadre under certain sanctions in the assessment year (settings.py,
    # appraisals.sanction_year_outcomes). Not a ballot option.
    NO_GRADE = "no_grade", _("no grade, comments only")


GRADE_ORDER = [Grade.EXCELLENT, Grade.COMPETENT, Grade.BASICALLY_COMPETENT, Grade.INCOMPETENT]

# Team scales [R?]: option codes of the ballots' preset scales, best first (setting appraisals.team_scale).
TEAM_SCALES = {
    "team_grade": [("excellent", "优秀"), ("good", "良好"), ("fair", "一般"), ("poor", "较差")],
    "quality": [("good", "好"), ("fairly_good", "较好"), ("fair", "一般"), ("poor", "差")],
}


def fraction_or_none(text: str) -> Fraction | None:
    return Fraction(text) if text else None


class AppraisalCycle(models.Model):
    """One assessment (年度考核 and the other kinds of the 2019 条例) run by an organising unit."""

    class Kind(models.TextChoices):
        ANNUAL = "annual", _("annual assessment")
        ROUTINE = "routine", _("routine assessment")
        SPECIAL = "special", _("special assessment")
        TERM = "term", _("term assessment")

    class Status(models.TextChoices):
        SETUP = "setup", _("setup")
        EVALUATION_OPEN = "evaluation_open", _("evaluation open")
        EVALUATION_CLOSED = "evaluation_closed", _("evaluation closed")
        GRADES_PROPOSED = "grades_proposed", _("grades proposed")
        GRADES_CONFIRMED = "grades_confirmed", _("grades confirmed")
        RESULTS_USED = "results_used", _("results used")

    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ANNUAL)
    title = models.CharField(_("title"), max_length=200)
    unit = models.ForeignKey(Unit, verbose_name=_("organising unit"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SETUP)
    uses_target_scores = models.BooleanField(_("includes the target assessment"), default=True)
    description = models.TextField(_("notes"), blank=True)
    # The settings each computation used, copied when it ran (close, proposal, confirmation).
    parameters = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by_id = models.BigIntegerField(null=True, blank=True)
    evaluation_opened_at = models.DateTimeField(null=True, blank=True)
    evaluation_closed_at = models.DateTimeField(null=True, blank=True)
    grades_proposed_at = models.DateTimeField(null=True, blank=True)
    grades_confirmed_at = models.DateTimeField(null=True, blank=True)
    grades_confirmed_by_id = models.BigIntegerField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("appraisal cycle")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], condition=Q(kind="annual"), name="appraisal_one_annual_cycle_per_year"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_setup(self) -> bool:
        return self.status == self.Status.SETUP

    @property
    def may_change_membership(self) -> bool:
        """Units and cadres can be added or removed until the ballots exist."""
        return self.status == self.Status.SETUP

    @property
    def may_change_targets(self) -> bool:
        """Target scores feed the democratic assessment, so they are fixed when the evaluation closes."""
        return self.status in (self.Status.SETUP, self.Status.EVALUATION_OPEN)

    @property
    def may_change_reports(self) -> bool:
        return self.status in (self.Status.SETUP, self.Status.EVALUATION_OPEN)

    @property
    def may_open_evaluation(self) -> bool:
        return self.status == self.Status.SETUP

    @property
    def may_close_evaluation(self) -> bool:
        return self.status == self.Status.EVALUATION_OPEN

    @property
    def may_propose_grades(self) -> bool:
        return self.status in (self.Status.EVALUATION_CLOSED, self.Status.GRADES_PROPOSED)

    @property
    def may_confirm_grades(self) -> bool:
        return self.status == self.Status.GRADES_PROPOSED

    @property
    def may_record_uses(self) -> bool:
        return self.status in (self.Status.GRADES_CONFIRMED, self.Status.RESULTS_USED)

    @property
    def may_complete(self) -> bool:
        return self.status == self.Status.GRADES_CONFIRMED

    @property
    def results_available(self) -> bool:
        return self.status not in (self.Status.SETUP, self.Status.EVALUATION_OPEN)

    @property
    def grades_confirmed(self) -> bool:
        return self.status in (self.Status.GRADES_CONFIRMED, self.Status.RESULTS_USED)


class AssessedUnit(models.Model):
    """A team assessed in a cycle: its target indicators, its ballot (by id) and its results."""

    cycle = models.ForeignKey(AppraisalCycle, on_delete=models.PROTECT, related_name="units")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    unit_name = models.CharField(_("unit"), max_length=100)
    order = models.PositiveIntegerField(default=0)
    team_report_text = models.TextField(_("team self-report (述职)"), blank=True)
    # The democratic evaluation held by the ballots app (ballots knows nothing of appraisals).
    ballot_id = models.BigIntegerField(null=True, blank=True)
    team_subject_id = models.BigIntegerField(null=True, blank=True)
    headcounts = models.JSONField(default=dict, blank=True)
    # Results, copied when the evaluation closes; exact fractions as "n/d".
    target_base_exact = models.CharField(max_length=100, blank=True)
    target_base = models.DecimalField(_("target score without the democratic item"), max_digits=8, decimal_places=3, null=True, blank=True)
    democratic_exact = models.CharField(max_length=100, blank=True)
    democratic_score = models.DecimalField(_("democratic score"), max_digits=8, decimal_places=3, null=True, blank=True)
    final_exact = models.CharField(max_length=100, blank=True)
    final_score = models.DecimalField(_("final score"), max_digits=8, decimal_places=3, null=True, blank=True)
    votes = models.JSONField(default=dict, blank=True)  # overall team question: option code → count
    valid_votes = models.PositiveIntegerField(null=True, blank=True)
    ballots_counted = models.PositiveIntegerField(null=True, blank=True)
    rank = models.PositiveIntegerField(null=True, blank=True)
    proposed_grade = models.CharField(_("proposed grade"), max_length=20, blank=True)
    proposal_reasons = models.JSONField(default=list, blank=True)  # [{"code": …, "params": {…}}], rendered translated
    grade = models.CharField(_("grade"), max_length=20, blank=True)
    grade_reason = models.TextField(_("reason for a different grade"), blank=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("assessed unit")
        constraints = [models.UniqueConstraint(fields=["cycle", "unit"], name="appraisal_unit_once_per_cycle")]

    def __str__(self):
        return self.unit_name

    @property
    def target_base_fraction(self) -> Fraction | None:
        return fraction_or_none(self.target_base_exact)

    @property
    def democratic_fraction(self) -> Fraction | None:
        return fraction_or_none(self.democratic_exact)

    @property
    def final_fraction(self) -> Fraction | None:
        return fraction_or_none(self.final_exact)


class AssessedCadre(models.Model):
    """A leading cadre assessed in a cycle, with the self-report, results, proposal and grade."""

    cycle = models.ForeignKey(AppraisalCycle, on_delete=models.PROTECT, related_name="cadres")
    assessed_unit = models.ForeignKey(AssessedUnit, on_delete=models.PROTECT, related_name="cadres")
    cadre = models.ForeignKey(Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="+")
    cadre_name = models.CharField(_("name"), max_length=50)
    post = models.CharField(_("post"), max_length=100, blank=True)
    order = models.PositiveIntegerField(default=0)
    report_text = models.TextField(_("self-report (述职)"), blank=True)
    report_file = models.FileField(_("self-report file"), upload_to="appraisals/reports/", blank=True)
    report_file_name = models.CharField(max_length=200, blank=True)
    subject_id = models.BigIntegerField(null=True, blank=True)
    # Results, copied when the evaluation closes.
    votes = models.JSONField(default=dict, blank=True)  # overall question: option code → count
    valid_votes = models.PositiveIntegerField(null=True, blank=True)
    ballots_counted = models.PositiveIntegerField(null=True, blank=True)
    dimension_scores = models.JSONField(default=dict, blank=True)  # question code → "n/d"
    results_element_exact = models.CharField(max_length=100, blank=True)  # 绩 with the target score fed in
    score_exact = models.CharField(max_length=100, blank=True)
    score = models.DecimalField(_("assessment score"), max_digits=8, decimal_places=3, null=True, blank=True)
    rank = models.PositiveIntegerField(null=True, blank=True)
    proposed_grade = models.CharField(_("proposed grade"), max_length=20, choices=Grade.choices, blank=True)
    proposal_reasons = models.JSONField(default=list, blank=True)  # [{"code": …, "params": {…}}], rendered translated
    grade = models.CharField(_("grade"), max_length=20, choices=Grade.choices, blank=True)
    grade_reason = models.TextField(_("reason for a different grade"), blank=True)
    needs_post_adjustment = models.BooleanField(_("post adjustment"), default=False)
    needs_dismissal_review = models.BooleanField(_("dismissal review"), default=False)

    class Meta:
        ordering = ["assessed_unit__order", "assessed_unit_id", "order", "id"]
        verbose_name = _("assessed cadre")
        constraints = [models.UniqueConstraint(fields=["cycle", "cadre"], name="appraisal_cadre_once_per_cycle")]

    def __str__(self):
        return self.cadre_name

    @property
    def score_fraction(self) -> Fraction | None:
        return fraction_or_none(self.score_exact)

    @property
    def has_report(self) -> bool:
        return bool(self.report_text or self.report_file)

    @property
    def ballot_subject_ready(self) -> bool:
        """The ballot exists and this cadre is one of its subjects."""
        return bool(self.subject_id and self.assessed_unit.ballot_id)

    def share(self, *codes) -> Fraction | None:
        if not self.valid_votes:
            return None
        return Fraction(sum(int(self.votes.get(code, 0)) for code in codes), self.valid_votes)


class TargetIndicator(models.Model):
    """One indicator of a unit's target assessment (目标考核): weight and score (0–100)."""

    assessed_unit = models.ForeignKey(AssessedUnit, on_delete=models.CASCADE, related_name="indicators")
    order = models.PositiveIntegerField(default=0)
    name = models.CharField(_("indicator"), max_length=200)
    weight = models.DecimalField(_("weight"), max_digits=7, decimal_places=2)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("target indicator")
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="target_weight_positive"),
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=100), name="target_score_0_100"),
        ]

    def __str__(self):
        return self.name


class DisqualifyingEvent(models.Model):
    """An event in a year that bars the cadre from 优秀 (受到诫勉, 处分, serious accident…), recorded
    by an officer here until daily supervision provides its own records."""

    cadre = models.ForeignKey(Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="+")
    occurred_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=100)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by_id = models.BigIntegerField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by_id = models.BigIntegerField(null=True, blank=True)
    withdrawal_reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("disqualifying event")

    def __str__(self):
        return f"{self.cadre} {self.kind}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class AdmonishmentProposal(models.Model):
    """A yellow card (亮黄牌): dissatisfaction at the threshold gives the organisation department a
    proposal to admonish (诫勉), with the figures that triggered it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        CONFIRMED = "confirmed", _("confirmed")
        DISMISSED = "dismissed", _("dismissed")

    cycle = models.ForeignKey(AppraisalCycle, on_delete=models.PROTECT, related_name="proposals")
    assessed_cadre = models.OneToOneField(AssessedCadre, on_delete=models.PROTECT, related_name="proposal")
    cadre = models.ForeignKey(Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="+")
    ballot_id = models.BigIntegerField()
    question_code = models.CharField(max_length=40)
    option_codes = models.JSONField(default=list)
    numerator = models.PositiveIntegerField()
    denominator = models.PositiveIntegerField()
    threshold = models.CharField(max_length=40)
    inclusive = models.BooleanField(default=True)
    figures = models.CharField(_("figures"), max_length=300)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by_id = models.BigIntegerField(null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True)
    # Set when daily supervision takes the proposal up (e.g. "oversight.admonishment:12").
    reference = models.CharField(max_length=100, blank=True)
    # What raised it: the ballot's dissatisfaction share, or 基本称职 two years running (local rule,
    # setting appraisals.consecutive_basic_admonishment).
    basis = models.CharField(
        _("raised by"), max_length=20, default="ballot", choices=[("ballot", _("dissatisfaction share")), ("grades", _("grades of two years"))]
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("admonishment proposal")

    def __str__(self):
        return f"{self.cadre} {self.figures}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def share(self) -> Fraction:
        return Fraction(self.numerator, self.denominator)


class ResultUse(models.Model):
    """How a cadre's appraisal result was used (结果运用)."""

    class Kind(models.TextChoices):
        PROMOTE = "promote", _("promotion or commendation")
        ADJUST = "adjust", _("post adjustment")
        ADMONISH = "admonish", _("admonishment")
        TRAIN = "train", _("training")
        OTHER = "other", _("other")

    cycle = models.ForeignKey(AppraisalCycle, on_delete=models.PROTECT, related_name="uses")
    assessed_cadre = models.ForeignKey(AssessedCadre, on_delete=models.PROTECT, related_name="uses")
    cadre = models.ForeignKey(Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("use"), max_length=10, choices=Kind.choices)
    decided_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("use of results")

    def __str__(self):
        return f"{self.cadre} {self.get_kind_display()}"


class GradeFollowUp(models.Model):
    """What a confirmed 不称职 requires, with a due date so it cannot be forgotten [R, civil
    servants]: 《公务员法》(2018) art. 50: 不称职 → the post is lowered by one
    level; 《公务员法》 art. 88: 不称职 two years running → dismissal (辞退) to be reviewed. The due
    date is local practice (setting appraisals.follow_up_days)."""

    class Kind(models.TextChoices):
        POST_ADJUSTMENT = "post_adjustment", _("lower the post by one level")
        DISMISSAL_REVIEW = "dismissal_review", _("review dismissal (incompetent two years running)")

    cycle = models.ForeignKey(AppraisalCycle, on_delete=models.PROTECT, related_name="follow_ups")
    assessed_cadre = models.ForeignKey(AssessedCadre, on_delete=models.PROTECT, related_name="follow_ups")
    cadre = models.ForeignKey(Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("follow-up"), max_length=20, choices=Kind.choices)
    due_on = models.DateField(_("due by"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    done_by_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("follow-up of a grade")
        constraints = [models.UniqueConstraint(fields=["assessed_cadre", "kind"], name="appraisal_follow_up_once")]

    def __str__(self):
        return f"{self.cadre} {self.get_kind_display()}"

    def is_overdue(self, today) -> bool:
        return self.done_on is None and today > self.due_on
