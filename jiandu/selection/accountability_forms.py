"""Page forms of the accountability review: the failed stage and the people responsible are
chosen from the appointment's record."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import _date, _text


class ReviewForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage that failed"))
    responsible = forms.MultipleChoiceField(label=_("People responsible"), widget=forms.CheckboxSelectMultiple)
    finding = _text(_("Finding"))
    measures = _text(_("Measures"), required=False)
    opened_on = _date(_("Opened on"))
    disposition = forms.ModelChoiceField(label=_("Disposition (daily supervision)"), queryset=None, required=False)

    def __init__(self, *args, stages, people, dispositions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [("", "---------"), *stages]
        self.fields["responsible"].choices = [(name, name) for name in people]
        self.fields["disposition"].queryset = dispositions


class ConcludeForm(forms.Form):
    concluded_on = _date(_("Concluded on"))
    conclusion = _text(_("Conclusion"))
    measures = _text(_("Measures"), required=False)
