"""Users, roles and role assignments on unit subtrees. Units are referred to by id and path only:
accounts never imports registry (ARCHITECTURE.md)."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ORG_OFFICER = "org_officer", _("organisation-department supervision officer")
    ORG_HEAD = "org_head", _("organisation-department head")
    DISCIPLINE_OFFICER = "discipline_officer", _("discipline-inspection officer")
    AUDIT_OFFICER = "audit_officer", _("audit officer")
    VETTING_OFFICER = "vetting_officer", _("vetting-department officer")
    COMMITTEE_MEMBER = "committee_member", _("committee member")
    UNIT_LEADER = "unit_leader", _("unit leader")
    CADRE = "cadre", _("cadre (self service)")
    SYSTEM_ADMIN = "system_admin", _("system administrator")
    SECURITY_ADMIN = "security_admin", _("security administrator")
    AUDIT_ADMIN = "audit_admin", _("audit administrator")


ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(username__iexact=username)


class User(AbstractBaseUser):
    """An account. Created and changed only through accounts.actions."""

    username = models.CharField(_("username"), max_length=150, unique=True)
    full_name = models.CharField(_("full name"), max_length=100)
    cadre_id = models.BigIntegerField(_("linked cadre"), null=True, blank=True, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    password_changed_at = models.DateTimeField(null=True, blank=True)
    must_change_password = models.BooleanField(default=True)
    failed_logins = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    # Incremented on password change, disable and "log out everywhere": sessions remember the epoch
    # they were created in and are refused once it moves on.
    session_epoch = models.PositiveIntegerField(default=0)
    totp_secret = models.CharField(max_length=64, blank=True)
    totp_enabled = models.BooleanField(default=False)

    objects = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS = ["full_name"]

    # Django's auth needs these; Jiandu has no superusers (SECURITY.md).
    is_superuser = False
    is_staff = False

    class Meta:
        verbose_name = _("user")

    def __str__(self):
        return f"{self.full_name} ({self.username})"

    def is_locked(self, now=None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or timezone.now())

    def has_perm(self, perm, obj=None):  # Django's own permission system is not used.
        return False

    def has_module_perms(self, app_label):
        return False


class RoleAssignment(models.Model):
    """A role held on a unit (and, usually, every unit below it)."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    unit_id = models.BigIntegerField(_("unit"), null=True, blank=True)
    unit_path = models.CharField(max_length=255, blank=True, help_text="materialised path of the unit; empty = whole district")
    include_descendants = models.BooleanField(_("and units below"), default=True)
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by_id = models.BigIntegerField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "revoked_at"], name="assignment_active_idx")]

    def __str__(self):
        return f"{self.user_id}:{self.role}@{self.unit_path or '*'}"


class ApiToken(models.Model):
    """A personal API token, stored only as a hash; revocable."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    token_hash = models.CharField(max_length=128, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
