import pytest

from jiandu.accounts import access
from jiandu.core import actions as core_actions
from jiandu.testing import security_admin, system_admin


@pytest.fixture
def set_setting(db):
    """Change a local-practice setting the way its administrator does (journaled): the security
    administrator for security.*, the system administrator for the rest."""

    def _set(key, value):
        actor = security_admin() if access.setting_permission(key) == "settings.manage_security" else system_admin()
        core_actions.change_setting(actor=actor, key=key, value=value)

    return _set
