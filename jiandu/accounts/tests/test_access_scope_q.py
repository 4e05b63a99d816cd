"""scope_q must combine: a district-wide scope OR-ed with another scope still selects everything."""

import pytest
from django.db.models import Q

from jiandu.accounts import access
from jiandu.accounts.models import Role
from jiandu.registry.models import Unit
from jiandu.testing import make_unit, make_user

pytestmark = pytest.mark.django_db


def test_district_wide_scope_survives_or_with_other_scopes():
    a, b = make_unit(), make_unit()
    officer = make_user(role=Role.ORG_OFFICER, unit=None)
    combined = Q(pk__in=[]) | access.scope_q(officer, "registry.view", "path")
    assert set(Unit.objects.filter(combined)) >= {a, b}
    combined = access.scope_q(officer, "audits.manage", "path") | access.scope_q(officer, "registry.view", "path")
    assert set(Unit.objects.filter(combined)) >= {a, b}


def test_no_scope_selects_nothing_even_when_combined():
    a = make_unit()
    cadre_user = make_user(role=Role.VETTING_OFFICER, unit=a)
    assert not Unit.objects.filter(access.scope_q(cadre_user, "audits.manage", "path")).exists()
    assert set(Unit.objects.filter(access.scope_q(cadre_user, "audits.manage", "path") | access.scope_q(cadre_user, "registry.view", "path"))) == {a}
