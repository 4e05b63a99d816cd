"""Registry forms: they parse and show problems next to fields; every write is an action.

Cadre, unit and position pickers render only a short list of options (the current choice and a
few likely ones) and search the rest through an htmx fragment; validation still accepts any row
in the user's scope.
"""

from django import forms
from django.core.validators import MaxValueValidator
from django.db.backends.base.operations import BaseDatabaseOperations
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jiandu.core.masking import mask_birth_date

from . import actions, queries
from .models import Cadre, LeadershipLevel, Position, Rank, Relative, Tenure, Unit

PICKER_LIMIT = 30


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _fields(model, names, **widgets):
    fields = forms.fields_for_model(model, fields=names, widgets=widgets)
    for name, field in fields.items():
        limits = BaseDatabaseOperations.integer_field_ranges.get(model._meta.get_field(name).get_internal_type())
        if isinstance(field, forms.IntegerField) and limits:
            # The column's range on every supported database: beyond it is a form error here, not a
            # database error on save (PostgreSQL refuses 40000 in a smallint; SQLite a 25-digit number).
            field.max_value = limits[1]
            field.validators.append(MaxValueValidator(limits[1]))
            field.widget.attrs.setdefault("max", limits[1])
    return fields


def unit_label(unit: Unit) -> str:
    return "　" * unit.depth + unit.name


class PickerMixin:
    """Limit a picker field's rendered options to a few rows; searching fetches the others."""

    def limit_options(self, name: str, rows, label=str):
        field = self.fields[name]
        chosen = self[name].value() if self.is_bound or self.initial.get(name) else None
        options = list(rows)
        if chosen not in (None, "") and str(chosen) not in {str(row.pk) for row in options}:
            current = field.queryset.filter(pk=chosen if str(chosen).isascii() and str(chosen).isdigit() else None).first()
            if current is not None:
                options.insert(0, current)
        field.widget.choices = [("", "—")] + [(row.pk, label(row)) for row in options]


def bounded_picker(form, name: str, queryset, *, kind: str, perm: str = "", rows=None, label=None) -> None:
    """Make `form`'s cadre or unit field `name` (single or multiple choice) a picker over
    `queryset`: any row of it is accepted when posted, but only PICKER_LIMIT rows (`rows`, else the
    first of the queryset) and the current choice(s) are rendered; a search box fetches others from
    the registry's picker (`kind` "cadres" or "units") in the scope of `perm` (one of
    views.pickers.PICKER_PERMS)."""
    field = form.fields[name]
    field.queryset = queryset
    label = label or (cadre_label if kind == "cadres" else unit_label)
    field.label_from_instance = label
    url = reverse_lazy(f"registry:pick_{kind}")
    field.picker_url = f"{url}?perm={perm}" if perm else url
    multiple = isinstance(field, forms.ModelMultipleChoiceField)
    if form.is_bound:
        chosen = form.data.getlist(form.add_prefix(name)) if multiple and hasattr(form.data, "getlist") else form.data.get(form.add_prefix(name))
    else:
        chosen = form.initial.get(name, field.initial)
    chosen = chosen if isinstance(chosen, list | tuple) else [chosen]
    chosen_pks = {str(getattr(value, "pk", value)) for value in chosen if value not in (None, "")}
    chosen_pks = {pk for pk in chosen_pks if pk.isascii() and pk.isdigit()}
    options = list(rows if rows is not None else queryset[:PICKER_LIMIT])
    missing = chosen_pks - {str(row.pk) for row in options}
    if missing:
        options = list(queryset.filter(pk__in=sorted(missing, key=int)[:PICKER_LIMIT])) + options
    empty = [] if multiple or field.empty_label is None else [("", field.empty_label)]
    field.widget.choices = empty + [(row.pk, label(row)) for row in options]


def tree_filter_field(form, name: str, visible) -> None:
    """A list filter's unit field over the units in `visible`: any of them is accepted, but the
    options rendered are a bounded part of the tree (queries.opened_units: the top units, their
    sub-units and those of each unit on the way to the chosen one), indented by depth. A province
    of 2,000 units renders some dozens; filtering by a unit opens the next level."""
    field = form.fields[name]
    field.queryset = visible
    chosen = form.data.get(name) if form.is_bound else form.initial.get(name)
    units, _opened = queries.opened_units(visible, getattr(chosen, "pk", chosen))
    empty = [("", field.empty_label)] if field.empty_label is not None else []
    field.widget.choices = empty + [(unit.pk, "\u3000" * unit.depth + unit.name) for unit in units.only("pk", "name", "depth", "path")]


# --- units --------------------------------------------------------------------------------------

_UNIT = _fields(Unit, ["name", "short_name", "kind", "order", "is_active"])


class UnitForm(forms.Form):
    name = _UNIT["name"]
    short_name = _UNIT["short_name"]
    kind = _UNIT["kind"]
    order = _UNIT["order"]
    is_active = _UNIT["is_active"]

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = _("Unit name")
        if "is_active" in self.fields:
            self.fields["is_active"].label = _("Active")
        self.fields["order"].help_text = _("Smaller numbers come first among units with the same parent.")
        if not editing:
            del self.fields["is_active"]


# --- cadres -------------------------------------------------------------------------------------

_CADRE = _fields(
    Cadre,
    list(actions.CADRE_FIELDS),
    birth_on=DateInput(),
    work_start_on=DateInput(),
    party_join_on=DateInput(),
)


class CadreForm(PickerMixin, forms.Form):
    """New cadre (with the unit) or changes to one (without: moving is its own action)."""

    name = _CADRE["name"]
    gender = _CADRE["gender"]
    ethnicity = _CADRE["ethnicity"]
    birth_on = _CADRE["birth_on"]
    native_place = _CADRE["native_place"]
    id_number = _CADRE["id_number"]
    phone = _CADRE["phone"]
    political_status = _CADRE["political_status"]
    education = _CADRE["education"]
    leadership_level = _CADRE["leadership_level"]
    rank = _CADRE["rank"]
    work_start_on = _CADRE["work_start_on"]
    party_join_on = _CADRE["party_join_on"]
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    managed_by_district = _CADRE["managed_by_district"]
    status = _CADRE["status"]

    def __init__(self, *args, user, cadre: Cadre | None = None, show_sensitive: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.cadre = cadre
        self.show_sensitive = show_sensitive
        # Plain "Name" is 名称 in an earlier catalogue (accounts), which wins over ours: a person's name has its own context.
        self.fields["name"].label = pgettext_lazy("person", "Name")
        self.fields["id_number"].help_text = _("18 characters (GB 11643); the last may be X.")
        self.fields["phone"].help_text = _("11-digit mobile number.")
        if cadre is None:
            del self.fields["status"]
            units = queries.units_visible_to(user, "registry.manage").filter(is_active=True)
            self.fields["unit"].queryset = units
            self.fields["unit"].label_from_instance = unit_label
            self.fields["unit"].picker_url = reverse_lazy("registry:pick_units")
            self.limit_options("unit", units.order_by("path")[:200], unit_label)
        else:
            del self.fields["unit"]
            if not show_sensitive:
                # Who may not read the ID number and phone may replace them, never see them.
                for name in ("id_number", "phone"):
                    self.fields[name].required = False
                    self.fields[name].help_text = _("Hidden from you. Leave empty to keep the recorded value, or type a new one.")
                    self.initial[name] = ""

    def clean(self):
        data = super().clean()
        values = self.action_values(data)
        # The action's own validation, run here to show every problem at once beside its field.
        for field, message in actions.validate_cadre_values(values, existing=self.cadre).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        return data

    def action_values(self, data=None) -> dict:
        data = self.cleaned_data if data is None else data
        values = {name: data.get(name) for name in self.fields if name != "unit" and name in data}
        if self.cadre is not None and not self.show_sensitive:
            for name in ("id_number", "phone"):
                if not values.get(name):
                    values.pop(name, None)
        return values


class MoveCadreForm(PickerMixin, forms.Form):
    unit = forms.ModelChoiceField(label=_("New unit"), queryset=Unit.objects.none())

    def __init__(self, *args, user, cadre: Cadre, **kwargs):
        super().__init__(*args, **kwargs)
        units = queries.units_visible_to(user, "registry.manage").filter(is_active=True).exclude(pk=cadre.unit_id)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = unit_label
        self.fields["unit"].picker_url = reverse_lazy("registry:pick_units")
        self.limit_options("unit", units.order_by("path")[:200], unit_label)


_RELATIVE = _fields(
    Relative, ["relation", "name", "birth_on", "political_status", "work_unit", "post", "emigrated_on"], birth_on=DateInput(), emigrated_on=DateInput()
)


class RelativeForm(forms.Form):
    relation = _RELATIVE["relation"]
    name = _RELATIVE["name"]
    birth_on = _RELATIVE["birth_on"]
    political_status = _RELATIVE["political_status"]
    work_unit = _RELATIVE["work_unit"]
    post = _RELATIVE["post"]
    emigrated_on = _RELATIVE["emigrated_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = pgettext_lazy("person", "Name")
        self.fields["relation"].choices = [("", "—"), *Relative.Relation.choices]  # like the other pickers, not "---------"


class RemoveRelativeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200, help_text=_("For example: recorded by mistake, divorce, death."))


# --- positions ----------------------------------------------------------------------------------

_POSITION = _fields(
    Position,
    ["title", "kind", "level", "is_principal", "has_financial_authority", "headcount", "portfolio", "public_contact", "order", "is_active"],
    portfolio=forms.Textarea(attrs={"rows": 3}),
)


class PositionForm(forms.Form):
    title = _POSITION["title"]
    kind = _POSITION["kind"]
    level = _POSITION["level"]
    headcount = _POSITION["headcount"]
    is_principal = _POSITION["is_principal"]
    has_financial_authority = _POSITION["has_financial_authority"]
    portfolio = _POSITION["portfolio"]
    public_contact = _POSITION["public_contact"]
    order = _POSITION["order"]
    is_active = _POSITION["is_active"]

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["headcount"].min_value = 1
        self.fields["headcount"].widget.attrs["min"] = 1
        self.fields["is_principal"].help_text = _("The unit's principal (一把手): ending the tenure starts an economic audit and a handover.")
        self.fields["has_financial_authority"].help_text = _("Ending the tenure is a departure, like a principal's.")
        self.fields["portfolio"].help_text = _("The areas this leader is in charge of (分管工作); published with the leadership team.")
        self.fields["public_contact"].help_text = _("Office telephone or mailbox shown to the public; never a personal mobile number.")
        if editing:
            self.fields["is_active"].label = _("Active")
        else:
            del self.fields["is_active"]


# --- tenures ------------------------------------------------------------------------------------

_TENURE = _fields(Tenure, ["started_on", "start_method", "is_acting", "note", "ended_on", "end_reason"], started_on=DateInput(), ended_on=DateInput())


class _AppointFields(PickerMixin, forms.Form):
    started_on = _TENURE["started_on"]
    start_method = _TENURE["start_method"]
    is_acting = _TENURE["is_acting"]
    note = _TENURE["note"]
    move_cadre_to_unit = forms.BooleanField(
        label=_("Move the cadre to this position's unit"),
        required=False,
        initial=True,
        help_text=_("Usual for a main post; leave unticked for a concurrent post."),
    )
    exception_reason = forms.CharField(
        label=_("Reason to go on despite the warnings"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when the appointment is refused for a tenure limit or an avoidance conflict: record the decision that allows it."),
    )

    field_order = ["cadre", "position", "started_on", "start_method", "is_acting", "move_cadre_to_unit", "note", "exception_reason"]


def cadre_label(cadre: Cadre) -> str:
    """Name, unit and year of birth: pickers are open to every reader, the full birth date is not
    (docs/decisions/0007)."""
    return f"{cadre.name}（{cadre.unit.name}，{mask_birth_date(cadre.birth_on)}）"


def position_label(position: Position) -> str:
    return f"{position.unit.name} · {position.title}"


class AppointForm(_AppointFields):
    """Appoint a cadre (picked) to a given position."""

    cadre = forms.ModelChoiceField(label=_("Cadre"), queryset=Cadre.objects.none())

    def __init__(self, *args, user, position: Position, **kwargs):
        super().__init__(*args, **kwargs)
        cadres = queries.cadres_visible_to(user).filter(status=Cadre.Status.SERVING)
        field = self.fields["cadre"]
        field.queryset = cadres
        field.label_from_instance = cadre_label
        field.picker_url = reverse_lazy("registry:pick_cadres")
        field.help_text = _("Type a name, its pinyin or initials (e.g. zwm) to search every serving cadre you may see.")
        self.limit_options("cadre", cadres.filter(unit=position.unit).order_by("name_pinyin")[:PICKER_LIMIT], cadre_label)


class AppointCadreForm(_AppointFields):
    """Appoint a given cadre to a position (picked)."""

    position = forms.ModelChoiceField(label=_("Position"), queryset=Position.objects.none())

    def __init__(self, *args, user, cadre: Cadre, **kwargs):
        super().__init__(*args, **kwargs)
        positions = queries.positions_visible_to(user, "registry.manage").filter(is_active=True)
        field = self.fields["position"]
        field.queryset = positions
        field.label_from_instance = position_label
        field.picker_url = reverse_lazy("registry:pick_positions")
        field.help_text = _("Type part of the title or the unit's name to search.")
        self.limit_options("position", positions.filter(unit=cadre.unit)[:PICKER_LIMIT], position_label)


class EndTenureForm(forms.Form):
    ended_on = forms.DateField(label=_("End date"), widget=DateInput())
    end_reason = forms.ChoiceField(label=_("End reason"), choices=[("", "—"), *Tenure.EndReason.choices])
    confirm = forms.BooleanField(label=_("I have checked the date and reason; a tenure cannot be reopened once ended."))


# --- lists --------------------------------------------------------------------------------------


class CadreFilter(forms.Form):
    q = forms.CharField(label=_("Name, pinyin initials or ID digits"), required=False, max_length=50)
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *Cadre.Status.choices])
    leadership_level = forms.ChoiceField(label=_("Leadership level"), required=False, choices=[("", _("All")), *LeadershipLevel.choices])
    rank = forms.ChoiceField(label=_("Rank"), required=False, choices=[("", _("All")), *Rank.choices])
    sort = forms.CharField(required=False, max_length=20)


class PositionFilter(forms.Form):
    q = forms.CharField(label=_("Title or unit"), required=False, max_length=50)
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All")), *Position.Kind.choices])
    flag = forms.ChoiceField(label=_("Flags"), required=False, choices=[("", _("All")), ("principal", _("principal")), ("financial", _("financial authority"))])
    active = forms.ChoiceField(label=_("Active"), required=False, choices=[("", _("All")), ("yes", pgettext_lazy("state", "active")), ("no", _("inactive"))])
    sort = forms.CharField(required=False, max_length=20)


class TenureFilter(forms.Form):
    q = forms.CharField(label=_("Cadre or position"), required=False, max_length=50)
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("All")), ("current", _("current")), ("ended", _("ended"))])
    started_from = forms.DateField(label=_("Started from"), required=False, widget=DateInput())
    started_to = forms.DateField(label=_("Started until"), required=False, widget=DateInput())
    sort = forms.CharField(required=False, max_length=20)


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file contains"))
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}),
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
