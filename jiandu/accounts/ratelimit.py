"""Per-address login rate limit (SECURITY.md "rate limits on login"), in addition to the
per-account lockout: an attacker spraying many usernames from one address is slowed down even
though no single account reaches its threshold.

Counts live in the cache (per process with the default local-memory cache, shared with Redis in
production), in a fixed window that starts with the first failure from the address.
"""

from django.core.cache import cache

from jiandu.core.practice import get_setting

_PREFIX = "jiandu:login-failures:"


def _key(ip: str) -> str:
    return _PREFIX + (ip or "unknown")


def _window_seconds() -> int:
    return max(1, get_setting("security.login_rate_window_minutes")) * 60


def limit() -> int:
    """Failed logins allowed per address and window (0: no limit)."""
    return get_setting("security.login_rate_limit")


def is_limited(ip: str) -> bool:
    """Has this address used up its failed attempts for the current window?"""
    allowed = limit()
    if not allowed:
        return False
    return (cache.get(_key(ip)) or 0) >= allowed


def count_failure(ip: str) -> int:
    """Count one failed attempt from `ip` and return the count in the current window."""
    key = _key(ip)
    cache.add(key, 0, timeout=_window_seconds())
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=_window_seconds())
        return 1


def window_minutes() -> int:
    return max(1, get_setting("security.login_rate_window_minutes"))
