"""Session policy (SECURITY.md "Identity and sessions").

- Idle timeout (security.idle_timeout_minutes) and absolute timeout (settings.SESSION_COOKIE_AGE,
  counted from the login, however active the session is since).
- Sessions ended elsewhere (password change or reset, disable, "log out everywhere") are refused by
  Django itself: User.session_epoch is part of the session auth hash.
- Sessions of a locked account end.
- Forced steps, in this order: change an issued password; set up two-factor login where it is
  required; change a password older than security.password_max_age_days. Until done, only those
  pages, logout and the language switch open.
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from jiandu.core import context
from jiandu.core.practice import get_setting

from . import access, actions, policy

SESSION_LOGIN_AT_KEY = "jiandu_login_at"
SESSION_SEEN_KEY = "jiandu_seen"
# Writing the "last seen" time on every request would save the session every time; a few seconds
# of slack in the idle timeout is harmless.
SEEN_RESOLUTION_SECONDS = 5


def start_session_clock(request) -> None:
    """Called at login (also by the test client's force_login, through the user_logged_in signal)."""
    now = int(time.time())
    request.session[SESSION_LOGIN_AT_KEY] = now
    request.session[SESSION_SEEN_KEY] = now


def expiry_reason(request, user, now: int) -> str | None:
    """Why this session must end now, or None."""
    login_at = request.session.get(SESSION_LOGIN_AT_KEY)
    if not isinstance(login_at, int) or now - login_at > settings.SESSION_COOKIE_AGE:
        return "absolute"
    seen = request.session.get(SESSION_SEEN_KEY, login_at)
    if now - seen > get_setting("security.idle_timeout_minutes") * 60:
        return "idle"
    # A login delay (User.locked_until) does not end sessions: others can cause it by failing on
    # purpose (security issue #8). Disabling an account does (session_epoch).
    return None


def forced_step(user) -> str | None:
    """The URL name of the page the user must complete before anything else, or None."""
    if policy.must_change_issued_password(user):
        return "accounts:password_change"
    if not user.totp_enabled and policy.totp_required(user):
        return "accounts:totp_enrol"
    if policy.password_expired(user):
        return "accounts:password_change"
    return None


_FORCED_STEP_MESSAGES = {
    "accounts:password_change": "password_change_required",
    "accounts:totp_enrol": "two_factor_setup_required",
}


def _open_during_forced_step() -> tuple[str, ...]:
    return (
        reverse("accounts:password_change"),
        reverse("accounts:totp_enrol"),
        reverse("accounts:logout"),
        reverse("set_language"),
    )


def _redirect(request, url):
    # django-htmx's middleware runs after this one, so read the header itself.
    # An XHR follows a 302 by itself and htmx would swap the login page into a fragment; this
    # tells htmx to load the whole page instead.
    if request.headers.get("HX-Request") == "true":
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)


class SessionPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or getattr(request, "jiandu_token_auth", False):
            return self.get_response(request)
        now = int(time.time())
        reason = expiry_reason(request, user, now)
        if reason:
            actions.record_session_expired(user=user, reason=reason)
            logout(request)
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "session_expired", "message": _("Your session ended. Please log in again.")}, status=401)
            query = {"expired": "1"}
            if request.method == "GET":
                query["next"] = request.get_full_path()
            return _redirect(request, f"{reverse('accounts:login')}?{urlencode(query)}")
        if now - request.session.get(SESSION_SEEN_KEY, 0) >= SEEN_RESOLUTION_SECONDS:
            request.session[SESSION_SEEN_KEY] = now
        roles = access.roles(user)
        context.current().role = ",".join(sorted(roles))[:64]
        step = forced_step(user)
        if step and not request.path.startswith(_open_during_forced_step()):
            if request.path.startswith("/api/"):
                return JsonResponse({"code": _FORCED_STEP_MESSAGES[step], "message": _("Complete the required account step in the browser first.")}, status=403)
            return _redirect(request, reverse(step))
        return self.get_response(request)
