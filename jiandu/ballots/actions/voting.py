"""Voting by code (no login). One code, one ballot, atomically: the code is marked used with a
conditional UPDATE and the sealed ballot inserted in the same transaction, so concurrent
duplicates see "already used" and nothing is lost or doubled.

Individual votes are deliberately not journaled: a journal row (time, IP, request id) written in
the redemption transaction would be one more channel linking a voter to the moment and the
transaction of their ballot. Rejected codes are security events and are journaled (without the
code); the close records how many ballots were counted.
"""

from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from jiandu.core import journal
from jiandu.core.errors import ActionError

from .. import codes, sealing, structure
from ..models import Ballot, SealedBallot, VoterGroup, VotingCode


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
            unit=(ballot.unit_id if ballot is not None else None),
            data={"reason": reason},
            outcome="denied",
        )


def check_code(code: str, *, journal_rejections: bool = True) -> CodeCheck:
    """The ballot and group of a usable code, or ActionError with a message for the voter
    (code: empty, malformed, mistyped, unknown, used, void, not_open, ended, closed)."""
    problem = codes.problem(code)
    if problem:
        if problem != "empty" and journal_rejections:
            _reject(problem)
        raise _format_error(problem)
    row = VotingCode.objects.select_related("ballot", "group").filter(code_hash=codes.code_hash(code)).only("is_used", "is_void", "ballot", "group").first()
    if row is None:
        if journal_rejections:
            _reject("unknown")
        raise ActionError(_("This voting code is not known. Check it, or ask the organisers for help."), field="code", code="unknown")
    ballot = row.ballot
    state = ballot.voting_state()
    if state != "open":
        raise _state_error(ballot, state)
    if row.is_used:
        if journal_rejections:
            _reject("used", ballot)
        raise ActionError(
            _("This voting code has already been used. Each code votes once; if you have just voted, your ballot was recorded."),
            field="code",
            code="used",
        )
    if row.is_void:
        if journal_rejections:
            _reject("void", ballot)
        raise ActionError(_("This voting code has been withdrawn by the organisers."), field="code", code="void")
    return CodeCheck(ballot, row.group)


def _hold_ballot_open(ballot: Ballot) -> None:
    """Re-read the ballot's state under a lock that conflicts with close_ballot's row lock, so a
    vote either commits before the close reads the sealed ballots, or sees the ballot closed.
    SQLite runs write transactions one at a time (IMMEDIATE), which gives the same guarantee."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT status, opens_at, closes_at FROM ballots_ballot WHERE id = %s FOR KEY SHARE", [ballot.pk])
            ballot.status, ballot.opens_at, ballot.closes_at = cursor.fetchone()
    else:
        ballot.status, ballot.opens_at, ballot.closes_at = Ballot.objects.filter(pk=ballot.pk).values_list("status", "opens_at", "closes_at").get()
    state = ballot.voting_state()
    if state != "open":
        raise _state_error(ballot, state)


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
    digest = codes.code_hash(code)
    with transaction.atomic():
        _hold_ballot_open(ballot)
        redeemed = VotingCode.objects.filter(code_hash=digest, is_used=False, is_void=False).update(is_used=True)
        if redeemed != 1:
            raise ActionError(
                _("This voting code has already been used. Each code votes once; if you have just voted, your ballot was recorded."),
                field="code",
                code="used",
            )
        SealedBallot.objects.create(ballot_id=ballot.pk, sealed=sealed)
    return Submission(receipt, ballot)
