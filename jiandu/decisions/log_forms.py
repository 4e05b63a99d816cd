"""Forms of 阳光周志 (weekly logs), leaders' public profiles and feedback moderation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .log_actions import TEXT_LIMIT


class LogForm(forms.Form):
    cadre = forms.TypedChoiceField(label=_("Leader"), coerce=int)
    week_start = forms.TypedChoiceField(label=_("Week"), coerce=str)
    this_week = forms.CharField(label=_("This week's work"), max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 8}))
    next_week = forms.CharField(label=_("Next week's plan"), max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, leaders, weeks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].choices = [(c.pk, c.name) for c in leaders]
        self.fields["week_start"].choices = [(w.isoformat(), label) for w, label in weeks]


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("What to revise"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ProfileForm(forms.Form):
    portfolio = forms.CharField(label=_("Portfolio (分管工作)"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    office_phone = forms.CharField(label=_("Public office phone"), max_length=30, required=False)
    office_address = forms.CharField(label=_("Public office address"), max_length=200, required=False)
    mailbox = forms.CharField(label=_("Public mailbox"), max_length=100, required=False)


class ModerateForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("publish", _("publish")), ("withhold", _("do not publish"))], widget=forms.RadioSelect)
    reply = forms.CharField(label=_("Reply (published with the message)"), max_length=TEXT_LIMIT, required=False, widget=forms.Textarea(attrs={"rows": 4}))
    note = forms.CharField(label=_("Internal note"), max_length=200, required=False)


class FeedbackClueForm(forms.Form):
    to_unit = forms.TypedChoiceField(label=_("To"), coerce=int)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].choices = [(u.pk, u.name) for u in departments]
