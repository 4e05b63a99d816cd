"""Users, roles and role assignments on unit subtrees. Units are referred to by id and path only:
accounts never imports registry (ARCHITECTURE.md)."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ORG_OFFICER = "org_officer", _("organisation-department supervision officer")
    ORG_HEAD = "org_head", _("organisation-department head")
    DISCIPLINE_OFFICER = "discipline_officer", _("discipline-inspection officer")
    AUDIT_OFFICER = "audit_officer", _("audit officer")
    # 个人有关事项 (jiandu/matters): the supervision office's named officers and the head; the
    # only role that reads reports and check results (never implied by another role).
    MATTERS_OFFICER = "matters_officer", _("personal-matters officer (named)")
    VETTING_OFFICER = "vetting_officer", _("vetting-department officer")
    # The clue officer (线索联络员) of one joint-meeting member department: held on that
    # department's own unit only, never district-wide, never for the units below it (access.py).
    CLUE_OFFICER = "clue_officer", _("clue officer of a department")
    COMMITTEE_MEMBER = "committee_member", _("committee member")
    UNIT_LEADER = "unit_leader", _("unit leader")
    CADRE = "cadre", _("cadre (self service)")
    SYSTEM_ADMIN = "system_admin", _("system administrator")
    SECURITY_ADMIN = "security_admin", _("security administrator")
    AUDIT_ADMIN = "audit_admin", _("audit administrator")


ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})

# Roles held on exactly one unit: never for the whole district, never for the units below it.
UNIT_ONLY_ROLES = frozenset({Role.CLUE_OFFICER})


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
    # Incremented on password change or reset, disable, authenticator reset and "log out everywhere".
    # It is part of the session auth hash (below), so every session created before is refused.
    session_epoch = models.PositiveIntegerField(default=0)
    # The authenticator seed, encrypted at rest (core.crypto, SM4-GCM bound to this row). Set when
    # enrolment starts; `totp_enabled` once the user confirmed a code from it.
    totp_secret = models.CharField(max_length=255, blank=True)
    totp_enabled = models.BooleanField(default=False)
    totp_enabled_at = models.DateTimeField(null=True, blank=True)
    # The last 30-second time step whose code was accepted: a code is never accepted twice (RFC 6238 §5.2).
    totp_last_step = models.BigIntegerField(null=True, blank=True)

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

    @property
    def totp_context(self) -> bytes:
        """Associated data binding the encrypted seed to this account."""
        return f"accounts.user.totp:{self.pk}".encode()

    def _get_session_auth_hash(self, secret=None):
        # Django stores this hash in the session at login and compares it on every request; it
        # changes with the password (Django's own rule) and with session_epoch (ours).
        key_salt = "jiandu.accounts.User.get_session_auth_hash"
        return salted_hmac(key_salt, f"{self.password}:{self.session_epoch}", secret=secret, algorithm="sha256").hexdigest()

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
    """A personal API token, stored only as a hash; revocable, and valid until `expires_at`
    (exclusive: it works up to the second before and is refused from that instant on)."""

    class RevokedBecause(models.TextChoices):
        OWNER = "owner", _("revoked by its owner")
        ADMINISTRATOR = "administrator", _("revoked by an administrator")
        PASSWORD_CHANGED = "password_changed", _("password changed")
        PASSWORD_RESET = "password_reset", _("password reset by an administrator")
        DISABLED = "disabled", _("account disabled")
        SESSIONS_ENDED = "sessions_ended", _("all sessions ended")
        AUTHENTICATOR_RESET = "authenticator_reset", _("authenticator reset")

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    token_hash = models.CharField(max_length=128, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    # A read-only token may only read (GET, HEAD, OPTIONS): every other API operation is refused.
    read_only = models.BooleanField(_("read-only"), default=False)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_because = models.CharField(max_length=32, choices=RevokedBecause.choices, blank=True)

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def is_expired(self, now=None) -> bool:
        return (now or timezone.now()) >= self.expires_at

    def is_usable(self, now=None) -> bool:
        return self.revoked_at is None and not self.is_expired(now)


class PasswordHistory(models.Model):
    """The hashes of a user's recent passwords (settings.PASSWORD_HISTORY of them, the current one
    included), so that a new password cannot be one of them (security issue #8 part 9). Written
    only by accounts.actions."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["user", "-created_at"], name="password_history_user_idx")]

    def __str__(self):
        return f"{self.user_id}@{self.created_at:%Y-%m-%d}"
