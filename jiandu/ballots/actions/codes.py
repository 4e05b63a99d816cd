"""Voting codes and paper ballots handed out per group, within the group's headcount."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.core import journal
from jiandu.core.errors import ActionError

from .. import codes
from ..models import CodeBatch, PaperEntry, VoterGroup, VotingCode
from .definitions import lock, require_manage, unit_of

MAX_BATCH = 2000


def _active_codes(group: VoterGroup) -> int:
    """Codes that are or were usable: not voided, or used before their batch was voided."""
    return VotingCode.objects.filter(group=group, is_void=False).count() + VotingCode.objects.filter(group=group, is_void=True, is_used=True).count()


def _lock_group(ballot, group) -> VoterGroup:
    group = VoterGroup.objects.select_for_update().filter(pk=getattr(group, "pk", group), ballot=ballot).first()
    if group is None:
        raise ActionError(_("This voter group is not part of the ballot."), field="group")
    return group


def generate_codes(*, actor, ballot, group, count: int) -> tuple[CodeBatch, list[str]]:
    """Make `count` one-time codes for a group and return them in plain text — the only time they
    exist in plain text: only their hashes are stored. Codes and issued paper ballots together may
    not exceed the group's headcount."""
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= MAX_BATCH:
        raise ActionError(_("Generate between 1 and %(n)d codes at a time.") % {"n": MAX_BATCH}, field="count")
    with transaction.atomic():
        ballot = lock(ballot)
        require_manage(actor, ballot)
        if ballot.is_closed:
            raise ActionError(_("The ballot is closed."), code="closed")
        group = _lock_group(ballot, group)
        room = group.headcount - group.paper_issued - _active_codes(group)
        if count > room:
            raise ActionError(
                _("%(group)s has a headcount of %(headcount)d; with the codes and paper ballots already issued, at most %(room)d more codes can be made.")
                % {"group": group.name, "headcount": group.headcount, "room": max(room, 0)},
                field="count",
            )
        number = (CodeBatch.objects.filter(ballot=ballot).aggregate(n=Max("number"))["n"] or 0) + 1
        batch = CodeBatch.objects.create(ballot=ballot, group=group, number=number, size=count, created_by_id=actor.pk)
        plain: list[str] = []
        hashes: set[str] = set()
        while len(plain) < count:
            code = codes.new_code()
            digest = codes.code_hash(code)
            if digest not in hashes:
                hashes.add(digest)
                plain.append(code)
        VotingCode.objects.bulk_create(VotingCode(ballot=ballot, group=group, batch=batch, code_hash=digest) for digest in hashes)
        journal.record("ballots.codes.generated", actor=actor, target=ballot, unit=unit_of(ballot), data={"group": group.name, "batch": number, "count": count})
    return batch, plain


def void_code_batch(*, actor, batch: CodeBatch) -> CodeBatch:
    """Withdraw a batch (sheet lost, printed twice…): its unused codes stop working; ballots
    already cast with it stay counted."""
    with transaction.atomic():
        ballot = lock(batch.ballot)
        require_manage(actor, ballot)
        if ballot.is_closed:
            raise ActionError(_("The ballot is closed."), code="closed")
        batch = CodeBatch.objects.select_for_update().get(pk=batch.pk, ballot=ballot)
        if batch.is_void:
            raise ActionError(_("This batch of codes has already been withdrawn."), code="void")
        voided = VotingCode.objects.filter(batch=batch, is_used=False, is_void=False).update(is_void=True)
        VotingCode.objects.filter(batch=batch).update(is_void=True)
        batch.voided_at = timezone.now()
        batch.voided_by_id = actor.pk
        batch.save(update_fields=["voided_at", "voided_by_id"])
        journal.record(
            "ballots.codes.voided",
            actor=actor,
            target=ballot,
            unit=unit_of(ballot),
            data={"group": batch.group.name, "batch": batch.number, "unused_voided": voided, "already_used": batch.size - voided},
        )
    return batch


def issue_paper_ballots(*, actor, ballot, group, count: int) -> VoterGroup:
    """Record how many paper ballots were handed out to a group (the total, not an increment)."""
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        raise ActionError(_("Enter a whole number of paper ballots."), field="count")
    with transaction.atomic():
        ballot = lock(ballot)
        require_manage(actor, ballot)
        if ballot.is_closed:
            raise ActionError(_("The ballot is closed."), code="closed")
        group = _lock_group(ballot, group)
        room = group.headcount - _active_codes(group)
        if count > room:
            raise ActionError(
                _("%(group)s has a headcount of %(headcount)d and %(codes)d codes; at most %(room)d paper ballots can be issued.")
                % {"group": group.name, "headcount": group.headcount, "codes": group.headcount - room, "room": max(room, 0)},
                field="count",
            )
        entered = _paper_ballots_entered(group)
        if count < entered:
            raise ActionError(
                _("%(n)d paper ballots of this group have already been entered; the number issued cannot be lower.") % {"n": entered}, field="count"
            )
        old = group.paper_issued
        group.paper_issued = count
        group.save(update_fields=["paper_issued"])
        journal.record("ballots.paper.issued", actor=actor, target=ballot, unit=unit_of(ballot), data={"group": group.name, "old": old, "new": count})
    return group


def _paper_ballots_entered(group: VoterGroup) -> int:
    live = PaperEntry.objects.filter(group=group).exclude(status=PaperEntry.Status.VOID)
    sheets = live.filter(kind=PaperEntry.Kind.SHEET).count()
    counted = live.filter(kind=PaperEntry.Kind.COUNTS).aggregate(n=Max("ballots"))["n"] or 0
    return sheets + counted
