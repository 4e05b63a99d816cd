"""Forms parse input only; the actions check every rule and report problems (ActionError)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jiandu.core.action_forms import add_action_error  # noqa: F401 - the views import it from here
from jiandu.core.practice import get_setting
from jiandu.registry.forms import bounded_picker
from jiandu.registry.models import Unit

from .models import AppraisalCycle, Grade, ResultUse

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CycleForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Organising unit"), queryset=Unit.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("Kind"), choices=AppraisalCycle.Kind.choices, initial=AppraisalCycle.Kind.ANNUAL)
    title = forms.CharField(
        label=pgettext_lazy("appraisal", "Title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty for the standard title, e.g. 2026年度领导班子和领导干部年度考核."),
    )
    uses_target_scores = forms.BooleanField(label=_("Includes the target assessment (目标考核)"), required=False, initial=True)
    description = forms.CharField(label=pgettext_lazy("appraisal", "Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        bounded_picker(self, "unit", units, kind="units", perm="appraisals.manage")
        if not self.is_bound:
            self.fields["year"].initial = timezone.localdate().year - 1 if timezone.localdate().month < 7 else timezone.localdate().year


class CycleUpdateForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("appraisal", "Title"), max_length=200)
    uses_target_scores = forms.BooleanField(label=_("Includes the target assessment (目标考核)"), required=False)
    description = forms.CharField(label=pgettext_lazy("appraisal", "Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000)


class AddUnitForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    include_team = forms.BooleanField(label=_("Add its current leadership team"), required=False, initial=True)

    def __init__(self, *args, units, rows=None, **kwargs):
        """`units`: those accepted; `rows`: the few rendered (default the first of `units`)."""
        super().__init__(*args, **kwargs)
        bounded_picker(self, "unit", units, kind="units", perm="appraisals.manage", rows=rows)


class AddCadreForm(forms.Form):
    cadre = forms.TypedChoiceField(label=_("Cadre"), coerce=int)
    post = forms.CharField(label=_("Post"), max_length=100, required=False, help_text=_("Empty: the cadre's current post in this unit."))

    def __init__(self, *args, cadres=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].choices = [(c.pk, f"{c.name}（{c.unit.name}）") for c in cadres]


class TeamReportForm(forms.Form):
    text = forms.CharField(label=_("Team self-report (述职)"), widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=20000)


class CadreReportForm(forms.Form):
    text = forms.CharField(label=_("Self-report (述职)"), widget=forms.Textarea(attrs={"rows": 8}), required=False, max_length=20000)
    file = forms.FileField(label=_("Self-report as PDF"), required=False, widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}))
    remove_file = forms.BooleanField(label=_("Remove the attached PDF"), required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Workbook (.xlsx)"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))


def indicator_rows(data) -> list[dict]:
    """The indicator editor's rows from POST lists; rows left completely empty are skipped."""
    names, weights, scores, notes = (data.getlist(key) for key in ("name", "weight", "score", "note"))
    rows = []
    for i in range(max(len(names), len(weights), len(scores), len(notes))):

        def value(values, i=i):
            return values[i].strip() if i < len(values) else ""

        row = {"name": value(names), "weight": value(weights), "score": value(scores), "note": value(notes)}
        if any(row.values()):
            rows.append(row)
    return rows


class OpenEvaluationForm(forms.Form):
    """Headcounts per unit and voter group, and the optional voting window."""

    opens_at = forms.DateTimeField(label=_("Voting opens at"), required=False, widget=DATETIME, help_text=_("Empty: at once."))
    closes_at = forms.DateTimeField(label=_("Voting closes at"), required=False, widget=DATETIME, help_text=_("Empty: when an officer closes it."))

    def __init__(self, *args, units=(), groups=(), defaults=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = list(units)
        self.groups = list(groups)
        defaults = defaults or {}
        for unit in self.units:
            for group in self.groups:
                self.fields[f"headcount-{unit.pk}-{group['code']}"] = forms.IntegerField(
                    label=f"{unit.unit_name} · {group['name']}", min_value=1, max_value=100_000, initial=defaults.get((unit.pk, group["code"]))
                )

    def rows(self):
        """[(assessed unit, [bound field per group])] for the template."""
        return [(unit, [self[f"headcount-{unit.pk}-{g['code']}"] for g in self.groups]) for unit in self.units]

    def headcounts(self) -> dict:
        return {unit.pk: {g["code"]: self.cleaned_data[f"headcount-{unit.pk}-{g['code']}"] for g in self.groups} for unit in self.units}


class ConfirmGradesForm(forms.Form):
    """One grade select and reason per cadre and per team, prefilled with the proposals."""

    def __init__(self, *args, cadres=(), units=(), team_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.cadres = list(cadres)
        self.units = list(units)
        grade_choices = [("", "—"), *Grade.choices]
        for row in self.cadres:
            self.fields[f"cadre-{row.pk}"] = forms.ChoiceField(label=row.cadre_name, choices=grade_choices, required=False, initial=row.proposed_grade)
            self.fields[f"reason-{row.pk}"] = forms.CharField(label=_("Reason"), required=False, max_length=1000)
        for unit in self.units:
            self.fields[f"team-{unit.pk}"] = forms.ChoiceField(
                label=unit.unit_name, choices=[("", "—"), *team_choices], required=False, initial=unit.proposed_grade
            )
            self.fields[f"team-reason-{unit.pk}"] = forms.CharField(label=_("Reason"), required=False, max_length=1000)

    def cadre_rows(self):
        return [(row, self[f"cadre-{row.pk}"], self[f"reason-{row.pk}"]) for row in self.cadres]

    def team_rows(self):
        return [(unit, self[f"team-{unit.pk}"], self[f"team-reason-{unit.pk}"]) for unit in self.units]

    def decisions(self):
        cadres = {row.pk: (self.cleaned_data[f"cadre-{row.pk}"], self.cleaned_data[f"reason-{row.pk}"]) for row in self.cadres}
        teams = {unit.pk: (self.cleaned_data[f"team-{unit.pk}"], self.cleaned_data[f"team-reason-{unit.pk}"]) for unit in self.units}
        return cadres, teams


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class EventForm(forms.Form):
    cadre = forms.TypedChoiceField(label=_("Cadre"), coerce=int)
    occurred_on = forms.DateField(label=_("Date"), widget=DATE)
    kind = forms.ChoiceField(label=_("Kind"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, cadres=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].choices = [(c.pk, f"{c.name}（{c.unit.name}）") for c in cadres]
        self.fields["kind"].choices = [(k, k) for k in get_setting("appraisals.disqualifying_kinds") or []]


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class UseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Use"), choices=ResultUse.Kind.choices)
    decided_on = forms.DateField(label=_("Date"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class FollowUpDoneForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), widget=DATE)
    outcome = forms.CharField(label=_("Outcome"), max_length=2000)
