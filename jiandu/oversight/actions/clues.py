"""The joint meeting (干部监督联席会议) and its clue registry.

Clue states (each transition one action; the sending department's clue officers register,
transfer and close; the receiving department's clue officers confirm receipt and report handling):

    registered ─transfer_clue─▶ transferred ─confirm_receipt─▶ received ─report_handling─▶ fed_back ─close_clue─▶ closed

Receipt and feedback deadlines are working days after the transfer (settings). Every reading of
a clue is journaled (`record_clue_view`): clues are sensitive.
"""

import datetime as dt

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

from .. import deadlines, uploads
from ..models import Clue, JointMeeting, JointMember
from . import base


def _member_unit(unit, field="unit") -> Unit:
    if not isinstance(unit, Unit):
        unit = Unit.objects.filter(pk=unit).first() if str(unit or "").isdigit() else None
    if unit is None:
        raise ActionError(_("Unknown unit."), field=field)
    return unit


# --- members and meetings ------------------------------------------------------------------------


def add_member(*, actor, unit, joined_on: dt.date | None = None) -> JointMember:
    """Make a department a member of the joint meeting (organisation department: oversight.manage)."""
    unit = _member_unit(unit)
    access.require(actor, "oversight.manage", unit)
    joined_on = base.date(joined_on or base.today(), "joined_on", not_future=True)
    with transaction.atomic():
        member = JointMember.objects.select_for_update().filter(unit=unit).first()
        if member and member.is_active:
            raise ActionError(_("%(unit)s is already a member.") % {"unit": unit}, field="unit")
        if member:
            member.is_active, member.joined_on, member.left_on = True, joined_on, None
            member.save()
        else:
            member = JointMember.objects.create(unit=unit, joined_on=joined_on)
        journal.record("oversight.joint_member.added", actor=actor, target=member, unit=unit, data={"unit": unit.name})
    return member


def remove_member(*, actor, member: JointMember, reason: str) -> JointMember:
    """A department leaves the joint meeting (kept for history)."""
    reason = base.text(reason, "reason")
    with transaction.atomic():
        member = JointMember.objects.select_for_update().select_related("unit").get(pk=member.pk)
        access.require(actor, "oversight.manage", member.unit)
        if not member.is_active:
            raise ActionError(_("This department is no longer a member."))
        member.is_active, member.left_on = False, base.today()
        member.save(update_fields=["is_active", "left_on"])
        journal.record("oversight.joint_member.removed", actor=actor, target=member, unit=member.unit, data={"reason": reason})
    return member


def record_meeting(
    *, actor, organiser, held_on: dt.date, title: str, place: str = "", attending_units=(), attendees: str = "", minutes: str = "", decisions: str = ""
) -> JointMeeting:
    """Record a joint meeting with its attendees, minutes and decisions."""
    organiser = _member_unit(organiser, "organiser")
    access.require(actor, "oversight.manage", organiser)
    held_on = base.date(held_on, "held_on", not_future=True)
    title = base.text(title, "title", max_length=200)
    units = [_member_unit(u, "attending_units") for u in attending_units]
    member_ids = set(JointMember.objects.filter(is_active=True).values_list("unit_id", flat=True))
    strangers = [u.name for u in units if u.pk not in member_ids]
    if strangers:
        raise ActionError(_("Not member departments: %(names)s.") % {"names": "、".join(strangers)}, field="attending_units")
    with transaction.atomic():
        meeting = JointMeeting.objects.create(
            organiser=organiser,
            held_on=held_on,
            title=title,
            place=base.text(place, "place", required=False, max_length=100),
            attendees=attendees or "",
            minutes=minutes or "",
            decisions=decisions or "",
            created_by=actor,
        )
        meeting.attending_units.set(units)
        journal.record("oversight.joint_meeting.recorded", actor=actor, target=meeting, unit=organiser, data={"held_on": held_on, "title": title})
    return meeting


# --- clues -------------------------------------------------------------------------------------
#
# Who acts (security issue #8.2): the clue officers of the sending department register, transfer
# and close; the clue officers of the receiving department confirm receipt and report handling,
# and never when they are also on the sending side. A clue officer is an assignment on the
# department's own unit (Role.CLUE_OFFICER); no district-wide role implies it. Refusals are
# access.NotVisible (404, journaled by the page and API handlers) and change nothing.


def _require_sender(actor, clue: Clue) -> None:
    from ..queries import is_clue_sender

    if not is_clue_sender(actor, clue):
        raise access.NotVisible()


def _require_receiver(actor, clue: Clue) -> None:
    from ..queries import is_clue_receiver

    if not is_clue_receiver(actor, clue):
        raise access.NotVisible()


def _number(clue: Clue) -> str:
    year = clue.created_at.year
    n = Clue.objects.filter(created_at__year=year, pk__lte=clue.pk).count()
    return f"XS{year}-{n:04d}"


def register_clue(
    *,
    actor,
    cadre,
    from_unit,
    source: str,
    summary: str,
    sensitivity: str = Clue.Sensitivity.SENSITIVE,
    meeting: JointMeeting | None = None,
    source_tour=None,
    source_finding=None,
    attachments=(),
) -> Clue:
    """Register a clue about a cadre in the sending department (oversight.clues on it)."""
    cadre = base.cadre(cadre)
    from_unit = _member_unit(from_unit, "from_unit")
    access.require(actor, "oversight.clues", from_unit)
    base.choice(source, Clue.Source, "source")
    base.choice(sensitivity, Clue.Sensitivity, "sensitivity")
    summary = base.text(summary, "summary")
    checked = [(f, uploads.check_upload(f)) for f in attachments]
    with transaction.atomic():
        clue = Clue.objects.create(
            cadre=cadre,
            cadre_unit=cadre.unit,
            from_unit=from_unit,
            source=source,
            summary=summary,
            sensitivity=sensitivity,
            meeting=meeting,
            source_tour=source_tour,
            source_finding=source_finding,
            created_by=actor,
        )
        clue.number = _number(clue)
        clue.save(update_fields=["number"])
        for upload, check in checked:
            uploads.store(actor=actor, owner=clue, purpose="evidence", upload=upload, checked=check)
        # The summary itself stays out of the journal (sensitive); the journal knows the clue exists.
        journal.record(
            "oversight.clue.registered",
            actor=actor,
            target=clue,
            unit=from_unit,
            cadre=cadre,
            data={"number": clue.number, "source": source, "sensitivity": sensitivity, "files": len(checked)},
        )
    return clue


def transfer_clue(*, actor, clue: Clue, to_unit, transferred_on: dt.date | None = None) -> Clue:
    """Hand a registered clue to a member department; receipt and feedback deadlines follow."""
    with transaction.atomic():
        clue = Clue.objects.select_for_update().select_related("from_unit").get(pk=clue.pk)
        _require_sender(actor, clue)  # before the input: a stranger learns nothing from a 400
        to_unit = _member_unit(to_unit, "to_unit")
        transferred_on = base.date(transferred_on or base.today(), "transferred_on", not_future=True)
        if not clue.can_transfer:
            raise ActionError(_("This clue was already transferred (%(status)s).") % {"status": clue.get_status_display()})
        if not JointMember.objects.filter(unit=to_unit, is_active=True).exists():
            raise ActionError(_("%(unit)s is not a member department of the joint meeting.") % {"unit": to_unit}, field="to_unit")
        if to_unit.pk == clue.from_unit_id:
            raise ActionError(_("A clue is transferred to another department."), field="to_unit")
        receipt = add_working_days(transferred_on, int(get_setting("oversight.clue_receipt_working_days")))
        feedback = add_working_days(transferred_on, int(get_setting("oversight.clue_feedback_working_days")))
        if receipt.due < base.today():
            raise ActionError(
                _("The receipt deadline %(date)s would already be in the past; enter the real transfer date.") % {"date": receipt.due.isoformat()},
                field="transferred_on",
            )
        clue.to_unit = to_unit
        clue.transferred_on = transferred_on
        clue.receipt_due_on, clue.receipt_due_rule = receipt.due, deadlines.code_of(receipt)
        clue.feedback_due_on, clue.feedback_due_rule = feedback.due, deadlines.code_of(feedback)
        clue.status = Clue.Status.TRANSFERRED
        clue.save()
        journal.record(
            "oversight.clue.transferred",
            actor=actor,
            target=clue,
            unit=to_unit,
            cadre=clue.cadre_id,
            data={"to": to_unit.name, "receipt_due": receipt.as_dict(), "feedback_due": feedback.as_dict()},
        )
        notifications.notify(
            access.holders("oversight.clues", to_unit),
            notifications.CLUE_RECEIPT,
            gettext_noop("A clue was transferred to your department; confirm its receipt by %(day)s"),
            reverse("oversight:clue_detail", args=[clue.pk]),
            params={"day": receipt.due.isoformat()},
            cause=f"oversight.clue.transferred:{clue.pk}",
            sensitive=True,
        )
    return clue


def confirm_receipt(*, actor, clue: Clue, received_on: dt.date | None = None) -> Clue:
    """The receiving department confirms it received the clue."""
    with transaction.atomic():
        # Lock the clue row only: PostgreSQL cannot lock the nullable side (to_unit) of an outer join.
        clue = Clue.objects.select_for_update(of=("self",)).select_related("to_unit", "from_unit").get(pk=clue.pk)
        _require_receiver(actor, clue)
        if not clue.can_receive:
            raise ActionError(_("This clue is not awaiting receipt."))
        clue.received_on = base.date(
            received_on or base.today(), "received_on", not_future=True, not_before=clue.transferred_on, not_before_label=_("the transfer")
        )
        clue.received_by = actor
        clue.status = Clue.Status.RECEIVED
        clue.save(update_fields=["received_on", "received_by", "status"])
        journal.record(
            "oversight.clue.received",
            actor=actor,
            target=clue,
            unit=clue.to_unit,
            cadre=clue.cadre_id,
            data={"received_on": clue.received_on, "late": clue.received_on > clue.receipt_due_on},
        )
    return clue


def report_handling(*, actor, clue: Clue, handling: str, result: str, fed_back_on: dt.date | None = None) -> Clue:
    """The receiving department reports how the clue was handled and with what result."""
    with transaction.atomic():
        # Lock the clue row only: PostgreSQL cannot lock the nullable side (to_unit) of an outer join.
        clue = Clue.objects.select_for_update(of=("self",)).select_related("to_unit", "from_unit").get(pk=clue.pk)
        _require_receiver(actor, clue)  # before the input: a stranger learns nothing from a 400
        handling = base.text(handling, "handling")
        base.choice(result, Clue.Result, "result")
        if not clue.can_feed_back:
            raise ActionError(_("Confirm receipt of the clue before reporting its handling."))
        clue.fed_back_on = base.date(
            fed_back_on or base.today(), "fed_back_on", not_future=True, not_before=clue.received_on, not_before_label=_("the receipt")
        )
        clue.handling, clue.result, clue.status = handling, result, Clue.Status.FED_BACK
        clue.save(update_fields=["fed_back_on", "handling", "result", "status"])
        journal.record(
            "oversight.clue.fed_back",
            actor=actor,
            target=clue,
            unit=clue.to_unit,
            cadre=clue.cadre_id,
            data={"result": result, "late": clue.fed_back_on > clue.feedback_due_on},
        )
    return clue


def close_clue(*, actor, clue: Clue) -> Clue:
    """The sending department closes a clue once the outcome is reported."""
    with transaction.atomic():
        clue = Clue.objects.select_for_update().select_related("from_unit").get(pk=clue.pk)
        _require_sender(actor, clue)
        if not clue.can_close:
            raise ActionError(_("A clue is closed after the receiving department reports its handling."))
        clue.status, clue.closed_on = Clue.Status.CLOSED, base.today()
        clue.save(update_fields=["status", "closed_on"])
        journal.record("oversight.clue.closed", actor=actor, target=clue, unit=clue.from_unit, cadre=clue.cadre_id, data={"result": clue.result})
    return clue


def record_clue_view(*, actor, clue: Clue, via: str = "page") -> None:
    """Journal that a user read a clue (pages, exports and the API alike)."""
    journal.record("oversight.clue.viewed", actor=actor, target=clue, unit=clue.to_unit or clue.from_unit, cadre=clue.cadre_id, data={"via": via})
