"""Voting by code (no login). One code, one ballot, atomically: the code is marked used with a
conditional UPDATE and the sealed ballot inserted in the same transaction, so concurrent
duplicates see "already used" and nothing is lost or doubled.

Individual votes are deliberately not journaled: a journal row (time, IP, request id) written in
the redemption transaction would be one more channel linking a voter to the moment and the
transaction of their ballot. Rejected codes are security events and are journaled (without the
code); the close records how many ballots were counted.

This is the one hot path of the platform (a meeting room of voters submitting at once), so it
speaks SQL directly: one query to look up a code with its ballot's state, and one transaction to
redeem it — a single statement on PostgreSQL. The ballot's immutable parts (its definition is
frozen once open) are cached per process; its state is always read fresh, and re-checked under
lock in the redeeming transaction.
"""

import contextlib
import datetime as dt
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock

from django.db import connection, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from jiandu.core import journal
from jiandu.core.errors import ActionError

from .. import codes, sealing, structure
from ..models import Ballot, SealedBallot, VoterGroup, VotingCode
from .definitions import unit_of

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows
    fcntl = None


@dataclass
class CodeCheck:
    """A usable code: its ballot and voter group."""

    ballot: Ballot
    group: VoterGroup


def _state_error(ballot: Ballot, state: str) -> ActionError:
    if state == "not_open":
        if ballot.opens_at and ballot.is_open:
            when = formats.date_format(timezone.localtime(ballot.opens_at), "Y-m-d H:i")
            return ActionError(_("Voting has not opened yet. It opens at %(time)s.") % {"time": when}, field="code", code="not_open")
        return ActionError(_("Voting has not opened yet. Please try again when the organisers announce it."), field="code", code="not_open")
    if state == "ended":
        return ActionError(_("Voting has ended; ballots are no longer accepted."), field="code", code="ended")
    return ActionError(_("This evaluation is closed."), field="code", code="closed")


def _format_error(problem: str) -> ActionError:
    if problem == "empty":
        return ActionError(_("Please enter your voting code."), field="code", code="empty")
    if problem == "malformed":
        return ActionError(
            _("This is not a voting code. A code has 16 letters and digits in four groups, like K7QD-9X2M-4HTR-B8WZ."), field="code", code="malformed"
        )
    return ActionError(_("The code seems mistyped. Please check each character again."), field="code", code="mistyped")


def _reject(reason: str, ballot: Ballot | None = None) -> None:
    """Journal a refused code (a security event): the reason, never the code. Aggregated per
    address, reason and ballot (journal.record_repeated): 300 wrong codes are a few entries with
    their count, not 300."""
    with transaction.atomic():
        journal.record_repeated(
            "ballots.code.rejected",
            kind=f"{reason}:{ballot.pk if ballot is not None else ''}",
            target=ballot if ballot is not None else None,
            unit=unit_of(ballot) if ballot is not None else None,
            data={"reason": reason},
            outcome="denied",
        )


# Table names come from model metadata; every value is a parameter.
_CODE_SQL = f"SELECT c.ballot_id, c.group_id, c.is_used, c.is_void, b.status, b.opens_at, b.closes_at, b.public_id FROM {VotingCode._meta.db_table} c JOIN {Ballot._meta.db_table} b ON b.id = c.ballot_id WHERE c.code_hash = %s"  # noqa: S608
_ballots: "OrderedDict[str, _Known]" = OrderedDict()
_ballots_lock = Lock()


def _prepared(sql: str, params: list, fetch: bool = False):
    """Run one of the voting statements on PostgreSQL as a prepared statement (parsed and planned
    once per connection, as psycopg does for repeated queries with server-side binding; Django's
    own cursors bind on the client and cannot prepare). Autocommit, Django's error wrapping.
    The first row (fetch) or the row count."""
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.ensure_connection()
    with connection.wrap_database_errors, ServerBindingCursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        return cursor.fetchone() if fetch else cursor.rowcount


def _fetch_one(sql: str, params: list):
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        return _prepared(sql, params, fetch=True)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _aware(value):
    if isinstance(value, str):  # SQLite without declared-type conversion
        value = dt.datetime.fromisoformat(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value


@dataclass
class _Known:
    """A ballot past its draft as cached per process: the model instance (its state as loaded),
    its voter groups, and its data key once unwrapped (cast_ballot_on)."""

    ballot: Ballot
    groups: dict[int, VoterGroup]
    data_key: bytes | None = None


def _cached_ballot(public_hex: str, load) -> _Known | None:
    """The ballot from the per-process cache, keyed by the random public id (so a reused row id
    can never hit a stale entry), else from load() -> Ballot | None. Only ballots that have left
    the draft are kept: their definition, key and groups no longer change."""
    with _ballots_lock:
        known = _ballots.get(public_hex)
    if known is None:
        ballot = load()
        if ballot is None:
            return None
        known = _Known(ballot, {g.pk: g for g in VoterGroup.objects.filter(ballot_id=ballot.pk)})
        if not ballot.is_draft:
            with _ballots_lock:
                _ballots[public_hex] = known
                while len(_ballots) > 64:
                    _ballots.popitem(last=False)
    return known


def _ballot_and_group(ballot_id: int, group_id: int, status: str, opens_at, closes_at, public_id) -> tuple[Ballot, VoterGroup]:
    """The ballot (a private copy, with its current state) and the group."""
    known = _cached_ballot(str(public_id).replace("-", ""), lambda: Ballot.objects.get(pk=ballot_id))
    ballot = Ballot(**{f.attname: getattr(known.ballot, f.attname) for f in Ballot._meta.concrete_fields})
    ballot.status, ballot.opens_at, ballot.closes_at = status, _aware(opens_at), _aware(closes_at)
    if ballot.is_closed:
        ballot.sealing_key = b""
    return ballot, known.groups[group_id]


def check_code(code: str, *, journal_rejections: bool = True) -> CodeCheck:
    """The ballot and group of a usable code, or ActionError with a message for the voter
    (code: empty, malformed, mistyped, unknown, used, void, not_open, ended, closed)."""
    problem = codes.problem(code)
    if problem:
        if problem != "empty" and journal_rejections:
            _reject(problem)
        raise _format_error(problem)
    row = _fetch_one(_CODE_SQL, [codes.code_hash(code)])
    if row is None:
        if journal_rejections:
            _reject("unknown")
        raise ActionError(_("This voting code is not known. Check it, or ask the organisers for help."), field="code", code="unknown")
    ballot_id, group_id, is_used, is_void, status, opens_at, closes_at, public_id = row
    ballot, group = _ballot_and_group(ballot_id, group_id, status, opens_at, closes_at, public_id)
    state = ballot.voting_state()
    if state != "open":
        raise _state_error(ballot, state)
    if is_used:
        if journal_rejections:
            _reject("used", ballot)
        raise _used_error()
    if is_void:
        if journal_rejections:
            _reject("void", ballot)
        raise ActionError(_("This voting code has been withdrawn by the organisers."), field="code", code="void")
    return CodeCheck(ballot, group)


def _used_error() -> ActionError:
    return ActionError(
        _("This voting code has already been used. Each code votes once; if you have just voted, your ballot was recorded."),
        field="code",
        code="used",
    )


@contextlib.contextmanager
def _sqlite_writer_queue():
    """SQLite has one writer at a time, and a connection that finds the database locked polls with
    growing sleeps (up to 100 ms), which makes the slowest votes very slow when many arrive at
    once. Queue ballot writers on an OS file lock instead, so each waits exactly until the previous
    one has committed. Not needed (and skipped) on PostgreSQL and for in-memory databases."""
    name = str(connection.settings_dict.get("NAME") or "")
    if connection.vendor != "sqlite" or not name or "memory" in name or fcntl is None:
        yield
        return
    with open(f"{name}.ballot-writers.lock", "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


@dataclass
class Submission:
    receipt: str
    ballot: Ballot


def submit_ballot(*, code: str, answers: dict, written: dict | None = None) -> str:
    """Cast the ballot of `code`: answers {(subject id, question id): option id} for every question
    of the code's group (a recommendation section's candidates may be left out: not marked), and
    the names written in on recommendation sections, `written` {section id: [names]}. Returns the
    receipt. Nothing is stored unless the whole ballot is valid (more names than a post allows is
    refused)."""
    return cast_ballot(code=code, answers=answers, written=written).receipt


def _payload(shape, group_id: int, answers: dict, written: dict | None, receipt: str) -> dict:
    chosen = structure.validate(shape, group_id, answers)
    writes, _invalid = structure.apply_recommendations(shape, group_id, chosen, written or {}, paper=False)
    payload = {"g": group_id, "a": structure.encode(shape, group_id, chosen), "r": receipt}
    if writes:
        payload["w"] = writes
    return payload


def cast_ballot(*, code: str, answers: dict, written: dict | None = None) -> Submission:
    """submit_ballot, also returning the ballot (for the voting page)."""
    checked = check_code(code)
    ballot, group = checked.ballot, checked.group
    shape = structure.load(ballot)
    receipt = codes.new_receipt()
    payload = _payload(shape, group.pk, answers, written, receipt)
    sealed = sealing.seal(sealing.unwrap_key(ballot.sealing_key), ballot.pk, payload)
    if not _redeem(ballot, group.pk, codes.code_hash(code), sealed):
        # Someone else redeemed the code first, or voting stopped meanwhile: say which.
        check_code(code, journal_rejections=False)
        raise _used_error()
    return Submission(receipt, ballot)


def cast_ballot_on(*, ballot: str, group: str, code: str, answers: dict, written: dict | None = None) -> Submission:
    """cast_ballot for a voting form that names its ballot and voter group (the hidden fields of
    the voting page): one statement instead of a look-up and a statement. The names are only
    claims: the redeeming statement accepts the code only if it belongs to that ballot and group,
    is unused and not withdrawn, and the ballot is open. Anything else raises ActionError with
    code "not_redeemed" and stores nothing; the caller then takes the long way (cast_ballot),
    which says what is wrong. Nothing is journaled here."""
    try:
        public_hex, group_id = uuid.UUID(str(ballot)).hex, int(group)
    except (ValueError, TypeError):
        raise _not_redeemed() from None
    symbols = codes.normalise(code)
    problem = codes.symbols_problem(symbols)
    if problem:
        raise _format_error(problem)
    known = _cached_ballot(public_hex, lambda: Ballot.objects.filter(public_id=uuid.UUID(public_hex)).first())
    if known is None or known.ballot.is_draft or group_id not in known.groups:
        raise _not_redeemed()
    # The cached state may be old: the redeeming statement checks the current one, so a ballot
    # that has closed (or stopped) since takes nothing, whatever was sealed here.
    shape = structure.load(known.ballot)
    receipt = codes.new_receipt()
    payload = _payload(shape, group_id, answers, written, receipt)
    if known.data_key is None:
        known.data_key = sealing.unwrap_key(known.ballot.sealing_key)
    sealed = sealing.seal(known.data_key, known.ballot.pk, payload)
    if not _redeem(known.ballot, group_id, codes.symbols_hash(symbols), sealed):
        raise _not_redeemed()
    return Submission(receipt, known.ballot)


def _not_redeemed() -> ActionError:
    return ActionError(_("This voting code cannot be used for this ballot."), field="code", code="not_redeemed")


_SEALED = SealedBallot._meta.db_table
_CODES = VotingCode._meta.db_table
_BALLOTS = Ballot._meta.db_table

# PostgreSQL: lock the ballot row against a concurrent close (FOR KEY SHARE conflicts only with
# close_ballot's FOR UPDATE), redeem the code and insert the sealed ballot — one statement, one
# transaction, one round trip.
_REDEEM_POSTGRES = f"""
WITH open_ballot AS (
    SELECT id FROM {_BALLOTS}
    WHERE id = %s AND status = 'open' AND (opens_at IS NULL OR opens_at <= %s) AND (closes_at IS NULL OR closes_at > %s)
    FOR KEY SHARE
), redeemed AS (
    UPDATE {_CODES} SET is_used = true
    WHERE code_hash = %s AND group_id = %s AND NOT is_used AND NOT is_void AND ballot_id IN (SELECT id FROM open_ballot)
    RETURNING ballot_id
)
INSERT INTO {_SEALED} (id, ballot_id, sealed) SELECT %s, ballot_id, %s FROM redeemed
"""  # noqa: S608


def _redeem(ballot: Ballot, group_id: int, digest: str, sealed: bytes) -> bool:
    """Mark the code used and store the sealed ballot atomically; False when the code was not
    redeemable (already used, withdrawn, of another ballot or group) or voting is no longer open."""
    sealed_id = SealedBallot._meta.pk.get_db_prep_value(uuid.uuid4(), connection)
    now = timezone.now()
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        return _prepared(_REDEEM_POSTGRES, [ballot.pk, now, now, digest, group_id, sealed_id, sealed]) == 1
    # SQLite runs write transactions one at a time (IMMEDIATE), so reading the state inside the
    # transaction sees the last committed close; inside an outer atomic block (tests) the same
    # statements run on either engine.
    with _sqlite_writer_queue(), transaction.atomic(), connection.cursor() as cursor:
        lock = " FOR KEY SHARE" if connection.vendor == "postgresql" else ""
        cursor.execute(f"SELECT status, opens_at, closes_at FROM {_BALLOTS} WHERE id = %s{lock}", [ballot.pk])  # noqa: S608
        status, opens_at, closes_at = cursor.fetchone()
        current = Ballot(status=status, opens_at=_aware(opens_at), closes_at=_aware(closes_at))
        if current.voting_state(now) != "open":
            return False
        cursor.execute(
            f"UPDATE {_CODES} SET is_used = %s WHERE code_hash = %s AND ballot_id = %s AND group_id = %s AND NOT is_used AND NOT is_void",  # noqa: S608
            [True, digest, ballot.pk, group_id],
        )
        if cursor.rowcount != 1:
            return False
        cursor.execute(f"INSERT INTO {_SEALED} (id, ballot_id, sealed) VALUES (%s, %s, %s)", [sealed_id, ballot.pk, sealed])  # noqa: S608
    return True
