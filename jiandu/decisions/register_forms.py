"""Page forms of the 三重一大 registers, rules, violations and decision tasks (bounded fields:
nothing overlong or malformed reaches an action)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Body, MatterKind

DATE = forms.DateInput(attrs={"type": "date"})


class BodyForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int)
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=Body.Kind.choices)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]


class EntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MatterKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    amount = forms.DecimalField(label=_("Amount (yuan)"), min_value=0, max_digits=16, decimal_places=2)
    executed_on = forms.DateField(label=_("Executed on (signed, started or paid)"), widget=DATE)
    decision = forms.TypedChoiceField(label=_("Approving decision"), coerce=int, required=False, empty_value=None)
    responsible = forms.TypedChoiceField(label=_("Responsible leader"), coerce=int, required=False, empty_value=None)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, decisions, leaders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [("", _("none"))] + decision_choices(decisions)
        self.fields["responsible"].choices = [("", _("none"))] + [(c.pk, c.name) for c in leaders]


def decision_choices(items):
    return [(i.pk, f"{i.meeting.held_on:%Y-%m-%d} {i.meeting.body.name}：{i.title}") for i in items]


class LinkForm(forms.Form):
    decision = forms.TypedChoiceField(label=_("Approving decision"), coerce=int)

    def __init__(self, *args, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = decision_choices(decisions)


class ImportForm(forms.Form):
    workbook = forms.FileField(label=_("Workbook (.xlsx)"))


class RuleForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int)
    threshold = forms.DecimalField(label=_("Threshold (yuan, inclusive)"), min_value=0, max_digits=16, decimal_places=2)
    matter_kinds = forms.MultipleChoiceField(
        label=_("Always needs a collective decision"), choices=MatterKind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    basis = forms.CharField(label=_("Basis (the unit's rule)"), max_length=200, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]


class HandOverForm(forms.Form):
    violation = forms.CharField(max_length=40, widget=forms.HiddenInput)
    to_unit = forms.TypedChoiceField(label=_("To"), coerce=int)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].choices = [(u.pk, u.name) for u in departments]


class TaskForm(forms.Form):
    decision = forms.TypedChoiceField(label=_("Decision"), coerce=int)
    unit = forms.TypedChoiceField(label=_("Unit responsible"), coerce=int)
    owner = forms.CharField(label=_("Owner (person responsible)"), max_length=100)
    description = forms.CharField(label=_("Task"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    due_on = forms.DateField(label=_("Due on"), widget=DATE, required=False)
    working_days = forms.IntegerField(label=_("or within working days after the meeting"), min_value=1, max_value=365, required=False)

    def __init__(self, *args, decisions, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = decision_choices(decisions)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("Progress"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    reported_on = forms.DateField(label=_("Reported on"), widget=DATE, required=False)


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Closing note"), max_length=500, required=False)
