"""What the audit actions share: the reason check."""

from django.utils.translation import gettext as _

from jiandu.core.errors import ActionError

REASON_MAX = 2000


def _clean_reason(reason: str, *, required: bool = True, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ActionError(_("Give the reason."), field=field)
    if "\x00" in reason:
        raise ActionError(_("The text contains a character that cannot be stored."), field=field)
    if len(reason) > REASON_MAX:
        raise ActionError(_("The reason is longer than %(n)d characters.") % {"n": REASON_MAX}, field=field)
    return reason
