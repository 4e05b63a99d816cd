"""The generator: accounts, then the registry, then oversight, then the rest of the journal."""

import datetime as dt
import random

from django.db import transaction

from jiandu.accounts import actions as account_actions
from jiandu.accounts.models import Role, RoleAssignment, User
from jiandu.accounts.passwords import generate_password
from jiandu.ballots.models import Answer, CastBallot, Receipt, VotingCode
from jiandu.core import bulk, journal
from jiandu.core.models import JournalEntry
from jiandu.registry.actions.sensitive import SENSITIVE_VIEW_ACTION

from . import JOURNAL_TABLE, Plan, Stats
from .appraisals import Appraisals
from .oversight import Oversight
from .people import People

OFFICER = "scale_org_officer"
HEAD = "scale_org_head"
JOURNAL_BATCH = 20_000  # entries per record_many call
# The tables of millions of rows (at scale 1.0: 26 million answers, 10 million journal entries, 2
# million counted ballots, codes and receipts), which nothing reads while the data set is made.
DEFERRED_TABLES = (JournalEntry, Answer, CastBallot, VotingCode, Receipt)
INDEXES = "(their indexes and keys)"
STATISTICS = "(the planner's statistics)"


def business_data_exists() -> bool:
    from jiandu.registry.models import Cadre, Unit

    return Unit.objects.exists() or Cadre.objects.exists()


class Generator:
    def __init__(self, *, scale: float, seed: int, log=print, defer_indexes: bool = False):
        self.plan = Plan.at(scale)
        self.defer_indexes = defer_indexes
        self.rng = random.Random(seed)
        self.stats = Stats()
        self.log = log
        self.today = dt.date.today()
        self.actor: User | None = None
        self.passwords: dict[str, str] = {}

    def journal(self, entries: list[dict]) -> None:
        started = self.stats.start()
        for start in range(0, len(entries), JOURNAL_BATCH):
            journal.record_many(entries[start : start + JOURNAL_BATCH], returning=False)
        self.stats.timed(JOURNAL_TABLE, len(entries), started)

    # --- accounts ------------------------------------------------------------------------

    def _password(self) -> str:
        return generate_password()

    def _admin(self, role: str, username: str) -> User:
        held = RoleAssignment.objects.filter(role=role, revoked_at__isnull=True, user__is_active=True).select_related("user").first()
        if held:
            return held.user
        password = self.passwords[username] = self._password()
        return account_actions.bootstrap_administrator(username=username, full_name=username, password=password, role=role, must_change_password=True)

    def ensure_officer(self) -> User:
        """The organisation-department officer (whole province) who records everything, made
        through the account actions; the administrators are bootstrapped when there are none."""
        user = User.objects.filter(username=OFFICER).first()
        if user is None:
            sysadmin = self._admin(Role.SYSTEM_ADMIN, "scale_sysadmin")
            secadmin = self._admin(Role.SECURITY_ADMIN, "scale_secadmin")
            password = self.passwords[OFFICER] = self._password()
            user = account_actions.create_user(actor=sysadmin, username=OFFICER, full_name="规模测试组织部干部", password=password, must_change_password=True)
            account_actions.assign_role(actor=secadmin, user=user, role=Role.ORG_OFFICER, unit=None)
        return user

    def ensure_head(self) -> User:
        """The organisation-department head (whole province), who confirms appraisal grades."""
        user = User.objects.filter(username=HEAD).first()
        if user is None:
            with transaction.atomic():
                sysadmin = self._admin(Role.SYSTEM_ADMIN, "scale_sysadmin")
                secadmin = self._admin(Role.SECURITY_ADMIN, "scale_secadmin")
                password = self.passwords[HEAD] = self._password()
                user = account_actions.create_user(actor=sysadmin, username=HEAD, full_name="规模测试组织部部长", password=password, must_change_password=True)
                account_actions.assign_role(actor=secadmin, user=user, role=Role.ORG_HEAD, unit=None)
        return user

    # --- the whole run ---------------------------------------------------------------------

    def run(self) -> None:
        """Everything; in a new database (`defer_indexes`) the biggest tables are loaded without
        their indexes and keys, rebuilt at the end (core.bulk.indexes_deferred)."""
        deferred = DEFERRED_TABLES if self.defer_indexes else ()
        with bulk.indexes_deferred(*deferred, log=self.log):
            self._run()
            started = self.stats.start()
        if deferred:
            self.stats.timed(INDEXES, 0, started)
        started = self.stats.start()
        bulk.analyze()
        self.stats.timed(STATISTICS, 0, started)

    def _run(self) -> None:
        plan = self.plan
        with transaction.atomic():
            self.actor = self.ensure_officer()
        start_count = JournalEntry.objects.count()
        self.log(
            f"load_scale: scale {plan.scale:g}: {plan.units} units, {plan.cadres:,} cadres, {plan.tenures:,} tenures, {plan.oversight:,} oversight records, "
            f"{plan.cycles} appraisal cycles with {plan.ballots:,} ballots, {plan.journal:,} journal entries"
        )
        people = People(self)
        units = people.build_tree()
        self.log(f"load_scale: {len(units)} units; cadres…")
        people.build_people(units)
        self.log(f"load_scale: {len(people.cadres):,} cadres; oversight records…")
        Oversight(self, people).build()
        self.log("load_scale: appraisal cycles and their ballots…")
        Appraisals(self, people).build()
        self.pad_journal(people, plan.journal - (JournalEntry.objects.count() - start_count))

    def pad_journal(self, people: People, missing: int) -> None:
        """The rest of the journal: what officers read (a sensitive view of a cadre's page is
        journaled, registry.actions.sensitive), spread over the cadres."""
        if missing <= 0:
            return
        self.log(f"load_scale: {missing:,} more journal entries…")
        cadres = people.cadres
        for start in range(0, missing, JOURNAL_BATCH):
            batch = []
            for _ in range(min(JOURNAL_BATCH, missing - start)):
                cid, unit = self.rng.choice(cadres)
                batch.append(
                    {
                        "action": SENSITIVE_VIEW_ACTION,
                        "actor": self.actor,
                        "target": ("registry.cadre", cid),
                        "unit": unit,
                        "cadre": cid,
                        "data": {"page": "detail"},
                    }
                )
            with transaction.atomic():
                self.journal(batch)
