"""Ballot reads. Officers' reads are scoped by access.py on the ballot's unit path (not visible =
404). Other apps (appraisals, selection, oversight) read results through `results`,
`option_share` and `subjects_referring_to`, after checking their own access.
"""

from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from jiandu.accounts import access
from jiandu.core import rates
from jiandu.core.errors import ActionError

from . import results as results_module
from .models import Ballot, CodeBatch, Option, PaperEntry, Receipt, Subject, TallyCount, VoterGroup, VotingCode

PERMISSIONS = ("ballots.manage", "ballots.enter_paper", "ballots.view_results")


def ballots_visible_to(user, perm: str | None = None) -> QuerySet[Ballot]:
    """Ballots in the user's scope for `perm`, or for any ballot permission when not given."""
    if perm is not None:
        return Ballot.objects.filter(access.scope_q(user, perm, "unit_path"))
    q = Q(pk__in=[])
    for p in PERMISSIONS:
        q |= access.scope_q(user, p, "unit_path")
    return Ballot.objects.filter(q)


def get_ballot_for(user, pk, perm: str | None = None) -> Ballot:
    ballot = ballots_visible_to(user, perm).filter(pk=pk).first() if str(pk).isdigit() else None
    if ballot is None:
        raise access.NotVisible()
    return ballot


def get_subject_for(user, ballot: Ballot, pk, perm: str | None = None) -> Subject:
    get_ballot_for(user, ballot.pk, perm)
    subject = Subject.objects.filter(ballot=ballot, pk=pk).first() if str(pk).isdigit() else None
    if subject is None:
        raise access.NotVisible()
    return subject


def get_batch_for(user, ballot: Ballot, pk) -> CodeBatch:
    get_ballot_for(user, ballot.pk, "ballots.manage")
    batch = CodeBatch.objects.filter(ballot=ballot, pk=pk).select_related("group").first() if str(pk).isdigit() else None
    if batch is None:
        raise access.NotVisible()
    return batch


def get_paper_entry_for(user, ballot: Ballot, pk) -> PaperEntry:
    get_ballot_for(user, ballot.pk, "ballots.enter_paper")
    entry = PaperEntry.objects.filter(ballot=ballot, pk=pk).select_related("group", "subject").first() if str(pk).isdigit() else None
    if entry is None:
        raise access.NotVisible()
    return entry


def get_group(ballot: Ballot, pk) -> VoterGroup | None:
    return VoterGroup.objects.filter(ballot=ballot, pk=pk).first() if str(pk).isascii() and str(pk).isdigit() else None


def ballot_by_public_id(public_id) -> Ballot | None:
    """For the public receipts page (a ballot's public id is printed on the voter's receipt)."""
    return Ballot.objects.filter(public_id=public_id).first()


@dataclass
class GroupTurnout:
    group: VoterGroup
    codes_issued: int
    codes_used: int
    paper_entered: int
    paper_mode: str  # "" | "sheet" | "counts"

    @property
    def voted(self) -> int:
        return self.codes_used + self.paper_entered

    @property
    def rate(self) -> Fraction | None:
        return rates.rate(self.voted, self.group.headcount)


def turnout(ballot: Ballot) -> list[GroupTurnout]:
    """Per group: codes issued and used, paper ballots entered. Counts only, never content, so
    it may be shown while voting is open."""
    issued = dict(VotingCode.objects.filter(ballot=ballot).exclude(is_void=True, is_used=False).order_by().values_list("group_id").annotate(n=Count("*")))
    used = dict(VotingCode.objects.filter(ballot=ballot, is_used=True).order_by().values_list("group_id").annotate(n=Count("*")))
    live = PaperEntry.objects.filter(ballot=ballot).exclude(status=PaperEntry.Status.VOID)
    sheets = dict(live.filter(kind=PaperEntry.Kind.SHEET).order_by().values_list("group_id").annotate(n=Count("*")))
    piles = dict(live.filter(kind__in=[PaperEntry.Kind.COUNTS, PaperEntry.Kind.POST]).order_by().values_list("group_id").annotate(n=Max("ballots")))
    out = []
    for group in ballot.groups.all():
        mode = "sheet" if group.pk in sheets else "counts" if group.pk in piles else ""
        out.append(GroupTurnout(group, issued.get(group.pk, 0), used.get(group.pk, 0), sheets.get(group.pk, 0) or piles.get(group.pk, 0) or 0, mode))
    return out


def paper_entries(ballot: Ballot) -> QuerySet[PaperEntry]:
    return (
        PaperEntry.objects.filter(ballot=ballot)
        .select_related("group", "subject", "section")
        .order_by("kind", "sheet_no", "group__order", "subject__order", "id")
    )


def results(ballot: Ballot, *, user=None) -> results_module.BallotResults:
    """Counts per subject/question/group/option, rates and weighted scores with ranking. Hidden
    until the ballot is closed (ActionError code "hidden"). With `user`, needs
    ballots.view_results on the ballot's unit."""
    if user is not None:
        get_ballot_for(user, ballot.pk, "ballots.view_results")
    return results_module.build(ballot)


def option_share(ballot: Ballot, subject, question_code: str, option_codes, group=None) -> Fraction | None:
    """Share of the given option(s) among the valid votes on one question about one subject,
    pooled over all groups (or one group): an exact fraction, None without valid votes.
    E.g. option_share(b, s, "overall", ["incompetent"]) for the yellow card at ≥ 1/3 不称职."""
    if not ballot.results_visible:
        raise ActionError(_("Results are hidden until the ballot is closed."), code="hidden")
    if isinstance(option_codes, str):
        option_codes = [option_codes]
    subject_id = getattr(subject, "pk", subject)
    subject_obj = Subject.objects.filter(ballot=ballot, pk=subject_id).first()
    if subject_obj is None:
        raise ActionError(_("The ballot contains a subject or question that is not on this ballot."), field="subject")
    options = list(Option.objects.filter(question__section=subject_obj.section, question__code=question_code))
    if not options:
        raise ActionError(_("No question %(code)s about this subject.") % {"code": question_code}, field="question")
    by_code = {o.code: o for o in options}
    for code in option_codes:
        if code not in by_code:
            raise ActionError(_("No option %(code)s on this question.") % {"code": code}, field="option")
        if not by_code[code].is_valid_vote:
            raise ActionError(_("%(label)s is not a valid vote and has no share of the valid votes.") % {"label": by_code[code].label}, field="option")
    cells = TallyCount.objects.filter(ballot=ballot, subject_id=subject_id, option__in=options)
    if group is not None:
        cells = cells.filter(group_id=getattr(group, "pk", group))
    counts = {}
    for code, n in cells.values_list("option__code", "count"):
        counts[code] = counts.get(code, 0) + n
    valid = sum(n for code, n in counts.items() if by_code[code].is_valid_vote)
    return rates.rate(sum(counts.get(code, 0) for code in option_codes), valid)


def subjects_referring_to(app: str, model: str, pk) -> QuerySet[Subject]:
    """Subjects of any ballot that refer to another app's row (e.g. ("registry", "cadre", 12))."""
    return Subject.objects.filter(ref_app=app, ref_model=model, ref_pk=str(pk)).select_related("ballot", "section")


def counted_receipts(ballot: Ballot) -> list[str]:
    """The receipts of counted ballots, published once the ballot is closed (sorted, so the list
    order says nothing)."""
    if not ballot.is_closed:
        return []
    return sorted(Receipt.objects.filter(ballot=ballot).values_list("receipt", flat=True))


def is_receipt_counted(ballot: Ballot, receipt: str) -> bool:
    from . import codes

    if not ballot.is_closed or codes.receipt_problem(receipt):
        return False
    return Receipt.objects.filter(ballot=ballot, receipt=codes.display(receipt)).exists()


def ballots_past_closing(user) -> QuerySet[Ballot]:
    """Open ballots whose voting window has ended: an officer should settle paper and close them."""
    return ballots_visible_to(user, "ballots.manage").filter(status=Ballot.Status.OPEN, closes_at__lte=timezone.now())
