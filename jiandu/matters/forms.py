"""Forms of the matters pages (max lengths on every text: NUL and overlong input refused)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import items as item_specs
from .models import Check, Finding, PassportHolder, TravelDocument

DATE = forms.DateInput(attrs={"type": "date"})


class OpenYearForm(forms.Form):
    year = forms.IntegerField(label=_("Reporting year"), min_value=2000, max_value=2100)
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DATE, help_text=_("Empty: the setting's day (规定 art. 5: 31 January)."))


class StartReportForm(forms.Form):
    correction_reason = forms.CharField(label=_("Reason for the correction"), max_length=500, required=False)


class SubmitForm(forms.Form):
    received_on = forms.DateField(label=_("Paper report received on"), required=False, widget=DATE)


def item_form(kind: item_specs.Kind, data=None, prefix=None):
    """A form for one item of `kind`: whose it is, the name, and the kind's typed fields."""
    form = forms.Form(data, prefix=prefix)
    form.fields["holder"] = forms.ChoiceField(label=_("Whose"), choices=item_specs.HOLDERS)
    form.fields["holder_name"] = forms.CharField(label=_("Name (spouse or child)"), max_length=50, required=False)
    for f in kind.fields:
        widget = DATE if f.type == "date" else None
        form.fields[f.name] = forms.CharField(label=f.label, max_length=item_specs.TEXT_MAX, required=f.key, widget=widget)
    return form


class DrawForm(forms.Form):
    seed = forms.CharField(label=_("Seed (empty: chosen at random)"), max_length=64, required=False)


class TargetedCheckForm(forms.Form):
    cadre = forms.IntegerField(label=_("Cadre"), widget=forms.Select)
    reason = forms.CharField(label=_("Reason"), max_length=500)


class RequestForm(forms.Form):
    department = forms.CharField(label=_("Department"), max_length=100, widget=forms.Select)


class ReplyForm(forms.Form):
    replied_on = forms.DateField(label=_("Replied on"), widget=DATE)


class ClassifyForm(forms.Form):
    reply_item = forms.IntegerField(widget=forms.HiddenInput)
    classification = forms.ChoiceField(label=_("Classification"), choices=Finding.Classification.choices)


class ConcludeForm(forms.Form):
    handling = forms.ChoiceField(label=_("Handling"), choices=Check.Handling.choices)
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)
    deciding_body = forms.CharField(label=_("Deciding body"), max_length=100, required=False)


class HolderForm(forms.Form):
    cadre = forms.IntegerField(label=_("Cadre"), widget=forms.Select)
    registered_on = forms.DateField(label=_("Registered on"), widget=DATE)
    filing_kind = forms.ChoiceField(label=_("Filing kind"), choices=PassportHolder.FilingKind.choices)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=TravelDocument.Kind.choices)
    number = forms.CharField(label=_("Document number"), max_length=30)
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    expires_on = forms.DateField(label=_("Valid until"), widget=DATE, required=False)


class TravelForm(forms.Form):
    destination = forms.CharField(label=_("Destination"), max_length=100)
    purpose = forms.CharField(label=_("Purpose"), max_length=200)
    departs_on = forms.DateField(label=_("Departs on"), widget=DATE)
    returns_on = forms.DateField(label=_("Returns on"), widget=DATE)


class DecideForm(forms.Form):
    approve = forms.ChoiceField(label=_("Decision"), choices=(("1", _("approve")), ("0", _("refuse"))))


class LendForm(forms.Form):
    document = forms.IntegerField(label=_("Document"), widget=forms.Select)
    travel = forms.IntegerField(label=_("Approved travel"), widget=forms.Select)
    lent_on = forms.DateField(label=_("Lent on"), widget=DATE)


class ReturnForm(forms.Form):
    returned_on = forms.DateField(label=_("Returned on"), widget=DATE)


def event_form(kind: item_specs.Kind, data=None, *, officer=False):
    """A change reported between the yearly reports: the item's fields, the day of the change and,
    for an officer recording a paper report, the cadre and the day it was received."""
    form = item_form(kind, data)
    form.fields["event_on"] = forms.DateField(label=_("Date of the change"), widget=DATE)
    if officer:
        form.fields["cadre"] = forms.IntegerField(label=_("Cadre"), widget=forms.Select)
        form.fields["received_on"] = forms.DateField(label=_("Paper report received on"), widget=DATE)
    return form
