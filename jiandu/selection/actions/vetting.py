"""Pre-appointment vetting by other departments (征求意见): requests, replies, resolution and override."""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jiandu.accounts import access
from jiandu.core import journal, notifications
from jiandu.core.calendar import add_working_days
from jiandu.core.errors import ActionError
from jiandu.core.practice import get_setting
from jiandu.registry.models import Unit

from .. import queries
from ..models import (
    Candidate,
    SelectionCase,
    Stage,
    VettingRequest,
)
from .base import _date, _lock, _require_open, _require_recorded, _text


def vetting_departments() -> list[Unit]:
    names = [str(n).strip() for n in (get_setting("selection.vetting_departments") or []) if str(n).strip()]
    units = []
    for name in names:
        unit = Unit.objects.filter(short_name=name).order_by("path").first() or Unit.objects.filter(name=name).order_by("path").first()
        if unit is not None and unit not in units:
            units.append(unit)
    return units


@transaction.atomic
def send_vetting(*, actor, case: SelectionCase, sent_on) -> list[VettingRequest]:
    """Send each candidate's vetting request to every vetting department (setting), due in the
    setting's working days. Requests already sent are kept."""
    case = _lock(case)
    access.require(actor, "selection.manage", case.unit)
    doing = _("Sending vetting requests")
    _require_recorded(case, Stage.CANDIDATES, doing)
    _require_open(case, Stage.VETTING, doing)
    sent_on = _date(sent_on, "sent_on")
    departments = vetting_departments()
    if not departments:
        raise ActionError(_("No vetting department is set: name them on the settings page (pre-appointment vetting departments)."), field="sent_on")
    days = int(get_setting("selection.vetting_working_days"))
    due = add_working_days(sent_on, days).due
    created = []
    for candidate in case.candidates.all():
        for department in departments:
            if not VettingRequest.objects.filter(candidate=candidate, department=department).exists():
                created.append(VettingRequest.objects.create(candidate=candidate, department=department, sent_on=sent_on, due_on=due))
    journal.record("selection.vetting.sent", actor=actor, target=case, unit=case.unit, data={"requests": len(created), "due_on": due})
    for request in created:
        notifications.notify(
            access.holders("selection.vet", request.department, on_unit_only=True),
            notifications.VETTING_REQUEST,
            gettext_noop("A pre-appointment vetting request waits for your department's reply by %(day)s"),
            reverse("selection:vetting", args=[request.pk]),
            params={"day": due.isoformat()},
            cause=f"selection.vetting.sent:{request.pk}",
            sensitive=True,
        )
    return created


RESULTS = set(VettingRequest.Result.values)


@transaction.atomic
def reply_vetting(*, actor, request: VettingRequest, result: str, replied_on, details="") -> VettingRequest:
    """A vetting department's reply: no problem, problem found (with details) or needs verification."""
    request = VettingRequest.objects.select_for_update().select_related("candidate__case", "candidate__cadre", "department").get(pk=request.pk)
    if not queries.vetting_requests_for_department(actor).filter(pk=request.pk).exists():
        raise access.NotVisible()
    if request.result:
        raise ActionError(_("This request is already answered."), field="result")
    if result not in RESULTS:
        raise ActionError(_("Choose the result of the vetting."), field="result")
    details = _text(details, "details", required=result != VettingRequest.Result.NO_PROBLEM, max_length=4000)
    replied_on = _date(replied_on, "replied_on")
    if replied_on < request.sent_on:
        raise ActionError(_("The reply date is before the request was sent."), field="replied_on")
    request.result, request.details, request.replied_on, request.replied_by = result, details, replied_on, actor
    request.save(update_fields=["result", "details", "replied_on", "replied_by"])
    journal.record(
        "selection.vetting.replied",
        actor=actor,
        target=request.candidate.case,
        unit=request.department,
        cadre=request.candidate.cadre,
        data={"department": request.department.name, "result": result, "late": replied_on > request.due_on},
    )
    return request


@transaction.atomic
def resolve_vetting(*, actor, request: VettingRequest, resolution) -> VettingRequest:
    """The organisation department records how a reported problem was verified and resolved."""
    request = VettingRequest.objects.select_for_update().select_related("candidate__case", "candidate__cadre").get(pk=request.pk)
    case = request.candidate.case
    access.require(actor, "selection.manage", case.unit)
    if not request.open_problem:
        raise ActionError(_("Only a reply that reports a problem or asks for verification needs resolving."), field="resolution")
    request.resolution = _text(resolution, "resolution", max_length=4000)
    request.save(update_fields=["resolution"])
    journal.record(
        "selection.vetting.resolved", actor=actor, target=case, unit=case.unit, cadre=request.candidate.cadre, data={"department": request.department.name}
    )
    return request


@transaction.atomic
def override_vetting(*, actor, candidate: Candidate, reason) -> Candidate:
    """The head's recorded reason to let inspection start although replies are missing or a
    problem is unresolved."""
    candidate = Candidate.objects.select_for_update().select_related("case", "cadre").get(pk=candidate.pk)
    access.require(actor, "selection.decide", candidate.case.unit)
    _require_open(candidate.case, Stage.VETTING, _("Overriding the vetting"))
    candidate.vetting_override = _text(reason, "reason", max_length=4000)
    candidate.save(update_fields=["vetting_override"])
    journal.record(
        "selection.vetting.overridden",
        actor=actor,
        target=candidate.case,
        unit=candidate.case.unit,
        cadre=candidate.cadre,
        data={"reason": candidate.vetting_override},
    )
    return candidate
