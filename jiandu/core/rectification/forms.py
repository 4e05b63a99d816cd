"""The forms of rectification, shared by audits and inspection tours (Django's CharField already
refuses NUL characters; the actions check again)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .flow import TEXT_MAX
from .models import FollowUpVisitBase


class DateInput(forms.DateInput):
    input_type = "date"


class RectificationItemForm(forms.Form):
    measure = forms.CharField(label=_("Measure"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.CharField(label=_("Owner (a named person)"), max_length=100, required=False)
    due_on = forms.DateField(label=_("Deadline"), required=False, widget=DateInput, help_text=_("Leave empty for the default deadline after the report."))


class ProgressReportForm(forms.Form):
    on = forms.DateField(label=_("Reported on"), widget=DateInput)
    progress = forms.CharField(label=_("Progress"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(label=_("Evidence (PDF, JPEG, PNG, DOCX, XLSX)"), required=False)


class VerifyForm(forms.Form):
    note = forms.CharField(label=_("Verification"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(forms.Form):
    note = forms.CharField(label=_("Reason for returning"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2}))


class FollowUpVisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Visited on"), widget=DateInput)
    visited_by = forms.CharField(label=_("Visited by"), max_length=100)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=FollowUpVisitBase.Outcome.choices)
    note = forms.CharField(label=_("Note"), max_length=TEXT_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2}))
