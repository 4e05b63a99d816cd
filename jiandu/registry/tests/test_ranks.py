"""Ranks after the 2019 reform (issue #12 part 4): 领导职务层次 apart from 职级, a category for staff
outside the civil service, no 非领导职务 wording; the old mixed values migrate."""

import importlib
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import translation

from jiandu.core.errors import ActionError
from jiandu.registry import actions, queries
from jiandu.registry.models import Cadre, LeadershipLevel, Position, Rank, Tenure
from jiandu.testing import make_cadre, make_position, make_unit, registrar

pytestmark = pytest.mark.django_db

migration = importlib.import_module("jiandu.registry.migrations.0002_ranks_names_and_levels")


def test_the_2019_ranks_and_levels_are_offered():
    with translation.override("en"):
        assert [str(label) for label in Rank.labels][:2] == ["first-grade inspector (一级巡视员)", "second-grade inspector (二级巡视员)"]
    assert len(Rank.values) == 13  # 2 巡视员, 4 调研员, 4 主任科员, 2 科员, not a civil servant
    assert "not_civil_servant" in Rank.values
    assert set(LeadershipLevel.values) >= {"section_deputy", "section_chief", "county_deputy", "county_chief", "bureau_deputy", "bureau_chief"}
    # No level code is a rank code: the two cannot be confused.
    assert not set(Rank.values) & set(LeadershipLevel.values)


def test_old_mixed_values_migrate_without_guessing():
    unit = make_unit()
    chief = make_cadre(unit=unit, name="甲一")
    deputy = make_cadre(unit=unit, name="乙二")
    clerk = make_cadre(unit=unit, name="丙三")
    graded = make_cadre(unit=unit, name="丁四")
    Cadre.objects.filter(pk=chief.pk).update(rank="county_chief")
    Cadre.objects.filter(pk=deputy.pk).update(rank="section_deputy")
    Cadre.objects.filter(pk=clerk.pk).update(rank="staff")
    Cadre.objects.filter(pk=graded.pk).update(rank="principal_staff_4")
    post = make_position(unit=unit)
    rank_post = make_position(unit=unit, title="科员")
    Position.objects.filter(pk=post.pk).update(level="county_deputy")
    Position.objects.filter(pk=rank_post.pk).update(level="staff")

    migration.split_levels_and_ranks(apps, None)

    got = {c.name: (c.leadership_level, c.rank) for c in Cadre.objects.filter(unit=unit)}
    assert got == {"甲一": ("county_chief", ""), "乙二": ("section_deputy", ""), "丙三": ("", ""), "丁四": ("", "principal_staff_4")}
    assert Position.objects.get(pk=post.pk).level == "county_deputy"
    assert Position.objects.get(pk=rank_post.pk).level == ""


@pytest.mark.parametrize("field,value", [("rank", "county_chief"), ("rank", "staff"), ("leadership_level", "principal_staff_1")])
def test_a_value_of_the_other_scale_is_refused(field, value):
    unit = make_unit()
    with pytest.raises(ActionError) as refused:
        make_cadre(unit=unit, **{field: value})
    assert refused.value.field == field
    assert not Cadre.objects.filter(unit=unit).exists()


def test_a_post_level_must_be_a_leadership_level():
    unit = make_unit()
    with pytest.raises(ActionError) as refused:
        make_position(unit=unit, level="researcher_1")
    assert refused.value.field == "level"
    assert not Position.objects.filter(unit=unit).exists()
    post = make_position(unit=unit, title="四级主任科员岗位", kind="non_leading", level="")
    assert post.level == ""
    with pytest.raises(ActionError):
        actions.update_position(actor=registrar(), position=post, level="staff")


def test_sorting_by_rank_is_by_seniority():
    unit = make_unit()
    make_cadre(unit=unit, name="丁一", rank="clerk_2")
    make_cadre(unit=unit, name="马力", leadership_level="county_deputy", rank="researcher_3")
    make_cadre(unit=unit, name="王芳", rank="principal_staff_1")
    make_cadre(unit=unit, name="李明", leadership_level="county_chief", rank="researcher_2")
    make_cadre(unit=unit, name="张强", rank="not_civil_servant")
    make_cadre(unit=unit, name="刘伟")
    make_cadre(unit=unit, name="区华", rank="researcher_1")
    order = [c.name for c in queries.filter_cadres(registrar(), unit=unit.pk, sort="rank")]
    assert order == ["李明", "马力", "区华", "王芳", "丁一", "张强", "刘伟"]
    assert [c.name for c in queries.filter_cadres(registrar(), unit=unit.pk, leadership_level="county_chief")] == ["李明"]


def test_pages_show_levels_and_ranks_without_the_abolished_wording(client_for):
    unit = make_unit(name="职级局")
    cadre = make_cadre(unit=unit, name="李明", leadership_level="county_deputy", rank="researcher_3")
    post = make_position(unit=unit, title="四级主任科员岗位", kind="non_leading", level="")
    client = client_for(registrar())
    detail = client.get(f"/registry/cadres/{cadre.pk}/").content.decode()
    assert "县处级副职" in detail and "三级调研员" in detail
    listing = client.get("/registry/cadres/", {"unit": unit.pk, "leadership_level": "county_deputy"}).content.decode()
    assert "领导职务层次" in listing and "李明" in listing
    position = client.get(f"/registry/positions/{post.pk}/").content.decode()
    assert "职级岗位" in position and "非领导" not in position


def test_the_demo_district_uses_the_new_scales():
    call_command("load_demo", "--small", stdout=io.StringIO())
    assert not Cadre.objects.exclude(rank__in=Rank.values).exclude(rank="").exists()
    assert not Cadre.objects.exclude(leadership_level__in=LeadershipLevel.values).exclude(leadership_level="").exists()
    assert not Position.objects.exclude(level__in=LeadershipLevel.values).exclude(level="").exists()
    # Holders of a post with a level carry that level; school staff are not civil servants.
    levels: dict = {}
    for tenure in Tenure.objects.filter(ended_on__isnull=True).exclude(position__level="").select_related("position", "cadre"):
        levels.setdefault(tenure.cadre, set()).add(tenure.position.level)
    assert levels
    for cadre, held in levels.items():
        assert cadre.leadership_level in held, cadre
    assert Cadre.objects.filter(unit__kind="school", rank="not_civil_servant").exists()
    assert not Cadre.objects.filter(unit__kind="school").exclude(rank="not_civil_servant").exists()
    assert Cadre.objects.filter(rank__in=["clerk_1", "clerk_2"]).exists()
