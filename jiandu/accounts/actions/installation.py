"""Installation: the first administrator."""

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from jiandu.core import journal
from jiandu.core.errors import ActionError

from ..models import ADMIN_ROLES, Role, RoleAssignment, User
from .base import USERNAME_RE, _check_password, _remember_password, _set_password

log = logging.getLogger("jiandu.accounts")

# --- installation --------------------------------------------------------------------------------


def bootstrap_administrator(
    *, username: str, full_name: str, password: str, role: str, must_change_password: bool = False, published_demo_password: bool = False
) -> User:
    """Create the first holder of an administrator role on a fresh installation (manage.py
    bootstrap). Refused once any active user holds that role: after that, administrators are
    created by administrators."""
    if role not in ADMIN_ROLES:
        raise ActionError(_("Only administrator roles can be bootstrapped."), field="role")
    username = (username or "").strip()
    if not USERNAME_RE.match(username):
        raise ActionError(_("A username has 2 to 150 letters, digits or the characters . _ - @ (no spaces)."), field="username")
    with transaction.atomic():
        if RoleAssignment.objects.filter(role=role, revoked_at__isnull=True, user__is_active=True).exists():
            raise ActionError(_("This installation already has a %(role)s.") % {"role": Role(role).label})
        if User.objects.filter(username__iexact=username).exists():
            raise ActionError(_("The username %(u)s is taken.") % {"u": username}, field="username")
        # The operator typed this password at the console: no first-login change is needed, unless
        # the password is a published one (the demo district's).
        user = User(username=username, full_name=full_name or username, must_change_password=must_change_password)
        _check_password(password, user, published_demo_password=published_demo_password)
        _set_password(user, password)
        user.save()
        _remember_password(user)
        RoleAssignment.objects.create(user=user, role=role)
        journal.record("accounts.administrator.bootstrapped", target=user, data={"username": username, "role": role})
    return user
