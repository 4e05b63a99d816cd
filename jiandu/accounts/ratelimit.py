"""Progressive login delays per network address, the arithmetic challenge, and known devices
(security issue #8 part 4: no hard locks anyone can trigger).

* Per address: failed logins are counted in a window (security.login_rate_window_minutes). From
  the security.login_rate_limit-th failure on, each failure makes the address wait, first
  security.login_delay_seconds, doubling with every further failure, never longer than the window.
  (The per-account delay is kept on the account row: actions.register_login_failure.)
* Challenge: after security.login_challenge_after failures from the address or for the username
  (known or not, so it reveals nothing), the login form asks a small sum, checked server-side
  against the session before any password is looked at.
* Known device: a successful login sets a signed cookie naming the account and a random device id.
  From that device, that account's correct password and code are never held up by the delays
  (the attacker's failures elsewhere cannot keep its owner out); the device's own failures are
  counted and after security.lockout_threshold of them the cookie is ignored for the window.

Counts live in the cache (per process with the default local-memory cache, shared with Redis in
production).
"""

import hashlib
import math
import secrets
import time

from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext as _

from jiandu.core.practice import get_setting

_PREFIX = "jiandu:login-failures:"
_WAIT = "jiandu:login-wait:"
_USERNAME = "jiandu:login-username-failures:"
_DEVICE = "jiandu:login-device-failures:"

DEVICE_COOKIE = "jiandu_device"
DEVICE_SALT = "jiandu.accounts.known-device"
DEVICE_MAX_AGE = 400 * 24 * 3600  # browsers keep cookies at most 400 days
CHALLENGE_KEY = "jiandu_login_challenge"


def _key(ip: str) -> str:
    return _PREFIX + (ip or "unknown")


def _username_key(username: str) -> str:
    # Hashed: a username may hold any character, a cache key may not (memcached, CacheKeyWarning).
    return _USERNAME + hashlib.sha256(username.strip().lower()[:150].encode()).hexdigest()


def window_minutes() -> int:
    return max(1, get_setting("security.login_rate_window_minutes"))


def _window_seconds() -> int:
    return window_minutes() * 60


def limit() -> int:
    """Failed logins per address and window before delays start (0: no delays)."""
    return get_setting("security.login_rate_limit")


def delay_seconds(failures: int, threshold: int, longest: int) -> int:
    """The wait after `failures` failures when delays start at `threshold`: the base delay,
    doubled with every failure after the threshold, at most `longest` seconds."""
    if threshold <= 0 or failures < threshold:
        return 0
    base = max(1, get_setting("security.login_delay_seconds"))
    return min(longest, base * 2 ** min(failures - threshold, 30))


def _incr(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=timeout)
        return 1


def wait_seconds(ip: str) -> int:
    """Seconds this address must still wait before its next login attempt (0: none)."""
    until, _delay = cache.get(_WAIT + (ip or "unknown")) or (0, 0)
    return max(0, math.ceil(until - time.time()))


def last_delay(ip: str) -> int:
    """The length of the delay this address is waiting out (0: none)."""
    return (cache.get(_WAIT + (ip or "unknown")) or (0, 0))[1] if wait_seconds(ip) else 0


def is_limited(ip: str) -> bool:
    return limit() > 0 and wait_seconds(ip) > 0


def count_failure(ip: str, username: str = "") -> int:
    """Count one failed attempt from `ip` (and for `username`); start or lengthen the address's
    delay. Returns the count in the current window."""
    window = _window_seconds()
    count = _incr(_key(ip), window)
    if username:
        _incr(_username_key(username), window)
    wait = delay_seconds(count, limit(), window)
    if wait:
        cache.set(_WAIT + (ip or "unknown"), (time.time() + wait, wait), timeout=wait + 1)
    return count


def failures(ip: str, username: str = "") -> int:
    """The larger of the address's and the username's failures in the window."""
    by_address = cache.get(_key(ip)) or 0
    by_name = (cache.get(_username_key(username)) or 0) if username else 0
    return max(by_address, by_name)


def forget_username(username: str) -> None:
    cache.delete(_username_key(username or ""))


# --- the challenge -------------------------------------------------------------------------------


def challenge_needed(ip: str, username: str = "") -> bool:
    after = get_setting("security.login_challenge_after")
    return after > 0 and failures(ip, username) >= after


def new_challenge(session) -> str:
    """A fresh sum for the login form; the answer stays in the session."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    session[CHALLENGE_KEY] = a + b
    return _("How much is %(a)d plus %(b)d?") % {"a": a, "b": b}


def challenge_passed(session, answer: str) -> bool:
    """Is `answer` the answer to the session's sum? A sum is answered once only."""
    expected = session.pop(CHALLENGE_KEY, None)
    try:
        return expected is not None and int((answer or "").strip()) == expected
    except ValueError:
        return False


# --- known devices -------------------------------------------------------------------------------


def device_cookie_value(user, previous: dict | None = None) -> str:
    device = (previous or {}).get("d") or secrets.token_urlsafe(16)
    return signing.dumps({"u": user.pk, "d": device}, salt=DEVICE_SALT)


def read_device(request) -> dict | None:
    raw = request.COOKIES.get(DEVICE_COOKIE)
    if not raw:
        return None
    try:
        value = signing.loads(raw, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE)
    except signing.BadSignature:
        return None
    return value if isinstance(value, dict) and isinstance(value.get("u"), int) and isinstance(value.get("d"), str) else None


def known_device_of(request, user) -> bool:
    """Has this browser logged in to `user` before (and not failed too often since)?"""
    device = read_device(request)
    if user is None or device is None or device["u"] != user.pk:
        return False
    threshold = max(1, get_setting("security.lockout_threshold"))
    return (cache.get(_DEVICE + device["d"]) or 0) < threshold


def count_device_failure(request) -> None:
    device = read_device(request)
    if device is not None:
        _incr(_DEVICE + device["d"], _window_seconds())


def forget_device_failures(request) -> None:
    device = read_device(request)
    if device is not None:
        cache.delete(_DEVICE + device["d"])
