"""Shared pieces of the appraisal actions: locking and permission checks."""

from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core.errors import ActionError

from ..models import AppraisalCycle


def lock_cycle(cycle) -> AppraisalCycle:
    return AppraisalCycle.objects.select_for_update().select_related("unit").get(pk=getattr(cycle, "pk", cycle))


def require_manage(actor, cycle: AppraisalCycle) -> None:
    access.require(actor, "appraisals.manage", cycle.unit)


def require_confirm(actor, cycle: AppraisalCycle) -> None:
    access.require(actor, "appraisals.confirm", cycle.unit)


def wrong_stage(cycle: AppraisalCycle) -> ActionError:
    return ActionError(_("Not possible while the cycle is at the stage “%(status)s”.") % {"status": cycle.get_status_display()}, code="stage")


def clean_text(value, field: str, label, *, required: bool = False, max_length: int = 200) -> str:
    value = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if required and not value:
        raise ActionError(_("%(label)s is required.") % {"label": label}, field=field)
    if len(value) > max_length:
        raise ActionError(_("%(label)s is longer than %(n)d characters.") % {"label": label, "n": max_length}, field=field)
    return value
