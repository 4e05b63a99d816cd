"""Security issue #8 part 9: no reuse of the last five passwords (hashes kept in
PasswordHistory); the published demo password only through the demo loader."""

import pytest
from django.test import Client

from jiandu.accounts import actions
from jiandu.accounts.models import PasswordHistory
from jiandu.accounts.passwords import DEMO_PASSWORD
from jiandu.core.errors import ActionError
from jiandu.testing import PASSWORD, log_in, make_user, system_admin

pytestmark = pytest.mark.django_db

CHOSEN = ["Kite-Tree-2{}!", "Moon-Lake-3{}?", "Pine-Road-5{}#", "Rain-Hill-6{}%", "Wolf-Fern-7{}="]


def _chain(user, passwords):
    current = PASSWORD
    for new in passwords:
        user = actions.change_password(actor=user, user=user, old_password=current, new_password=new)
        current = new
    return user, current


def test_the_5th_last_password_is_refused_and_the_6th_last_allowed():
    user = make_user()
    chosen = [p.format(i) for i, p in enumerate(CHOSEN)]
    user, current = _chain(user, chosen[:4])  # PASSWORD, then 4 more: the current one is the 1st-last
    history = [PASSWORD, *chosen[:4]]  # oldest first; history[-5] is the 5th-last
    with pytest.raises(ActionError) as exc:
        actions.change_password(actor=user, user=user, old_password=current, new_password=history[-5])
    assert exc.value.field == "new_password" and exc.value.message == "新密码不能与最近 5 次使用过的密码相同。"
    user, current = _chain_from(user, current, chosen[4])  # one more: PASSWORD becomes the 6th-last
    assert PasswordHistory.objects.filter(user=user).count() == 5
    with pytest.raises(ActionError):
        actions.change_password(actor=user, user=user, old_password=current, new_password=chosen[0])  # 5th-last
    user = actions.change_password(actor=user, user=user, old_password=current, new_password=PASSWORD)  # 6th-last
    assert user.check_password(PASSWORD)


def _chain_from(user, current, new):
    return actions.change_password(actor=user, user=user, old_password=current, new_password=new), new


def test_every_previous_password_within_five_is_refused_through_the_page():
    user = make_user()
    chosen = [p.format(i) for i, p in enumerate(CHOSEN)]
    user, current = _chain(user, chosen[:3])
    client = log_in(Client(), user)
    for old in [PASSWORD, *chosen[:2]]:
        response = client.post("/accounts/password/", {"old_password": current, "new_password": old, "new_password2": old})
        assert response.status_code == 200 and "新密码不能与最近 5 次使用过的密码相同。" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(current)


def test_an_account_from_before_the_history_still_cannot_keep_its_password():
    user = make_user()
    PasswordHistory.objects.filter(user=user).delete()
    with pytest.raises(ActionError):
        actions.change_password(actor=user, user=user, old_password=PASSWORD, new_password=PASSWORD)


def test_reset_and_creation_are_remembered_too():
    admin = system_admin()
    user = actions.create_user(actor=admin, username="hist1", full_name="历史", password="Issued-Pass-2026")
    actions.reset_password(actor=admin, user=user, new_password="Issued-Again-2027")
    user.refresh_from_db()
    assert PasswordHistory.objects.filter(user=user).count() == 2
    with pytest.raises(ActionError):
        actions.change_password(actor=user, user=user, old_password="Issued-Again-2027", new_password="Issued-Pass-2026")


def test_the_demo_password_only_through_the_demo_loader():
    admin = system_admin()
    with pytest.raises(ActionError) as exc:
        actions.create_user(actor=admin, username="chooser", full_name="选择者", password=DEMO_PASSWORD)
    assert "演示密码" in exc.value.message
    user = actions.create_user(actor=admin, username="demo_x", full_name="演示", password=DEMO_PASSWORD, published_demo_password=True)
    assert user.check_password(DEMO_PASSWORD)
    with pytest.raises(ActionError):  # the flag allows that one password, nothing else weak
        actions.create_user(actor=admin, username="demo_y", full_name="演示", password="Passw0rd!", published_demo_password=True)
    with pytest.raises(ActionError):  # and a user cannot choose it later
        actions.change_password(actor=user, user=user, old_password=DEMO_PASSWORD, new_password="Shifan@Demo2026!")
