"""The journal (留痕): every action and security event, hash-chained and append-only.

`record()` must be called inside the transaction of the change it describes: if the journal
write fails, the change rolls back. Writers are serialised on the JournalHead row so the chain is
linear under concurrency (PostgreSQL row lock; SQLite serialises writers anyway).
"""

import datetime as dt
import json
from dataclasses import dataclass

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from . import context, crypto
from .models import JournalEntry, JournalHead

GENESIS = "0" * 64

# Keys whose values never enter the journal (SECURITY.md: no secrets, ID numbers or ballot choices).
FORBIDDEN_KEYS = {"password", "id_number", "code", "token", "choices", "answers", "secret"}


def _normalise(data: dict) -> dict:
    data = json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder, ensure_ascii=False))
    bad = FORBIDDEN_KEYS.intersection(_all_keys(data))
    if bad:
        raise ValueError(f"journal data must not contain {sorted(bad)}")
    return data


def _all_keys(value):
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _all_keys(v)
    elif isinstance(value, list):
        for v in value:
            yield from _all_keys(v)


def _content(entry: JournalEntry) -> bytes:
    fields = {
        "seq": entry.seq,
        "at": entry.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_id": entry.actor_id,
        "actor_username": entry.actor_username,
        "role": entry.role,
        "ip": entry.ip,
        "request_id": entry.request_id,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "unit_id": entry.unit_id,
        "unit_path": entry.unit_path,
        "cadre_id": entry.cadre_id,
        "outcome": entry.outcome,
        "data": entry.data,
        "prev_hash": entry.prev_hash,
    }
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _key() -> bytes:
    return settings.JOURNAL_KEY.encode()


def compute_hash(entry: JournalEntry) -> str:
    return crypto.keyed_digest(_key(), _content(entry), entry.algorithm)


def _target(target) -> tuple[str, str]:
    if target is None:
        return "", ""
    if isinstance(target, tuple):
        return str(target[0]), str(target[1])
    return target._meta.label_lower, str(target.pk)


def record(
    action: str,
    *,
    actor=None,
    target=None,
    unit=None,
    cadre=None,
    data: dict | None = None,
    outcome: str = JournalEntry.Outcome.OK,
    role: str | None = None,
) -> JournalEntry:
    """Append one entry. `unit` and `cadre` may be model instances or ids; `target` a model
    instance or a (type, id) pair."""
    info = context.current()
    target_type, target_id = _target(target)
    unit_id = getattr(unit, "pk", unit)
    unit_path = getattr(unit, "path", "") or ""
    cadre_id = getattr(cadre, "pk", cadre)
    actor_id = getattr(actor, "pk", None)
    username = getattr(actor, "username", "") or ""
    payload = _normalise(data or {})
    with transaction.atomic():
        head, _ = JournalHead.objects.select_for_update().get_or_create(pk=1)
        entry = JournalEntry(
            seq=head.seq + 1,
            at=timezone.now(),
            actor_id=actor_id,
            actor_username=username[:150],
            role=(role if role is not None else info.role)[:64],
            ip=info.ip[:64],
            request_id=info.request_id[:64],
            action=action,
            target_type=target_type,
            target_id=target_id,
            unit_id=unit_id,
            unit_path=unit_path,
            cadre_id=cadre_id,
            outcome=outcome,
            data=payload,
            algorithm=crypto.ALGORITHM,
            prev_hash=head.hash or GENESIS,
        )
        entry.hash = compute_hash(entry)
        entry.save(force_insert=True)
        head.seq = entry.seq
        head.hash = entry.hash
        head.save(update_fields=["seq", "hash"])
    return entry


# Refusals that anonymous requests can cause (wrong voting codes, refused logins) are aggregated:
# per action, kind and source address, within a window, only the 1st, 10th, 100th, 1000th…
# refusal writes an entry, with the count so far. A flood cannot fill the journal, and the
# journal still shows who tried and how often (at least).
REPEAT_WINDOW_SECONDS = 600


def _milestone(count: int) -> bool:
    while count >= 10 and count % 10 == 0:
        count //= 10
    return count == 1


def record_repeated(action: str, *, kind: str = "", target=None, unit=None, data: dict | None = None, outcome: str = JournalEntry.Outcome.DENIED):
    """Journal a repeatable anonymous refusal, aggregated (see above); the entry written, or None
    when this repetition is only counted. `kind` separates what is counted apart (e.g. the reason)."""
    from django.core.cache import cache

    info = context.current()
    window = int(timezone.now().timestamp()) // REPEAT_WINDOW_SECONDS
    key = f"jiandu:journal-repeat:{action}:{kind}:{info.ip}:{window}"
    cache.add(key, 0, timeout=REPEAT_WINDOW_SECONDS * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=REPEAT_WINDOW_SECONDS * 2)
        count = 1
    if not _milestone(count):
        return None
    payload = dict(data or {})
    payload["count"] = count
    payload["window_minutes"] = REPEAT_WINDOW_SECONDS // 60
    return record(action, target=target, unit=unit, data=payload, outcome=outcome)


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    first_broken_seq: int | None = None
    reason: str = ""


def verify(batch_size: int = 5000) -> VerifyResult:
    """Walk the chain in storage order of seq; report the first broken link."""
    expected_seq = 1
    prev_hash = GENESIS
    checked = 0
    for entry in JournalEntry.objects.order_by("seq", "pk").iterator(chunk_size=batch_size):
        if entry.seq != expected_seq:
            return VerifyResult(False, checked, expected_seq, f"missing or inserted entry: expected #{expected_seq}, found #{entry.seq}")
        if entry.prev_hash != prev_hash:
            return VerifyResult(False, checked, entry.seq, "link to the previous entry is broken")
        if not crypto.constant_time_equal(compute_hash(entry), entry.hash):
            return VerifyResult(False, checked, entry.seq, "content does not match its hash")
        prev_hash = entry.hash
        expected_seq += 1
        checked += 1
    head = JournalHead.objects.filter(pk=1).first()
    head_seq = head.seq if head else 0
    head_hash = head.hash if head else ""
    if head_seq != checked or (checked and head_hash != prev_hash):
        return VerifyResult(False, checked, checked + 1, f"chain ends at #{checked} but its head records #{head_seq}: entries were truncated")
    return VerifyResult(True, checked)


def history(target) -> "models.QuerySet[JournalEntry]":  # noqa: F821
    target_type, target_id = _target(target)
    return JournalEntry.objects.filter(target_type=target_type, target_id=target_id).order_by("-seq")
