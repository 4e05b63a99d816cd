"""What the selection actions share: text and date checks, the case lock, the order of stages."""

import datetime as dt

from django.utils.translation import gettext as _

from jiandu.core.errors import ActionError

from .. import rules
from ..models import (
    STAGE_ORDER,
    SelectionCase,
    Stage,
    StageRecord,
)

GENERIC_STAGES = (Stage.RECOMMENDATION, Stage.CANDIDATES, Stage.VETTING, Stage.INSPECTION, Stage.CONSULTATION)


def _text(value, field, *, max_length=None, required=True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ActionError(_("This field is required."), field=field)
    if "\x00" in value:
        raise ActionError(_("The text contains characters that cannot be stored."), field=field)
    if max_length and len(value) > max_length:
        raise ActionError(_("At most %(n)d characters.") % {"n": max_length}, field=field)
    return value


def _date(value, field) -> dt.date:
    if not isinstance(value, dt.date):
        raise ActionError(_("Enter a valid date."), field=field)
    if value > dt.date.today() + dt.timedelta(days=366):
        raise ActionError(_("The date is more than a year ahead."), field=field)
    return value


def _lock(case) -> SelectionCase:
    return SelectionCase.objects.select_for_update().get(pk=case.pk)


def _stage_label(stage) -> str:
    return str(Stage(stage).label)


def _require_next(case, stage):
    """The stage must be the next one to record: every earlier stage recorded, this one not."""
    done = case.recorded_stages()
    if stage in done:
        raise ActionError(_("The stage %(stage)s is already recorded.") % {"stage": _stage_label(stage)}, field="stage")
    for earlier in STAGE_ORDER[: STAGE_ORDER.index(stage)]:
        if earlier not in done:
            raise ActionError(
                _("%(stage)s cannot be recorded before %(earlier)s (%(rule)s).")
                % {"stage": _stage_label(stage), "earlier": _stage_label(earlier), "rule": rules.order_rule()},
                field="stage",
            )


def _require_recorded(case, stage, doing):
    if stage not in case.recorded_stages():
        raise ActionError(
            _("%(doing)s needs the stage %(stage)s recorded first (%(rule)s).") % {"doing": doing, "stage": _stage_label(stage), "rule": rules.order_rule()},
            field="stage",
        )


def _require_open(case, stage, doing):
    if stage in case.recorded_stages():
        raise ActionError(_("%(doing)s is no longer possible: the stage %(stage)s is closed.") % {"doing": doing, "stage": _stage_label(stage)}, field="stage")


def _stage_record(case, stage, *, actor, held_on, handler, responsible, participants, result) -> StageRecord:
    held_on = _date(held_on, "held_on")
    last = case.stages.order_by("-held_on").first()
    if last is not None and held_on < last.held_on:
        raise ActionError(
            _("The date %(date)s is before the previous stage (%(previous)s).") % {"date": held_on.isoformat(), "previous": last.held_on.isoformat()},
            field="held_on",
        )
    return StageRecord.objects.create(
        case=case,
        stage=stage,
        held_on=held_on,
        handler=_text(handler, "handler", max_length=50),
        responsible=_text(responsible, "responsible", max_length=50),
        participants=_text(participants, "participants", required=False, max_length=2000),
        result=_text(result, "result", max_length=4000),
        recorded_by=actor,
    )
