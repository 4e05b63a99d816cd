"""Forms: parse and label input for the actions (validation of meaning stays in the actions)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jiandu.registry import queries as registry_queries
from jiandu.registry.forms import bounded_picker, tree_filter_field
from jiandu.registry.models import Unit

from .models import Clue, DutyReport, DutySession, Finding, Inquiry, InspectionTour, JointMeeting, JointMember, Talk, TourMember, WorkLog
from .models.dispositions import NEW_MEASURE_CHOICES


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label, required=True, **kw):
    return forms.DateField(label=label, required=required, widget=DateInput(), **kw)


def text_area(label, required=True, rows=4):
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}))


class UserForm(forms.Form):
    """A form that knows its user, to offer only the cadres and units in the user's scope."""

    cadre_perm = "oversight.manage"

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if "cadre" in self.fields:
            cadres = registry_queries.cadres_visible_to(user, self.cadre_perm).order_by("unit__path", "name_pinyin")
            bounded_picker(self, "cadre", cadres, kind="cadres", perm=self.cadre_perm, label=lambda c: f"{c.name}（{c.unit.name}）")


def cadre_field():
    return forms.ModelChoiceField(label=_("Cadre"), queryset=registry_queries.Cadre.objects.none())


def unit_field(label, required=True, queryset=None):
    field = forms.ModelChoiceField(label=label, required=required, queryset=queryset if queryset is not None else Unit.objects.filter(is_active=True))
    return field


def _units(user):
    """The units a form of oversight.manage offers, in tree order (a picker renders the first few)."""
    return registry_queries.units_visible_to(user, "oversight.manage").order_by("path")


# --- dispositions --------------------------------------------------------------------------------


class DispositionForm(UserForm):
    cadre = cadre_field()
    measure = forms.ChoiceField(label=_("Measure"), choices=NEW_MEASURE_CHOICES)
    probation_years = forms.TypedChoiceField(
        label=_("Probation term (years)"), required=False, coerce=int, empty_value=None, choices=[("", "—"), (1, "1"), (2, "2")]
    )
    decided_on = date_field(_("Decision date"))
    deciding_body = forms.CharField(label=_("Deciding body"), max_length=100)
    document_number = forms.CharField(label=_("Document number"), max_length=60, required=False)
    grounds = text_area(_("Grounds"))
    document = forms.FileField(label=_("Decision document"), required=False, help_text=_("PDF, JPEG, PNG, DOCX or XLSX"))


class CorrectDispositionForm(forms.Form):
    measure = forms.ChoiceField(label=_("Measure"), choices=NEW_MEASURE_CHOICES)
    probation_years = forms.TypedChoiceField(
        label=_("Probation term (years)"), required=False, coerce=int, empty_value=None, choices=[("", "—"), (1, "1"), (2, "2")]
    )
    decided_on = date_field(_("Decision date"))
    deciding_body = forms.CharField(label=_("Deciding body"), max_length=100)
    grounds = text_area(_("Grounds"))
    reason = text_area(_("Reason for the correction"), rows=3)


class ReasonForm(forms.Form):
    reason = text_area(_("Reason"), rows=3)


class LiftForm(forms.Form):
    lifted_on = date_field(_("Lifted on"))
    reason = text_area(_("Reason"), rows=3)


class DocumentForm(forms.Form):
    document = forms.FileField(label=_("File"), help_text=_("PDF, JPEG, PNG, DOCX or XLSX"))


class AdmonishmentForm(UserForm):
    cadre_perm = "oversight.confirm"
    cadre = cadre_field()
    decided_on = date_field(_("Decision date"))
    grounds = text_area(_("Grounds"))
    source_type = forms.CharField(label=_("Source"), max_length=40, initial="manual")
    source_id = forms.CharField(label=_("Source reference"), max_length=40)


class YellowCardConfirmForm(forms.Form):
    decided_on = date_field(_("Decision date"))
    deciding_body = forms.CharField(label=_("Deciding body"), max_length=100)
    grounds = text_area(_("Grounds"))
    note = text_area(_("Note for the appraisal record"), required=False, rows=2)


# --- talks -----------------------------------------------------------------------------------------


class TalkDetailsForm(forms.Form):
    talked_on = date_field(_("Date"))
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    talkers = forms.CharField(label=_("Talker(s)"), max_length=200)
    talker_role = forms.CharField(label=_("Talker's role"), max_length=100, required=False)
    recorder = forms.CharField(label=_("Recorder"), max_length=50, required=False)
    reason = text_area(_("Reason"), rows=3)
    summary = text_area(_("Summary"))
    response = text_area(_("The cadre's response"), required=False, rows=3)
    follow_up = text_area(_("Follow-up required"), required=False, rows=2)
    follow_up_due_on = date_field(_("Follow-up due by"), required=False)
    explanation_required = forms.BooleanField(label=_("A written explanation is required"), required=False)


class TalkForm(UserForm, TalkDetailsForm):
    cadre = cadre_field()
    kind = forms.ChoiceField(label=_("Kind"), choices=Talk.Kind.choices)
    field_order = ["cadre", "kind"]


class HoldTalkForm(TalkDetailsForm):
    pass


class FollowUpForm(forms.Form):
    done_on = date_field(_("Completed on"))
    result = text_area(_("Result"), rows=3)


class ExplanationForm(forms.Form):
    file = forms.FileField(label=_("Signed written explanation"), help_text=_("PDF, JPEG, PNG, DOCX or XLSX"))
    submitted_on = date_field(_("Submitted on"))


class SignOffForm(forms.Form):
    signed_off_on = date_field(_("Signed off on"))
    principal = forms.CharField(label=_("Principal"), max_length=50, required=False, help_text=_("Empty: the unit's current principal from the registry"))


# --- inquiries -------------------------------------------------------------------------------------


class InquiryForm(UserForm):
    cadre = cadre_field()
    source = forms.ChoiceField(label=_("Source"), choices=Inquiry.Source.choices)
    source_clue = forms.ModelChoiceField(label=_("Source clue"), queryset=Clue.objects.none(), required=False)
    source_finding = forms.ModelChoiceField(label=_("Source finding"), queryset=Finding.objects.none(), required=False)
    source_note = text_area(_("About the source"), required=False, rows=2)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    questions = text_area(_("Questions (one per line)"), rows=6)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from . import queries

        self.fields["source_clue"].queryset = queries.clues_with_full_access(self.user)
        self.fields["source_clue"].label_from_instance = lambda c: f"{c.number} {c.cadre.name}"
        self.fields["source_finding"].queryset = queries.findings_visible_to(self.user)
        self.fields["source_finding"].label_from_instance = lambda f: f"{f.tour.name}：{f.description[:30]}"


class InquiryDraftForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    questions = text_area(_("Questions (one per line)"), rows=6)
    source_note = text_area(_("About the source"), required=False, rows=2)


class IssueForm(forms.Form):
    issued_on = date_field(_("Issued on"))


class DeliveryForm(forms.Form):
    delivered_on = date_field(_("Delivered on"))


class ReplyForm(forms.Form):
    reply_text = text_area(_("Reply"), rows=6)
    replied_on = date_field(_("Replied on"))
    file = forms.FileField(label=_("Signed reply"), help_text=_("PDF, JPEG, PNG, DOCX or XLSX"))


class AssessForm(UserForm):
    assessment = forms.ChoiceField(label=_("Assessment"), choices=Inquiry.Assessment.choices)
    note = text_area(_("Assessment notes"), required=False, rows=3)
    follow_up = forms.ChoiceField(label=_("Follow-up"), choices=Inquiry.FollowUp.choices)
    talk_due_on = date_field(_("Talk due by"), required=False)
    transfer_from = forms.ModelChoiceField(label=_("Sending department"), queryset=Unit.objects.none(), required=False)
    transfer_to = forms.ModelChoiceField(label=_("Department that verifies"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from jiandu.accounts import access

        members = Unit.objects.filter(pk__in=JointMember.objects.filter(is_active=True).values("unit_id"))
        self.fields["transfer_to"].queryset = members
        self.fields["transfer_from"].queryset = Unit.objects.filter(pk__in=[u.pk for u in members if access.can(self.user, "oversight.clues", u)])


# --- clues -----------------------------------------------------------------------------------------


def member_units():
    return Unit.objects.filter(pk__in=JointMember.objects.filter(is_active=True).values("unit_id"))


class ClueForm(forms.Form):
    cadre = forms.ModelChoiceField(label=_("Cadre"), queryset=registry_queries.Cadre.objects.select_related("unit"))
    from_unit = forms.ModelChoiceField(label=_("Sending department"), queryset=Unit.objects.none())
    source = forms.ChoiceField(label=_("Source"), choices=Clue.Source.choices)
    sensitivity = forms.ChoiceField(label=_("Sensitivity"), choices=Clue.Sensitivity.choices, initial=Clue.Sensitivity.SENSITIVE)
    summary = text_area(_("Summary"))
    meeting = forms.ModelChoiceField(label=_("Passed on at the joint meeting"), queryset=JointMeeting.objects.none(), required=False)
    file = forms.FileField(label=_("Attachment"), required=False, help_text=_("PDF, JPEG, PNG, DOCX or XLSX"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from jiandu.accounts import access

        from . import queries

        self.fields["from_unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in member_units() if access.can(user, "oversight.clues", u)])
        self.fields["meeting"].queryset = queries.meetings_visible_to(user)
        self.fields["cadre"].label_from_instance = lambda c: f"{c.name}（{c.unit.name}）"


class TransferForm(forms.Form):
    to_unit = forms.ModelChoiceField(label=_("Receiving department"), queryset=Unit.objects.none())
    transferred_on = date_field(_("Transferred on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = member_units()


class ReceiptForm(forms.Form):
    received_on = date_field(_("Received on"))


class HandlingForm(forms.Form):
    handling = text_area(_("Handling"))
    result = forms.ChoiceField(label=_("Result"), choices=Clue.Result.choices)
    fed_back_on = date_field(_("Feedback on"))


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label=_("I confirm"), required=True)


class MemberForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Department"), queryset=Unit.objects.filter(is_active=True))
    joined_on = date_field(_("Member since"))


class MeetingForm(forms.Form):
    organiser = forms.ModelChoiceField(label=_("Convened by"), queryset=Unit.objects.none())
    held_on = date_field(_("Date"))
    title = forms.CharField(label=_("Title"), max_length=200)
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    attending_units = forms.ModelMultipleChoiceField(label=_("Departments present"), queryset=Unit.objects.none(), required=False)
    attendees = text_area(_("Attendees"), required=False, rows=2)
    minutes = text_area(_("Minutes"), required=False)
    decisions = text_area(_("Decisions"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        bounded_picker(self, "organiser", _units(user), kind="units", perm="oversight.manage")
        self.fields["attending_units"].queryset = member_units()


# --- tours -----------------------------------------------------------------------------------------


class TourForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=InspectionTour.Kind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    organiser = forms.ModelChoiceField(label=_("Organised by"), queryset=Unit.objects.none())
    planned_start = date_field(_("Period from"))
    planned_end = date_field(_("Period to"))
    targets = forms.ModelMultipleChoiceField(label=_("Target units"), queryset=Unit.objects.none())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        bounded_picker(self, "organiser", _units(user), kind="units", perm="oversight.manage")
        bounded_picker(self, "targets", _units(user), kind="units", perm="oversight.manage")


class TargetForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Target unit"), queryset=Unit.objects.none())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        bounded_picker(self, "unit", _units(user), kind="units", perm="oversight.manage")


class TeamMemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    role = forms.ChoiceField(label=_("Role"), choices=TourMember.Role.choices, initial=TourMember.Role.MEMBER)


class DeclarationForm(forms.Form):
    has_conflict = forms.BooleanField(label=_("Declares a conflict of interest"), required=False)
    declaration = text_area(_("Declaration"), required=False, rows=3)
    declared_on = date_field(_("Declared on"))


class StationForm(forms.Form):
    stationed_on = date_field(_("Stationed on"))


class WorkLogForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    method = forms.ChoiceField(label=_("Method"), choices=WorkLog.Method.choices)
    on = date_field(_("Date"))
    description = text_area(_("Description"), rows=3)
    participants = forms.IntegerField(label=_("People involved"), min_value=0, initial=0)

    def __init__(self, *args, tour=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=tour.targets.values("unit_id"))


class FindingForm(WorkLogForm):
    category = forms.ChoiceField(label=_("Category"), choices=Finding.Category.choices)
    severity = forms.ChoiceField(label=_("Severity"), choices=Finding.Severity.choices, initial=Finding.Severity.MEDIUM)
    evidence = text_area(_("Evidence"), required=False, rows=3)
    cadres = forms.ModelMultipleChoiceField(label=_("Cadres involved"), queryset=registry_queries.Cadre.objects.none(), required=False)

    def __init__(self, *args, tour=None, **kwargs):
        super().__init__(*args, tour=tour, **kwargs)
        for name in ("method", "on", "participants"):
            del self.fields[name]
        self.fields["cadres"].queryset = registry_queries.Cadre.objects.filter(unit__in=tour.targets.values("unit_id")).select_related("unit")


class ReportForm(forms.Form):
    report_text = text_area(_("Report"), rows=8)
    reported_on = date_field(_("Reported on"))
    file = forms.FileField(label=_("Report file"), required=False, help_text=_("PDF, JPEG, PNG, DOCX or XLSX"))


class FeedbackForm(forms.Form):
    feedback_on = date_field(_("Feedback given on"))


class FindingTransferForm(forms.Form):
    cadre = forms.ModelChoiceField(label=_("Cadre"), queryset=registry_queries.Cadre.objects.none())
    from_unit = forms.ModelChoiceField(label=_("Sending department"), queryset=Unit.objects.none())
    to_unit = forms.ModelChoiceField(label=_("Receiving department"), queryset=Unit.objects.none())

    def __init__(self, *args, user=None, finding=None, **kwargs):
        super().__init__(*args, **kwargs)
        from jiandu.accounts import access

        self.fields["cadre"].queryset = finding.cadres.all()
        self.fields["to_unit"].queryset = member_units()
        self.fields["from_unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in member_units() if access.can(user, "oversight.clues", u)])


class ItemForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    finding = forms.ModelChoiceField(label=_("Finding"), queryset=Finding.objects.none(), required=False)
    measure = text_area(_("Measure"), rows=3)
    owner = forms.CharField(label=_("Owner"), max_length=100)
    due_on = date_field(_("Deadline"), required=False, help_text=_("Leave empty for the default deadline after the feedback."))

    def __init__(self, *args, tour=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=tour.targets.values("unit_id"))
        self.fields["finding"].queryset = tour.findings.all()
        self.fields["finding"].label_from_instance = lambda f: f"{f.unit.name}：{f.description[:40]}"


class RectificationReportForm(forms.Form):
    text = text_area(_("Rectification report"), rows=6)
    reported_on = date_field(_("Received on"))
    file = forms.FileField(label=_("Report file"), required=False, help_text=_("PDF, JPEG, PNG, DOCX or XLSX"))


class PublicSummaryForm(forms.Form):
    summary = text_area(_("Public summary of rectification"), required=False, rows=5)
    is_publishable = forms.BooleanField(label=_("Publishable on the portal"), required=False)


# --- duty reports -----------------------------------------------------------------------------------


class PlanDutyForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    unit = forms.ModelChoiceField(label=_("Unit (and units below)"), queryset=Unit.objects.none())
    due_on = date_field(_("Due by"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        bounded_picker(self, "unit", _units(user), kind="units", perm="oversight.manage")


class DutySubmitForm(forms.Form):
    text = text_area(_("Report"), rows=10)
    submitted_on = date_field(_("Submitted on"))
    file = forms.FileField(label=_("Report file"), required=False, help_text=_("PDF, JPEG, PNG, DOCX or XLSX"))


class DutySessionForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    held_on = date_field(_("Date"))
    mode = forms.ChoiceField(label=_("Form"), choices=DutySession.Mode.choices)
    place = forms.CharField(label=_("Place"), max_length=100, required=False)
    audience = text_area(_("Audience"), required=False, rows=2)
    reports = forms.ModelMultipleChoiceField(label=_("Reports heard"), queryset=DutyReport.objects.none())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from . import queries

        bounded_picker(self, "unit", _units(user), kind="units", perm="oversight.manage")
        self.fields["reports"].queryset = queries.duty_reports_visible_to(user).filter(status=DutyReport.Status.SUBMITTED)
        self.fields["reports"].label_from_instance = lambda r: f"{r.year} {r.cadre.name}（{r.unit.name}）"


class EvaluationForm(forms.Form):
    count_good = forms.IntegerField(label=_("good"), min_value=0)
    count_fairly_good = forms.IntegerField(label=_("fairly good"), min_value=0)
    count_average = forms.IntegerField(label=_("average"), min_value=0)
    count_poor = forms.IntegerField(label=_("poor"), min_value=0)


class EvaluationBallotForm(forms.Form):
    """The audience evaluation of a session as a ballot: its title and the voter groups (name and
    number of voters; empty rows are ignored)."""

    GROUP_ROWS = 6

    title = forms.CharField(label=_("Ballot title"), max_length=200, required=False, help_text=_("Empty: “<year>年度述责述廉群众评议（<unit>）”"))
    include_unknown = forms.BooleanField(label=_("Offer “不了解” (does not know)"), required=False, help_text=_("Counted, but not a valid vote for the rates."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, self.GROUP_ROWS + 1):
            self.fields[f"group_{i}_name"] = forms.CharField(label=_("Voter group %(n)d") % {"n": i}, max_length=100, required=False)
            self.fields[f"group_{i}_headcount"] = forms.IntegerField(
                label=_("Voter group %(n)d: number of voters") % {"n": i}, required=False, min_value=1, max_value=100_000
            )

    def action_values(self) -> dict:
        data = self.cleaned_data
        groups = [{"name": data.get(f"group_{i}_name") or "", "headcount": data.get(f"group_{i}_headcount")} for i in range(1, self.GROUP_ROWS + 1)]
        return {"title": data.get("title") or "", "include_unknown": bool(data.get("include_unknown")), "groups": groups}


class OpinionForm(forms.Form):
    opinion = text_area(_("Leadership team's opinion"))
    on = date_field(_("Date"))


# --- list filters --------------------------------------------------------------------------------


class ListFilter(forms.Form):
    q = forms.CharField(label=_("Name or pinyin initials"), required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All"))
    status = forms.ChoiceField(label=_("Status"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args, user=None, statuses=(), kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        tree_filter_field(self, "unit", registry_queries.units_visible_to(user, "oversight.view"))
        if statuses:
            self.fields["status"].choices = [("", _("All")), *statuses]
        else:
            del self.fields["status"]
        if kinds:
            self.fields["kind"].choices = [("", _("All")), *kinds]
        else:
            del self.fields["kind"]
