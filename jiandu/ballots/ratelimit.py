"""Per-address limit on wrong voting codes (SECURITY.md: rate limits on ballot entry).

Only failures count (unknown, malformed or mistyped codes), so a meeting room full of phones
behind one address can vote freely while guessing is slowed down; with 75-bit codes guessing is
hopeless anyway. Counters live in Django's cache: per process with the default local-memory
cache, shared between processes when JIANDU_REDIS_URL configures Redis.
"""

from django.core.cache import cache

from jiandu.core.practice import get_setting

COUNTED = {"unknown", "malformed", "mistyped"}


def _key(ip: str) -> str:
    return f"ballots:code-failures:{ip}"


def window_seconds() -> int:
    return max(1, int(get_setting("ballots.code_attempt_window_minutes"))) * 60


def is_blocked(ip: str) -> bool:
    failures = cache.get(_key(ip)) or 0
    return failures > 0 and failures >= int(get_setting("ballots.code_attempt_limit"))


def record_failure(ip: str, reason: str) -> None:
    if reason not in COUNTED:
        return
    key = _key(ip)
    if cache.add(key, 1, timeout=window_seconds()):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds())
