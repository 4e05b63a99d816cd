"""Parts of portal pages kept rendered in this process, under a key naming everything they
depend on (the language, the path, a hash of a leader's public fields, a log's id and publish
time) besides the deployed code: nothing else can make them stale, so there is no expiry and no
shared cache to ask. This replaces Django's cache framework on the portal's hot path, which
validates and hashes keys and unpickles values on every request (on a leader page rebuilt after
a publication, about as much work as the rest of the page). The store is bounded: past LIMIT
entries (paths are chosen by the visitor) it starts again empty."""

from collections.abc import Callable

LIMIT = 4096
_STORE: dict[tuple, str] = {}


def get(key: tuple) -> str | None:
    return _STORE.get(key)


def put(key: tuple, html: str) -> str:
    if len(_STORE) >= LIMIT:
        _STORE.clear()
    _STORE[key] = html
    return html


def kept(key: tuple, render: Callable[[], str]) -> str:
    """The fragment under `key`, rendered by `render()` the first time."""
    html = _STORE.get(key)
    return html if html is not None else put(key, render())


def clear() -> None:
    """Forget every kept fragment (for tests that change templates or translations in process)."""
    _STORE.clear()
