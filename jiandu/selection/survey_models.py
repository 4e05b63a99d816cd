"""一报告两评议 (issue #15 §7): the yearly survey of selection work, one per year and organising
unit. The standing committee's report is an upload; the two anonymous evaluations are one ballot
of the ballot engine (ballots app: codes, secrecy, small-group rules), referred to by id only.
Nothing here links a voting code or a vote to a person: the ballot engine keeps no such link
either, and the survey stores only the counts the officer enters per participant category."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jiandu.registry.models import Cadre, Unit

# Participant categories (参评人员类别) of the 2010 办法: the ballot's voter groups, in this order.
SURVEY_CATEGORIES = (
    ("committee", "全委会成员"),
    ("heads", "部门主要负责人"),
    ("others", "其他"),
)


class SelectionSurvey(models.Model):
    unit = models.ForeignKey(Unit, verbose_name=_("organising unit"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    report_file = models.FileField(_("standing committee's report"), upload_to="selection/survey/", blank=True)
    report_name = models.CharField(_("report file name"), max_length=200, blank=True)
    ballot_id = models.PositiveIntegerField(null=True, blank=True)  # ballots.Ballot
    headcounts = models.JSONField(default=dict)  # {category code: participants}
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "unit__path", "id"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="selection_survey_once_a_year")]
        verbose_name = _("selection work survey")

    def __str__(self):
        return self.title

    @property
    def participants(self) -> int:
        return sum(int(v) for v in (self.headcounts or {}).values())

    def category_rows(self) -> list[tuple[str, int]]:
        counts = self.headcounts or {}
        return [(name, int(counts.get(code, 0))) for code, name in SURVEY_CATEGORIES]


class SurveyAppointee(models.Model):
    """A cadre newly appointed in the survey's year, evaluated on the ballot (subject_id); a low
    rating asks the organisation department for an explanation and the action taken."""

    survey = models.ForeignKey(SelectionSurvey, on_delete=models.CASCADE, related_name="appointees")
    cadre = models.ForeignKey(Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="+")
    post = models.CharField(_("post"), max_length=200)
    started_on = models.DateField(_("appointed on"))
    subject_id = models.PositiveIntegerField(null=True, blank=True)  # ballots.Subject
    explanation = models.TextField(_("explanation"), blank=True)
    measures = models.TextField(_("action taken"), blank=True)
    noted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    noted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["survey", "started_on", "id"]
        constraints = [models.UniqueConstraint(fields=["survey", "cadre"], name="selection_survey_appointee_once")]
