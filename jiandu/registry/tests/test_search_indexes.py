"""Registry migration 0005 (issue 17 §2): the cadre search's indexes exist on PostgreSQL and its
plan can use them; on SQLite the migration is a no-op; either way the search finds exactly what it
found before (name contains, pinyin and initials prefixes, ID-number suffix)."""

import importlib
import types

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiandu.accounts.models import Role
from jiandu.registry.models import Cadre
from jiandu.registry.queries import search_cadres
from jiandu.testing import make_cadre, make_unit, make_user

pytestmark = pytest.mark.django_db

migration = importlib.import_module("jiandu.registry.migrations.0005_cadre_search_indexes")
NAMES = [name for name, _definition in migration.INDEXES]


def _indexes() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'registry_cadre'")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'registry_cadre'")
        return {row[0] for row in cursor.fetchall()}


def test_the_indexes_exist_on_postgresql_only_and_the_migration_runs_both_ways():
    if connection.vendor == "postgresql":
        assert set(NAMES) <= _indexes()
        with connection.schema_editor() as editor:
            migration.backwards(None, editor)
        assert not set(NAMES) & _indexes()
        with connection.schema_editor() as editor:
            migration.forwards(None, editor)
        assert set(NAMES) <= _indexes()
    else:
        assert not set(NAMES) & _indexes()
        # SQLite's schema editor cannot open inside the test's transaction; the functions only
        # ask the connection's vendor and would execute through the editor: record what they run.
        executed = []
        editor = types.SimpleNamespace(connection=connection, execute=executed.append)
        migration.forwards(None, editor)
        migration.backwards(None, editor)
        assert executed == [] and not set(NAMES) & _indexes()


@pytest.fixture
def cadres():
    unit = make_unit(name="检索单位")
    people = [make_cadre(unit=unit, name=name) for name in ("张伟明", "张伟", "王张明", "曾小伟", "李明")]
    return unit, people


def test_a_broad_search_keeps_the_query_and_finds_the_same(cadres, monkeypatch):
    """Past SEARCH_SELECTIVE matches the search stays one query (the sorted walk is quick when
    matches are dense); below it, the matches are read by key. Both find the same rows."""
    from jiandu.registry import queries

    unit, _people = cadres
    user = make_user(role=Role.ORG_OFFICER, unit=None)
    selective = sorted(c.name for c in search_cadres(Cadre.objects.filter(unit=unit), "张", user=user))
    monkeypatch.setattr(queries, "SEARCH_SELECTIVE", 1)
    broad = search_cadres(Cadre.objects.filter(unit=unit), "张", user=user)
    assert "IN (" not in str(broad.query) and sorted(c.name for c in broad) == selective == ["张伟", "张伟明", "王张明"]


def test_search_finds_what_it_found_before(cadres):
    unit, people = cadres
    user = make_user(role=Role.ORG_OFFICER, unit=None)
    by_name = {c.name: c for c in people}

    def found(text):
        return sorted(c.name for c in search_cadres(Cadre.objects.filter(unit=unit), text, user=user))

    assert found("张伟") == ["张伟", "张伟明"]  # contains, two characters
    assert found("伟明") == ["张伟明"]
    assert found("张") == ["张伟", "张伟明", "王张明"]
    assert found("张伟明") == ["张伟明"]  # three characters: answered from the trigram index on PostgreSQL
    assert found("zhangwei") == ["张伟", "张伟明"]  # pinyin prefix
    assert found("zengx") == ["曾小伟"]  # the surname reading of 曾
    assert found("zwm") == ["张伟明"]  # initials prefix
    assert found("wei") == []  # pinyin is matched from its start only
    digits = by_name["李明"].id_number[-4:]
    assert "李明" in found(digits) and all(c.id_number.endswith(digits) for c in Cadre.objects.filter(unit=unit, name__in=found(digits)))


def test_postgresql_plans_the_search_on_the_indexes(cadres):
    if connection.vendor != "postgresql":
        pytest.skip("the indexes are PostgreSQL's")
    user = make_user(role=Role.ORG_OFFICER, unit=None)
    plans = {}
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a handful of rows: make the planner show what it can use
        for text in ("张伟明", "zhangw", "zwm", "1234"):
            with CaptureQueriesContext(connection) as captured:
                search_cadres(Cadre.objects.all(), text, user=user)  # finds the matches at once (the selective path)
            finding = captured.captured_queries[-1]  # after the reader's roles, when they were not cached yet
            cursor.execute("EXPLAIN " + finding["sql"])
            plans[text] = "\n".join(row[0] for row in cursor.fetchall())
    assert "registry_cadre_name_trgm" in plans["张伟明"]
    assert "registry_cadre_pinyin_prefix" in plans["zhangw"]
    assert "registry_cadre_initials_prefix" in plans["zwm"]
    # The ID-digits arm is "id_number LIKE '%1234' AND <may see in clear>"; for a province-wide
    # reader the second part is "id IS NOT NULL", which on a handful of rows the planner serves
    # from the primary key. At size (bench_pages' search lines, 100,000 cadres) it takes the
    # trigram index; here: the arm is answered by some index, not by a scan of the table.
    assert "Seq Scan" not in plans["1234"] and "BitmapOr" in plans["1234"]


def test_a_search_sorted_by_name_keeps_the_name_order(cadres):
    """filter_cadres orders a search by an expression of the same key (so that the planner does
    not walk the index): the order is the name order, both ways."""
    from jiandu.registry.queries import filter_cadres

    unit, _people = cadres
    user = make_user(role=Role.ORG_OFFICER, unit=None)
    expected = list(Cadre.objects.filter(unit=unit, name__contains="张").order_by("sort_pinyin", "id").values_list("name", flat=True))
    assert len(expected) == 3
    assert [c.name for c in filter_cadres(user, q="张", unit=unit.pk, sort="name")] == expected
    assert [c.name for c in filter_cadres(user, q="张", unit=unit.pk, sort="-name")] == expected[::-1]
    assert [c.name for c in filter_cadres(user, q="张", unit=unit.pk)] == expected  # the default sort
