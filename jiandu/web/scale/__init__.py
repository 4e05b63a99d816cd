"""`manage.py load_scale`: a province-size data set (issue 17 §1), written through the bulk paths.

Rows are what the actions would store (ID numbers valid by GB 11643, pinyin and sort keys as the
registry computes them, unit paths as `create_unit` builds them, one current holder per leading
post, influence periods from oversight.influence), inserted with `core.bulk.insert_rows` (COPY on
PostgreSQL) and journaled with `journal.record_many`, one entry per row as the action would write
it, so the chain verifies. Work is committed chunk by chunk (one transaction per chunk) so memory
and the PostgreSQL transaction stay bounded at full size.

Sizes at scale 1.0 are the issue's: ~2,000 units, 100,000 cadres, 500,000 tenures, 200,000
oversight records, 10 million journal entries (the rows' own entries, the rest the reads an
organisation department journals: sensitive views of cadres), 50 annual appraisal cycles with
2 million counted ballots of their democratic evaluations (appraisals.py: cycles through the
actions, the ballots' rows as the ballot engine leaves them on close)."""

import dataclasses
import math
import time

SIZES = {"cadres": 100_000, "tenures": 500_000, "oversight": 200_000, "journal": 10_000_000, "cycles": 50, "ballots": 2_000_000}
CADRES_PER_UNIT = 50
COUNTIES_PER_CITY = 8
DEPARTMENTS_PER_COUNTY = 20
FULL_COUNTIES = 96  # 1 province + 12 cities + 96 counties + 1,920 departments = 2,029 units
CHUNK = 5000  # cadres per transaction
JOURNAL_TABLE = "core_journalentry"


@dataclasses.dataclass
class Plan:
    """How many of each at `scale` (at least one of each level, so a tiny CI run has the tree)."""

    scale: float
    cadres: int
    tenures: int
    oversight: int
    journal: int
    cycles: int
    ballots: int
    counties: int
    cities: int
    departments: int  # per county

    @classmethod
    def at(cls, scale: float) -> "Plan":
        cadres = max(20, round(SIZES["cadres"] * scale))
        counties = max(1, round(FULL_COUNTIES * scale))
        cities = math.ceil(counties / COUNTIES_PER_CITY)
        departments = max(2, min(DEPARTMENTS_PER_COUNTY, round(cadres / (counties * CADRES_PER_UNIT))))
        return cls(
            scale=scale,
            cadres=cadres,
            tenures=max(cadres, round(SIZES["tenures"] * scale)),
            oversight=max(8, round(SIZES["oversight"] * scale)),
            journal=round(SIZES["journal"] * scale),
            cycles=max(1, round(SIZES["cycles"] * scale)),
            ballots=max(20, round(SIZES["ballots"] * scale)),
            counties=counties,
            cities=cities,
            departments=departments,
        )

    @property
    def units(self) -> int:
        return 1 + self.cities + self.counties * (1 + self.departments)


class Stats:
    """Rows written and seconds spent per table, for the rows/s report."""

    def __init__(self):
        self.rows: dict[str, int] = {}
        self.seconds: dict[str, float] = {}

    def start(self) -> tuple[float, float]:
        return time.monotonic(), self.seconds.get(JOURNAL_TABLE, 0.0)

    def timed(self, table: str, rows: int, started: tuple[float, float]) -> None:
        """Count `rows` of `table` written since `started` (time spent journaling them not included)."""
        at, journal_before = started
        spent = time.monotonic() - at
        if table != JOURNAL_TABLE:
            spent -= self.seconds.get(JOURNAL_TABLE, 0.0) - journal_before
        self.rows[table] = self.rows.get(table, 0) + rows
        self.seconds[table] = self.seconds.get(table, 0.0) + spent

    def lines(self) -> list[str]:
        out = []
        for table, rows in self.rows.items():
            seconds = self.seconds[table]
            if not rows:
                out.append(f"  {table:<39} {seconds:>17.1f} s")
                continue
            rate = rows / seconds if seconds > 0 else float("inf")
            out.append(f"  {table:<28} {rows:>10,} rows {seconds:>8.1f} s {rate:>10,.0f} rows/s")
        return out
