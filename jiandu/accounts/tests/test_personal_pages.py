"""Personal pages act on the logged-in user only: there is no way to name another account."""

import pytest
from django.test import Client

from jiandu.accounts import actions, totp
from jiandu.core.models import JournalEntry
from jiandu.testing import enrol_totp, make_user, totp_code

pytestmark = pytest.mark.django_db


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_personal_pages_show_only_ones_own_account():
    me, other = make_user(username="me_user", full_name="甲某"), make_user(username="other_user", full_name="乙某")
    actions.create_api_token(actor=other, name="other-secret-script")
    client = _as(me)
    for url in ("/accounts/me/", f"/accounts/me/?user={other.pk}", "/accounts/tokens/", f"/accounts/tokens/?user={other.pk}"):
        content = client.get(url).content.decode()
        assert "乙某" not in content and "other_user" not in content and "other-secret-script" not in content, url


def test_ending_my_sessions_touches_only_mine():
    me, other = make_user(), make_user()
    others_session = _as(other)
    _as(me).post("/accounts/me/sessions/end/", {"user": other.pk})
    assert others_session.get("/").status_code == 200
    assert JournalEntry.objects.get(action="accounts.sessions.ended").target_id == str(me.pk)


def test_two_factor_pages_act_only_on_ones_own_account():
    me, other = make_user(), make_user()
    other_seed = enrol_totp(other)
    client = _as(me)
    client.get(f"/accounts/two-factor/?user={other.pk}")
    me.refresh_from_db()
    other.refresh_from_db()
    assert me.totp_secret and totp.unseal(other) == other_seed
    client.post("/accounts/two-factor/off/", {"code": totp_code(other_seed, steps_ahead=1), "user": other.pk})
    other.refresh_from_db()
    assert other.totp_enabled
