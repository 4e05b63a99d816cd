"""The list pages of 制度监督 on the house list helper (`jiandu.core.listing`): per list, its filter
form, its whitelisted sort keys and the columns of its xlsx export (`?format=xlsx`: the same rows,
filtered and sorted as on screen, journaled by `core.exports.export_list` under the list's code).

Violations are computed, not stored (violations.py): they are filtered, sorted and paged as a
Python list with the same whitelist and pager."""

import datetime as dt

from django import forms
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from jiandu.core import exports, listing

from . import verdict as rules
from .models import Body, DecisionTask, MatterKind, PublicFeedback, ViolationClue, WeeklyLog

ANY = [("", "—")]


def _text(label):
    return forms.CharField(label=label, required=False, max_length=100)


def _year():
    return forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)


class MeetingFilter(forms.Form):
    q = _text(_("Meeting"))
    body = forms.TypedChoiceField(label=_("Body"), required=False, coerce=int, empty_value=None)
    year = _year()
    void = forms.BooleanField(label=_("With void items only"), required=False)

    def __init__(self, *args, bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = ANY + [(b.pk, b.name) for b in bodies]


class BodyFilter(forms.Form):
    q = _text(_("Name"))
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=ANY + list(Body.Kind.choices))


class EntryFilter(forms.Form):
    q = _text(_("Title"))
    unit = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=ANY + list(MatterKind.choices))
    year = _year()

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = ANY + [(u.pk, u.name) for u in units]


class ViolationFilter(forms.Form):
    kind = forms.ChoiceField(label=_("Violation"), required=False, choices=ANY + list(ViolationClue.Kind.choices))
    unit = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None)
    open = forms.BooleanField(label=_("Not yet handed over only"), required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = ANY + [(u.pk, u.name) for u in units]


class TaskFilter(forms.Form):
    q = _text(_("Task or owner"))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=ANY + list(DecisionTask.Status.choices))
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)


class LogFilter(forms.Form):
    q = _text(_("Leader"))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=ANY + list(WeeklyLog.Status.choices))
    week = forms.DateField(label=_("Week (Monday)"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    late = forms.BooleanField(label=_("Late only"), required=False)


class FeedbackFilter(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=list(PublicFeedback.Status.choices))
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=ANY + list(PublicFeedback.Kind.choices))
    q = _text(_("Subject"))


# --- querysets narrowed by the filters --------------------------------------------------------

BODY_SORTS = {"name": "name", "unit": "unit__path", "kind": "kind", "members": "member_count", "meetings": "meeting_count"}
MEETING_SORTS = {"date": "held_on", "body": "body__name", "title": "title", "void": "void_items"}
ENTRY_SORTS = {"unit": "unit__path", "kind": "kind", "title": "title", "amount": "amount", "executed": "executed_on"}
TASK_SORTS = {"due": "due_on", "unit": "unit__path", "owner": "owner", "status": "status", "decided": "decision__meeting__held_on"}
LOG_SORTS = {"week": "week_start", "leader": "cadre__sort_pinyin", "status": "status", "submitted": "submitted_at"}
FEEDBACK_SORTS = {"received": "received_at", "kind": "kind", "subject": "subject"}


def filter_bodies(qs, *, q="", kind=""):
    qs = qs.annotate(member_count=Count("memberships", distinct=True), meeting_count=Count("meetings", distinct=True))
    if q:
        qs = qs.filter(name__contains=q)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def filter_meetings(qs, *, q="", body=None, year=None, void=False):
    qs = qs.annotate(item_count=Count("items", distinct=True), void_items=Count("items", filter=Q(items__outcome=rules.VOID), distinct=True))
    if q:
        qs = qs.filter(title__contains=q)
    if body:
        qs = qs.filter(body_id=body)
    if year:
        qs = qs.filter(held_on__year=year)
    if void:
        qs = qs.filter(void_items__gt=0)
    return qs


def filter_entries(qs, *, q="", unit=None, kind="", year=None):
    if q:
        qs = qs.filter(title__contains=q)
    if unit:
        qs = qs.filter(unit_id=unit)
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(executed_on__year=year)
    return qs


def filter_tasks(qs, *, today: dt.date, q="", status="", overdue=False):
    if q:
        qs = qs.filter(Q(description__contains=q) | Q(owner__contains=q))
    if status:
        qs = qs.filter(status=status)
    if overdue:  # DecisionTask.is_overdue: open and past its due date
        qs = qs.filter(status=DecisionTask.Status.OPEN, due_on__lt=today)
    return qs


def filter_logs(qs, *, q="", status="", week=None, late=False):
    if q:
        qs = qs.filter(cadre__name__contains=q)
    if status:
        qs = qs.filter(status=status)
    if week:
        qs = qs.filter(week_start=week)
    if late:
        qs = qs.filter(is_late=True)
    return qs


def filter_feedback(qs, *, status="", kind="", q=""):
    qs = qs.filter(status=status or PublicFeedback.Status.PENDING)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(subject__contains=q)
    return qs


def sorted_rows(request, qs, sorts, default):
    """The rows of an export: the whole filtered list in the order the page shows."""
    return listing.order_by_sort(qs, sorts, request.GET.get("sort"), default)


# --- violations: a computed list ----------------------------------------------------------------

VIOLATION_SORTS = {
    "unit": lambda v: v.unit.path,
    "kind": lambda v: v.kind,
    "subject": lambda v: (v.entry or v.item).title,
}


def filter_violations(found, *, kind="", unit=None, open=False):
    return [v for v in found if (not kind or v.kind == kind) and (not unit or v.unit.pk == unit) and (not open or v.handed is None)]


def sort_violations(request, found, default="unit"):
    sort = listing.sort_key(request.GET.get("sort"), VIOLATION_SORTS, default)
    ordered = sorted(found, key=lambda v: (VIOLATION_SORTS[sort.lstrip("-")](v), v.key))
    return list(reversed(ordered)) if sort.startswith("-") else ordered


def violation_page(request, found, default="unit") -> listing.ListPage:
    ordered = sort_violations(request, found, default)
    return listing.ListPage(page=listing.paginate(request, ordered), sort_links=listing.sort_links(request, VIOLATION_SORTS))


# --- export columns -----------------------------------------------------------------------------

BODY_COLUMNS = [
    exports.Column("name", _("Body"), width=24),
    exports.Column("unit", _("Unit"), width=20),
    exports.Column("kind", _("Kind"), exports.CHOICE, choices=Body.Kind.choices, width=20),
    exports.Column("principal", _("Principal")),
    exports.Column("members", _("Members"), exports.INT),
    exports.Column("meetings", _("Meetings"), exports.INT),
]

MEETING_COLUMNS = [
    exports.Column("date", _("Date"), exports.DATE),
    exports.Column("unit", _("Unit"), width=20),
    exports.Column("body", _("Body"), width=20),
    exports.Column("title", _("Meeting"), width=30),
    exports.Column("items", _("Agenda items"), exports.INT),
    exports.Column("void", _("Void items"), exports.INT),
]

TASK_COLUMNS = [
    exports.Column("task", _("Task"), width=40),
    exports.Column("decision", _("Decision"), width=30),
    exports.Column("decided", _("Decided on"), exports.DATE),
    exports.Column("unit", _("Unit"), width=20),
    exports.Column("owner", _("Owner")),
    exports.Column("due", _("Due on"), exports.DATE),
    exports.Column("status", _("Status"), exports.CHOICE, choices=DecisionTask.Status.choices),
    exports.Column("overdue", _("Overdue"), exports.BOOL),
]

VIOLATION_COLUMNS = [
    exports.Column("unit", _("Unit"), width=20),
    exports.Column("violation", _("Violation"), width=24),
    exports.Column("subject", _("Subject"), width=30),
    exports.Column("why", _("Why"), width=60),
    exports.Column("clue", _("Handed over as clue")),
]

LOG_COLUMNS = [
    exports.Column("leader", _("Leader")),
    exports.Column("week", _("Week (Monday)"), exports.DATE),
    exports.Column("status", _("Status"), exports.CHOICE, choices=WeeklyLog.Status.choices),
    exports.Column("submitted", _("Submitted at")),
    exports.Column("late", _("Late"), exports.BOOL),
    exports.Column("on_behalf", _("Entered by the office"), exports.BOOL),
]

# The sender's contact never leaves in a list: it is read on the message's page only.
FEEDBACK_COLUMNS = [
    exports.Column("received", _("Received")),
    exports.Column("kind", _("Kind"), exports.CHOICE, choices=PublicFeedback.Kind.choices),
    exports.Column("subject", _("Subject"), width=30),
    exports.Column("leader", _("About the leader")),
    exports.Column("status", _("Status"), exports.CHOICE, choices=PublicFeedback.Status.choices),
]
