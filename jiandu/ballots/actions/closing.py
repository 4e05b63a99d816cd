"""Closing: open the sealed ballots, shuffle, write them out, destroy the key, tally."""

import secrets
import uuid
from collections import Counter

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.blockers import Blocker, refuse
from jiandu.core.errors import ActionError
from jiandu.core.practice import get_setting

from .. import sealing, structure, tally
from ..models import Ballot, CastBallot, PaperCount, PaperEntry, Receipt, SealedBallot, VotingCode, WriteInCount
from .definitions import lock, require_manage, unit_of

ANSWER_BATCH = 5000


def _write_out(ballot: Ballot, ballots: list[tuple[int, bool, list[tuple[int, int, int | None]]]]) -> None:
    """Insert the (already shuffled) ballots: random ids, no timestamps, one transaction."""
    casts = [CastBallot(id=uuid.uuid4(), ballot_id=ballot.pk, group_id=group_id, is_paper=is_paper) for group_id, is_paper, _answers in ballots]
    CastBallot.objects.bulk_create(casts, batch_size=1000)
    pk_field = CastBallot._meta.pk
    sql = "INSERT INTO ballots_answer (ballot_id, cast_id, group_id, subject_id, option_id) VALUES (%s, %s, %s, %s, %s)"
    rows = []
    with connection.cursor() as cursor:
        for cast, (group_id, _is_paper, answers) in zip(casts, ballots, strict=True):
            cast_id = pk_field.get_db_prep_value(cast.id, connection)
            rows.extend((ballot.pk, cast_id, group_id, subject_id, option_id) for subject_id, _question_id, option_id in answers if option_id is not None)
            if len(rows) >= ANSWER_BATCH:
                cursor.executemany(sql, rows)
                rows = []
        if rows:
            cursor.executemany(sql, rows)


def _destroy_sealed(ballot: Ballot) -> None:
    """Delete the sealed ballots; on SQLite overwrite the freed pages too (secure_delete)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")
    SealedBallot.objects.filter(ballot=ballot).delete()
    PaperEntry.objects.filter(ballot=ballot).update(first_sealed=b"", second_sealed=b"")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = OFF")


def close_problems(ballot: Ballot) -> list[Blocker]:
    """What stops an open ballot from closing (empty when it may close)."""
    problems = []
    unsettled = PaperEntry.objects.filter(ballot=ballot).exclude(status__in=[PaperEntry.Status.CONFIRMED, PaperEntry.Status.VOID]).count()
    if unsettled:
        problems.append(
            Blocker(
                "paper_unsettled",
                ngettext(
                    "%(n)d paper entry awaits its second entry or the resolution of a disagreement; nothing is counted until it is settled.",
                    "%(n)d paper entries await their second entry or the resolution of a disagreement; nothing is counted until they are settled.",
                    unsettled,
                )
                % {"n": unsettled},
            )
        )
    return problems


def close_ballot(*, actor, ballot: Ballot) -> Ballot:
    """Close an open ballot and tally it. Every paper entry must be settled. The sealed ballots are
    opened, shuffled and written out with random ids in one transaction, the receipts in an
    order of their own; the data key is destroyed; the tally is stored and checked against a
    recount of the rows just written."""
    with transaction.atomic():
        ballot = lock(ballot)
        require_manage(actor, ballot)
        if ballot.is_closed:
            raise ActionError(_("The ballot is already closed."), code="closed")
        if ballot.is_draft:
            raise ActionError(_("The ballot has not been opened."), code="not_open")
        refuse(close_problems(ballot), code="unsettled")
        key = sealing.unwrap_key(ballot.sealing_key)
        shape = structure.load(ballot)
        sealed = list(SealedBallot.objects.filter(ballot=ballot).values_list("sealed", flat=True))
        used = VotingCode.objects.filter(ballot=ballot, is_used=True).count()
        if used != len(sealed):
            raise ActionError(
                _("Integrity check failed: %(used)d codes were used but %(sealed)d sealed ballots exist. Nothing was counted; contact the administrator.")
                % {"used": used, "sealed": len(sealed)},
                code="integrity",
            )
        ballots = []
        receipts = []
        # Recommendation sections: names written in and ballots invalid for a post, counted per
        # (section, group) as the ballots are opened — never kept with the ballot (WriteInCount).
        written = Counter()
        invalid = Counter()

        def _extras(payload):
            for section_id, names in (payload.get("w") or {}).items():
                for name in names:
                    written[(int(section_id), payload["g"], name)] += 1
            for section_id in payload.get("x") or []:
                invalid[(int(section_id), payload["g"])] += 1

        for blob in sealed:
            payload = sealing.unseal(key, ballot.pk, blob)
            ballots.append((payload["g"], False, structure.decode(shape, payload["g"], payload["a"])))
            receipts.append(payload["r"])
            _extras(payload)
        entries = list(PaperEntry.objects.filter(ballot=ballot, status=PaperEntry.Status.CONFIRMED))
        paper_counts = Counter()
        counted_piles: dict[int, int] = {}
        for entry in entries:
            payload = sealing.unseal(key, ballot.pk, entry.first_sealed)
            if entry.kind == PaperEntry.Kind.SHEET:
                ballots.append((payload["g"], True, structure.decode(shape, payload["g"], payload["a"])))
                _extras(payload)
            elif entry.kind == PaperEntry.Kind.POST:
                counted_piles[entry.group_id] = payload["b"]
                post = shape.posts[payload["s"]]
                for subject_id, n in payload["c"]:
                    if n:
                        paper_counts[(subject_id, entry.group_id, post.option_id)] += n
                for name, n in payload["w"]:
                    written[(payload["s"], entry.group_id, name)] += n
                if payload["x"]:
                    invalid[(payload["s"], entry.group_id)] += payload["x"]
            else:
                counted_piles[entry.group_id] = payload["b"]
                for _question_id, option_id, n in payload["c"]:
                    if n:
                        paper_counts[(entry.subject_id, entry.group_id, option_id)] += n
        shuffler = secrets.SystemRandom()
        shuffler.shuffle(ballots)
        shuffler.shuffle(receipts)

        expected = Counter()
        group_ballots: dict[int, list[int]] = {}
        for group_id, is_paper, answers in ballots:
            group_ballots.setdefault(group_id, [0, 0])[1 if is_paper else 0] += 1
            for subject_id, _question_id, option_id in answers:
                if option_id is not None:
                    expected[(subject_id, group_id, option_id)] += 1
        for group_id, pile in counted_piles.items():
            group_ballots.setdefault(group_id, [0, 0])[1] += pile
        expected.update(paper_counts)

        _write_out(ballot, ballots)
        Receipt.objects.bulk_create((Receipt(ballot=ballot, receipt=r) for r in receipts), batch_size=2000)
        PaperCount.objects.bulk_create(
            (PaperCount(ballot=ballot, subject_id=s, group_id=g, option_id=o, count=n) for (s, g, o), n in sorted(paper_counts.items())), batch_size=2000
        )
        _destroy_sealed(ballot)

        if tally.raw_counts(ballot.pk) != +expected:
            raise ActionError(_("Integrity check failed: the written ballots do not add up. Nothing was counted; contact the administrator."), code="integrity")
        codes = {}
        for group in shape.groups:
            qs = VotingCode.objects.filter(group=group)
            codes[group.pk] = (qs.exclude(is_void=True, is_used=False).count(), qs.filter(is_used=True).count())
        tally.store(ballot, +expected, {g: (v[0], v[1]) for g, v in group_ballots.items()}, codes)
        WriteInCount.objects.bulk_create(
            (WriteInCount(ballot=ballot, section_id=s, group_id=g, name=name, count=n) for (s, g, name), n in sorted(written.items()) if n), batch_size=2000
        )
        tally.store_posts(ballot, shape, invalid)

        ballot.status = Ballot.Status.CLOSED
        ballot.closed_at = timezone.now()
        ballot.min_group_size = int(get_setting("ballots.min_group_size"))
        ballot.sealing_key = b""
        ballot.save(update_fields=["status", "closed_at", "min_group_size", "sealing_key"])
        online = sum(1 for _g, is_paper, _a in ballots if not is_paper)
        journal.record(
            "ballots.ballot.closed",
            actor=actor,
            target=ballot,
            unit=unit_of(ballot),
            data={
                "online_ballots": online,
                "paper_sheets": len(ballots) - online,
                "paper_counted": sum(counted_piles.values()),
                "codes_used": used,
                "receipts": len(receipts),
                **({"write_ins": sum(written.values()), "invalid_for_a_post": sum(invalid.values())} if shape.posts else {}),
            },
        )
    structure.forget(ballot.pk)
    return ballot


def record_results_download(*, actor, ballot: Ballot, fmt: str):
    """Journal `ballots.results.downloaded`: `actor` took the results of a closed ballot away as a
    file (xlsx or pdf). Preconditions: the actor may view the results. Writes only the journal."""
    if fmt not in ("xlsx", "pdf"):
        raise ValueError(f"unknown format {fmt!r}")
    access.require(actor, "ballots.view_results", ballot.unit_path)
    with transaction.atomic():
        return journal.record("ballots.results.downloaded", actor=actor, target=ballot, unit=unit_of(ballot), data={"format": fmt})
