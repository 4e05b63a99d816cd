"""Session policy (SECURITY.md): idle timeout, end-all-sessions epoch, forced password change."""

import time

from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from jiandu.core import context
from jiandu.core.practice import get_setting

from . import access

SESSION_EPOCH_KEY = "jiandu_epoch"
SESSION_SEEN_KEY = "jiandu_seen"

# Paths a user who must change their password may still open.
_PASSWORD_CHANGE_ALLOWED = ("/accounts/password/", "/accounts/logout/", "/i18n/", "/static/")


class SessionPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not getattr(request, "jiandu_token_auth", False):
            now = int(time.time())
            idle = get_setting("security.idle_timeout_minutes") * 60
            seen = request.session.get(SESSION_SEEN_KEY, now)
            if request.session.get(SESSION_EPOCH_KEY) != user.session_epoch or now - seen > idle or user.is_locked():
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                return redirect(f"{reverse('accounts:login')}?next={request.path}&expired=1")
            request.session[SESSION_SEEN_KEY] = now
            roles = sorted(access.roles(user))
            context.current().role = ",".join(roles)[:64]
            if user.must_change_password and not request.path.startswith(_PASSWORD_CHANGE_ALLOWED):
                from django.conf import settings

                if not (settings.DEMO_MODE and user.username.startswith("demo_")):
                    return redirect("accounts:password_change")
        return self.get_response(request)
