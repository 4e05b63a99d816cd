"""Paper mode: officers key in paper ballots one by one (kind "sheet"), or the per-option counts
of each subject and group counted by hand (kind "counts"), or for a recommendation section the
votes per person, the names written in and the ballots invalid for the post (kind "post").

A keyed sheet may name more people than a post allows: it is then invalid for that post (废票),
its marks and names there are dropped, and the rest of the sheet counts.

With double entry each sheet (or count sheet) is keyed twice — by two passes, or by two different
officers — and the second entry is compared with the first: agreement confirms it, disagreement is
reported and blocks the close until an officer resolves it against the paper or voids it. Entries
are sealed like online ballots; the journal records who entered which sheet number and the
outcome of the comparison, never the answers or counts.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import journal
from jiandu.core.errors import ActionError

from .. import sealing, structure
from ..models import Ballot, PaperEntry, Section, Subject, VoterGroup
from .definitions import lock, unit_of

MAX_SHEET_NO = 100_000
COUNT_KINDS = (PaperEntry.Kind.COUNTS, PaperEntry.Kind.POST)


def _prepare(actor, ballot: Ballot, group) -> tuple[Ballot, VoterGroup]:
    ballot = lock(ballot)
    access.require(actor, "ballots.enter_paper", ballot.unit_path)
    if not ballot.accepts_paper():
        if ballot.is_closed:
            raise ActionError(_("The ballot is closed."), code="closed")
        raise ActionError(_("Paper ballots can be entered once the ballot is open."), code="not_open")
    group = VoterGroup.objects.filter(pk=getattr(group, "pk", group), ballot=ballot).first()
    if group is None:
        raise ActionError(_("This voter group is not part of the ballot."), field="group")
    return ballot, group


def _live(ballot, **filters):
    return PaperEntry.objects.filter(ballot=ballot, **filters).exclude(status=PaperEntry.Status.VOID)


def _second_pass(actor, ballot: Ballot, entry: PaperEntry, label: str) -> None:
    if entry.status == PaperEntry.Status.DISAGREED:
        raise ActionError(
            _("%(what)s: the two entries disagree on %(n)d answers; check the paper and resolve it.") % {"what": label, "n": entry.differences},
            code="disagreed",
        )
    if entry.status != PaperEntry.Status.AWAITING_SECOND:
        raise ActionError(_("%(what)s has already been entered.") % {"what": label}, code="duplicate")
    if ballot.double_entry == Ballot.DoubleEntry.TWO_OFFICERS and entry.first_by_id == actor.pk:
        raise ActionError(_("%(what)s: the second entry must be made by another officer.") % {"what": label}, code="same_officer")


def _compare_and_store(entry: PaperEntry, key: bytes, ballot: Ballot, payload: dict, differences_of, actor) -> None:
    first = sealing.unseal(key, ballot.pk, entry.first_sealed)
    entry.differences = differences_of(first, payload)
    entry.second_sealed = sealing.seal(key, ballot.pk, payload)
    entry.second_by_id = actor.pk
    entry.status = PaperEntry.Status.CONFIRMED if entry.differences == 0 else PaperEntry.Status.DISAGREED
    entry.save(update_fields=["differences", "second_sealed", "second_by_id", "status"])


def _first_status(ballot: Ballot) -> str:
    return PaperEntry.Status.CONFIRMED if ballot.double_entry == Ballot.DoubleEntry.OFF else PaperEntry.Status.AWAITING_SECOND


def _sheet_differences(first: dict, second: dict) -> int:
    return (
        sum(a != b for a, b in zip(first["a"], second["a"], strict=True))
        + (first["g"] != second["g"])
        + (first.get("w", {}) != second.get("w", {}))
        + (first.get("x", []) != second.get("x", []))
    )


def _sheet_payload(shape, group_id: int, answers: dict, written: dict | None) -> dict:
    chosen = structure.validate(shape, group_id, answers, allow_blank=True)
    writes, invalid = structure.apply_recommendations(shape, group_id, chosen, written or {}, paper=True)
    payload = {"g": group_id, "a": structure.encode(shape, group_id, chosen)}
    if writes:
        payload["w"] = writes
    if invalid:
        payload["x"] = sorted(invalid)
    return payload


def _sheet_label(sheet_no: int) -> str:
    return _("Sheet %(n)d") % {"n": sheet_no}


def enter_paper_sheet(*, actor, ballot: Ballot, group, sheet_no: int, answers: dict, written: dict | None = None) -> PaperEntry:
    """Key in one paper ballot: answers {(subject id, question id): option id or None for a blank}
    and the names written in on recommendation sections {section id: [names]}. The first entry of
    a sheet number creates it; with double entry, the second is compared."""
    if not isinstance(sheet_no, int) or isinstance(sheet_no, bool) or not 1 <= sheet_no <= MAX_SHEET_NO:
        raise ActionError(_("The sheet number must be a whole number from 1 to %(n)d.") % {"n": MAX_SHEET_NO}, field="sheet_no")
    with transaction.atomic():
        ballot, group = _prepare(actor, ballot, group)
        shape = structure.load(ballot)
        payload = _sheet_payload(shape, group.pk, answers, written)
        key = sealing.unwrap_key(ballot.sealing_key)
        label = _sheet_label(sheet_no)
        entry = _live(ballot, kind=PaperEntry.Kind.SHEET, sheet_no=sheet_no).select_for_update().first()
        if entry is None:
            if _live(ballot, kind__in=COUNT_KINDS, group=group).exists():
                raise ActionError(_("Option counts have been entered for this group; its paper ballots cannot also be keyed one by one."), field="group")
            entered = _live(ballot, kind=PaperEntry.Kind.SHEET, group=group).count()
            if entered >= group.paper_issued:
                raise ActionError(
                    _("All %(n)d paper ballots issued to %(group)s have been entered; record more issued ballots or check the sheet number.")
                    % {"n": group.paper_issued, "group": group.name},
                    field="sheet_no",
                )
            entry = PaperEntry.objects.create(
                ballot=ballot,
                group=group,
                kind=PaperEntry.Kind.SHEET,
                sheet_no=sheet_no,
                status=_first_status(ballot),
                first_sealed=sealing.seal(key, ballot.pk, payload),
                first_by_id=actor.pk,
            )
            pass_no = 1
        else:
            if entry.group_id != group.pk:
                raise ActionError(_("%(what)s was first entered for another voter group.") % {"what": label}, field="group")
            _second_pass(actor, ballot, entry, label)
            _compare_and_store(entry, key, ballot, payload, _sheet_differences, actor)
            pass_no = 2
        journal.record(
            "ballots.paper.sheet_entered",
            actor=actor,
            target=ballot,
            unit=unit_of(ballot),
            data={"group": group.name, "sheet": sheet_no, "pass": pass_no, "status": entry.status, "differences": entry.differences},
        )
    return entry


def _counts_payload(shape, group: VoterGroup, subject: Subject, ballots: int, counts: dict) -> dict:
    """Normalise {question id: {option id: n}} to every option of the subject's questions."""
    if subject.pk not in shape.group_subjects.get(group.pk, []):
        raise ActionError(_("%(group)s does not rate %(subject)s.") % {"group": group.name, "subject": subject.label}, field="subject")
    if not isinstance(ballots, int) or isinstance(ballots, bool) or ballots < 1:
        raise ActionError(_("Enter how many paper ballots were counted (at least 1)."), field="ballots")
    if ballots > group.paper_issued:
        raise ActionError(
            _("Only %(n)d paper ballots were issued to %(group)s.") % {"n": group.paper_issued, "group": group.name},
            field="ballots",
        )
    questions = shape.subject_questions(subject)
    question_ids = {q.pk for q in questions}
    for qid in counts:
        if qid not in question_ids:
            raise ActionError(_("The ballot contains a subject or question that is not on this ballot."), field="counts", code="foreign_subject")
    cells = []
    for q in questions:
        given = counts.get(q.pk, {}) or {}
        option_ids = {o.pk for o in shape.options[q.pk]}
        for oid in given:
            if oid not in option_ids:
                raise ActionError(_("An answer is not one of the options of its question."), field="counts", code="foreign_option")
        total = 0
        for o in shape.options[q.pk]:
            n = given.get(o.pk, 0)
            if not isinstance(n, int) or isinstance(n, bool) or n < 0:
                raise ActionError(_("Counts must be whole numbers, zero or more."), field="counts")
            total += n
            cells.append([q.pk, o.pk, n])
        if total > ballots:
            raise ActionError(
                _("%(question)s: the counts add up to %(total)d, more than the %(n)d ballots counted.") % {"question": q.label, "total": total, "n": ballots},
                field="counts",
            )
    return {"b": ballots, "c": cells}


def _counts_differences(first: dict, second: dict) -> int:
    return sum(a != b for a, b in zip(first["c"], second["c"], strict=True)) + (first["b"] != second["b"])


def enter_paper_counts(*, actor, ballot: Ballot, group, subject: Subject, ballots: int, counts: dict) -> PaperEntry:
    """Enter the per-option counts of one subject for one group: counts {question id: {option id:
    n}} over `ballots` paper ballots (the same number for every subject of the group)."""
    with transaction.atomic():
        ballot, group = _prepare(actor, ballot, group)
        subject = Subject.objects.filter(pk=getattr(subject, "pk", subject), ballot=ballot).first()
        if subject is None:
            raise ActionError(_("The ballot contains a subject or question that is not on this ballot."), field="subject", code="foreign_subject")
        shape = structure.load(ballot)
        if subject.section_id in shape.posts:
            raise ActionError(_("Candidates of a recommendation are counted together, with the names written in and the invalid ballots."), field="subject")
        payload = _counts_payload(shape, group, subject, ballots, counts)
        if _live(ballot, kind=PaperEntry.Kind.SHEET, group=group).exists():
            raise ActionError(_("Paper ballots of this group are being keyed one by one; its counts cannot also be entered."), field="group")
        other = _live(ballot, kind__in=COUNT_KINDS, group=group).exclude(subject=subject).exclude(ballots=ballots).first()
        if other is not None:
            raise ActionError(_("Counts for this group cover %(n)d ballots; enter the same number for every subject.") % {"n": other.ballots}, field="ballots")
        key = sealing.unwrap_key(ballot.sealing_key)
        label = _("Counts for %(subject)s (%(group)s)") % {"subject": subject.label, "group": group.name}
        entry = _live(ballot, kind=PaperEntry.Kind.COUNTS, group=group, subject=subject).select_for_update().first()
        if entry is None:
            entry = PaperEntry.objects.create(
                ballot=ballot,
                group=group,
                subject=subject,
                kind=PaperEntry.Kind.COUNTS,
                status=_first_status(ballot),
                ballots=ballots,
                first_sealed=sealing.seal(key, ballot.pk, payload),
                first_by_id=actor.pk,
            )
            pass_no = 1
        else:
            _second_pass(actor, ballot, entry, label)
            _compare_and_store(entry, key, ballot, payload, _counts_differences, actor)
            pass_no = 2
        journal.record(
            "ballots.paper.counts_entered",
            actor=actor,
            target=ballot,
            unit=unit_of(ballot),
            data={
                "group": group.name,
                "subject": subject.label,
                "ballots": ballots,
                "pass": pass_no,
                "status": entry.status,
                "differences": entry.differences,
            },
        )
    return entry


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _post_payload(shape, group: VoterGroup, section: Section, ballots: int, counts: dict, written: dict, invalid: int) -> dict:
    """Normalise recommendation counts: {subject id: votes} for every candidate the group sees,
    {name: votes} written in (names normalised, equal names added up; a candidate's name is that
    candidate's), `invalid` ballots (more names than allowed) out of `ballots`."""
    post = shape.posts.get(section.pk)
    layout = shape.layouts.get(group.pk)
    candidates = [item.subject_id for item in layout.items if post is not None and item.question_id == post.question_id] if layout else []
    if post is None or not candidates:
        raise ActionError(_("%(group)s does not vote on %(post)s.") % {"group": group.name, "post": section.title}, field="section")
    if not _whole(ballots) or ballots < 1:
        raise ActionError(_("Enter how many paper ballots were counted (at least 1)."), field="ballots")
    if ballots > group.paper_issued:
        raise ActionError(_("Only %(n)d paper ballots were issued to %(group)s.") % {"n": group.paper_issued, "group": group.name}, field="ballots")
    if not _whole(invalid) or invalid > ballots:
        raise ActionError(_("The invalid ballots must be a whole number from 0 to the ballots counted."), field="invalid")
    for subject_id in counts:
        if subject_id not in candidates:
            raise ActionError(_("The ballot contains a subject or question that is not on this ballot."), field="counts", code="foreign_subject")
    votes = {subject_id: counts.get(subject_id, 0) or 0 for subject_id in candidates}
    if not all(_whole(n) for n in votes.values()):
        raise ActionError(_("Counts must be whole numbers, zero or more."), field="counts")
    names: dict[str, int] = {}
    for raw, n in written.items():
        name = structure.normalise_name(raw)
        if not name:
            continue
        if len(name) > structure.MAX_NAME:
            raise ActionError(_("A written-in name is longer than %(n)d characters.") % {"n": structure.MAX_NAME}, field="written")
        if not _whole(n):
            raise ActionError(_("Counts must be whole numbers, zero or more."), field="written")
        subject_id = post.candidates.get(name)
        if subject_id in votes:
            votes[subject_id] += n
        else:
            names[name] = names.get(name, 0) + n
    if names and not post.write_in_lines:
        raise ActionError(_("%(post)s has no lines for other names.") % {"post": post.label}, field="written")
    valid = ballots - invalid
    for n in [*votes.values(), *names.values()]:
        if n > valid:
            raise ActionError(
                _("%(post)s: one person cannot have more votes (%(n)d) than valid ballots (%(valid)d).") % {"post": post.label, "n": n, "valid": valid},
                field="counts",
            )
    total = sum(votes.values()) + sum(names.values())
    if total > valid * post.max_choices:
        raise ActionError(
            _("%(post)s: %(total)d votes are more than %(valid)d valid ballots naming at most %(n)d people each can give.")
            % {"post": post.label, "total": total, "valid": valid, "n": post.max_choices},
            field="counts",
        )
    return {"b": ballots, "s": section.pk, "c": [[s, votes[s]] for s in candidates], "w": sorted([k, v] for k, v in names.items() if v), "x": invalid}


def _post_differences(first: dict, second: dict) -> int:
    return (
        sum(a != b for a, b in zip(first["c"], second["c"], strict=True))
        + (first["w"] != second["w"])
        + (first["x"] != second["x"])
        + (first["b"] != second["b"])
    )


def enter_paper_post_counts(*, actor, ballot: Ballot, group, section, ballots: int, counts: dict, written: dict | None = None, invalid: int = 0) -> PaperEntry:
    """Enter the result of a recommendation section counted by hand for one group: `counts`
    {subject id: votes} for the candidates, `written` {name: votes} for other names, `invalid`
    ballots naming more people than allowed, out of `ballots` paper ballots (the same pile as the
    group's other counts). Double entry as for option counts."""
    with transaction.atomic():
        ballot, group = _prepare(actor, ballot, group)
        section = Section.objects.filter(pk=getattr(section, "pk", section), ballot=ballot).first()
        if section is None or not section.is_recommendation:
            raise ActionError(_("That section is not on this ballot."), field="section")
        shape = structure.load(ballot)
        payload = _post_payload(shape, group, section, ballots, counts, written or {}, invalid)
        if _live(ballot, kind=PaperEntry.Kind.SHEET, group=group).exists():
            raise ActionError(_("Paper ballots of this group are being keyed one by one; its counts cannot also be entered."), field="group")
        other = _live(ballot, kind__in=COUNT_KINDS, group=group).exclude(section=section).exclude(ballots=ballots).first()
        if other is not None:
            raise ActionError(_("Counts for this group cover %(n)d ballots; enter the same number for every subject.") % {"n": other.ballots}, field="ballots")
        key = sealing.unwrap_key(ballot.sealing_key)
        label = _("Counts for %(subject)s (%(group)s)") % {"subject": section.title, "group": group.name}
        entry = _live(ballot, kind=PaperEntry.Kind.POST, group=group, section=section).select_for_update().first()
        if entry is None:
            entry = PaperEntry.objects.create(
                ballot=ballot,
                group=group,
                section=section,
                kind=PaperEntry.Kind.POST,
                status=_first_status(ballot),
                ballots=ballots,
                first_sealed=sealing.seal(key, ballot.pk, payload),
                first_by_id=actor.pk,
            )
            pass_no = 1
        else:
            _second_pass(actor, ballot, entry, label)
            _compare_and_store(entry, key, ballot, payload, _post_differences, actor)
            pass_no = 2
        journal.record(
            "ballots.paper.counts_entered",
            actor=actor,
            target=ballot,
            unit=unit_of(ballot),
            data={"group": group.name, "subject": section.title, "ballots": ballots, "pass": pass_no, "status": entry.status, "differences": entry.differences},
        )
    return entry


def _lock_entry(actor, entry: PaperEntry) -> tuple[Ballot, PaperEntry]:
    ballot = lock(entry.ballot)
    access.require(actor, "ballots.enter_paper", ballot.unit_path)
    if not ballot.accepts_paper():
        raise ActionError(_("The ballot is closed."), code="closed")
    return ballot, PaperEntry.objects.select_for_update().get(pk=entry.pk, ballot=ballot)


def resolve_paper_entry(
    *,
    actor,
    entry: PaperEntry,
    answers: dict | None = None,
    ballots: int | None = None,
    counts: dict | None = None,
    written: dict | None = None,
    invalid: int = 0,
) -> PaperEntry:
    """Settle a disagreement by keying the sheet (or counts) once more from the paper; this entry
    is the one counted. Recommendation counts (kind post): `counts` {subject id: votes},
    `written` {name: votes}, `invalid` ballots."""
    with transaction.atomic():
        ballot, entry = _lock_entry(actor, entry)
        if entry.status != PaperEntry.Status.DISAGREED:
            raise ActionError(_("Only entries whose two passes disagree need resolving."), code="not_disagreed")
        shape = structure.load(ballot)
        group = entry.group
        if entry.kind == PaperEntry.Kind.SHEET:
            payload = _sheet_payload(shape, group.pk, answers or {}, written)
        else:
            other = _live(ballot, kind__in=COUNT_KINDS, group=group).exclude(pk=entry.pk).exclude(ballots=ballots).first()
            if other is not None:
                raise ActionError(
                    _("Counts for this group cover %(n)d ballots; enter the same number for every subject.") % {"n": other.ballots}, field="ballots"
                )
            if entry.kind == PaperEntry.Kind.POST:
                payload = _post_payload(shape, group, entry.section, ballots, counts or {}, written or {}, invalid)
            else:
                payload = _counts_payload(shape, group, entry.subject, ballots, counts or {})
            entry.ballots = ballots
        key = sealing.unwrap_key(ballot.sealing_key)
        entry.first_sealed = sealing.seal(key, ballot.pk, payload)
        entry.second_sealed = b""
        entry.resolved_by_id = actor.pk
        entry.status = PaperEntry.Status.CONFIRMED
        entry.save(update_fields=["first_sealed", "second_sealed", "resolved_by_id", "status", "ballots"])
        journal.record(
            "ballots.paper.resolved",
            actor=actor,
            target=ballot,
            unit=unit_of(ballot),
            data={
                "kind": entry.kind,
                "group": group.name,
                "sheet": entry.sheet_no,
                "subject": entry.subject.label if entry.subject_id else None,
                "post": entry.section.title if entry.section_id else None,
            },
        )
    return entry


def void_paper_entry(*, actor, entry: PaperEntry, reason: str) -> PaperEntry:
    """Withdraw a paper entry (keyed under a wrong number, spoiled ballot…) so it is not counted."""
    reason = (reason or "").strip()
    if not reason:
        raise ActionError(_("Give the reason for voiding the entry."), field="reason")
    with transaction.atomic():
        ballot, entry = _lock_entry(actor, entry)
        if entry.status == PaperEntry.Status.VOID:
            raise ActionError(_("This entry is already void."), code="void")
        entry.status = PaperEntry.Status.VOID
        entry.first_sealed = b""
        entry.second_sealed = b""
        entry.save(update_fields=["status", "first_sealed", "second_sealed"])
        journal.record(
            "ballots.paper.voided",
            actor=actor,
            target=ballot,
            unit=unit_of(ballot),
            data={"kind": entry.kind, "group": entry.group.name, "sheet": entry.sheet_no, "reason": reason[:500]},
        )
    return entry
