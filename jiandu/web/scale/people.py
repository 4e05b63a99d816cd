"""The registry half of the scale data set: the unit tree, posts, cadres with relatives and
resumes, and their careers (tenures). Rows as the registry's actions store them; one journal
entry per row with the action's code and data."""

import datetime as dt
import uuid

from django.db import transaction

from jiandu.core.bulk import insert_rows
from jiandu.registry import names
from jiandu.registry.actions.cadres import pinyin_of
from jiandu.registry.demo_data import ETHNICITIES, FEMALE_GIVEN, MALE_GIVEN, NATIVE_PLACES, SURNAMES
from jiandu.registry.models import PATH_STEP, Cadre, LeadershipLevel, Position, Rank, Relative, ResumeLine, Tenure, Unit
from jiandu.registry.validators import make_id_number

from . import CHUNK

CITIES = "青川 白河 临江 北原 南屏 东阳 西岭 石门 云川 金沙 长宁 清远 安平 宝山 河口 龙泉"
COUNTY_PREFIXES = "东 西 南 北 上 下 新 永 安 长 宁 平 和 丰 兴 太"
COUNTY_SUFFIXES = "山 水 河 川 源 阳 城 丘 林 宁 台 桥"
DEPARTMENTS = [
    ("县委办公室", Unit.Kind.PARTY_DEPARTMENT),
    ("县委组织部", Unit.Kind.PARTY_DEPARTMENT),
    ("县委宣传部", Unit.Kind.PARTY_DEPARTMENT),
    ("县纪委监委", Unit.Kind.DISCIPLINE),
    ("县人大常委会", Unit.Kind.PEOPLES_CONGRESS),
    ("县政府办公室", Unit.Kind.GOVERNMENT_DEPARTMENT),
    ("县政协", Unit.Kind.CPPCC),
    ("县财政局", Unit.Kind.GOVERNMENT_DEPARTMENT),
    ("县发展和改革局", Unit.Kind.GOVERNMENT_DEPARTMENT),
    ("县教育局", Unit.Kind.GOVERNMENT_DEPARTMENT),
    ("县公安局", Unit.Kind.GOVERNMENT_DEPARTMENT),
    ("县审计局", Unit.Kind.GOVERNMENT_DEPARTMENT),
    ("县自然资源局", Unit.Kind.GOVERNMENT_DEPARTMENT),
    ("县住房和城乡建设局", Unit.Kind.GOVERNMENT_DEPARTMENT),
    ("县卫生健康局", Unit.Kind.GOVERNMENT_DEPARTMENT),
    ("县市场监督管理局", Unit.Kind.GOVERNMENT_DEPARTMENT),
    ("县人民法院", Unit.Kind.COURT),
    ("县人民检察院", Unit.Kind.PROCURATORATE),
    ("城关镇", Unit.Kind.STREET),
    ("县第一中学", Unit.Kind.SCHOOL),
]
# (principal level, deputy level) of a unit's leading posts by its depth in the tree.
LEVELS = {
    0: (LeadershipLevel.BUREAU_CHIEF, LeadershipLevel.BUREAU_DEPUTY),
    1: (LeadershipLevel.BUREAU_CHIEF, LeadershipLevel.BUREAU_DEPUTY),
    2: (LeadershipLevel.COUNTY_CHIEF, LeadershipLevel.COUNTY_DEPUTY),
    3: (LeadershipLevel.SECTION_CHIEF, LeadershipLevel.SECTION_DEPUTY),
}
RANK_POSTS = [("一级主任科员", Rank.PRINCIPAL_STAFF_1), ("四级主任科员", Rank.PRINCIPAL_STAFF_4), ("一级科员", Rank.CLERK_1)]
DEPUTIES = 3
RELATIVE_PLACES = [("某县第一中学", "教师"), ("某县人民医院", "医生"), ("某银行支行", "职员"), ("某私营企业", "经理"), ("", "退休")]
OUTSIDE_CIVIL_SERVICE = {Unit.Kind.SCHOOL, Unit.Kind.SOE, Unit.Kind.PUBLIC_INSTITUTION}


def ids_after(model, before: int) -> list[int]:
    """Primary keys given to the rows just inserted (COPY and executemany take them in order)."""
    return list(model.objects.filter(pk__gt=before).order_by("pk").values_list("pk", flat=True))


def last_pk(model) -> int:
    return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


class People:
    def __init__(self, gen):
        self.gen = gen
        self.rng = gen.rng
        self.actor = gen.actor
        self.pinyin: dict[str, tuple] = {}
        # ID numbers already registered (a --force run adds to a database with cadres).
        self.used_ids: set[str] = set(Cadre.objects.values_list("id_number", flat=True).iterator())
        self.cadres: list[tuple[int, Unit]] = []  # (cadre id, unit) for the oversight records
        self.departments: list[Unit] = []
        self.cities: list[Unit] = []
        self.counties: list[Unit] = []

    # --- units ---------------------------------------------------------------------------

    def _units(self, specs: list[tuple[str, str, Unit | None, int]]) -> list[Unit]:
        """Create units level by level: (name, kind, parent, order). Paths as create_unit makes them."""
        started = self.gen.stats.start()
        with transaction.atomic():
            units = Unit.objects.bulk_create(
                [
                    Unit(name=name, kind=kind, parent=parent, order=order, path=f"tmp-{uuid.uuid4().hex}", depth=(parent.depth + 1) if parent else 0)
                    for name, kind, parent, order in specs
                ]
            )
            if units and units[0].pk is None:  # a backend that does not return keys
                by_path = dict(Unit.objects.filter(path__in=[u.path for u in units]).values_list("path", "pk"))
                for unit in units:
                    unit.pk = by_path[unit.path]
            for unit in units:
                unit.path = (unit.parent.path if unit.parent else "") + f"{unit.pk:0{PATH_STEP}d}/"
            Unit.objects.bulk_update(units, ["path"], batch_size=500)
            self.gen.journal(
                [{"action": "registry.unit.created", "actor": self.actor, "target": u, "unit": u, "data": {"name": u.name, "kind": u.kind}} for u in units]
            )
        self.gen.stats.timed("registry_unit", len(units), started)
        return units

    def build_tree(self) -> list[Unit]:
        plan = self.gen.plan
        name = "云岭省"
        n = 1
        while Unit.objects.filter(parent=None, name=name).exists():  # --force into a database with data
            n += 1
            name = f"云岭省{n}"
        (province,) = self._units([(name, Unit.Kind.OTHER, None, 0)])
        city_names = CITIES.split()
        cities = self._units(
            [(f"{city_names[i % len(city_names)]}{'' if i < len(city_names) else i}市", Unit.Kind.OTHER, province, i) for i in range(plan.cities)]
        )
        prefixes, suffixes = COUNTY_PREFIXES.split(), COUNTY_SUFFIXES.split()
        county_specs = []
        for i in range(plan.counties):
            city = cities[i % len(cities)]
            combos = len(prefixes) * len(suffixes)  # past that many counties, a number keeps names unique
            number = str(i // combos + 1) if i >= combos else ""
            county_specs.append((f"{prefixes[i % len(prefixes)]}{suffixes[(i // len(prefixes)) % len(suffixes)]}{number}县", Unit.Kind.OTHER, city, i))
        counties = self._units(county_specs)
        self.cities, self.counties = cities, counties
        self.departments = self._units([(dept, kind, county, j) for county in counties for j, (dept, kind) in enumerate(DEPARTMENTS[: plan.departments])])
        return [province, *cities, *counties, *self.departments]

    # --- people --------------------------------------------------------------------------

    def person_name(self, male: bool) -> str:
        given = MALE_GIVEN if male else FEMALE_GIVEN
        surname = SURNAMES[int(self.rng.triangular(0, len(SURNAMES), 0))]
        return surname + "".join(self.rng.choice(given) for _ in range(self.rng.choice((1, 2, 2, 2))))

    def name_fields(self, name: str) -> dict:
        cached = self.pinyin.get(name)
        if cached is None:
            pinyin, initials = pinyin_of(name)
            cached = self.pinyin[name] = {"name_pinyin": pinyin, "name_initials": initials, **names.sort_keys(name)}
        return cached

    def id_number(self, region: str, born: dt.date, male: bool) -> str:
        while True:
            number = make_id_number(region, born, self.rng.randrange(0, 500) * 2 + (1 if male else 0))
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number

    def build_people(self, units: list[Unit]) -> None:
        plan = self.gen.plan
        per_unit, extra = divmod(plan.cadres, len(units))
        history, history_extra = divmod(plan.tenures - plan.cadres, plan.cadres)
        batch: list[tuple[Unit, int]] = []
        count = 0
        for i, unit in enumerate(units):
            n = per_unit + (1 if i < extra else 0)
            batch.append((unit, n))
            count += n
            if count >= CHUNK or i == len(units) - 1:
                self._chunk(batch, history, history_extra)
                batch, count = [], 0

    def _chunk(self, batch: list[tuple[Unit, int]], history: int, history_extra: int) -> None:
        rng, stats = self.rng, self.gen.stats
        with transaction.atomic():
            # Posts: a principal, deputies, rank posts sized to their current holders.
            started = self.gen.stats.start()
            posts: list[Position] = []
            seats: list[tuple[Position, Unit]] = []  # one per cadre, in order
            for unit, n in batch:
                chief, deputy = LEVELS[min(unit.depth, 3)]
                leading = [Position(unit=unit, title="主要负责人", is_principal=True, has_financial_authority=True, level=chief, order=0)]
                leading += [
                    Position(
                        unit=unit,
                        title=f"副职{k + 1}",
                        level=deputy,
                        order=k + 1,
                        portfolio="分管财务" if k == 0 else "分管日常工作",
                        has_financial_authority=k == 0,
                    )
                    for k in range(min(DEPUTIES, n - 1))
                ]
                rest = n - len(leading)
                rank_posts = [
                    Position(unit=unit, title=title, kind=Position.Kind.NON_LEADING, level="", order=10 + k, headcount=0)
                    for k, (title, _rank) in enumerate(RANK_POSTS[: min(len(RANK_POSTS), rest)])
                ]
                for k in range(rest):
                    rank_posts[k % len(rank_posts)].headcount += 1
                posts += leading + rank_posts
                seats += [(p, unit) for p in leading] + [(rank_posts[k % len(rank_posts)], unit) for k in range(rest)]
            posts = Position.objects.bulk_create(posts)
            if posts and posts[0].pk is None:
                raise RuntimeError("the database backend did not return the new posts' keys")
            self.gen.journal(
                [{"action": "registry.position.created", "actor": self.actor, "target": p, "unit": p.unit, "data": {"title": p.title}} for p in posts]
            )
            stats.timed("registry_position", len(posts), started)
            rank_seats = [p for p in posts if p.kind == Position.Kind.NON_LEADING] or posts

            # Cadres.
            started = self.gen.stats.start()
            records = []
            for position, unit in seats:
                leading = position.kind == Position.Kind.LEADING
                male = rng.random() < (0.72 if leading else 0.55)
                born = dt.date(rng.randint(1965, 1978 if leading else 1998), rng.randint(1, 12), rng.randint(1, 28))
                region, native_place = rng.choice(NATIVE_PLACES)
                name = self.person_name(male)
                cpc = rng.random() < (0.9 if leading else 0.7)
                rank = Rank.NOT_CIVIL_SERVANT if unit.kind in OUTSIDE_CIVIL_SERVICE else (Rank.RESEARCHER_2 if leading else dict(RANK_POSTS)[position.title])
                records.append(
                    {
                        "name": name,
                        **self.name_fields(name),
                        "gender": Cadre.Gender.MALE if male else Cadre.Gender.FEMALE,
                        "ethnicity": rng.choices([e for e, _ in ETHNICITIES], weights=[w for _, w in ETHNICITIES])[0],
                        "birth_on": born,
                        "native_place": native_place,
                        "id_number": self.id_number(region, born, male),
                        "political_status": Cadre.PoliticalStatus.CPC if cpc else Cadre.PoliticalStatus.NONE,
                        "education": rng.choice((Cadre.Education.MASTER, Cadre.Education.BACHELOR, Cadre.Education.BACHELOR, Cadre.Education.COLLEGE)),
                        "leadership_level": position.level if leading else "",
                        "rank": rank,
                        "phone": f"139{rng.randrange(10**8):08d}",
                        "work_start_on": dt.date(born.year + rng.randint(21, 24), rng.choice((7, 8, 9)), 1),
                        "party_join_on": dt.date(born.year + rng.randint(19, 30), rng.randint(1, 12), 1) if cpc else None,
                        "unit_id": unit.pk,
                        "managed_by_district": leading,
                    }
                )
            insert_rows(Cadre, records)
            by_number = (
                dict(Cadre.objects.filter(id_number__in=[r["id_number"] for r in records]).values_list("id_number", "pk")) if len(records) <= 900 else None
            )
            if by_number is None:
                by_number = {}
                for start in range(0, len(records), 900):
                    chunk = [r["id_number"] for r in records[start : start + 900]]
                    by_number.update(Cadre.objects.filter(id_number__in=chunk).values_list("id_number", "pk"))
            cadre_ids = [by_number[r["id_number"]] for r in records]
            self.gen.journal(
                [
                    {
                        "action": "registry.cadre.created",
                        "actor": self.actor,
                        "target": ("registry.cadre", cid),
                        "unit": unit,
                        "cadre": cid,
                        "data": {"name": r["name"]},
                    }
                    for cid, r, (_p, unit) in zip(cadre_ids, records, seats, strict=True)
                ]
            )
            self.cadres += [(cid, unit) for cid, (_p, unit) in zip(cadre_ids, seats, strict=True)]
            stats.timed("registry_cadre", len(records), started)

            self._relatives(cadre_ids, records, seats)
            self._careers(cadre_ids, records, seats, rank_seats, history, history_extra)

    def _relatives(self, cadre_ids, records, seats) -> None:
        rng, started = self.rng, self.gen.stats.start()
        rows, owners = [], []
        for cid, record, (_p, unit) in zip(cadre_ids, records, seats, strict=True):
            born = record["birth_on"]
            if rng.random() < 0.85:
                place, post = rng.choice(RELATIVE_PLACES)
                male = record["gender"] == Cadre.Gender.FEMALE
                rows.append(
                    {
                        "cadre_id": cid,
                        "relation": Relative.Relation.SPOUSE,
                        "name": self.person_name(male),
                        "birth_on": born.replace(year=born.year + rng.randint(-3, 3)),
                        "work_unit": place,
                        "post": post,
                    }
                )
                owners.append((cid, unit))
            if born.year + 28 <= 2016 and rng.random() < 0.7:
                son = rng.random() < 0.5
                rows.append(
                    {
                        "cadre_id": cid,
                        "relation": Relative.Relation.SON if son else Relative.Relation.DAUGHTER,
                        "name": record["name"][0] + self.person_name(son)[1:],
                        "birth_on": dt.date(born.year + 28, rng.randint(1, 12), rng.randint(1, 28)),
                        "work_unit": "在读",
                        "post": "学生",
                    }
                )
                owners.append((cid, unit))
        before = last_pk(Relative)
        insert_rows(Relative, rows)
        self.gen.journal(
            [
                {
                    "action": "registry.relative.added",
                    "actor": self.actor,
                    "target": ("registry.relative", rid),
                    "unit": unit,
                    "cadre": cid,
                    "data": {"relation": row["relation"]},
                }
                for rid, row, (cid, unit) in zip(ids_after(Relative, before), rows, owners, strict=True)
            ]
        )
        self.gen.stats.timed("registry_relative", len(rows), started)

    def _careers(self, cadre_ids, records, seats, rank_seats, history, history_extra) -> None:
        """Each cadre: `history` (±1) ended tenures back to back, then the current one in their
        unit. Earlier posts are rank posts (several holders at once); a leading post has only its
        current holder, so no two current principals ever share a post."""
        rng, started = self.rng, self.gen.stats.start()
        tenures, owners, resume, resume_owners = [], [], [], []
        today = self.gen.today
        for cid, record, (position, unit) in zip(cadre_ids, records, seats, strict=True):
            h = history + (1 if rng.random() < history_extra / self.gen.plan.cadres else 0)
            first = record["work_start_on"]
            current_start = first + dt.timedelta(days=int((today - first).days * rng.uniform(0.55, 0.95)))
            span = (current_start - first).days
            bounds = sorted(first + dt.timedelta(days=rng.randint(1, max(1, span - 1))) for _ in range(h - 1)) if h > 1 else []
            starts = [first, *bounds]
            ends = [*(b - dt.timedelta(days=1) for b in bounds), current_start - dt.timedelta(days=1)]
            lines = [{"start": f"{record['birth_on'].year + 18}.09", "end": f"{first.year}.07", "text": "某大学学习"}]
            for s, e in zip(starts[:h], ends[:h], strict=False):
                if e < s:
                    continue
                post = rng.choice(rank_seats)
                tenures.append(
                    {
                        "cadre_id": cid,
                        "position_id": post.pk,
                        "started_on": s,
                        "ended_on": e,
                        "end_reason": rng.choice((Tenure.EndReason.TRANSFER, Tenure.EndReason.PROMOTION)),
                        "start_method": Tenure.StartMethod.APPOINTMENT,
                    }
                )
                owners.append((cid, post))
                lines.append({"start": f"{s:%Y.%m}", "end": f"{e:%Y.%m}", "text": f"{post.unit.name}{post.title}"})
            tenures.append({"cadre_id": cid, "position_id": position.pk, "started_on": current_start, "start_method": Tenure.StartMethod.APPOINTMENT})
            owners.append((cid, position))
            lines.append({"start": f"{current_start:%Y.%m}", "end": "", "text": f"{unit.name}{position.title}"})
            for order, line in enumerate(lines):
                resume.append({"cadre_id": cid, "order": order, **line})
            resume_owners.append((cid, unit))
        before = last_pk(Tenure)
        insert_rows(Tenure, tenures)
        entries = []
        for tid, row, (cid, post) in zip(ids_after(Tenure, before), tenures, owners, strict=True):
            target = ("registry.tenure", tid)
            entries.append(
                {
                    "action": "registry.tenure.started",
                    "actor": self.actor,
                    "target": target,
                    "unit": post.unit,
                    "cadre": cid,
                    "data": {"position": str(post), "started_on": row["started_on"], "start_method": row["start_method"], "is_acting": False},
                }
            )
            if row.get("ended_on"):
                entries.append(
                    {
                        "action": "registry.tenure.ended",
                        "actor": self.actor,
                        "target": target,
                        "unit": post.unit,
                        "cadre": cid,
                        "data": {"position": str(post), "ended_on": row["ended_on"], "end_reason": row["end_reason"], "departure": False},
                    }
                )
        self.gen.journal(entries)
        self.gen.stats.timed("registry_tenure", len(tenures), started)
        started = self.gen.stats.start()
        insert_rows(ResumeLine, resume)
        self.gen.journal(
            [
                {
                    "action": "registry.cadre.record_updated",
                    "actor": self.actor,
                    "target": ("registry.cadre", cid),
                    "unit": unit,
                    "cadre": cid,
                    "data": {"changed": ["resume"]},
                }
                for cid, unit in resume_owners
            ]
        )
        self.gen.stats.timed("registry_resumeline", len(resume), started)
