"""Page forms of the yearly selection survey (一报告两评议)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .survey_actions import MAX_PARTICIPANTS


def _count(label):
    return forms.IntegerField(label=label, min_value=0, max_value=MAX_PARTICIPANTS, required=False)


class SurveyForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Organising unit"), queryset=None, empty_label=None)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=9999)
    title = forms.CharField(label=_("Title (optional)"), max_length=200, required=False)
    count_committee = _count(_("Participants: members of the full committee (全委会成员)"))
    count_heads = _count(_("Participants: heads of departments (部门主要负责人)"))
    count_others = _count(_("Participants: others (其他)"))
    report = forms.FileField(label=_("Standing committee's yearly report (PDF or DOCX)"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def action_values(self) -> dict:
        data = self.cleaned_data
        return {
            "unit": data["unit"],
            "year": data["year"],
            "title": data.get("title") or "",
            "headcounts": {code: data.get(f"count_{code}") or 0 for code in ("committee", "heads", "others")},
            "report": data["report"],
        }


class SurveyNoteForm(forms.Form):
    explanation = forms.CharField(label=_("Explanation"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    measures = forms.CharField(label=_("Action taken"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
