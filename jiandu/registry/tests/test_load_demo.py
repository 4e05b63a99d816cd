"""The demo district (`manage.py load_demo`), built small, and the demo-mode password rule."""

import io
import time

import pytest
from django.core.management import CommandError, call_command

from jiandu.accounts.models import Role, RoleAssignment, User
from jiandu.core import journal
from jiandu.core.errors import ActionError
from jiandu.core.models import DomainEvent, JournalEntry
from jiandu.registry.demo import ACCOUNTS, DEMO_PASSWORD
from jiandu.registry.models import Cadre, Position, Relative, Tenure, Unit
from jiandu.registry.validators import id_number_problem, phone_problem

pytestmark = pytest.mark.django_db

SMALL_UNITS = {"示范区", "区委", "区政府", "组织部", "区纪委监委", "教育局", "财政局", "审计局", "东园街道", "第一中学"}


@pytest.fixture
def demo(small_demo_once, db):
    """The small district, built once for this module (conftest.small_demo_once)."""
    return small_demo_once


def test_small_district_is_built_through_the_actions(demo):
    assert {u.short_name for u in Unit.objects.all()} == SMALL_UNITS
    assert Unit.objects.get(short_name="第一中学").parent.short_name == "教育局"
    cadres = Cadre.objects.count()
    assert 40 <= cadres <= 90
    # Every cadre, position, tenure and relative left its journal entry.
    assert JournalEntry.objects.filter(action="registry.cadre.created").count() == cadres
    assert JournalEntry.objects.filter(action="registry.position.created").count() == Position.objects.count()
    assert JournalEntry.objects.filter(action="registry.tenure.started").count() == Tenure.objects.count()
    assert JournalEntry.objects.filter(action="registry.relative.added").count() == Relative.objects.count()
    result = journal.verify()
    assert result.ok, result.reason
    assert result.checked == JournalEntry.objects.count()
    assert "journal verifies" in demo


def test_generated_people_are_valid(demo):
    for cadre in Cadre.objects.all():
        assert id_number_problem(cadre.id_number) is None
        assert phone_problem(cadre.phone) is None
        assert cadre.id_number[6:14] == cadre.birth_on.strftime("%Y%m%d")
        assert int(cadre.id_number[16]) % 2 == (1 if cadre.gender == Cadre.Gender.MALE else 0)
    assert len({c.name for c in Cadre.objects.all()}) == Cadre.objects.count()


def test_five_years_of_tenures_with_departures(demo):
    ended = Tenure.objects.filter(ended_on__isnull=False)
    assert ended.exists()
    assert all(t.started_on.year >= 2015 and t.ended_on.year >= 2021 for t in ended)
    departures = DomainEvent.objects.filter(kind="registry.departure")
    departed = [t for t in ended.select_related("position") if t.is_departure()]
    assert departures.count() == len(departed) > 0
    # Every position holds at most its headcount at the end, and leaders have portfolios.
    for position in Position.objects.all():
        assert position.tenures.filter(ended_on__isnull=True).count() <= position.headcount
    district_leaders = Position.objects.filter(unit__short_name__in=("区委", "区政府"))
    assert district_leaders.exists() and all(p.portfolio and p.public_contact for p in district_leaders)
    assert Relative.objects.exists()


def test_one_account_per_role_with_the_documented_password(demo):
    for username, role, unit_key, _name in ACCOUNTS:
        user = User.objects.get(username=username)
        assert user.must_change_password
        assert user.check_password(DEMO_PASSWORD)
        # Besides its role, an officer may be the clue officer of its department (oversight, #8.2),
        # a vetting officer of its department (selection, #15) or a personal-matters officer (#18).
        extra = {Role.CLUE_OFFICER, Role.VETTING_OFFICER, Role.MATTERS_OFFICER} - {role}
        active = RoleAssignment.objects.filter(user=user, revoked_at__isnull=True)
        assert set(active.values_list("role", flat=True)) - {role} <= extra, username
        assignment = active.get(role=role)
        if unit_key:
            assert assignment.unit_id == Unit.objects.get(short_name=unit_key).pk
        else:
            assert assignment.unit_path == ""
        assert username in demo
    assert User.objects.get(username="demo_cadre").cadre_id is not None
    leader = User.objects.get(username="demo_unit_leader")
    assert Cadre.objects.get(pk=leader.cadre_id).unit.short_name == "教育局"
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == set(Role.values)


def test_if_empty_does_nothing_on_a_loaded_database(demo):
    before = JournalEntry.objects.count()
    out = io.StringIO()
    call_command("load_demo", "--if-empty", "--small", stdout=out)
    assert "nothing to do" in out.getvalue()
    assert JournalEntry.objects.count() == before
    with pytest.raises(CommandError):
        call_command("load_demo", "--small", stdout=io.StringIO())
    assert JournalEntry.objects.count() == before


def _login(client, username, password=DEMO_PASSWORD):
    response = client.post("/accounts/login/", {"username": username, "password": password})
    assert response.status_code == 302


def test_demo_mode_skips_the_forced_password_change_for_demo_accounts_only(demo, client, settings):
    settings.DEMO_MODE = True
    _login(client, "demo_org_officer")
    assert client.get("/registry/units/").status_code == 200


def test_without_demo_mode_demo_accounts_must_change_their_password(demo, client, settings):
    settings.DEMO_MODE = False
    _login(client, "demo_org_officer")
    response = client.get("/registry/units/")
    assert response.status_code == 302 and response["Location"] == "/accounts/password/"


def test_demo_mode_does_not_spare_other_accounts(demo, client, settings):
    from jiandu.accounts import actions as account_actions

    settings.DEMO_MODE = True
    sysadmin = User.objects.get(username="demo_sysadmin")
    # the published demo password is refused for every other account (security issue #8)
    with pytest.raises(ActionError):
        account_actions.create_user(actor=sysadmin, username="clerk_wang", full_name="王科员", password=DEMO_PASSWORD)
    user = account_actions.create_user(actor=sysadmin, username="clerk_wang", full_name="王科员", password="Issued-Pass-2026")
    account_actions.assign_role(actor=User.objects.get(username="demo_secadmin"), user=user, role=Role.ORG_OFFICER)
    _login(client, "clerk_wang", "Issued-Pass-2026")
    response = client.get("/registry/units/")
    assert response.status_code == 302 and response["Location"] == "/accounts/password/"


# --- the demo administrators' two-factor login -----------------------------------------------


def _demo_totp(username) -> str:
    out = io.StringIO()
    call_command("demo_totp", username, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


def test_demo_administrators_come_enrolled_and_log_in_with_the_printed_code(demo, client, settings):
    import pyotp

    from jiandu.registry.demo import DEMO_TOTP_SEEDS

    settings.DEMO_MODE = True
    for username, seed in DEMO_TOTP_SEEDS.items():
        user = User.objects.get(username=username)
        assert user.totp_enabled
        assert JournalEntry.objects.filter(action="accounts.totp.enabled", target_id=str(user.pk)).exists()
        code = _demo_totp(username)
        assert len(code) == 6 and code.isdigit()
        # The README's key gives the same codes in an authenticator app.
        assert code in {pyotp.TOTP(seed).at(time.time() + 30 * k) for k in (-1, 0, 1)}
    response = client.post("/accounts/login/", {"username": "demo_sysadmin", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/code/"
    response = client.post("/accounts/login/code/", {"code": _demo_totp("demo_sysadmin")})
    assert response.status_code == 302 and response["Location"] != "/accounts/two-factor/"
    assert client.get(response["Location"]).status_code == 200


def test_the_demo_report_names_the_scopes_and_the_two_factor_command(demo):
    lines = {line.split()[0]: line for line in demo.splitlines() if line.strip().startswith("demo_")}
    assert "own record" in lines["demo_cadre"] and "whole district" not in lines["demo_cadre"]
    assert "教育局" in lines["demo_unit_leader"]
    assert "manage.py demo_totp demo_sysadmin" in demo


def test_demo_totp_refuses_outside_demo_mode_and_for_other_accounts(demo, settings):
    from jiandu.accounts import actions as account_actions

    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="demo mode"):
        _demo_totp("demo_sysadmin")
    settings.DEMO_MODE = True
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="demo mode"):
        _demo_totp("demo_sysadmin")
    settings.PRODUCTION = False
    # An ordinary account with two-factor login, even an administrator: never printed.
    sysadmin = User.objects.get(username="demo_sysadmin")
    account_actions.create_user(actor=sysadmin, username="sysadmin2", full_name="管理员", password="Xq7-lantern-Brook-93")
    with pytest.raises(CommandError, match="not a demo account"):
        _demo_totp("sysadmin2")
    with pytest.raises(CommandError, match="no account"):
        _demo_totp("demo_nobody")
    with pytest.raises(CommandError, match="no two-factor"):
        _demo_totp("demo_org_officer")


def test_every_demo_account_signs_in_and_its_home_page_offers_its_work(demo, settings):
    """What a newcomer does after `make run`: every account of the README table, administrators
    included (with the code `demo_totp` prints), reaches a home page that links to its work."""
    import re

    from django.test import Client

    settings.DEMO_MODE = True
    for username, _role, _unit, _name in ACCOUNTS:
        client = Client()
        response = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        if response["Location"] == "/accounts/login/code/":
            response = client.post("/accounts/login/code/", {"code": _demo_totp(username)})
            assert response.status_code == 302, username
        home = client.get("/")
        assert home.status_code == 200, (username, home.get("Location"))
        html = home.content.decode()
        work = html[html.index("您可以办理的工作") :]
        work = work[: work.index("</ul>")]
        assert re.search(r'<a href="/[^"]+">', work), (username, work)
