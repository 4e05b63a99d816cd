"""The page form for recording a meeting with one agenda item: one row per member of the body
(present or absent with a reason, and the stance on the item). Speaking order follows the
members' order with the principal last."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AgendaItem, Stance

ABSENT = "absent"


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Meeting"), max_length=200)
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    item_title = forms.CharField(label=_("Agenda item"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=AgendaItem.Category.choices)
    amount = forms.DecimalField(label=_("Amount (yuan)"), required=False, min_value=0, max_digits=16, decimal_places=2)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        choices = [*Stance.choices, (ABSENT, _("absent"))]
        for member in members:
            self.fields[f"stance_{member.pk}"] = forms.ChoiceField(label=member.name, choices=choices, initial=Stance.AGREE)
            self.fields[f"reason_{member.pk}"] = forms.CharField(label=_("Reason for absence"), max_length=200, required=False)

    def member_rows(self):
        return [(m, self[f"stance_{m.pk}"], self[f"reason_{m.pk}"]) for m in self.members]
