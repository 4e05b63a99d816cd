"""Forms parse input only; every rule lives in accounts.actions."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Role


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}))
    password = forms.CharField(label=_("Password"), max_length=256, strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("6-digit code"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "pattern": r"[0-9 ]*", "size": 8}),
    )


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("Current password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    new_password = forms.CharField(label=_("New password"), strip=False, max_length=256, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    new_password2 = forms.CharField(
        label=_("New password again"), strip=False, max_length=256, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", _("The two new passwords differ."))
        return data


class UserFilterForm(forms.Form):
    STATUSES = [("", _("All")), ("active", _("active")), ("disabled", _("disabled")), ("locked", _("locked"))]

    q = forms.CharField(label=_("Username or name"), required=False, max_length=150)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUSES)
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("All"))] + list(Role.choices))


class UserCreateForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150, help_text=_("Letters, digits and . _ - @; used to log in."))
    full_name = forms.CharField(label=_("Full name"), max_length=100)
    cadre_id = forms.IntegerField(
        label=_("Linked cadre record number"),
        required=False,
        min_value=1,
        max_value=2**63 - 1,  # the column's range: a larger number would fail in the database
        help_text=_("Only for self service: the cadre's record number, given by the organisation department."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.TextInput(attrs={"size": 40}))


class RoleAssignForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    include_descendants = forms.BooleanField(label=_("and units below"), required=False, initial=True)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        # "　" (ideographic space) indents the tree; the empty choice is the whole district.
        self.fields["unit"].choices = [("", _("Whole district"))] + [(str(u.pk), "　" * u.depth + u.name) for u in units]


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100, help_text=_('What the token is for, e.g. "monthly report script".'))
    read_only = forms.BooleanField(label=_("Read-only"), required=False, help_text=_("The token can read data but not change anything."))
