"""The clue officers of existing databases (migration oversight 0003) and of the demo district."""

import importlib
import io

import pytest
from django.apps import apps
from django.core.management import call_command

from jiandu.accounts import access
from jiandu.accounts.models import Role, RoleAssignment, User
from jiandu.oversight.actions import clues
from jiandu.registry.demo import CLUE_OFFICERS
from jiandu.registry.models import Unit
from jiandu.testing import make_unit, make_user

pytestmark = pytest.mark.django_db
migration = importlib.import_module("jiandu.oversight.migrations.0004_clues_clue_officers")


def clue_units(user) -> set[str]:
    return set(RoleAssignment.objects.filter(user=user, role=Role.CLUE_OFFICER, revoked_at__isnull=True).values_list("unit_path", flat=True))


def test_the_migration_appoints_only_officers_whose_department_is_known(d):
    for unit in (d.org, d.audit, d.discipline):
        clues.add_member(actor=d.officer, unit=unit)
    petitions = make_unit(name="示范区信访局", parent=d.root, short_name="信访局")
    demo_vetting = make_user(role=Role.VETTING_OFFICER, unit=None, username="demo_vetting")  # district-wide demo account
    on_member = make_user(role=Role.DISCIPLINE_OFFICER, unit=d.discipline, username="discipline_clerk")
    below_member = make_user(role=Role.ORG_OFFICER, unit=d.root, username="district_committee_clerk")  # the subtree, not a department
    on_non_member = make_user(role=Role.ORG_OFFICER, unit=d.a, username="finance_clerk")
    district_wide = make_user(role=Role.AUDIT_OFFICER, unit=None, username="audit_everywhere")
    revoked = make_user(role=Role.AUDIT_OFFICER, unit=d.audit, username="audit_former")
    RoleAssignment.objects.filter(user=revoked).update(revoked_at="2026-01-01T00:00:00Z")
    before = RoleAssignment.objects.filter(role=Role.CLUE_OFFICER).count()

    migration.grant(apps, None)
    migration.grant(apps, None)  # idempotent

    assert clue_units(on_member) == {d.discipline.path}
    assert clue_units(demo_vetting) == {petitions.path}
    for user in (below_member, on_non_member, district_wide, revoked):
        assert clue_units(user) == set(), user.username
    granted = RoleAssignment.objects.filter(role=Role.CLUE_OFFICER, granted_by_id__isnull=True)
    assert granted.count() == 2 and not granted.filter(include_descendants=True).exists()
    assert RoleAssignment.objects.filter(role=Role.CLUE_OFFICER).count() == before + 2
    migration.ungrant(apps, None)
    assert RoleAssignment.objects.filter(role=Role.CLUE_OFFICER).count() == before


def test_the_demo_district_appoints_one_clue_officer_per_department(db):
    out = io.StringIO()
    call_command("load_demo", "--small", stdout=out)
    assert "Clue officers (线索联络员, one department each): demo_org_officer → 组织部, demo_discipline → 区纪委监委, demo_audit → 审计局" in out.getvalue()
    appointed = 0
    for key, unit_key in CLUE_OFFICERS:
        user = User.objects.get(username=f"demo_{key}")
        unit = Unit.objects.filter(short_name=unit_key).first()
        if unit is None:  # not part of the reduced district
            assert clue_units(user) == set()
            continue
        appointed += 1
        assert clue_units(user) == {unit.path}
        assert not access.is_unrestricted(user, "oversight.clues")
    assert appointed >= 3  # 组织部, 区纪委监委 and 审计局 are in the reduced district (信访局 in the full one)
    for name in ("demo_org_head", "demo_committee", "demo_unit_leader", "demo_cadre"):
        assert clue_units(User.objects.get(username=name)) == set()
