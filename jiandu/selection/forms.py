"""Page forms of selection cases. Every text has a max_length; dates use date inputs."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jiandu.decisions.models import Stance
from jiandu.registry.forms import bounded_picker
from jiandu.registry.models import Cadre, Position

from .models import Candidate, Stage, VettingRequest

DATE = forms.DateInput(attrs={"type": "date"})


def _date(label):
    return forms.DateField(label=label, widget=DATE)


def _text(label, max_length=4000, required=True):
    return forms.CharField(label=label, max_length=max_length, required=required, widget=forms.Textarea(attrs={"rows": 3}))


class StagePeopleForm(forms.Form):
    held_on = _date(_("Date"))
    handler = forms.CharField(label=_("Handled by (经办人)"), max_length=50)
    responsible = forms.CharField(label=_("Responsible (负责人)"), max_length=50)
    participants = _text(_("Participants"), 2000, required=False)


class CaseForm(StagePeopleForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    positions = forms.ModelMultipleChoiceField(label=_("Positions"), queryset=Position.objects.none())
    reasons = _text(_("Reasons"))
    qualifications = _text(_("Qualifications"), required=False)
    scope = _text(_("Scope"), required=False)
    proposed_by = forms.CharField(label=_("Proposed by"), max_length=100)
    field_order = ["title", "positions", "reasons", "qualifications", "scope", "proposed_by", "held_on", "handler", "responsible", "participants"]

    def __init__(self, *args, positions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["positions"].queryset = positions


class StageForm(StagePeopleForm):
    result = _text(_("Result"))


class CandidateForm(forms.Form):
    cadre = forms.ModelChoiceField(label=_("Cadre"), queryset=Cadre.objects.none())
    position = forms.ModelChoiceField(label=_("Proposed post"), queryset=Position.objects.none())
    listed_on = _date(_("Listed on"))
    recommendation_votes = forms.IntegerField(label=_("Recommendation votes"), required=False, min_value=0, max_value=100000)
    emigration_exception = forms.CharField(
        label=_("Reason the emigration block does not apply"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only where an approval allows it (2019 条例 art. 24 (5)); the head of the organisation department records it with the approval's reference."
        ),
    )
    emigration_approval_ref = forms.CharField(label=_("Approval reference of the exception"), required=False, max_length=100)

    def __init__(self, *args, cadres, positions, **kwargs):
        super().__init__(*args, **kwargs)
        bounded_picker(self, "cadre", cadres, kind="cadres", perm="registry.view")
        self.fields["position"].queryset = positions


class CanvassingForm(forms.Form):
    cadre = forms.ModelChoiceField(label=_("Cadre"), queryset=Cadre.objects.none())
    found_on = _date(_("Date"))
    details = _text(_("Details"))

    def __init__(self, *args, cadres, **kwargs):
        super().__init__(*args, **kwargs)
        bounded_picker(self, "cadre", cadres, kind="cadres", perm="registry.view")


class ApprovalForm(forms.Form):
    approved_on = _date(_("Approved on"))
    reference = forms.CharField(label=_("Approval reference"), max_length=100)


class SendVettingForm(forms.Form):
    sent_on = _date(_("Sent on"))


class ReplyForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=VettingRequest.Result.choices)
    details = _text(_("Details"), required=False)
    replied_on = _date(_("Replied on"))


class ReasonForm(forms.Form):
    reason = _text(_("Reason"))


class ResolutionForm(forms.Form):
    resolution = _text(_("How the problem was verified and resolved"))


class DecisionForm(forms.Form):
    held_on = _date(_("Date of the meeting"))
    handler = forms.CharField(label=_("Handled by (经办人)"), max_length=50)
    ABSENT = "absent"

    def __init__(self, *args, members, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.members, self.candidates = members, candidates
        choices = [*Stance.choices, (self.ABSENT, _("absent"))]
        for candidate in candidates:
            for member in members:
                self.fields[f"s_{candidate.pk}_{member.pk}"] = forms.ChoiceField(
                    label=f"{candidate.cadre.name} · {member.name}", choices=choices, initial=Stance.AGREE
                )

    def grid(self):
        return [(c, [(m, self[f"s_{c.pk}_{m.pk}"]) for m in self.members]) for c in self.candidates]


class NoticeForm(StagePeopleForm):
    starts_on = _date(_("Notice starts on"))
    ends_on = _date(_("Notice ends on"))
    result = _text(_("Where and how it was published"))
    field_order = ["starts_on", "ends_on", "result", "handler", "responsible"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["held_on"]
        del self.fields["participants"]


class ObjectionForm(forms.Form):
    candidate = forms.ModelChoiceField(label=_("Candidate"), queryset=Candidate.objects.none())
    received_on = _date(_("Received on"))
    content = _text(_("Objection"))

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].queryset = candidates


class ResolveObjectionForm(forms.Form):
    verification = _text(_("Verification and handling"))
    resolved_on = _date(_("Resolved on"))


class AppointForm(forms.Form):
    started_on = _date(_("Takes office on"))
    handler = forms.CharField(label=_("Handled by (经办人)"), max_length=50)
    talkers = forms.CharField(label=_("Talks held by"), max_length=200)
    talked_on = _date(_("Talks held on"))
    exception_reason = _text(_("Reason to go on despite tenure or avoidance findings (only if any)"), required=False)


class ProbationForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=Candidate.Probation.choices)
    reviewed_on = _date(_("Reviewed on"))


GENERIC_STAGE_CHOICES = [(s, label) for s, label in Stage.choices if s in ("recommendation", "candidates", "vetting", "inspection", "consultation")]


class FileReviewForm(forms.Form):
    """干部档案必审: what the personnel file shows (pre-filled with the registry's values)."""

    reviewed_on = _date(_("Reviewed on"))
    birth_on = _date(_("Birth date in the file"))
    party_join_on = forms.DateField(label=_("Joined the party (file)"), widget=DATE, required=False)
    work_start_on = forms.DateField(label=_("Started work (file)"), widget=DATE, required=False)
    education = forms.ChoiceField(label=_("Education in the file"), choices=Cadre.Education.choices)
    work_history = _text(_("Differences in the work history (empty: consistent)"), required=False)
    identity = _text(_("Differences in the cadre identity (empty: consistent)"), required=False)
    handling = _text(_("How the differences were settled (认定)"), required=False)
