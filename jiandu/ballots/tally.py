"""Counting: the tally made on close and the recount from raw ballots that must equal it.

Raw ballots are the counted online and keyed paper ballots (CastBallot + Answer rows) and the
confirmed per-option counts entered for paper counted by hand (PaperCount rows). The stored tally
is TallyCount (one row per non-zero subject × group × option cell; the question is the option's)
plus GroupTally (ballots per group).
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Sum

from .models import Answer, Ballot, CastBallot, GroupTally, Option, PaperCount, PaperEntry, PostTally, TallyCount

Cell = tuple[int, int, int]  # (subject id, group id, option id)


def count_answers(ballot_id: int) -> Counter:
    """One GROUP BY over the ballot's answers."""
    rows = (
        Answer.objects.filter(ballot_id=ballot_id)
        .order_by()
        .values_list("subject_id", "group_id", "option_id")
        .annotate(n=Count("*"))
        .values_list("subject_id", "group_id", "option_id", "n")
    )
    return Counter({(s, g, o): n for s, g, o, n in rows})


def count_paper_counts(ballot_id: int) -> Counter:
    rows = (
        PaperCount.objects.filter(ballot_id=ballot_id)
        .order_by()
        .values_list("subject_id", "group_id", "option_id")
        .annotate(n=Sum("count"))
        .values_list("subject_id", "group_id", "option_id", "n")
    )
    return Counter({(s, g, o): n for s, g, o, n in rows if n})


def raw_counts(ballot_id: int) -> Counter:
    counts = count_answers(ballot_id)
    counts.update(count_paper_counts(ballot_id))
    return +counts


def raw_group_ballots(ballot_id: int) -> dict[int, tuple[int, int]]:
    """group id → (online ballots, paper ballots), from the raw rows."""
    result: dict[int, list[int]] = {}
    for group_id, is_paper, n in CastBallot.objects.filter(ballot_id=ballot_id).order_by().values_list("group_id", "is_paper").annotate(n=Count("*")):
        result.setdefault(group_id, [0, 0])[1 if is_paper else 0] += n
    # Every confirmed count entry of a group covers the same pile of paper ballots.
    counted = dict(
        PaperEntry.objects.filter(ballot_id=ballot_id, kind__in=[PaperEntry.Kind.COUNTS, PaperEntry.Kind.POST], status=PaperEntry.Status.CONFIRMED).values_list(
            "group_id", "ballots"
        )
    )
    for group_id, ballots in counted.items():
        result.setdefault(group_id, [0, 0])[1] += ballots or 0
    return {g: (v[0], v[1]) for g, v in result.items()}


def store(ballot: Ballot, counts: Counter, group_ballots: dict[int, tuple[int, int]], codes: dict[int, tuple[int, int]]) -> None:
    """Write the tally (inside close_ballot's transaction)."""
    question_of = dict(Option.objects.filter(question__section__ballot=ballot).values_list("pk", "question_id"))
    TallyCount.objects.bulk_create(
        (TallyCount(ballot=ballot, subject_id=s, group_id=g, option_id=o, question_id=question_of[o], count=n) for (s, g, o), n in sorted(counts.items()) if n),
        batch_size=2000,
    )
    for group in ballot.groups.all():
        online, paper = group_ballots.get(group.pk, (0, 0))
        issued, used = codes.get(group.pk, (0, 0))
        GroupTally.objects.create(ballot=ballot, group=group, online=online, paper=paper, codes_issued=issued, codes_used=used)


def store_posts(ballot: Ballot, shape, invalid: Counter) -> None:
    """One PostTally row per recommendation section and voter group that votes on it: the ballots
    invalid for that post (inside close_ballot's transaction)."""
    rows = []
    for section_id, post in shape.posts.items():
        for group in shape.groups:
            if any(item.question_id == post.question_id for item in shape.layouts[group.pk].items):
                rows.append(PostTally(ballot=ballot, section_id=section_id, group_id=group.pk, invalid=invalid.get((section_id, group.pk), 0)))
    PostTally.objects.bulk_create(rows)


def stored_counts(ballot_id: int) -> Counter:
    return Counter({(s, g, o): n for s, g, o, n in TallyCount.objects.filter(ballot_id=ballot_id).values_list("subject_id", "group_id", "option_id", "count")})


@dataclass
class RecountResult:
    ok: bool
    cells: int
    ballots: int
    differences: list[str]


def recount(ballot: Ballot) -> RecountResult:
    """Count again from the raw ballots and compare with the stored tally."""
    fresh = raw_counts(ballot.pk)
    stored = stored_counts(ballot.pk)
    differences = [
        f"cell subject={s} group={g} option={o}: stored {stored.get((s, g, o), 0)}, recount {fresh.get((s, g, o), 0)}"
        for (s, g, o) in sorted(set(fresh) | set(stored))
        if fresh.get((s, g, o), 0) != stored.get((s, g, o), 0)
    ]
    raw_groups = raw_group_ballots(ballot.pk)
    total = 0
    for row in GroupTally.objects.filter(ballot=ballot):
        online, paper = raw_groups.get(row.group_id, (0, 0))
        total += online + paper
        if (online, paper) != (row.online, row.paper):
            differences.append(f"group {row.group_id}: stored {row.online}+{row.paper} ballots, recount {online}+{paper}")
    return RecountResult(not differences, len(fresh), total, differences)
