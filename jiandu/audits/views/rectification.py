"""Pages of a finding's rectification items: add an item, record progress with evidence, verify
and close or return, record a follow-up visit, download evidence (the shared forms and templates
of jiandu.core.rectification)."""

import datetime as dt

from django import forms as django_forms
from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.action_forms import action_form
from jiandu.core.rectification import display, evidence
from jiandu.core.rectification import forms as rectification_forms

from .. import actions, queries
from ..models import DepartureAudit

TEMPLATE = "rectification/form.html"


def annotate_items(user, items, *, today: dt.date, can_manage: bool) -> list:
    """The items of a finding for the shared partial, with the links the user may follow."""

    def links(item):
        if not can_manage:
            return []
        step = lambda name: reverse("audits:rectification_step", args=[item.pk, name])  # noqa: E731
        stage = item.finding.audit.stage
        out = []
        if stage == DepartureAudit.Stage.REPORTED and item.can_report_progress():
            out.append((_("Record progress"), step("progress")))
        if stage == DepartureAudit.Stage.REPORTED and item.can_verify():
            out += [(_("Verify and close"), step("close")), (_("Return for more work"), step("return"))]
        if item.can_record_visit():
            out.append((_("Record a follow-up visit"), step("visit")))
        return out

    return display.annotate(items, today=today, links=links, evidence_url=lambda r: reverse("audits:rectification_evidence", args=[r.pk]))


class AuditItemForm(rectification_forms.RectificationItemForm):
    owner_cadre = django_forms.TypedChoiceField(label=gettext_lazy("Rectification owner"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, audit, **kwargs):
        super().__init__(*args, **kwargs)
        from jiandu.registry.models import Cadre

        cadres = Cadre.objects.filter(unit__path__startswith=audit.unit.path).order_by("name")[:500]
        self.fields["owner_cadre"].choices = [("", "—")] + [(c.pk, c.name) for c in cadres]
        self.order_fields(["measure", "owner_cadre", "owner", "due_on"])


def _back(finding) -> str:
    return reverse("audits:audit_detail", args=[finding.audit_id])


@login_required
def finding_item_add(request, pk):
    """Add a rectification item to a finding."""
    finding = queries.get_finding_for(request.user, pk)
    if not access.can(request.user, "audits.manage", finding.audit.unit):
        raise access.NotVisible()
    form = AuditItemForm(request.POST or None, audit=finding.audit)

    def call(data):
        from jiandu.registry.models import Cadre

        owner = None
        if data["owner_cadre"]:
            owner = Cadre.objects.filter(pk=data["owner_cadre"]).first()
        return actions.add_rectification_item(
            actor=request.user, finding=finding, measure=data["measure"], owner=owner, owner_name=data["owner"], due_on=data["due_on"]
        )

    return action_form(
        request,
        form=form,
        call=call,
        success=_("The rectification item is added."),
        back=_back(finding),
        template=TEMPLATE,
        context={"title": _("Add a rectification item")},
    )


@login_required
def rectification_step(request, pk, step):
    """One page per action on an item: progress, close, return, visit."""
    item = queries.get_rectification_item_for(request.user, pk)
    if not access.can(request.user, "audits.manage", item.finding.audit.unit):
        raise access.NotVisible()
    u, today = request.user, dt.date.today()
    data, files = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    steps = {
        "progress": (
            lambda: rectification_forms.ProgressReportForm(data, files, initial={"on": today}),
            _("Record progress"),
            lambda d: actions.record_progress(actor=u, item=item, progress=d["progress"], on=d["on"], evidence=d.get("evidence")),
            _("The progress report is recorded."),
        ),
        "close": (
            lambda: rectification_forms.VerifyForm(data),
            _("Verify and close the item (销号)"),
            lambda d: actions.close_item(actor=u, item=item, note=d["note"]),
            _("The item is verified and closed."),
        ),
        "return": (
            lambda: rectification_forms.ReturnForm(data),
            _("Return for more work"),
            lambda d: actions.return_item(actor=u, item=item, note=d["note"]),
            _("The item is returned for more work."),
        ),
        "visit": (
            lambda: rectification_forms.FollowUpVisitForm(data, initial={"visited_on": today}),
            _("Record a follow-up visit"),
            lambda d: actions.record_visit(actor=u, item=item, **d),
            _("The follow-up visit is recorded."),
        ),
    }
    if step not in steps:
        raise access.NotVisible()
    form, title, call, success = steps[step]
    return action_form(request, form=form(), call=call, success=success, back=_back(item.finding), template=TEMPLATE, context={"title": title, "item": item})


@login_required
def rectification_evidence(request, pk):
    """An evidence file of a progress report, to a user who may read the audit: as a download."""
    update = queries.get_rectification_update_for(request.user, pk)
    response = evidence.response(update)
    if response is None:
        raise access.NotVisible()
    audit = update.item.finding.audit
    journal.record(
        "audits.rectification.evidence_downloaded", actor=request.user, target=audit, unit=audit.unit, cadre=audit.cadre, data={"item": update.item_id}
    )
    return response
