"""事项变化随时报告 (规定 art. 6): a change of a family matter reported between the yearly reports,
by the cadre (self service) or recorded from paper by an officer; due within the configured days
after the change, flagged late after that."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.errors import ActionError
from jiandu.core.practice import get_setting
from jiandu.registry.models import Cadre

from .. import items as item_specs
from .. import queries
from ..models import EventReport, Reporter
from .base import _date, _officer, _text


def event_kinds() -> list[str]:
    return [k for k in (get_setting("matters.event_kinds") or []) if k in item_specs.KINDS and item_specs.KINDS[k].section == item_specs.FAMILY]


def report_event(
    *, actor, cadre: Cadre, kind: str, event_on: dt.date, values: dict, holder: str = "self", holder_name: str = "", received_on: dt.date | None = None
) -> EventReport:
    """Report a change: the cadre's own (dated today) or a paper one an officer records with the day
    it was received. Only cadres who report personal matters; only the configured kinds; the
    change not in the future and not after the report. Due `matters.event_report_days` after it."""
    if access.is_self(actor, cadre) and access.can(actor, "self.answer"):
        channel, reported_on = EventReport.Channel.SELF, dt.date.today()
    else:
        _officer(actor, cadre.unit)
        channel = EventReport.Channel.PAPER
        reported_on = _date(received_on, "received_on", _("received on"))
    if kind not in event_kinds():
        raise ActionError(_("Choose one of the matters reported when they change."), field="kind")
    spec = item_specs.KINDS[kind]
    if holder not in dict(item_specs.HOLDERS):
        raise ActionError(_("Choose whose item this is."), field="holder")
    holder_name = _text(holder_name, "holder_name", _("name"), max_length=50, required=holder != "self")
    event_on = _date(event_on, "event_on", _("date of the change"))
    if event_on > reported_on:
        raise ActionError(_("The change cannot be after the day it was reported."), field="event_on")
    try:
        clean = item_specs.clean_values(spec, values or {})
    except item_specs.ItemError as exc:
        raise ActionError(exc.message, field=exc.field) from None
    with transaction.atomic():
        cadre = Cadre.objects.select_for_update().select_related("unit").get(pk=cadre.pk)
        if not (Reporter.objects.filter(cadre=cadre).exists() or queries.cadres_who_report().filter(pk=cadre.pk).exists()):
            raise ActionError(_("%(name)s does not report personal matters.") % {"name": cadre.name}, field="cadre")
        days = int(get_setting("matters.event_report_days"))
        event = EventReport(
            cadre=cadre,
            unit=cadre.unit,
            kind=kind,
            holder=holder,
            holder_name=holder_name,
            event_on=event_on,
            due_on=event_on + dt.timedelta(days=days),
            reported_on=reported_on,
            channel=channel,
            created_by=actor,
        )
        event.set_values(clean)
        event.save()
        journal.record(
            "matters.event.reported",
            actor=actor,
            target=event,
            unit=cadre.unit,
            cadre=cadre,
            data={"kind": kind, "channel": channel, "event_on": event_on, "due_on": event.due_on, "late": event.is_late},
        )
    return event
