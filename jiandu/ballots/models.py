"""Secret ballots (测评票): a definition (sections of subjects with questions and option scales, voter
groups with weights and headcounts), one-time voting codes, sealed ballots, paper entry and the tally.

Ballots know nothing about appraisals, selection or duty reports; those apps build a definition
from a spec (`actions.create_ballot`) and read results through `queries`. A ballot belongs to an
organising unit by id and materialised path only (like accounts.RoleAssignment), so access is
scoped with `access.scope_q(user, perm, "unit_path")` without importing the registry.

Secrecy (docs/decisions/0005-ballot-secrecy.md): while voting, a ballot exists only as a sealed
(encrypted, padded) row under a per-ballot key; on close every sealed ballot is opened, the set is
shuffled and written in one transaction with random ids and no timestamps, and the key is destroyed.
No table that holds choices has a column that refers to a code, a voter, a time or an order.
"""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import settings as ballot_settings  # noqa: F401 - declares the local-practice settings


class Ballot(models.Model):
    """One secret-ballot evaluation (民主测评): its definition, window and state."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("ballot status", "draft")
        OPEN = "open", pgettext_lazy("ballot status", "open")
        CLOSED = "closed", pgettext_lazy("ballot status", "closed")

    class DoubleEntry(models.TextChoices):
        OFF = "off", _("single entry")
        TWO_PASSES = "two_passes", _("double entry: two passes")
        TWO_OFFICERS = "two_officers", _("double entry: two different officers")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(pgettext_lazy("ballot", "title"), max_length=200)
    description = models.TextField(_("instructions for voters"), blank=True)
    unit_id = models.BigIntegerField(_("organising unit"))
    unit_path = models.CharField(max_length=255, db_index=True)
    unit_name = models.CharField(_("organising unit"), max_length=200, blank=True)
    status = models.CharField(pgettext_lazy("ballot", "status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    opens_at = models.DateTimeField(_("voting opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("voting closes at"), null=True, blank=True)
    double_entry = models.CharField(_("paper entry"), max_length=16, choices=DoubleEntry.choices, default=DoubleEntry.TWO_PASSES)
    # The per-ballot data key, wrapped under the installation's ballot key; emptied on close so that
    # sealed ballots left in backups, WAL or free pages can never be opened again (crypto-shredding).
    sealing_key = models.BinaryField(editable=False, default=b"")
    created_at = models.DateTimeField(default=timezone.now)
    created_by_id = models.BigIntegerField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Snapshot of the minimum group size in force when the tally was made.
    min_group_size = models.PositiveIntegerField(null=True, blank=True)
    # How this ballot's rates are shown (counts are exact); empty = the global rates.* settings.
    # The seed reports 131/133 as 98.49 % and 132/133 as 99.2 % in one report: sections may differ.
    rate_places = models.PositiveSmallIntegerField(_("decimal places of rates"), null=True, blank=True)
    rate_rounding = models.CharField(_("rounding of rates"), max_length=12, blank=True)

    class Meta:
        verbose_name = _("ballot")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    def voting_state(self, now=None) -> str:
        """'not_open', 'open', 'ended' (window passed, not yet closed) or 'closed'."""
        now = now or timezone.now()
        if self.is_closed:
            return "closed"
        if self.is_draft or (self.opens_at and now < self.opens_at):
            return "not_open"
        if self.closes_at and now >= self.closes_at:
            return "ended"
        return "open"

    def accepts_votes(self, now=None) -> bool:
        return self.voting_state(now) == "open"

    def accepts_paper(self) -> bool:
        """Paper ballots are keyed in while the ballot is open (also after its window ended)."""
        return self.is_open

    @property
    def may_edit_definition(self) -> bool:
        return self.is_draft

    @property
    def results_visible(self) -> bool:
        return self.is_closed


class Section(models.Model):
    """A part of the ballot: subjects that share the same questions (e.g. 领导班子, 班子成员).

    A recommendation section (推荐, kind "recommendation") asks "name up to `max_choices` people
    for `post`": its subjects are the candidates, each with the one question "推荐" whose one
    option is the mark; an unmarked candidate is a blank (no Answer row). `write_in_lines` lines
    take names that are not on the list (WriteInCount). More than `max_choices` names make the
    ballot invalid for this post only (废票, PostTally.invalid); no name at all is a valid
    abstention. Shares are of the valid ballots of the post."""

    class Kind(models.TextChoices):
        RATING = "rating", _("rating on a scale")
        RECOMMENDATION = "recommendation", _("recommendation (推荐)")

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(pgettext_lazy("ballot", "title"), max_length=200)
    order = models.PositiveIntegerField(default=0)
    kind = models.CharField(pgettext_lazy("ballot", "kind"), max_length=16, choices=Kind.choices, default=Kind.RATING)
    post = models.CharField(_("post recommended for"), max_length=200, blank=True)
    max_choices = models.PositiveSmallIntegerField(_("names per ballot at most"), null=True, blank=True)
    write_in_lines = models.PositiveSmallIntegerField(_("lines for other names"), default=0)
    # Empty = the ballot's (or the global) rate display.
    rate_places = models.PositiveSmallIntegerField(_("decimal places of rates"), null=True, blank=True)
    rate_rounding = models.CharField(_("rounding of rates"), max_length=12, blank=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self):
        return self.title

    @property
    def is_recommendation(self) -> bool:
        return self.kind == self.Kind.RECOMMENDATION


class Question(models.Model):
    """One thing asked about every subject of a section (德, 能, 勤, 绩, 廉, overall grade…)."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(max_length=40)
    label = models.CharField(pgettext_lazy("ballot", "question"), max_length=200)
    order = models.PositiveIntegerField(default=0)
    # The question whose score ranks the subjects (e.g. the overall grade); at most one per section.
    is_overall = models.BooleanField(default=False)
    scale = models.CharField(max_length=40, blank=True, help_text="preset scale name, if the options came from one")

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["section", "code"], name="ballot_question_code_unique")]

    def __str__(self):
        return self.label


class Option(models.Model):
    """One answer of a question's scale. Options that are not valid votes (不了解) are counted but
    left out of the denominators of rates and scores."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    code = models.CharField(max_length=40)
    label = models.CharField(pgettext_lazy("ballot", "option"), max_length=100)
    order = models.PositiveIntegerField(default=0)
    is_valid_vote = models.BooleanField(_("counts as a valid vote"), default=True)
    points = models.DecimalField(pgettext_lazy("ballot", "points"), max_digits=8, decimal_places=3, null=True, blank=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["question", "code"], name="ballot_option_code_unique")]

    def __str__(self):
        return self.label


class Subject(models.Model):
    """Who or what is rated: a cadre, a team or a free item ("the selection work"), stored
    generically with an optional reference to another app's row and an optional self-report."""

    class Kind(models.TextChoices):
        CADRE = "cadre", pgettext_lazy("ballot subject", "cadre")
        TEAM = "team", pgettext_lazy("ballot subject", "leadership team")
        ITEM = "item", pgettext_lazy("ballot subject", "item of work")

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="subjects")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="subjects")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key = models.CharField(max_length=100, help_text="caller's key, unique within the ballot")
    kind = models.CharField(pgettext_lazy("ballot", "kind"), max_length=10, choices=Kind.choices, default=Kind.ITEM)
    label = models.CharField(pgettext_lazy("ballot", "subject"), max_length=200)
    note = models.CharField(pgettext_lazy("ballot", "description"), max_length=200, blank=True)
    ref_app = models.CharField(max_length=50, blank=True)
    ref_model = models.CharField(max_length=50, blank=True)
    ref_pk = models.CharField(max_length=64, blank=True)
    report_text = models.TextField(_("self-report"), blank=True)
    report_file = models.FileField(_("self-report file"), upload_to="ballots/reports/", blank=True)
    report_file_name = models.CharField(max_length=200, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["section__order", "order", "id"]
        indexes = [models.Index(fields=["ref_app", "ref_model", "ref_pk"], name="ballot_subject_ref_idx")]
        constraints = [models.UniqueConstraint(fields=["ballot", "key"], name="ballot_subject_key_unique")]

    def __str__(self):
        return self.label

    @property
    def has_report(self) -> bool:
        return bool(self.report_text or self.report_file)


class VoterGroup(models.Model):
    """A group of voters (测评主体) with a weight and a headcount, rating some of the subjects."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="groups")
    code = models.CharField(max_length=40)
    name = models.CharField(_("voter group"), max_length=100)
    weight = models.DecimalField(pgettext_lazy("ballot", "weight"), max_digits=8, decimal_places=4, default=1)
    headcount = models.PositiveIntegerField(pgettext_lazy("ballot", "headcount"))
    paper_issued = models.PositiveIntegerField(_("paper ballots issued"), default=0)
    subjects = models.ManyToManyField(Subject, related_name="groups", blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["ballot", "code"], name="ballot_group_code_unique")]

    def __str__(self):
        return self.name


class CodeBatch(models.Model):
    """One generation of voting codes for a group. The codes were shown once, as a download."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="code_batches")
    group = models.ForeignKey(VoterGroup, on_delete=models.CASCADE, related_name="code_batches")
    number = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by_id = models.BigIntegerField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["ballot", "number"], name="ballot_batch_number_unique")]

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None


class VotingCode(models.Model):
    """A one-time code, stored only as a hash. Deliberately no timestamp of use: the only fact kept
    is whether it was used."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="codes")
    group = models.ForeignKey(VoterGroup, on_delete=models.CASCADE, related_name="codes")
    batch = models.ForeignKey(CodeBatch, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=128, unique=True)
    is_used = models.BooleanField(default=False)
    is_void = models.BooleanField(default=False)


class SealedBallot(models.Model):
    """An accepted online ballot while voting is open: encrypted and padded under the ballot's key.
    Its storage order follows redemption order, but its content is unreadable without the key,
    which is destroyed on close after the shuffled write-out."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="sealed")
    sealed = models.BinaryField()


class PaperEntry(models.Model):
    """A paper ballot keyed in (kind=sheet) or the per-option counts of one subject and group
    (kind=counts), entered once or twice; the content is sealed like an online ballot."""

    class Kind(models.TextChoices):
        SHEET = "sheet", _("paper ballot")
        COUNTS = "counts", _("option counts")
        POST = "post", _("recommendation counts")

    class Status(models.TextChoices):
        AWAITING_SECOND = "awaiting_second", _("awaiting second entry")
        DISAGREED = "disagreed", _("entries disagree")
        CONFIRMED = "confirmed", pgettext_lazy("paper entry", "confirmed")
        VOID = "void", pgettext_lazy("paper entry", "void")

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="paper_entries")
    group = models.ForeignKey(VoterGroup, on_delete=models.CASCADE, related_name="paper_entries")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sheet_no = models.PositiveIntegerField(_("sheet number"), null=True, blank=True)
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, null=True, blank=True, related_name="paper_counts")
    # For recommendation counts (kind=post): the post's section.
    section = models.ForeignKey(Section, on_delete=models.CASCADE, null=True, blank=True, related_name="paper_counts")
    status = models.CharField(pgettext_lazy("ballot", "status"), max_length=20, choices=Status.choices)
    first_sealed = models.BinaryField(default=b"")
    second_sealed = models.BinaryField(default=b"")
    first_by_id = models.BigIntegerField(null=True, blank=True)
    second_by_id = models.BigIntegerField(null=True, blank=True)
    resolved_by_id = models.BigIntegerField(null=True, blank=True)
    differences = models.PositiveIntegerField(default=0, help_text="number of answers on which the two entries differ")
    # For count entries: how many paper ballots the counts cover (not secret: it is a headcount).
    ballots = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "sheet_no", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "sheet_no"], condition=models.Q(kind="sheet") & ~models.Q(status="void"), name="ballot_paper_sheet_unique"
            ),
            models.UniqueConstraint(
                fields=["ballot", "group", "subject"], condition=models.Q(kind="counts") & ~models.Q(status="void"), name="ballot_paper_counts_unique"
            ),
            models.UniqueConstraint(
                fields=["ballot", "group", "section"], condition=models.Q(kind="post") & ~models.Q(status="void"), name="ballot_paper_post_unique"
            ),
        ]

    @property
    def is_settled(self) -> bool:
        return self.status in (self.Status.CONFIRMED, self.Status.VOID)


class CastBallot(models.Model):
    """A counted ballot, written on close in shuffled order with a random id; no time, no code,
    no voter, no sequence."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="cast_ballots")
    group = models.ForeignKey(VoterGroup, on_delete=models.PROTECT, related_name="+")
    is_paper = models.BooleanField(default=False)


class Answer(models.Model):
    """One answer of a counted ballot (the question is the option's). A blank answer on paper has
    no row."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="+")
    cast = models.ForeignKey(CastBallot, on_delete=models.PROTECT, related_name="answers")
    group = models.ForeignKey(VoterGroup, on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    option = models.ForeignKey(Option, on_delete=models.PROTECT, related_name="+")


class PaperCount(models.Model):
    """Per-option counts entered for a subject and group (paper counted by hand), as confirmed."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(VoterGroup, on_delete=models.PROTECT, related_name="+")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    option = models.ForeignKey(Option, on_delete=models.PROTECT, related_name="+")
    count = models.PositiveIntegerField()


class Receipt(models.Model):
    """A counted ballot's receipt, written on close in an order of its own (not the ballots')."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="receipts")
    receipt = models.CharField(max_length=20)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "receipt"], name="ballot_receipt_unique")]


class TallyCount(models.Model):
    """The stored tally: ballots choosing `option` for `subject` in `group` (non-zero cells only)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="tally")
    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(VoterGroup, on_delete=models.PROTECT, related_name="+")
    option = models.ForeignKey(Option, on_delete=models.PROTECT, related_name="+")
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "subject", "group", "option"], name="ballot_tally_cell_unique")]


class WriteInCount(models.Model):
    """Names written in on a recommendation section, counted per post and voter group.

    Secrecy decision: write-ins are stored only as these aggregated counts, never as one row per
    ballot and never with a reference to a CastBallot. An Answer row is tied to its cast ballot
    (so a ballot's answers can be recounted together), but a written name is free text a voter
    controls: tied to the cast ballot, an unusual name would be a signature that exposes the
    rest of that voter's ballot (every rating of every other section) to whoever asked for it.
    Counted here, a name says only that somebody in the group wrote it, and the small-group rule
    hides the group breakdown as for every other count. The cost: write-ins cannot be recounted
    ballot by ballot after the close (the candidates' marks can)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="write_ins")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(VoterGroup, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=40)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "section", "group", "name"], name="ballot_write_in_unique")]


class PostTally(models.Model):
    """Per recommendation section and voter group: the ballots invalid for that post (more names
    than allowed), stored on close."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="post_tallies")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(VoterGroup, on_delete=models.PROTECT, related_name="+")
    invalid = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "section", "group"], name="ballot_post_tally_unique")]


class GroupTally(models.Model):
    """Ballots counted per group on close (online, paper sheets, paper counts) and codes used."""

    ballot = models.ForeignKey(Ballot, on_delete=models.PROTECT, related_name="group_tallies")
    group = models.OneToOneField(VoterGroup, on_delete=models.PROTECT, related_name="tally")
    online = models.PositiveIntegerField(default=0)
    paper = models.PositiveIntegerField(default=0)
    codes_issued = models.PositiveIntegerField(default=0)
    codes_used = models.PositiveIntegerField(default=0)

    @property
    def ballots(self) -> int:
        return self.online + self.paper
