"""The fictional district 示范区 that `manage.py load_demo` (jiandu/web) builds first: accounts,
units, cadres, five years of tenures.

Everything is written through the actions (accounts.actions, registry.actions) by the demo
accounts themselves, so the demo leaves the same journal trail real use would. The whole load is
one transaction: it either builds everything or nothing. Afterwards the command calls `load(ctx)`
in every other `jiandu/<app>/demo.py` that exists, so each pillar adds its own demo data (see
`DemoContext`); registry itself knows none of them.

The demo accounts are issued with `must_change_password=True`, like every issued account; the
session middleware lets `demo_*` accounts skip the forced change only while JIANDU_DEMO=1
(`make run` sets it), so the documented password keeps working in a demo.
"""

import datetime as dt
import random
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

import pyotp

from jiandu.accounts import access, totp
from jiandu.accounts import actions as account_actions
from jiandu.accounts.models import Role, User
from jiandu.core.errors import ActionError
from jiandu.registry import actions
from jiandu.registry.models import Cadre, LeadershipLevel, Position, Rank, Relative, Tenure, Unit
from jiandu.registry.validators import make_id_number

from . import demo_data as data

# One documented password for every demo account (README.md). It satisfies the policy: 15
# characters, all four character classes, not a common password, unlike the usernames.
DEMO_PASSWORD = "Shifan@Demo2026"
DEMO_PREFIX = "demo_"

# The history covers five years: posts held on 2021-03-01, changes until the end of October 2026.
HISTORY_START = dt.date(2021, 3, 1)
HISTORY_END = dt.date(2026, 10, 31)
SEED = 2026

# (username, role, unit key or None for the whole district, full name)
ACCOUNTS = (
    ("demo_sysadmin", Role.SYSTEM_ADMIN, None, "系统管理员（演示）"),
    ("demo_secadmin", Role.SECURITY_ADMIN, None, "安全管理员（演示）"),
    ("demo_auditadmin", Role.AUDIT_ADMIN, None, "审计管理员（演示）"),
    ("demo_org_officer", Role.ORG_OFFICER, None, "组织部干部监督科（演示）"),
    ("demo_org_head", Role.ORG_HEAD, None, "组织部部务会成员（演示）"),
    ("demo_discipline", Role.DISCIPLINE_OFFICER, None, "区纪委监委干部（演示）"),
    ("demo_audit", Role.AUDIT_OFFICER, None, "区审计局审计人员（演示）"),
    ("demo_vetting", Role.VETTING_OFFICER, None, "联审部门经办人（演示）"),
    ("demo_committee", Role.COMMITTEE_MEMBER, None, "区委常委（演示）"),
    ("demo_unit_leader", Role.UNIT_LEADER, "教育局", None),  # full name: the bureau's principal
    ("demo_cadre", Role.CADRE, None, None),  # full name: the linked cadre
)
# The administrators must log in with two-factor codes: in the demo they come enrolled with these
# documented seeds (README.md), so a newcomer can add them to an authenticator app or print the
# current code with `manage.py demo_totp USERNAME` (only while JIANDU_DEMO=1).
DEMO_TOTP_SEEDS = {
    "demo_sysadmin": "JIANDUDEMOSYSADMINSHIFANQUTOTPKE",
    "demo_secadmin": "JIANDUDEMOSECADMINSHIFANQUTOTPKE",
    "demo_auditadmin": "JIANDUDEMOAUDITADMINSHIFANQUTOTP",
}
SCOPES = {"demo_unit_leader": "教育局 and the schools below it", "demo_cadre": "own record"}
UNIT_LEADER_UNIT = "教育局"

# The clue officer (线索联络员) of each joint-meeting department: an assignment on that
# department's own unit, granted by the security administrator (jiandu/oversight, issue #8.2).
# (account key, unit key); a unit missing from the reduced district is skipped.
CLUE_OFFICERS = (
    ("org_officer", "组织部"),
    ("discipline", "区纪委监委"),
    ("audit", "审计局"),
    ("vetting", "信访局"),
)
SELF_SERVICE_UNIT = "财政局"
MATTERS_OFFICERS = ("org_head", "org_officer")

STAFF = "staff"  # the demo's level of a post without a leadership level (stored as "")
LEVEL_ORDER = [STAFF, LeadershipLevel.SECTION_DEPUTY, LeadershipLevel.SECTION_CHIEF, LeadershipLevel.COUNTY_DEPUTY, LeadershipLevel.COUNTY_CHIEF]
# Birth years by the level of a cadre's first post.
BIRTH_YEARS = {
    LeadershipLevel.COUNTY_CHIEF: (1962, 1975),
    LeadershipLevel.COUNTY_DEPUTY: (1963, 1982),
    LeadershipLevel.SECTION_CHIEF: (1963, 1984),
    LeadershipLevel.SECTION_DEPUTY: (1970, 1990),
    STAFF: (1972, 2000),
}
# The ranks that go with a level (公务员职务与职级并行规定 art. 19), higher grade for the older.
RANKS_FOR_LEVEL = {
    LeadershipLevel.COUNTY_CHIEF: (Rank.RESEARCHER_1, Rank.RESEARCHER_2),
    LeadershipLevel.COUNTY_DEPUTY: (Rank.RESEARCHER_3, Rank.RESEARCHER_4),
    LeadershipLevel.SECTION_CHIEF: (Rank.PRINCIPAL_STAFF_1, Rank.PRINCIPAL_STAFF_2),
    LeadershipLevel.SECTION_DEPUTY: (Rank.PRINCIPAL_STAFF_3, Rank.PRINCIPAL_STAFF_4),
    STAFF: (Rank.CLERK_1, Rank.CLERK_2),
}
# Units whose staff are not civil servants (public institutions, schools, state-owned enterprises).
OUTSIDE_CIVIL_SERVICE = {Unit.Kind.PUBLIC_INSTITUTION, Unit.Kind.SCHOOL, Unit.Kind.SOE}


def level_of(position: Position) -> str:
    return position.level or STAFF


RETIREMENT_AGE = {Cadre.Gender.MALE: 60, Cadre.Gender.FEMALE: 55}
# A leader who loses a post without a new one is re-graded to a rank of the same level
# (职务与职级并行, 2019).
REGRADED = {
    LeadershipLevel.COUNTY_CHIEF: Rank.RESEARCHER_2,
    LeadershipLevel.COUNTY_DEPUTY: Rank.RESEARCHER_4,
    LeadershipLevel.SECTION_CHIEF: Rank.PRINCIPAL_STAFF_2,
}


@dataclass
class DemoContext:
    """What a pillar's `demo.load(ctx)` receives.

    units: unit by short name ("组织部", "教育局", "东园街道", …) and by full name.
    users: demo account by key ("org_officer", "org_head", "discipline", "audit", "vetting",
        "committee", "unit_leader", "cadre", "sysadmin", "secadmin", "auditadmin").
    actor: the organisation-department officer who built the registry.
    rng: the seeded random generator (deterministic demo data).
    cadres: every cadre built, serving ones first.
    departures: tenures whose end recorded a registry.departure event.
    small: True for the reduced district (tests).
    log: log(text) writes one line to the command's output.
    """

    units: dict[str, Unit]
    users: dict[str, User]
    actor: User
    rng: random.Random
    today: dt.date
    small: bool
    departures: list[Tenure] = field(default_factory=list)
    cadres: list[Cadre] = field(default_factory=list)
    log: Callable[[str], None] = print


@dataclass
class Slot:
    position: Position
    tenure: Tenure | None = None


class Builder:
    def __init__(self, *, rng: random.Random, small: bool, log):
        self.rng = rng
        self.small = small
        self.log = log
        self.today = dt.date.today()
        self.end = min(HISTORY_END, self.today)
        self.units: dict[str, Unit] = {}
        self.unit_specs: dict[str, data.UnitSpec] = {}
        self.users: dict[str, User] = {}
        self.slots: list[Slot] = []
        self.used_names: set[str] = set()
        self.used_ids: set[str] = set()
        self.phone_serial = 0
        self.departures: list[Tenure] = []
        self.pool: list[tuple[dt.date, Cadre, str]] = []  # (free from, cadre, level of the post left)
        self.actor: User | None = None

    # --- accounts ------------------------------------------------------------------------

    def build_administrators(self):
        for username, role, _unit, full_name in ACCOUNTS[:3]:
            user = account_actions.bootstrap_administrator(
                username=username, full_name=full_name, password=DEMO_PASSWORD, role=role, must_change_password=True, published_demo_password=True
            )
            self.users[username.removeprefix(DEMO_PREFIX)] = user
            self.enrol_demo_totp(user, DEMO_TOTP_SEEDS[username])

    def enrol_demo_totp(self, user, seed: str):
        """Two-factor login set up through the actions (journaled as started and enabled), with
        the documented seed in place of the random one: the demo's keys are public by design.
        Confirmed with the previous step's code, so the code shown right now still opens a login."""
        account_actions.start_totp_enrolment(actor=user)
        user.totp_secret = totp.seal(user, seed)
        user.save(update_fields=["totp_secret"])
        generator = pyotp.TOTP(seed, digits=totp.DIGITS, interval=totp.INTERVAL)
        # A step boundary may pass between making the code and checking it (a busy machine), which
        # leaves the previous step's code out of the window: the second try uses the new step's.
        for attempt in range(2):
            try:
                account_actions.confirm_totp_enrolment(actor=user, code=generator.at(time.time() - totp.INTERVAL))
                return
            except ActionError:
                if attempt:
                    raise

    def build_business_account(self, username, role, unit=None, *, full_name, cadre=None):
        user = account_actions.create_user(
            actor=self.users["sysadmin"],
            username=username,
            full_name=full_name,
            password=DEMO_PASSWORD,
            cadre_id=cadre.pk if cadre else None,
            must_change_password=True,
            published_demo_password=True,  # the blocklist refuses it for chosen passwords
        )
        account_actions.assign_role(actor=self.users["secadmin"], user=user, role=role, unit=unit)
        self.users[username.removeprefix(DEMO_PREFIX)] = user
        return user

    def build_business_accounts(self):
        for username, role, unit_key, full_name in ACCOUNTS[3:]:
            if unit_key is not None or full_name is None:
                continue
            self.build_business_account(username, role, full_name=full_name)
        self.actor = self.users["org_officer"]

    def build_linked_accounts(self):
        bureau = self.units[UNIT_LEADER_UNIT]
        head = Tenure.objects.filter(position__unit=bureau, position__is_principal=True, ended_on__isnull=True).select_related("cadre").first()
        self.build_business_account(
            "demo_unit_leader", Role.UNIT_LEADER, bureau, full_name=head.cadre.name if head else "教育局负责人（演示）", cadre=head.cadre if head else None
        )
        # The self-service account belongs to a deputy of the finance bureau, preferably one
        # with a history of more than one post.
        deputies = list(
            Cadre.objects.filter(tenures__position__unit=self.units[SELF_SERVICE_UNIT], tenures__position__is_principal=False, status=Cadre.Status.SERVING)
            .exclude(pk=getattr(head, "cadre_id", None))
            .distinct()
            .order_by("pk")
        )
        deputies.sort(key=lambda c: -c.tenures.count())
        cadre = deputies[0]
        self.build_business_account("demo_cadre", Role.CADRE, full_name=cadre.name, cadre=cadre)

    def build_matters_officers(self):
        """The named personal-matters officers (个人有关事项, jiandu/matters): the head and the
        officer of the organisation department, granted before any pillar's demo (selection's
        promotion waits for a concluded targeted check)."""
        for key in MATTERS_OFFICERS:
            account_actions.assign_role(actor=self.users["secadmin"], user=self.users[key], role=Role.MATTERS_OFFICER)
            access.forget(self.users[key])

    def build_clue_officers(self):
        for key, unit_key in CLUE_OFFICERS:
            unit = self.units.get(unit_key)
            if unit is not None:
                account_actions.assign_role(actor=self.users["secadmin"], user=self.users[key], role=Role.CLUE_OFFICER, unit=unit)
                access.forget(self.users[key])  # this object cached the roles it had before

    # --- people --------------------------------------------------------------------------

    def person_name(self, gender: str) -> str:
        given = data.MALE_GIVEN if gender == Cadre.Gender.MALE else data.FEMALE_GIVEN
        while True:
            # Common surnames first: a triangular draw favours the front of the list.
            surname = data.SURNAMES[int(self.rng.triangular(0, len(data.SURNAMES), 0))]
            name = surname + "".join(self.rng.choice(given) for _ in range(self.rng.choice((1, 2, 2, 2))))
            if name not in self.used_names:
                self.used_names.add(name)
                return name

    def id_number(self, region: str, born: dt.date, gender: str) -> str:
        parity = 1 if gender == Cadre.Gender.MALE else 0
        while True:
            serial = self.rng.randrange(0, 500) * 2 + parity
            number = make_id_number(region, born, serial)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number

    def phone(self) -> str:
        self.phone_serial += 1
        return f"1390640{self.phone_serial:04d}"

    def create_cadre(self, unit: Unit, level: str, *, rank: str | None = None, born_by: int = 2000) -> Cadre:
        rng = self.rng
        gender = Cadre.Gender.MALE if rng.random() < (0.72 if level != STAFF else 0.55) else Cadre.Gender.FEMALE
        low, high = BIRTH_YEARS[level]
        high = min(high, born_by)
        born = dt.date(rng.randint(low, high), rng.randint(1, 12), rng.randint(1, 28))
        region, native_place = rng.choice(data.NATIVE_PLACES)
        ethnicity = rng.choices([e for e, _ in data.ETHNICITIES], weights=[w for _, w in data.ETHNICITIES])[0]
        work_start = dt.date(born.year + rng.randint(21, 24), rng.choice((7, 8, 9)), 1)
        political = rng.choices(
            [Cadre.PoliticalStatus.CPC, Cadre.PoliticalStatus.DEMOCRATIC_PARTY, Cadre.PoliticalStatus.NONE],
            weights=[90, 6, 4] if level != STAFF else [70, 5, 25],
        )[0]
        party_join = dt.date(born.year + rng.randint(19, 30), rng.randint(1, 12), 1) if political == Cadre.PoliticalStatus.CPC else None
        if party_join and party_join > self.end:
            party_join = None
            political = Cadre.PoliticalStatus.NONE
        education = rng.choices(
            [Cadre.Education.DOCTORATE, Cadre.Education.MASTER, Cadre.Education.BACHELOR, Cadre.Education.COLLEGE],
            weights=[2, 25, 63, 10],
        )[0]
        if unit.kind in OUTSIDE_CIVIL_SERVICE:
            rank = Rank.NOT_CIVIL_SERVANT
        elif not rank:
            older, younger = RANKS_FOR_LEVEL[level]
            rank = older if born.year < (1975 if level != STAFF else 1988) else younger
        return actions.create_cadre(
            actor=self.actor,
            unit=unit,
            name=self.person_name(gender),
            gender=gender,
            ethnicity=ethnicity,
            birth_on=born,
            native_place=native_place,
            id_number=self.id_number(region, born, gender),
            political_status=political,
            education=education,
            leadership_level="" if level == STAFF else level,
            rank=rank,
            phone=self.phone(),
            work_start_on=work_start,
            party_join_on=party_join,
            managed_by_district=LEVEL_ORDER.index(level) >= LEVEL_ORDER.index(LeadershipLevel.SECTION_DEPUTY),
        )

    def add_relatives(self, cadre: Cadre):
        rng = self.rng
        spouse_gender = Cadre.Gender.FEMALE if cadre.gender == Cadre.Gender.MALE else Cadre.Gender.MALE
        spouse_born = cadre.birth_on.replace(year=cadre.birth_on.year + rng.randint(-3, 3), day=min(cadre.birth_on.day, 28))
        workplace, post = rng.choice(data.RELATIVE_WORKPLACES)
        spouse = actions.add_relative(
            actor=self.actor,
            cadre=cadre,
            relation=Relative.Relation.SPOUSE,
            name=self.person_name(spouse_gender),
            birth_on=spouse_born,
            work_unit=workplace,
            post=post,
        )
        child_year = cadre.birth_on.year + rng.randint(25, 32)
        if child_year <= 2016:
            son = rng.random() < 0.5
            father = cadre.name if cadre.gender == Cadre.Gender.MALE else spouse.name
            child_born = dt.date(child_year, rng.randint(1, 12), rng.randint(1, 28))
            age = (self.end - child_born).days // 365
            work_unit, child_post = ("在读", "学生") if age < 23 else rng.choice(data.RELATIVE_WORKPLACES[:-1])
            actions.add_relative(
                actor=self.actor,
                cadre=cadre,
                relation=Relative.Relation.SON if son else Relative.Relation.DAUGHTER,
                name=father[0] + self.person_name(Cadre.Gender.MALE if son else Cadre.Gender.FEMALE)[1:],
                birth_on=child_born,
                work_unit=work_unit,
                post=child_post,
            )

    # --- units and posts -----------------------------------------------------------------

    def build_units(self):
        specs = [s for s in data.ALL_UNITS if s.in_small or not self.small]
        root = actions.create_unit(actor=self.actor, name=data.ROOT, kind=Unit.Kind.OTHER, short_name=data.ROOT)
        self.units[data.ROOT] = root
        for order, spec in enumerate(specs, start=1):
            unit = actions.create_unit(actor=self.actor, name=spec.name, kind=spec.kind, parent=self.units[spec.parent], short_name=spec.key, order=order)
            self.units[spec.key] = unit
            self.unit_specs[spec.key] = spec

    def positions_for(self, spec: data.UnitSpec) -> list[dict]:
        """The posts of a unit by its layout; deputies share the unit's areas as portfolios."""
        contact = f"12345转{spec.phone}"
        if spec.layout == "district":
            return [
                {
                    "title": leader.title,
                    "is_principal": leader.is_principal,
                    "has_financial_authority": leader.has_financial_authority,
                    "level": leader.level,
                    "portfolio": leader.portfolio,
                    "public_contact": f"{contact}{i}",
                }
                for i, leader in enumerate(spec.leaders, start=1)
            ]
        layouts = {
            "department": ((spec.titles[0], "主持全面工作"), spec.titles[1], spec.deputies, "办公室主任"),
            "street": (("党工委书记", "主持党工委全面工作"), "办事处副主任", 2, "财政所所长"),
            "township": (("镇党委书记", "主持镇党委全面工作"), "副镇长", 2, "财政所所长"),
            "school": (("校长", "主持学校全面工作"), "副校长", 2, "教务处主任"),
            "soe": (("党委书记、董事长", "主持集团党委和董事会全面工作"), "副总经理", 2, "财务部部长"),
        }
        (head_title, head_portfolio), deputy_title, deputies, internal_title = layouts[spec.layout]
        head_level = LeadershipLevel.SECTION_CHIEF
        deputy_level = LeadershipLevel.SECTION_DEPUTY if spec.layout in ("department", "street") else STAFF
        if spec.layout == "school":
            head_level = LeadershipLevel.SECTION_DEPUTY
        posts = [
            {
                "title": head_title,
                "is_principal": True,
                "has_financial_authority": True,
                "level": head_level,
                "portfolio": head_portfolio + "。",
                "public_contact": f"{contact}1",
            }
        ]
        second = {
            "street": ("办事处主任", "主持办事处行政工作；分管财政、审计、国有资产工作。"),
            "township": ("镇长", "主持镇政府工作；分管财政、审计、国有资产工作。"),
            "soe": ("总经理", "主持集团经营管理工作；分管财务、资产运营、融资工作。"),
        }.get(spec.layout)
        if second:
            posts.append(
                {
                    "title": second[0],
                    "is_principal": False,
                    "has_financial_authority": True,
                    "level": head_level,
                    "portfolio": second[1],
                    "public_contact": f"{contact}2",
                }
            )
        areas = list(spec.areas)
        common = [a for a in data.DEPUTY_COMMON_AREAS if a not in areas and a != "财务"]
        self.rng.shuffle(common)
        for i in range(deputies):
            mine = areas[i::deputies] + common[i * 2 : i * 2 + 2]
            has_money = i == 0
            if has_money and "财务" not in mine:
                mine.append("财务")
            posts.append(
                {
                    "title": deputy_title,
                    "is_principal": False,
                    "has_financial_authority": has_money,
                    "level": deputy_level,
                    "portfolio": "分管" + "、".join(mine) + "工作。",
                    "public_contact": f"{contact}{len(posts) + 1}",
                }
            )
        posts.append(
            {
                "title": internal_title,
                "kind": Position.Kind.NON_LEADING,
                "is_principal": False,
                "has_financial_authority": internal_title in ("财政所所长", "财务部部长"),
                "level": STAFF,
                "portfolio": "",
                "public_contact": "",
            }
        )
        return posts

    def build_positions(self):
        for key, spec in self.unit_specs.items():
            for order, post in enumerate(self.positions_for(spec), start=1):
                title = post.pop("title")
                post["level"] = "" if post["level"] == STAFF else post["level"]
                position = actions.create_position(actor=self.actor, unit=self.units[key], title=title, order=order, **post)
                self.slots.append(Slot(position))

    def fill_positions(self):
        """Everyone in post on HISTORY_START, having started some time in the five years before."""
        for slot in self.slots:
            position = slot.position
            cadre = self.create_cadre(position.unit, level_of(position), born_by=1990)
            earliest = max(dt.date(2015, 1, 1), dt.date(cadre.work_start_on.year + 3, 1, 1))
            started = earliest + dt.timedelta(days=self.rng.randint(0, max(0, (HISTORY_START - earliest).days - 60)))
            method = (
                Tenure.StartMethod.ELECTION
                if position.unit.kind in ("party_committee", "peoples_congress", "cppcc", "government")
                else Tenure.StartMethod.APPOINTMENT
            )
            slot.tenure = actions.appoint(actor=self.actor, cadre=cadre, position=position, started_on=started, start_method=method)
            if position.kind == Position.Kind.LEADING and self.rng.random() < 0.3:
                self.add_relatives(cadre)

    def build_staff(self):
        for key, spec in self.unit_specs.items():
            count = max(1, spec.staff // 2) if self.small else spec.staff
            for _ in range(count):
                rank = self.rng.choice((Rank.CLERK_1, Rank.CLERK_2, Rank.PRINCIPAL_STAFF_4))
                self.create_cadre(self.units[key], STAFF, rank=rank)

    # --- five years of changes -----------------------------------------------------------

    def random_day(self, start: dt.date, end: dt.date) -> dt.date:
        return start + dt.timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    def simulate_history(self):
        """Departures and successions 2021–2026, processed in date order so every appointment
        finds its place free. Principals' and financial-authority holders' departures record
        registry.departure events (registry.actions.end_tenure)."""
        changes = []
        for index in range(len(self.slots)):
            count = self.rng.choices((0, 1, 2), weights=(50, 38, 12))[0]
            for _ in range(count):
                changes.append((self.random_day(HISTORY_START, self.end - dt.timedelta(days=40)), index))
        changes.sort()
        for day, index in changes:
            slot = self.slots[index]
            tenure = slot.tenure
            if tenure is None or day < tenure.started_on + dt.timedelta(days=365):
                continue
            self.replace(slot, day)

    def end_reason_for(self, cadre: Cadre, day: dt.date) -> str:
        age = (day - cadre.birth_on).days // 365
        if age >= RETIREMENT_AGE[cadre.gender]:
            return Tenure.EndReason.RETIREMENT
        return self.rng.choices(
            [Tenure.EndReason.TRANSFER, Tenure.EndReason.PROMOTION, Tenure.EndReason.TERM_END, Tenure.EndReason.REMOVAL, Tenure.EndReason.RESIGNATION],
            weights=[50, 30, 12, 5, 3],
        )[0]

    def leave(self, slot: Slot, day: dt.date, reason: str) -> Cadre:
        tenure = actions.end_tenure(actor=self.actor, tenure=slot.tenure, ended_on=day, end_reason=reason)
        cadre = tenure.cadre
        if tenure.is_departure():
            self.departures.append(tenure)
        if reason == Tenure.EndReason.RETIREMENT:
            actions.update_cadre(actor=self.actor, cadre=cadre, status=Cadre.Status.RETIRED)
        elif reason == Tenure.EndReason.RESIGNATION:
            actions.update_cadre(actor=self.actor, cadre=cadre, status=Cadre.Status.LEFT)
        else:
            self.pool.append((day, cadre, level_of(slot.position)))
        slot.tenure = None
        return cadre

    def replace(self, slot: Slot, day: dt.date):
        position = slot.position
        leaver = slot.tenure.cadre
        self.leave(slot, day, self.end_reason_for(leaver, day))
        start = min(self.end, day + dt.timedelta(days=self.rng.randint(0, 45)))
        successor, method = None, Tenure.StartMethod.APPOINTMENT
        level = LEVEL_ORDER.index(level_of(position))
        candidates = [
            (i, cadre)
            for i, (free_from, cadre, left_level) in enumerate(self.pool)
            if free_from < start and cadre.pk != leaver.pk and level - 1 <= LEVEL_ORDER.index(left_level) <= level
        ]
        if candidates and self.rng.random() < 0.6:
            i, successor = self.rng.choice(candidates)
            self.pool.pop(i)
            method = Tenure.StartMethod.TRANSFER
        elif position.is_principal and self.rng.random() < 0.5:
            # Promote a deputy of the same unit; their post is filled in turn.
            deputy_slot = next(
                (
                    s
                    for s in self.slots
                    if s.position.unit_id == position.unit_id and s.tenure and not s.position.is_principal and s.position.kind == Position.Kind.LEADING
                ),
                None,
            )
            if deputy_slot is not None and deputy_slot.tenure.started_on < start:
                successor = deputy_slot.tenure.cadre
                ended = actions.end_tenure(actor=self.actor, tenure=deputy_slot.tenure, ended_on=start, end_reason=Tenure.EndReason.PROMOTION)
                if ended.is_departure():
                    self.departures.append(ended)
                deputy_slot.tenure = None
                self.appoint_new(deputy_slot, min(self.end, start + dt.timedelta(days=self.rng.randint(10, 60))))
        if successor is None:
            self.appoint_new(slot, start)
            return
        changes = {}
        if LEVEL_ORDER.index(successor.leadership_level or STAFF) != level:
            # The leadership level is the post's; the rank keeps pace on a promotion.
            changes["leadership_level"] = position.level
            if LEVEL_ORDER.index(successor.leadership_level or STAFF) < level and position.unit.kind not in OUTSIDE_CIVIL_SERVICE:
                changes["rank"] = RANKS_FOR_LEVEL[level_of(position)][1]
        if position.unit.kind in OUTSIDE_CIVIL_SERVICE and successor.rank != Rank.NOT_CIVIL_SERVANT:
            changes["rank"] = Rank.NOT_CIVIL_SERVANT  # a school or enterprise post is outside the civil service
        if changes:
            actions.update_cadre(actor=self.actor, cadre=successor, **changes)
        slot.tenure = actions.appoint(actor=self.actor, cadre=successor, position=position, started_on=start, start_method=method)

    def appoint_new(self, slot: Slot, start: dt.date):
        position = slot.position
        cadre = self.create_cadre(position.unit, level_of(position))
        method = self.rng.choice((Tenure.StartMethod.APPOINTMENT, Tenure.StartMethod.APPOINTMENT, Tenure.StartMethod.COMPETITION, Tenure.StartMethod.TRANSFER))
        slot.tenure = actions.appoint(actor=self.actor, cadre=cadre, position=position, started_on=max(start, cadre.work_start_on), start_method=method)

    def regrade_unplaced(self):
        """Leaders who left a post and were not given another keep a rank of their level."""
        for _day, cadre, level in self.pool:
            cadre.refresh_from_db()
            if cadre.status == Cadre.Status.SERVING and level in REGRADED and not cadre.tenures.filter(ended_on__isnull=True).exists():
                rank = Rank.NOT_CIVIL_SERVANT if cadre.rank == Rank.NOT_CIVIL_SERVANT else REGRADED[level]
                actions.update_cadre(actor=self.actor, cadre=cadre, leadership_level="", rank=rank)

    # --- whole build ---------------------------------------------------------------------

    def build(self):
        self.build_administrators()
        self.build_business_accounts()
        self.build_units()
        self.build_positions()
        self.fill_positions()
        self.build_staff()
        self.simulate_history()
        self.regrade_unplaced()
        self.build_linked_accounts()
        self.build_clue_officers()
        self.build_matters_officers()

    def context(self) -> DemoContext:
        units = dict(self.units)
        units.update({unit.name: unit for unit in self.units.values()})
        return DemoContext(
            units=units,
            users=dict(self.users),
            actor=self.actor,
            rng=self.rng,
            today=self.today,
            small=self.small,
            departures=list(self.departures),
            cadres=list(Cadre.objects.filter(status=Cadre.Status.SERVING).order_by("pk"))
            + list(Cadre.objects.exclude(status=Cadre.Status.SERVING).order_by("pk")),
            log=self.log,
        )


def display_width(text: str) -> int:
    """Terminal columns of a string: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def showcase_cadre(ctx) -> "Cadre | None":
    """The demo's one cadre whose supervision file (一人一档, jiandu/dossier) has a fact of every
    pillar at once: the pillars' demos give this cadre vetting replies (selection: the inspection
    subject of the promotion still in progress), an audit finding to rectify (audits), a yellow card with its overdue
    talk, an overdue written inquiry and a clue (oversight), and the nightly scan raises the
    alerts. The first serving cadre of 教育局 without a leading post, without an account and
    without a departure behind them (so the bureau's unit leader may open the file, and selection
    may list them); None when the
    district has none. Chosen once per load (ctx.showcase)."""
    if not hasattr(ctx, "showcase"):
        bureau = (getattr(ctx, "units", None) or {}).get("教育局")
        linked = set(User.objects.exclude(cadre_id=None).values_list("cadre_id", flat=True))
        found = None
        if bureau is not None:
            # without a departure behind them: its audit would bar the selection (2019 条例 art. 24)
            left = Tenure.objects.filter(ended_on__isnull=False).values("cadre_id")
            for cadre in Cadre.objects.filter(unit=bureau, status=Cadre.Status.SERVING, leadership_level="").exclude(pk__in=left).order_by("id"):
                if cadre.pk not in linked:
                    found = cadre
                    break
        ctx.showcase = found
        if found is not None and getattr(ctx, "log", None):
            ctx.log(f"dossier: {found.name} ({bureau.name}) has a yellow card, an overdue inquiry, an audit finding and a vetting reply")
    return ctx.showcase
