"""Role × action × unit matrix for the registry (SECURITY.md "Access"), including another unit's
records (horizontal access: 404), and 三权分立 (separation of duties).

The expected answers are written out here independently of accounts/access.py's role matrix, so
a change there that widens access fails this test.

District:   R (top)
            ├── A      ← business roles are held on A ("and below" unless noted)
            │   └── A1
            └── B      ← another unit: always refused / 404
"""

import datetime as dt

import pytest
from django.test import Client

from jiandu.accounts import actions as account_actions
from jiandu.accounts.access import NotVisible
from jiandu.accounts.models import Role
from jiandu.core.errors import ActionError
from jiandu.registry import actions as registry
from jiandu.registry.models import Tenure
from jiandu.registry.validators import make_id_number
from jiandu.testing import admin_persona, make_cadre, make_position, make_tenure, make_unit, make_user, security_admin

pytestmark = pytest.mark.django_db

BUSINESS_ROLES = [
    Role.ORG_OFFICER,
    Role.ORG_HEAD,
    Role.DISCIPLINE_OFFICER,
    Role.AUDIT_OFFICER,
    Role.VETTING_OFFICER,
    Role.COMMITTEE_MEMBER,
    Role.UNIT_LEADER,
]
ADMIN_ROLES = [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN]
# Independent statement of who may do what in the registry.
MAY_MANAGE = {Role.ORG_OFFICER, Role.ORG_HEAD}
MAY_VIEW = set(BUSINESS_ROLES)


@pytest.fixture
def district():
    top = make_unit(name="示范区", kind="party_committee")
    a = make_unit(name="甲局", parent=top)
    a1 = make_unit(name="甲局下属中心", parent=a)
    b = make_unit(name="乙局", parent=top)
    return {"R": top, "A": a, "A1": a1, "B": b}


_ids = iter(range(100, 10_000))


def _fresh_cadre(unit):
    return make_cadre(unit=unit)


ACTIONS = {
    "create_unit": lambda actor, unit: registry.create_unit(actor=actor, name=f"新单位{next(_ids)}", kind="government_department", parent=unit),
    "update_unit": lambda actor, unit: registry.update_unit(actor=actor, unit=unit, short_name=f"简{next(_ids)}"),
    "create_cadre": lambda actor, unit: registry.create_cadre(
        actor=actor,
        unit=unit,
        name="矩阵",
        gender="male",
        birth_on=dt.date(1981, 2, 3),
        id_number=make_id_number("640202", dt.date(1981, 2, 3), next(_ids) % 1000),
    ),
    "update_cadre": lambda actor, unit: registry.update_cadre(actor=actor, cadre=_fresh_cadre(unit), native_place="宁夏"),
    "add_relative": lambda actor, unit: registry.add_relative(actor=actor, cadre=_fresh_cadre(unit), relation="spouse", name="配偶"),
    "create_position": lambda actor, unit: registry.create_position(actor=actor, unit=unit, title=f"科长{next(_ids)}"),
    "appoint": lambda actor, unit: registry.appoint(actor=actor, cadre=_fresh_cadre(unit), position=make_position(unit=unit), started_on=dt.date(2024, 1, 2)),
    "end_tenure": lambda actor, unit: registry.end_tenure(
        actor=actor, tenure=make_tenure(position=make_position(unit=unit)), ended_on=dt.date(2025, 1, 2), end_reason=Tenure.EndReason.values[0]
    ),
}


def _attempt(actor, action, unit) -> bool:
    try:
        ACTIONS[action](actor, unit)
    except NotVisible:
        return False
    return True


def test_registry_actions_role_by_unit_matrix(district):
    actors = {role: make_user(role=role, unit=district["A"]) for role in BUSINESS_ROLES}
    actors["org_officer, A only"] = make_user(role=Role.ORG_OFFICER, unit=district["A"], include_descendants=False)
    actors.update({role: admin_persona(role) for role in ADMIN_ROLES})
    mismatches, tried, allowed = [], 0, 0
    for label, actor in actors.items():
        role = Role.ORG_OFFICER if label == "org_officer, A only" else label
        scope = {"A"} if label == "org_officer, A only" else {"A", "A1"}
        for action in ACTIONS:
            for target in ("A", "A1", "B", "R"):
                expected = role in MAY_MANAGE and target in scope
                got = _attempt(actor, action, district[target])
                tried += 1
                allowed += got
                if got != expected:
                    mismatches.append(f"{label} {action} on {target}: expected {'allowed' if expected else 'refused'}, got {'allowed' if got else 'refused'}")
    print(f"\nregistry action matrix: {tried} attempts, {allowed} allowed, {tried - allowed} refused, {len(mismatches)} unexpected")
    assert not mismatches, "\n".join(mismatches)


def test_creating_a_top_unit_needs_district_wide_rights(district):
    officer = make_user(role=Role.ORG_OFFICER, unit=district["A"])
    with pytest.raises(NotVisible):
        registry.create_unit(actor=officer, name="顶级", kind="government")
    head = make_user(role=Role.ORG_HEAD)  # whole district
    assert registry.create_unit(actor=head, name="顶级", kind="government").parent is None


def test_moving_a_cadre_needs_both_units_in_scope(district):
    officer = make_user(role=Role.ORG_OFFICER, unit=district["A"])
    cadre = make_cadre(unit=district["A1"])
    with pytest.raises(NotVisible):
        registry.move_cadre(actor=officer, cadre=cadre, unit=district["B"])
    with pytest.raises(NotVisible):
        registry.move_cadre(actor=officer, cadre=make_cadre(unit=district["B"]), unit=district["A"])
    assert registry.move_cadre(actor=officer, cadre=cadre, unit=district["A"]).unit == district["A"]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_registry_pages_role_by_unit_matrix(district):
    cadres = {key: make_cadre(unit=unit, name=f"页{key}") for key, unit in district.items()}
    actors = {role: make_user(role=role, unit=district["A"]) for role in BUSINESS_ROLES}
    actors.update({role: admin_persona(role) for role in ADMIN_ROLES})
    actors[Role.CADRE] = make_user(cadre=cadres["A"])
    account_actions.assign_role(actor=security_admin(), user=actors[Role.CADRE], role=Role.CADRE)
    mismatches, tried = [], 0
    for role, user in actors.items():
        client = _client(user)
        may_view = role in MAY_VIEW
        for key in ("A", "A1", "B", "R"):
            in_scope = may_view and key in ("A", "A1")
            own_record = role == Role.CADRE and key == "A"
            checks = [
                (f"/registry/units/{district[key].pk}/", 200 if in_scope else 404),
                (f"/registry/cadres/{cadres[key].pk}/", 200 if in_scope or own_record else 404),
            ]
            for url, expected in checks:
                status = client.get(url).status_code
                tried += 1
                if status != expected:
                    mismatches.append(f"{role} GET {url} ({key}): expected {expected}, got {status}")
        for url in ("/registry/units/", "/registry/cadres/"):
            response = client.get(url)
            tried += 1
            if response.status_code != (200 if may_view else 404):
                mismatches.append(f"{role} GET {url}: got {response.status_code}")
            elif may_view:
                content = response.content.decode()
                listed = {key for key in district if (cadres[key].name if "cadres" in url else district[key].name) in content}
                expected_listed = {"A", "A1"}
                if url == "/registry/units/":
                    listed = {key for key in listed if f"/registry/units/{district[key].pk}/" in content}
                if listed != expected_listed:
                    mismatches.append(f"{role} GET {url}: lists {sorted(listed)}, expected {sorted(expected_listed)}")
    print(f"\nregistry page matrix: {tried} requests by {len(actors)} roles, {len(mismatches)} unexpected")
    assert not mismatches, "\n".join(mismatches)


def test_cadre_list_filter_by_another_units_id_shows_nothing(district):
    make_cadre(unit=district["B"], name="外单位人")
    client = _client(make_user(role=Role.ORG_OFFICER, unit=district["A"]))
    response = client.get(f"/registry/cadres/?unit={district['B'].pk}")
    assert "外单位人" not in response.content.decode()


def test_self_service_sees_only_ones_own_record(district):
    mine, other = make_cadre(unit=district["A"], name="本人"), make_cadre(unit=district["A"], name="同事")
    user = make_user(cadre=mine)
    account_actions.assign_role(actor=security_admin(), user=user, role=Role.CADRE)
    client = _client(user)
    assert client.get("/registry/me/")["Location"] == f"/registry/cadres/{mine.pk}/"
    assert client.get(f"/registry/cadres/{mine.pk}/").status_code == 200
    assert client.get(f"/registry/cadres/{other.pk}/").status_code == 404
    assert client.get("/registry/cadres/").status_code == 404
    unlinked = _client(make_user(role=Role.ORG_OFFICER, unit=district["A"]))
    assert unlinked.get("/registry/me/").status_code == 404


# --- 三权分立 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "first, second",
    [(first, second) for first in ADMIN_ROLES for second in ADMIN_ROLES + BUSINESS_ROLES if first != second],
)
def test_an_administrator_cannot_take_a_second_role(first, second):
    user = make_user()
    account_actions.assign_role(actor=security_admin(), user=user, role=first)
    with pytest.raises(ActionError) as exc:
        account_actions.assign_role(actor=security_admin(), user=user, role=second)
    assert exc.value.field == "role"
    assert set(user.assignments.filter(revoked_at__isnull=True).values_list("role", flat=True)) == {first}


@pytest.mark.parametrize("admin_role", ADMIN_ROLES)
def test_a_business_user_cannot_become_an_administrator(admin_role):
    user = make_user(role=Role.DISCIPLINE_OFFICER)
    with pytest.raises(ActionError):
        account_actions.assign_role(actor=security_admin(), user=user, role=admin_role)


def test_two_business_roles_may_be_combined(district):
    user = make_user(role=Role.ORG_OFFICER, unit=district["A"])
    account_actions.assign_role(actor=security_admin(), user=user, role=Role.COMMITTEE_MEMBER)


def test_after_revoking_the_admin_role_a_business_role_may_be_granted():
    user = make_user()
    assignment = account_actions.assign_role(actor=security_admin(), user=user, role=Role.AUDIT_ADMIN)
    account_actions.revoke_role(actor=security_admin(), assignment=assignment)
    account_actions.assign_role(actor=security_admin(), user=user, role=Role.ORG_OFFICER)


def test_administrators_see_no_business_pages_and_only_the_audit_administrator_the_journal(district):
    cadre = make_cadre(unit=district["A"])
    business = ["/registry/units/", f"/registry/units/{district['A'].pk}/", "/registry/cadres/", f"/registry/cadres/{cadre.pk}/", "/registry/me/"]
    journal_pages = ["/journal/", "/journal/verify/"]
    expected = {
        Role.SYSTEM_ADMIN: {"business": 404, "journal": 404, "users": 200, "settings": 200},
        Role.SECURITY_ADMIN: {"business": 404, "journal": 404, "users": 200, "settings": 200},  # security settings only
        Role.AUDIT_ADMIN: {"business": 404, "journal": 200, "users": 404, "settings": 404},
    }
    tried = 0
    for role, want in expected.items():
        client = _client(admin_persona(role))
        for url in business:
            assert client.get(url).status_code == want["business"], (role, url)
            tried += 1
        for url in journal_pages:
            assert client.get(url).status_code == want["journal"], (role, url)
            tried += 1
        assert client.get("/accounts/users/").status_code == want["users"], role
        assert client.get("/settings/").status_code == want["settings"], role
        tried += 2
    print(f"\nadministrator separation: {tried} requests by 3 administrators, all as expected")
