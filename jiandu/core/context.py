"""Per-request facts the journal needs (source IP, request id), kept in a context variable."""

import contextvars
import uuid
from dataclasses import dataclass, field


@dataclass
class RequestInfo:
    ip: str = ""
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    role: str = ""
    # The local-practice settings (core.practice), read once per request, on first use.
    settings: dict | None = None


_current: contextvars.ContextVar[RequestInfo | None] = contextvars.ContextVar("jiandu_request", default=None)


def current() -> RequestInfo:
    info = _current.get()
    return info if info is not None else RequestInfo(request_id="")


def active() -> RequestInfo | None:
    """The current request's facts, or None outside a request (worker, shell, tests' direct calls)."""
    return _current.get()


def begin(ip: str, request_id: str | None = None) -> contextvars.Token:
    return _current.set(RequestInfo(ip=ip, request_id=request_id or uuid.uuid4().hex))


def end(token: contextvars.Token) -> None:
    _current.reset(token)
