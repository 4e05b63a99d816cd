"""Page forms of 责任监督: every value a page posts is read through one of these (NUL characters
and overlong text are refused with a message before any action runs)."""

from django import forms
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from jiandu.registry.forms import bounded_picker

from .models import DepartureAudit, Finding, HandoverSignature, TrainingParticipant, TrainingSession

REASON_MAX = 2000


class ExemptionRequestForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX)


class ExemptionDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("approve", _("approve")), ("reject", _("reject"))])
    note = forms.CharField(label=_("Note on the decision"), max_length=REASON_MAX, required=False)


class NoticeForm(forms.Form):
    served_on = forms.DateField(label=_("Served on"))
    fieldwork_starts_on = forms.DateField(label=_("Fieldwork starts on"))


class HandoverPartiesForm(forms.Form):
    successor = forms.IntegerField(label=_("Successor"), required=False, min_value=1)
    supervisor = forms.CharField(label=_("Handover supervisor (user name)"), max_length=150, required=False)


class HandoverItemForm(forms.Form):
    item = forms.IntegerField(label=_("Item"), min_value=1)
    figures = forms.CharField(label=_("Figures"), max_length=500, required=False)
    notes = forms.CharField(label=_("Notes"), max_length=5000, required=False)


class HandoverFileForm(forms.Form):
    item = forms.IntegerField(label=_("Item"), min_value=1)
    file = forms.FileField(label=_("File"), allow_empty_file=True)  # size, kind and structure: the action's check


class SignForm(forms.Form):
    party = forms.ChoiceField(label=_("Party"), choices=HandoverSignature.Party.choices)


class InTermAuditForm(forms.Form):
    tenure = forms.IntegerField(label=_("Post"), min_value=1)
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX)


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class PlanEntryForm(forms.Form):
    tenure = forms.IntegerField(label=_("Post"), min_value=1)
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX, required=False)


class PlanEntryRemoveForm(forms.Form):
    entry = forms.IntegerField(label=_("Subject"), min_value=1)


TEXT_MAX = 10000


class FieldworkForm(forms.Form):
    started_on = forms.DateField(label=_("Fieldwork started on"))


class DraftReportForm(forms.Form):
    sent_on = forms.DateField(label=_("Draft report sent on"))


class CommentsForm(forms.Form):
    received_on = forms.DateField(label=_("Comments received on"))
    comments = forms.CharField(label=_("Written comments"), max_length=TEXT_MAX)


class FinalReportForm(forms.Form):
    issued_on = forms.DateField(label=_("Final report issued on"))
    grade = forms.ChoiceField(label=_("Evaluation"), choices=DepartureAudit.Grade.choices)
    conclusion = forms.CharField(label=_("Conclusion"), max_length=TEXT_MAX)


class FindingForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Finding.Category.choices)
    amount = forms.DecimalField(label=_("Amount involved (yuan)"), min_value=0, max_digits=16, decimal_places=2, required=False)
    severity = forms.ChoiceField(label=_("Severity"), choices=Finding.Severity.choices, required=False)
    responsibility = forms.ChoiceField(label=_("Responsibility"), choices=Finding.Responsibility.choices)
    description = forms.CharField(label=_("Description"), max_length=TEXT_MAX)
    evidence = forms.CharField(label=_("Evidence"), max_length=TEXT_MAX, required=False)
    owner = forms.IntegerField(label=_("Rectification owner"), min_value=1, required=False)
    owner_name = forms.CharField(label=_("or a named person"), max_length=100, required=False)
    measure = forms.CharField(label=_("Rectification measure"), max_length=TEXT_MAX, required=False)
    due_on = forms.DateField(label=_("Rectification deadline"), required=False)


class ClueTransferForm(forms.Form):
    to_unit = forms.IntegerField(label=_("Transferred to"), min_value=1)
    note = forms.CharField(label=_("Note for the receiving department"), max_length=2000, required=False)


def first_error(form) -> str:
    """The first problem of an invalid form, naming its field: 「理由：此字段为必填项。」."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        return gettext("%(field)s: %(problem)s") % {"field": label, "problem": errors[0]} if label else str(errors[0])
    return ""


# --- training and warning education (training_views) -------------------------------------------


class TrainingSessionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=TrainingSession.Kind.choices)
    title = forms.CharField(label=_("Session title"), max_length=200)
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    hours = forms.DecimalField(label=_("Hours"), max_digits=6, decimal_places=1, help_text=_("More than 0 and at most 24, e.g. 3 or 1.5."))
    required = forms.BooleanField(label=_("Attendance required of the invited cadres"), required=False)
    organiser = forms.ModelChoiceField(label=_("Organising unit"), queryset=None)
    materials = forms.CharField(label=_("Materials"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        bounded_picker(self, "organiser", units, kind="units", perm="audits.manage")


class TrainingFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1949, max_value=2200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *TrainingSession.Kind.choices], required=False)


class TrainingYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1949, max_value=2200, required=False)


class TrainingCadreForm(forms.Form):
    cadre = forms.IntegerField(label=_("Cadre"), min_value=1)


class TrainingParticipantForm(forms.Form):
    participant = forms.IntegerField(label=_("Participant"), min_value=1)


class TrainingAttendanceForm(forms.Form):
    participant = forms.IntegerField(label=_("Participant"), min_value=1)
    attendance = forms.ChoiceField(
        label=_("Attendance"),
        choices=[(c, label) for c, label in TrainingParticipant.Attendance.choices if c != TrainingParticipant.Attendance.PENDING],
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class TrainingImportForm(forms.Form):
    workbook = forms.FileField(label=_("Workbook (xlsx)"))


# --- appeals against an audit (views/appeals.py) -------------------------------------------------


class AppealForm(forms.Form):
    level = forms.ChoiceField(label=_("Appeal"), choices=[("review", _("review (复查)")), ("reconsideration", _("reconsideration (复核)"))])
    received_on = forms.DateField(label=_("Contested document received on"))
    applied_on = forms.DateField(label=_("Applied on"))
    grounds = forms.CharField(label=pgettext_lazy("appeal", "Grounds"), max_length=REASON_MAX)


class AppealDecisionForm(forms.Form):
    decided_on = forms.DateField(label=_("Decided on"))
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("upheld", _("upheld (维持)")), ("changed", _("changed (变更)")), ("revoked", _("revoked (撤销)"))]
    )
    note = forms.CharField(label=pgettext_lazy("appeal", "Note on the decision"), max_length=REASON_MAX, required=False)
