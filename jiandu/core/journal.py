"""The journal (留痕): every action and security event, hash-chained and append-only.

`record()` must be called inside the transaction of the change it describes: if the journal
write fails, the change rolls back. Writers are serialised on the JournalHead row so the chain is
linear under concurrency (PostgreSQL row lock; SQLite serialises writers anyway).
"""

import datetime as dt
import json
import logging
import os
import re
from collections import namedtuple
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import bulk, context, crypto
from .models import JournalEntry, JournalHead

GENESIS = "0" * 64
log = logging.getLogger("jiandu")

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


HASHED_FIELDS = (
    "seq",
    "at",
    "actor_id",
    "actor_username",
    "role",
    "ip",
    "request_id",
    "action",
    "target_type",
    "target_id",
    "unit_id",
    "unit_path",
    "cadre_id",
    "outcome",
    "data",
    "prev_hash",
)


_VerifiedRow = namedtuple("_VerifiedRow", [*HASHED_FIELDS, "hash", "algorithm"])


def _utc_text(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _content_of(row: dict, at_text: str) -> bytes:
    """The bytes a row's hash covers: its hashed fields (`at` as UTC text) as canonical JSON."""
    fields = {name: row[name] for name in HASHED_FIELDS}
    fields["at"] = at_text
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _content(entry: JournalEntry) -> bytes:
    return _content_of({name: getattr(entry, name) for name in HASHED_FIELDS}, _utc_text(entry.at))


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
    with transaction.atomic():
        head, _ = JournalHead.objects.select_for_update().get_or_create(pk=1)
        entry = _entry(
            head.seq + 1,
            head.hash or GENESIS,
            context.current(),
            action=action,
            actor=actor,
            target=target,
            unit=unit,
            cadre=cadre,
            data=data,
            outcome=outcome,
            role=role,
        )
        entry.save(force_insert=True)
        head.seq = entry.seq
        head.hash = entry.hash
        head.save(update_fields=["seq", "hash"])
    return entry


def record_many(entries: list[dict], *, returning: bool = True) -> list[JournalEntry]:
    """Append several entries at once, in order: one lock of the head, one insert. For work
    done in batches (a consumer handling many events in one transaction, docs/events.md); each
    dict holds `record()`'s keyword arguments. Same rules as `record()`: call it inside the
    transaction of the changes the entries describe. The entries share one time. `returning=False`
    skips building the model instances returned (bulk loads of millions of entries)."""
    if not entries:
        return []
    info = context.current()
    # Refuse forbidden data before any write: nothing is left half-way.
    normalised = [_normalise(spec.get("data") or {}) for spec in entries]
    at = timezone.now()
    at_text = _utc_text(at)
    key = _key()
    algorithm = crypto.ALGORITHM
    # No savepoint of its own: the entries stand or fall with the caller's transaction.
    with transaction.atomic(savepoint=False):
        head, _ = JournalHead.objects.select_for_update().get_or_create(pk=1)
        seq, prev_hash = head.seq, head.hash or GENESIS
        rows = []
        for spec, data in zip(entries, normalised, strict=True):
            seq += 1
            row = _row(seq, prev_hash, info, at, data=data, **{k: v for k, v in spec.items() if k != "data"})
            prev_hash = row["hash"] = crypto.keyed_digest(key, _content_of(row, at_text), algorithm)
            rows.append(row)
        bulk.insert_rows(JournalEntry, rows)
        head.seq = seq
        head.hash = prev_hash
        head.save(update_fields=["seq", "hash"])
    return [JournalEntry(**row) for row in rows] if returning else []


def _row(
    seq: int,
    prev_hash: str,
    info,
    at: dt.datetime,
    *,
    action: str,
    data: dict,
    actor=None,
    target=None,
    unit=None,
    cadre=None,
    outcome: str = JournalEntry.Outcome.OK,
    role: str | None = None,
) -> dict:
    """The column values of entry `seq` following `prev_hash` (data already normalised), unhashed."""
    target_type, target_id = _target(target)
    username = getattr(actor, "username", "") or ""
    return {
        "seq": seq,
        "at": at,
        "actor_id": getattr(actor, "pk", None),
        "actor_username": username[:150],
        "role": (role if role is not None else info.role)[:64],
        "ip": info.ip[:64],
        "request_id": info.request_id[:64],
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "unit_id": getattr(unit, "pk", unit),
        "unit_path": getattr(unit, "path", "") or "",
        "cadre_id": getattr(cadre, "pk", cadre),
        "outcome": outcome,
        "data": data,
        "algorithm": crypto.ALGORITHM,
        "prev_hash": prev_hash,
    }


def _entry(seq: int, prev_hash: str, info, *, data: dict | None = None, **spec) -> JournalEntry:
    """The entry numbered `seq` following `prev_hash`, hashed, not yet saved."""
    entry = JournalEntry(**_row(seq, prev_hash, info, timezone.now(), data=_normalise(data or {}), **spec))
    entry.hash = compute_hash(entry)
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
    # What broke, for programs: "order", "first_missing", "link", "content", "algorithm",
    # "checkpoint_mismatch", "shorter_than_checkpoint", "truncated", "checkpoint_forged",
    # "checkpoint_unreadable". The reason is the translated text for people.
    kind: str = ""
    checkpoints: int = 0


def _walk(entries, *, expected_seq: int, prev_hash: str | None, by_seq: dict) -> tuple[VerifyResult | None, int, str]:
    """Check entries in order from expected_seq. prev_hash None: the first entry's link is not
    checked (it is anchored by a checkpoint instead). Returns (failure or None, checked, last hash)."""
    checked = 0
    for entry in entries:
        if entry.seq != expected_seq:
            if expected_seq == 1:
                reason = _("The first entry (#1) is missing: the chain starts at #%(found)s.") % {"found": entry.seq}
                return VerifyResult(False, checked, 1, reason, "first_missing"), checked, prev_hash
            reason = _("An entry is missing or was inserted: expected #%(expected)s, found #%(found)s.") % {"expected": expected_seq, "found": entry.seq}
            return VerifyResult(False, checked, expected_seq, reason, "order"), checked, prev_hash
        if prev_hash is not None and entry.prev_hash != prev_hash:
            return VerifyResult(False, checked, entry.seq, _("The link to the previous entry is broken."), "link"), checked, prev_hash
        try:
            computed = compute_hash(entry)
        except ValueError:
            reason = _("The entry names a hash algorithm this installation does not know.")
            return VerifyResult(False, checked, entry.seq, reason, "algorithm"), checked, prev_hash
        if not crypto.constant_time_equal(computed, entry.hash):
            return VerifyResult(False, checked, entry.seq, _("The content does not match its hash."), "content"), checked, prev_hash
        for checkpoint in by_seq.get(entry.seq, ()):
            if not crypto.constant_time_equal(checkpoint.hash, entry.hash):
                reason = _("The entry is not the one the checkpoint signed at %(at)s records: the journal was rewritten up to here.") % {
                    "at": _when(checkpoint.at)
                }
                return VerifyResult(False, checked, entry.seq, reason, "checkpoint_mismatch"), checked, prev_hash
        prev_hash = entry.hash
        expected_seq += 1
        checked += 1
    return None, checked, prev_hash


def _when(at: str) -> str:
    """A checkpoint's time as people read it (local time), or as written if it is not a time."""
    try:
        return timezone.localtime(dt.datetime.fromisoformat(at)).strftime("%Y-%m-%d %H:%M:%S")
    except (ValueError, TypeError):
        return at


def verify(batch_size: int = 5000, checkpoints: "list[Checkpoint] | None" = None) -> VerifyResult:
    """Walk the chain in storage order of seq; report the first broken link.

    checkpoints: signed checkpoints to hold the chain against; None reads the installation's
    checkpoint log (`JOURNAL_CHECKPOINT_DIR`). Every checkpoint's entry must be in the chain with
    the hash it records, and the chain must reach the highest checkpoint: this detects the
    truncation of the tail and the wiping of the whole journal even when the head row was rolled
    back with them."""
    if checkpoints is None:
        try:
            checkpoints = read_checkpoint_log()
        except CheckpointError as exc:
            kind = "checkpoint_unreadable" if isinstance(exc, CheckpointUnreadable) else "checkpoint_forged"
            return VerifyResult(False, 0, None, str(exc), kind)
    by_seq: dict[int, list[Checkpoint]] = {}
    for checkpoint in checkpoints:
        by_seq.setdefault(checkpoint.seq, []).append(checkpoint)
    # Plain rows, not model instances: building an instance per entry was half the time at
    # millions of entries (issue 17); compute_hash reads the same attributes.
    values = JournalEntry.objects.order_by("seq", "pk").values_list(*_VerifiedRow._fields).iterator(chunk_size=batch_size)
    entries = map(_VerifiedRow._make, values)
    failure, checked, prev_hash = _walk(entries, expected_seq=1, prev_hash=GENESIS, by_seq=by_seq)
    if failure:
        failure.checkpoints = len(checkpoints)
        return failure
    highest = max(checkpoints, key=lambda c: c.seq, default=None)
    if highest is not None and highest.seq > checked:
        if checked == 0:
            reason = _("The first entry (#1) is missing: the journal is empty, but the checkpoint signed at %(at)s records #%(seq)s.")
            kind = "first_missing"
        else:
            reason = _("Entries #%(missing)s to #%(seq)s are missing: the chain ends at #%(checked)s, but the checkpoint signed at %(at)s records #%(seq)s.")
            kind = "shorter_than_checkpoint"
        reason = reason % {"at": _when(highest.at), "seq": highest.seq, "checked": checked, "missing": checked + 1}
        return VerifyResult(False, checked, checked + 1, reason, kind, len(checkpoints))
    head = JournalHead.objects.filter(pk=1).first()
    head_seq = head.seq if head else 0
    head_hash = head.hash if head else ""
    if head_seq != checked or (checked and head_hash != prev_hash):
        reason = _("The chain ends at #%(checked)s but its head records #%(head)s: entries were truncated.") % {"checked": checked, "head": head_seq}
        return VerifyResult(False, checked, checked + 1, reason, "truncated", len(checkpoints))
    return VerifyResult(True, checked, checkpoints=len(checkpoints))


# --- checkpoints: the head anchored outside the database --------------------------------------
#
# A checkpoint is one line of JSON: the sequence number and hash of the newest entry and the time,
# signed with a key derived from the journal key (HMAC under a fixed label, so the chain key never
# signs anything else). Checkpoints are appended to a log in JOURNAL_CHECKPOINT_DIR (a directory
# the database's users cannot write; append-only by the operating system in production), sent to
# the "jiandu.journal.checkpoint" logger (syslog in production) and downloadable by the audit
# administrator. The log holds one file per database, so a development checkout that switches
# databases does not hold one database's chain against the other's checkpoints.

CHECKPOINT_TYPE = "jiandu.journal.checkpoint"
CHECKPOINT_VERSION = 1
checkpoint_log = logging.getLogger("jiandu.journal.checkpoint")


class CheckpointError(Exception):
    """A checkpoint cannot be made or trusted; the message is translated and names the problem."""


class CheckpointUnreadable(CheckpointError):
    """The checkpoint log exists but cannot be read."""


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str
    algorithm: str
    signature: str = ""

    def _body(self) -> bytes:
        fields = {"type": CHECKPOINT_TYPE, "v": CHECKPOINT_VERSION, "seq": self.seq, "hash": self.hash, "at": self.at, "algorithm": self.algorithm}
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()

    def signed(self) -> "Checkpoint":
        return Checkpoint(self.seq, self.hash, self.at, self.algorithm, crypto.keyed_digest(_checkpoint_key(self.algorithm), self._body(), self.algorithm))

    def is_authentic(self) -> bool:
        try:
            expected = crypto.keyed_digest(_checkpoint_key(self.algorithm), self._body(), self.algorithm)
        except ValueError:  # an algorithm this installation does not know
            return False
        return crypto.constant_time_equal(expected, self.signature)

    def line(self) -> str:
        fields = {"type": CHECKPOINT_TYPE, "v": CHECKPOINT_VERSION, "seq": self.seq, "hash": self.hash, "at": self.at, "algorithm": self.algorithm}
        return json.dumps({**fields, "signature": self.signature}, sort_keys=True, separators=(",", ":"))


def _checkpoint_key(algorithm: str) -> bytes:
    return bytes.fromhex(crypto.keyed_digest(_key(), b"jiandu journal checkpoint signing key v1", algorithm))


def parse_checkpoints(text: str) -> list[Checkpoint]:
    """The checkpoints in a text: a downloaded checkpoint, the checkpoint log, or syslog lines
    (anything before the JSON on a line is ignored; lines that are not checkpoints are skipped).
    A line that claims to be a checkpoint but does not parse or is not signed with this
    installation's journal key raises CheckpointError: a forged checkpoint is never ignored."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if CHECKPOINT_TYPE not in line:
            continue
        try:
            fields = json.loads(line[line.index("{") :])
            checkpoint = Checkpoint(fields["seq"], fields["hash"], fields["at"], fields["algorithm"], fields["signature"])
            well_formed = (
                fields.get("type") == CHECKPOINT_TYPE
                and fields.get("v") == CHECKPOINT_VERSION
                and type(checkpoint.seq) is int
                and checkpoint.seq >= 1
                and all(isinstance(v, str) for v in (checkpoint.hash, checkpoint.at, checkpoint.algorithm, checkpoint.signature))
            )
        except (ValueError, KeyError, TypeError):
            well_formed = False
        if not well_formed:
            raise CheckpointError(_("The checkpoint on line %(line)s is damaged: it cannot be read.") % {"line": number})
        if not checkpoint.is_authentic():
            raise CheckpointError(
                _("The checkpoint on line %(line)s is not signed with this installation's journal key: it was forged or altered.") % {"line": number}
            )
        found.append(checkpoint)
    return found


def _database_name() -> str:
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        name = Path(str(database["NAME"])).name
    else:
        name = f"{connection.vendor}-{database.get('HOST') or 'local'}-{database.get('PORT') or 'default'}-{database['NAME']}"
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip(".") or "default"


def checkpoint_log_path() -> Path:
    return Path(settings.JOURNAL_CHECKPOINT_DIR) / f"{_database_name()}.checkpoints"


def read_checkpoint_log() -> list[Checkpoint]:
    """The checkpoints in this database's checkpoint log ([] before the first one)."""
    path = checkpoint_log_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        log.error("cannot read the journal checkpoint log %s: %s", path, exc)
        raise CheckpointUnreadable(_("The checkpoint log cannot be read: ask the system administrator to check its permissions.")) from exc
    return parse_checkpoints(text)


def _append(checkpoint: Checkpoint) -> None:
    path = checkpoint_log_path()
    path.parent.mkdir(mode=0o750, parents=True, exist_ok=True)
    # O_APPEND: the only write the application ever makes; the file may be append-only (chattr +a).
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, (checkpoint.line() + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    checkpoint_log.info("%s", checkpoint.line())


def sign_entry(entry: JournalEntry) -> Checkpoint:
    at = timezone.now().astimezone(dt.UTC).isoformat(timespec="seconds")
    return Checkpoint(entry.seq, entry.hash, at, crypto.ALGORITHM).signed()


def write_checkpoint(*, force: bool = False) -> Checkpoint | None:
    """Verify the chain since the newest checkpoint (all of it before the first) and append a
    signed checkpoint of its newest entry to the log. None when the journal is empty or nothing
    was added since the newest checkpoint (unless force). A broken chain is never signed:
    CheckpointError, and the failure is logged."""
    previous = read_checkpoint_log()
    newest = max(previous, key=lambda c: c.seq, default=None)
    if newest is None:
        result = verify(checkpoints=[])
        if not result.ok:
            log.error("journal checkpoint refused: the chain is broken at #%s: %s", result.first_broken_seq, result.reason)
            raise CheckpointError(result.reason)
    else:
        entries = JournalEntry.objects.filter(seq__gte=newest.seq).order_by("seq", "pk").iterator(chunk_size=5000)
        failure, checked, _last = _walk(entries, expected_seq=newest.seq, prev_hash=None, by_seq={c.seq: [c] for c in [newest]})
        if failure is None and checked == 0:
            reason = _("Entries #%(missing)s to #%(seq)s are missing: the chain ends at #%(checked)s, but the checkpoint signed at %(at)s records #%(seq)s.")
            last = JournalEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
            failure = VerifyResult(
                False, 0, last + 1, reason % {"at": _when(newest.at), "seq": newest.seq, "checked": last, "missing": last + 1}, "shorter_than_checkpoint"
            )
        if failure is not None:
            log.error("journal checkpoint refused: the chain is broken at #%s: %s", failure.first_broken_seq, failure.reason)
            raise CheckpointError(failure.reason)
    last_entry = JournalEntry.objects.order_by("-seq").first()
    if last_entry is None or (not force and newest is not None and newest.seq == last_entry.seq):
        return None
    checkpoint = sign_entry(last_entry)
    _append(checkpoint)
    return checkpoint


def append_checkpoint(checkpoint: Checkpoint) -> None:
    """Append an already signed checkpoint (e.g. the one handed to the audit administrator)."""
    _append(checkpoint)


def history(target) -> "models.QuerySet[JournalEntry]":  # noqa: F821
    target_type, target_id = _target(target)
    return JournalEntry.objects.filter(target_type=target_type, target_id=target_id).order_by("-seq")
