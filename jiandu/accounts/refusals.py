"""Refusals of logged-in users are security events (SECURITY.md): the pages' error handlers
(jiandu.web.views) and any API operation that refuses by itself journal them here."""

import logging

from django.db import DatabaseError, transaction

from jiandu.core import journal

from . import access

log = logging.getLogger("jiandu")


def record_refusal(request, exception) -> None:
    """A logged-in user was refused (access.NotVisible: shown as "not found", SECURITY.md): journal
    it as a security event. Only the path is kept; query strings may hold search terms. Once per
    request (an API operation may journal its refusal itself: `record_refusal`)."""
    user = getattr(request, "user", None)
    if not isinstance(exception, access.NotVisible) or user is None or not user.is_authenticated:
        return
    if getattr(request, "_jiandu_refusal_journaled", False):
        return
    request._jiandu_refusal_journaled = True
    try:
        with transaction.atomic():
            journal.record("core.access.denied", actor=user, data={"method": request.method, "path": request.path[:200]}, outcome="denied")
    except DatabaseError:  # the page must still render; the failure itself is logged
        log.exception("could not journal an access refusal (incident %s)", getattr(request, "request_id", ""))
