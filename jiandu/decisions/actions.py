"""Every write of collective decisions: keyword-only, `actor` required, access checked, one
transaction, journaled. The verdict of an item is computed by `verdict.py` before anything is
stored; facts it refuses store nothing."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.errors import ActionError
from jiandu.registry.models import Cadre, Tenure, Unit

from . import verdict as rules
from .models import AgendaItem, Attendance, Body, BodyMember, ItemStatement, Meeting, WrittenStance


def current_leaders(unit: Unit) -> list[Cadre]:
    """The cadres holding a leading post of the unit today (the default members of its body)."""
    tenures = (
        Tenure.objects.filter(position__unit=unit, position__kind="leading", ended_on__isnull=True).select_related("cadre").order_by("position__order", "id")
    )
    seen, result = set(), []
    for tenure in tenures:
        if tenure.cadre_id not in seen:
            seen.add(tenure.cadre_id)
            result.append(tenure.cadre)
    return result


@transaction.atomic
def create_body(*, actor, unit: Unit, name: str, kind: str, members: list[Cadre], principal: Cadre | None = None) -> Body:
    access.require(actor, "decisions.manage", unit)
    name = (name or "").strip()
    if not name:
        raise ActionError(_("Give the body a name."), field="name")
    if kind not in Body.Kind.values:
        raise ActionError(_("Choose the kind of body."), field="kind")
    members = list(dict.fromkeys(members))
    if not members:
        raise ActionError(_("A body needs at least one member."), field="members")
    if principal is not None and principal not in members:
        raise ActionError(_("The principal must be one of the members."), field="principal")
    body = Body.objects.create(unit=unit, name=name, kind=kind, principal=principal)
    BodyMember.objects.bulk_create([BodyMember(body=body, cadre=cadre) for cadre in members])
    journal.record("decisions.body.created", actor=actor, target=body, unit=unit, data={"name": name, "kind": kind, "members": len(members)})
    return body


def _parse_amount(amount) -> Decimal | None:
    if amount in (None, ""):
        return None
    try:
        value = Decimal(str(amount))
    except ArithmeticError:
        raise ActionError(_("The amount must be a number of yuan."), field="amount") from None
    if not value.is_finite() or value < 0 or value >= Decimal("1e14"):
        raise ActionError(_("The amount must be a number of yuan."), field="amount")
    return value.quantize(Decimal("0.01"))


@transaction.atomic
def record_meeting(*, actor, body: Body, held_on: dt.date, title: str, absences: dict | None = None, items: list[dict]) -> Meeting:
    """Record a meeting with its attendance and agenda items.

    `absences`: {cadre: {"reason": str, "opinions": {item index: (stance, reason)}}} for members
    who were absent; every other member of the body is present. `items`: dicts with `title`,
    `category`, `amount`, `proposer` (cadre or None) and `statements` — [(cadre, stance, reason)]
    in speaking order, the principal last. Nothing is stored unless every item is well formed.
    """
    body = Body.objects.select_for_update().get(pk=body.pk)
    access.require(actor, "decisions.manage", body.unit)
    title = (title or "").strip()
    if not title:
        raise ActionError(_("Give the meeting a title."), field="title")
    if not isinstance(held_on, dt.date):
        raise ActionError(_("Give the date of the meeting."), field="held_on")
    absences = absences or {}
    members = list(Cadre.objects.filter(pk__in=BodyMember.objects.filter(body=body).values("cadre")).order_by("pk"))
    member_ids = {m.pk for m in members}
    for cadre, absence in absences.items():
        if cadre.pk not in member_ids:
            raise ActionError(_("%(name)s is not a member of this body.") % {"name": cadre.name}, field="absences")
        if not (absence.get("reason") or "").strip():
            raise ActionError(_("Give the reason why %(name)s was absent.") % {"name": cadre.name}, field="absences")
    absent_ids = {c.pk for c in absences}
    present = [m for m in members if m.pk not in absent_ids]
    if not items:
        raise ActionError(_("A meeting needs at least one agenda item."), field="items")
    principal = body.principal if body.principal_id in member_ids else None

    meeting = Meeting.objects.create(body=body, held_on=held_on, title=title, principal=principal, recorded_by=actor)
    Attendance.objects.bulk_create(
        [
            Attendance(meeting=meeting, cadre=m, present=m.pk not in absent_ids, absence_reason=(absences.get(m) or {}).get("reason", "").strip())
            for m in members
        ]
    )
    present_ids = {m.pk for m in present}
    outcomes = []
    for index, item in enumerate(items, start=1):
        item_title = (item.get("title") or "").strip()
        if not item_title:
            raise ActionError(_("Agenda item %(n)s has no title.") % {"n": index}, field="items")
        category = item.get("category")
        if category not in AgendaItem.Category.values:
            raise ActionError(_("Choose the category of agenda item %(n)s.") % {"n": index}, field="items")
        statements = []
        for cadre, stance, reason in item.get("statements") or []:
            if cadre.pk not in present_ids:
                raise ActionError(_("%(name)s did not attend and cannot state on item %(n)s.") % {"name": cadre.name, "n": index}, field="items")
            statements.append(rules.Statement(cadre.pk, stance, reason or ""))
        written = []
        for cadre, absence in absences.items():
            opinion = (absence.get("opinions") or {}).get(index)
            if opinion:
                written.append(rules.WrittenOpinion(cadre.pk, opinion[0], opinion[1] if len(opinion) > 1 else ""))
        proposer = item.get("proposer")
        agenda = AgendaItem(meeting=meeting, order=index, title=item_title, category=category, amount=_parse_amount(item.get("amount")), proposer=proposer)
        try:
            result = rules.compute(
                total=len(members),
                present=len(present),
                category=agenda.rule_category,
                statements=statements,
                principal=principal.pk if principal else None,
                written_opinions=written,
            )
        except rules.VerdictError as error:
            raise ActionError(_("Agenda item %(n)s: %(problem)s") % {"n": index, "problem": error.message}, field="items") from None
        agenda.outcome = result.outcome
        agenda.save()
        ItemStatement.objects.bulk_create(
            [ItemStatement(item=agenda, order=n, cadre_id=s.member, stance=s.stance, reason=s.reason) for n, s in enumerate(statements, start=1)]
        )
        WrittenStance.objects.bulk_create([WrittenStance(item=agenda, cadre_id=w.member, stance=w.stance, reason=w.reason) for w in written])
        outcomes.append(result.outcome)
    journal.record(
        "decisions.meeting.recorded",
        actor=actor,
        target=meeting,
        unit=body.unit,
        data={"body": body.name, "held_on": held_on.isoformat(), "members": len(members), "present": len(present), "items": len(items), "outcomes": outcomes},
    )
    return meeting
