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
    """Journal a refused code (a security event): the reason, never the code."""
    with transaction.atomic():
        journal.record(
            "ballots.code.rejected",
            target=ballot if ballot is not None else None,
            unit=unit_of(ballot) if ballot is not None else None,
            data={"reason": reason},
            outcome="denied",
        )


# Table names come from model metadata; every value is a parameter.
_CODE_SQL = f"SELECT c.ballot_id, c.group_id, c.is_used, c.is_void, b.status, b.opens_at, b.closes_at, b.public_id FROM {VotingCode._meta.db_table} c JOIN {Ballot._meta.db_table} b ON b.id = c.ballot_id WHERE c.code_hash = %s"  # noqa: S608
_ballots: "OrderedDict[tuple[int, str], tuple[Ballot, dict[int, VoterGroup]]]" = OrderedDict()
_ballots_lock = Lock()


def _aware(value):
    if isinstance(value, str):  # SQLite without declared-type conversion
        value = dt.datetime.fromisoformat(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value


def _ballot_and_group(ballot_id: int, group_id: int, status: str, opens_at, closes_at, public_id) -> tuple[Ballot, VoterGroup]:
    """The ballot (a private copy, with its current state) and the group. Only ballots that have
    left the draft are cached: their definition, key and groups no longer change. The random
    public id is part of the key, so a reused row id can never hit a stale entry."""
    key = (ballot_id, str(public_id).replace("-", ""))
    with _ballots_lock:
        cached = _ballots.get(key)
    if cached is None:
        ballot = Ballot.objects.get(pk=ballot_id)
        cached = (ballot, {g.pk: g for g in VoterGroup.objects.filter(ballot_id=ballot_id)})
        if not ballot.is_draft:
            with _ballots_lock:
                _ballots[key] = cached
                while len(_ballots) > 64:
                    _ballots.popitem(last=False)
    ballot = Ballot(**{f.attname: getattr(cached[0], f.attname) for f in Ballot._meta.concrete_fields})
    ballot.status, ballot.opens_at, ballot.closes_at = status, _aware(opens_at), _aware(closes_at)
    if ballot.is_closed:
        ballot.sealing_key = b""
    return ballot, cached[1][group_id]


def check_code(code: str, *, journal_rejections: bool = True) -> CodeCheck:
    """The ballot and group of a usable code, or ActionError with a message for the voter
    (code: empty, malformed, mistyped, unknown, used, void, not_open, ended, closed)."""
    problem = codes.problem(code)
    if problem:
        if problem != "empty" and journal_rejections:
            _reject(problem)
        raise _format_error(problem)
    with connection.cursor() as cursor:
        cursor.execute(_CODE_SQL, [codes.code_hash(code)])
        row = cursor.fetchone()
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


def submit_ballot(*, code: str, answers: dict) -> str:
    """Cast the ballot of `code`: answers {(subject id, question id): option id} for every question
    of the code's group. Returns the receipt. Nothing is stored unless the whole ballot is valid."""
    return cast_ballot(code=code, answers=answers).receipt


def cast_ballot(*, code: str, answers: dict) -> Submission:
    """submit_ballot, also returning the ballot (for the voting page)."""
    checked = check_code(code)
    ballot, group = checked.ballot, checked.group
    shape = structure.load(ballot)
    chosen = structure.validate(shape, group.pk, answers)
    receipt = codes.new_receipt()
    payload = {"g": group.pk, "a": structure.encode(shape, group.pk, chosen), "r": receipt}
    sealed = sealing.seal(sealing.unwrap_key(ballot.sealing_key), ballot.pk, payload)
    if not _redeem(ballot, codes.code_hash(code), sealed):
        # Someone else redeemed the code first, or voting stopped meanwhile: say which.
        check_code(code, journal_rejections=False)
        raise _used_error()
    return Submission(receipt, ballot)


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
    WHERE code_hash = %s AND NOT is_used AND NOT is_void AND ballot_id IN (SELECT id FROM open_ballot)
    RETURNING ballot_id
)
INSERT INTO {_SEALED} (id, ballot_id, sealed) SELECT %s, ballot_id, %s FROM redeemed
"""  # noqa: S608


def _redeem(ballot: Ballot, digest: str, sealed: bytes) -> bool:
    """Mark the code used and store the sealed ballot atomically; False when the code was not
    redeemable (already used, withdrawn) or voting is no longer open."""
    sealed_id = SealedBallot._meta.pk.get_db_prep_value(uuid.uuid4(), connection)
    now = timezone.now()
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(_REDEEM_POSTGRES, [ballot.pk, now, now, digest, sealed_id, sealed])
            return cursor.rowcount == 1
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
        cursor.execute(f"UPDATE {_CODES} SET is_used = %s WHERE code_hash = %s AND NOT is_used AND NOT is_void", [True, digest])  # noqa: S608
        if cursor.rowcount != 1:
            return False
        cursor.execute(f"INSERT INTO {_SEALED} (id, ballot_id, sealed) VALUES (%s, %s, %s)", [sealed_id, ballot.pk, sealed])  # noqa: S608
    return True
