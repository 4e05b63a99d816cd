"""What the parts of the audits API share: the router and the view check."""

from ninja import Router

from jiandu.accounts import access

router = Router(tags=["audits"])


def _require_view(user):
    if not access.can(user, "audits.view"):
        raise access.NotVisible()
