"""Reads of 阳光周志 and public feedback. What is public is decided here, once: the portal shows
only what these functions return (published logs, the leaders who must write them with their
public profile, published feedback), never other fields of the registry."""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from functools import cache as cache_once
from functools import cached_property

from django.core.cache import cache
from django.db import connection
from django.db.models import Q

from jiandu.accounts import access
from jiandu.core import practice
from jiandu.core.models import LocalSetting
from jiandu.registry.models import Cadre, Position, Tenure, Unit

from . import log_actions
from .models import LeaderProfile, PublicFeedback, WeeklyLog

# --- public (no login) ------------------------------------------------------------------------


def public_version() -> str:
    """Changes whenever published content changes (cache keys of portal pages include it)."""
    value = cache.get(log_actions.PUBLIC_VERSION_KEY)
    if value is None:
        value = 0
        cache.add(log_actions.PUBLIC_VERSION_KEY, value, timeout=None)
    return str(value)


def published_logs():
    return (
        WeeklyLog.objects.filter(status=WeeklyLog.Status.PUBLISHED)
        .select_related("cadre")
        .only("cadre_id", "week_start", "this_week", "next_week", "published_at", "cadre__name")  # never the cadre's private columns
        .order_by("-week_start", "cadre__sort_pinyin", "id")
    )


@dataclass
class PublicLeader:
    """The public face of a leader: nothing else of the cadre leaves this module."""

    id: int
    name: str
    posts: list[str] = field(default_factory=list)
    portfolio: str = ""
    office_phone: str = ""
    office_address: str = ""
    mailbox: str = ""

    @cached_property
    def version(self) -> str:
        """Changes with any public field: the key of the leader's rendered fragments."""
        fields = (self.id, self.name, tuple(self.posts), self.portfolio, self.office_phone, self.office_address, self.mailbox)
        return hashlib.sha1(repr(fields).encode(), usedforsecurity=False).hexdigest()


def _public(cadre: Cadre, tenures, profile: LeaderProfile | None) -> PublicLeader:
    posts = [f"{t.position.unit.label}{t.position.title}" for t in tenures]
    portfolios = [t.position.portfolio for t in tenures if t.position.portfolio]
    leader = PublicLeader(id=cadre.pk, name=cadre.name, posts=posts, portfolio="；".join(portfolios))
    if profile is not None:
        leader.portfolio = profile.portfolio or leader.portfolio
        leader.office_phone, leader.office_address, leader.mailbox = profile.office_phone, profile.office_address, profile.mailbox
    return leader


_PUBLIC_COLUMNS = (
    "cadre__name",
    "position__title",
    "position__portfolio",
    "position__unit__name",
    "position__unit__short_name",
)


def public_leaders(today: dt.date | None = None, *, only: int | None = None) -> list[PublicLeader]:
    """Serving leaders who must write weekly logs (current posts at the required levels)."""
    today = today or log_actions.now().astimezone(log_actions.local_tz()).date()
    tenures = Tenure.objects.filter(position__kind="leading", position__level__in=log_actions.required_levels(), started_on__lte=today)
    if only is not None:
        tenures = tenures.filter(cadre_id=only)
    tenures = (
        tenures.exclude(ended_on__lt=today)
        .select_related("cadre", "position__unit")
        .only(*_PUBLIC_COLUMNS)  # the public face only: never the cadre's other (private) columns
        .order_by("position__unit__path", "position__order", "id")
    )
    by_cadre: dict[int, list] = {}
    cadres: dict[int, Cadre] = {}
    for tenure in tenures:
        by_cadre.setdefault(tenure.cadre_id, []).append(tenure)
        cadres[tenure.cadre_id] = tenure.cadre
    profiles = {p.cadre_id: p for p in LeaderProfile.objects.filter(cadre_id__in=list(cadres))}
    return [_public(cadres[pk], by_cadre[pk], profiles.get(pk)) for pk in by_cadre]


def public_leader(pk: int) -> PublicLeader | None:
    """One leader for the portal: a current leader, or anyone with a published log."""
    for leader in public_leaders(only=pk):
        return leader
    cadre = Cadre.objects.filter(pk=pk, weekly_logs__status=WeeklyLog.Status.PUBLISHED).distinct().first()
    if cadre is None:
        return None
    return PublicLeader(id=cadre.pk, name=cadre.name)


@dataclass
class LeaderPage:
    """What a leader's public page needs: the public face and, newest first, the (id, published
    at) of each published log — the texts come from the page's fragment cache (a published log
    never changes) or, for the logs not cached yet, from cards_of()."""

    leader: PublicLeader
    logs: list[tuple[int, str]]


def leader_page(pk: int, today: dt.date | None = None) -> LeaderPage | None:
    """The leader page's reads in two statements (the portal's hot path: an uncached page is
    read from the database on every change of published content). Written in SQL like the voting
    path (jiandu/ballots/actions/voting.py): building the same reads with the ORM costs several
    times the statements themselves. Same rules as public_leader() and published_logs(): current
    leading posts at the required levels (setting decisions.weekly_log.levels), the public profile,
    and only published logs; tests/test_portal.py holds the two to the same answers."""
    today = today or log_actions.now().astimezone(log_actions.local_tz()).date()
    with connection.cursor() as cursor:
        cursor.execute(_LEADER_SQL, [LEVELS_SETTING, pk, Position.Kind.LEADING, today, today])
        rows = cursor.fetchall()
        cursor.execute(_LOGS_SQL, [pk, WeeklyLog.Status.PUBLISHED])
        logs = [(log_id, (published_at or "").replace(" ", "T")) for log_id, published_at in cursor.fetchall()]
    levels = _levels(rows[0][12]) if rows else set()
    rows = [row for row in rows if row[4] in levels]
    if rows:
        first = rows[0]
        person = PublicLeader(id=first[0], name=first[1], posts=[f"{row[6] or row[5]}{row[2]}" for row in rows])
        person.portfolio = "；".join(row[3] for row in rows if row[3])
        if first[7] is not None:
            person.portfolio = first[8] or person.portfolio
            person.office_phone, person.office_address, person.mailbox = first[9], first[10], first[11]
    elif logs:
        person = public_leader(pk)  # a former leader with published logs: the name only
    else:
        return None
    return LeaderPage(person, logs) if person is not None else None


LEVELS_SETTING = "decisions.weekly_log.levels"
# ANSI double quotes for the two reserved words ("key", "order"): SQLite and PostgreSQL alike.
_LEADER_SQL = (
    "SELECT c.id, c.name, p.title, p.portfolio, p.level, u.name, u.short_name, lp.id, lp.portfolio, lp.office_phone, lp.office_address, lp.mailbox,"  # noqa: S608
    f' (SELECT s.value FROM {LocalSetting._meta.db_table} s WHERE s."key" = %s)'
    f" FROM {Tenure._meta.db_table} t JOIN {Position._meta.db_table} p ON p.id = t.position_id JOIN {Unit._meta.db_table} u ON u.id = p.unit_id"
    f" JOIN {Cadre._meta.db_table} c ON c.id = t.cadre_id LEFT JOIN {LeaderProfile._meta.db_table} lp ON lp.cadre_id = c.id"
    " WHERE t.cadre_id = %s AND p.kind = %s AND t.started_on <= %s AND (t.ended_on IS NULL OR t.ended_on >= %s)"
    ' ORDER BY u.path, p."order", t.id'
)
# The publish time as text (no datetime parsing per row): it only has to tell versions apart.
_LOGS_SQL = f"SELECT id, CAST(published_at AS TEXT) FROM {WeeklyLog._meta.db_table} WHERE cadre_id = %s AND status = %s ORDER BY week_start DESC, id"  # noqa: S608


@cache_once
def _default_levels():
    return practice.definitions()[LEVELS_SETTING].default


def _levels(raw) -> set[str]:
    if raw is None:
        raw = _default_levels()
    elif isinstance(raw, str | bytes):
        raw = json.loads(raw)  # SQLite hands JSON back as text; psycopg decodes it
    return {str(v) for v in raw or []}


def cards_of(ids) -> list[WeeklyLog]:
    """The published logs with these ids (rendering the page's missing fragments)."""
    return list(WeeklyLog.objects.filter(pk__in=list(ids), status=WeeklyLog.Status.PUBLISHED).only("id", "cadre_id", "week_start", "this_week", "published_at"))


def search_published(query: str):
    query = (query or "").replace("\x00", "").strip()[:100]
    if not query:
        return published_logs().none()
    # Every word must occur (in this week's work, next week's plan or the leader's name), as in a
    # search box. icontains: a LIKE scan, adequate for a district's logs (SQLite and PostgreSQL alike).
    logs = published_logs()
    for word in query.split()[:5]:
        logs = logs.filter(Q(this_week__icontains=word) | Q(next_week__icontains=word) | Q(cadre__name__icontains=word))
    return logs


def published_rectification_summaries() -> list[dict]:
    """The rectification summaries of inspection tours published by 日常监督 (its query decides)."""
    from jiandu.oversight import queries as oversight_queries

    return oversight_queries.published_tour_summaries()


def published_feedback():
    return PublicFeedback.objects.filter(status=PublicFeedback.Status.PUBLISHED).select_related("leader").order_by("-moderated_at", "-id")


# --- the office and the leaders ----------------------------------------------------------------


def may_review(user) -> bool:
    return access.can(user, "decisions.review_log")


def logs_visible_to(user):
    """The office sees the logs of leaders in its scope; a leader sees their own."""
    if not getattr(user, "is_authenticated", False):
        return WeeklyLog.objects.none()
    q = access.scope_q(user, "decisions.review_log", "cadre__unit__path")
    if getattr(user, "cadre_id", None) and access.can(user, "decisions.submit_log"):
        q |= Q(cadre_id=user.cadre_id)
    return WeeklyLog.objects.filter(q).select_related("cadre", "entered_by", "reviewed_by")


def get_log_for(user, pk) -> WeeklyLog:
    log = logs_visible_to(user).filter(pk=pk).first()
    if log is None:
        raise access.NotVisible()
    return log


def feedback_visible_to(user):
    if not access.can(user, "decisions.review_log"):
        return PublicFeedback.objects.none()
    if access.is_unrestricted(user, "decisions.review_log"):
        return PublicFeedback.objects.select_related("leader", "clue")
    return (
        PublicFeedback.objects.filter(leader__isnull=False)
        .filter(access.scope_q(user, "decisions.review_log", "leader__unit__path"))
        .select_related("leader", "clue")
    )


def get_feedback_for(user, pk) -> PublicFeedback:
    feedback = feedback_visible_to(user).filter(pk=pk).first()
    if feedback is None:
        raise access.NotVisible()
    return feedback


@dataclass
class LeaderRecord:
    cadre: Cadre
    on_time: int = 0
    late: int = 0
    missing: list[dt.date] = field(default_factory=list)
    late_weeks: list[dt.date] = field(default_factory=list)


def closed_weeks(count: int = 8, at: dt.datetime | None = None) -> list[dt.date]:
    """The last `count` weeks whose deadline has passed, newest first."""
    at = at or log_actions.now()
    week = log_actions.week_of(at.astimezone(log_actions.local_tz()).date())
    weeks = []
    while len(weeks) < count:
        if log_actions.deadline_for(week).due < at:
            weeks.append(week)
        week -= dt.timedelta(days=7)
    return weeks


def compliance(user, weeks: list[dt.date], at: dt.datetime | None = None) -> list[LeaderRecord]:
    """Per leader in the user's review scope: logs on time, late, and missing (deadline passed,
    nothing submitted) over `weeks`."""
    at = at or log_actions.now()
    scope = access.scope_q(user, "decisions.review_log", "unit__path")
    records: dict[int, LeaderRecord] = {}
    logs = {(log.cadre_id, log.week_start): log for log in WeeklyLog.objects.filter(week_start__in=weeks)}
    for week in weeks:
        due = log_actions.deadline_for(week).due
        for cadre in log_actions.leaders_for_week(week).filter(scope):
            record = records.setdefault(cadre.pk, LeaderRecord(cadre))
            log = logs.get((cadre.pk, week))
            if log is None:
                if due < at:
                    record.missing.append(week)
            elif log.is_late:
                record.late += 1
                record.late_weeks.append(week)
            else:
                record.on_time += 1
    return sorted(records.values(), key=lambda r: (-len(r.missing) - r.late, r.cadre.sort_pinyin, r.cadre.pk))
