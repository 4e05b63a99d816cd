"""Jiandu settings: one file, configured only by environment variables (see README)."""

import ipaddress
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("JIANDU_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("JIANDU_DEBUG", False)
# Demo mode relaxes only the forced first-login password change of the demo accounts.
DEMO_MODE = env_bool("JIANDU_DEMO", False)
PRODUCTION = env_bool("JIANDU_PRODUCTION", False)
# The ballot lane (jiandu/ballots/lane.py) answers successful ballot submissions; 0 sends them through Django.
BALLOT_LANE = env_bool("JIANDU_BALLOT_LANE", True)

SECRET_KEY = os.environ.get("JIANDU_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise RuntimeError("JIANDU_SECRET_KEY must be set in production")
    # Development only: a per-checkout key kept under var/ so sessions survive restarts.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        import secrets

        key_file.write_text(secrets.token_urlsafe(50))
    SECRET_KEY = key_file.read_text().strip()

# Key of the journal's hash chain; separate from SECRET_KEY so that rotating one does not
# break the other. Defaults to a key derived from SECRET_KEY in development.
# In production the deploy check (jiandu/core/checks.py) requires it, JIANDU_BALLOT_KEY and
# JIANDU_FIELD_KEY, distinct from each other and from the secret key.
JOURNAL_KEY = os.environ.get("JIANDU_JOURNAL_KEY", "") or ("journal:" + SECRET_KEY)
# Signed checkpoints of the journal's head are appended here (one file per database), outside the
# database so that deleting the newest entries and rolling back the head row is still detected.
# Production: a directory the database's users cannot write, the files append-only (chattr +a).
JOURNAL_CHECKPOINT_DIR = Path(os.environ.get("JIANDU_JOURNAL_CHECKPOINT_DIR", "") or VAR_DIR / "journal-checkpoints")
JOURNAL_CHECKPOINT_SECONDS = max(60, int(os.environ.get("JIANDU_JOURNAL_CHECKPOINT_SECONDS", 300)))

ALLOWED_HOSTS = [h for h in os.environ.get("JIANDU_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("JIANDU_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
# Reverse proxies (addresses or CIDR ranges) whose X-Real-IP / X-Forwarded-For is believed
# (jiandu.core.middleware.client_ip). Empty: the connection's own address is the client's.
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("JIANDU_TRUSTED_PROXIES", "").split(",") if p.strip()]
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise RuntimeError(f"JIANDU_TRUSTED_PROXIES: {_proxy!r} is not an address or CIDR range") from None

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "jiandu.core",
    "jiandu.web",
    "jiandu.accounts",
    "jiandu.registry",
    "jiandu.ballots",
    "jiandu.decisions",
    "jiandu.appraisals",
    "jiandu.audits",
    "jiandu.selection",
    "jiandu.oversight",
    "jiandu.matters",
    "jiandu.dossier",
    "jiandu.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "jiandu.core.middleware.RequestContextMiddleware",
    "jiandu.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jiandu.accounts.middleware.SessionPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "jiandu.core.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jiandu.web.context_processors.navigation",
            ],
            "builtins": ["jiandu.core.templatetags.jiandu"],
        },
    }
]

DATABASE_URL = os.environ.get("JIANDU_DATABASE_URL", f"sqlite:///{VAR_DIR / 'jiandu.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0 if DEBUG else 60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # WAL for concurrent readers; FULL synchronous so an acknowledged write survives a crash;
        # IMMEDIATE transactions so writers queue on the busy timeout instead of failing on upgrade.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    # Connections are kept as on PostgreSQL (not with DEBUG): opening one runs the PRAGMAs and
    # registers Django's SQL functions, and closing the last one checkpoints the WAL (~1 ms each).
else:
    # Persistent connections without a health-check query per request: Django closes a connection
    # that failed during a request, so a restarted server is reconnected on the next request.
    DATABASES["default"].setdefault("OPTIONS", {})
    # Django's own cursors bind parameters on the client and never prepare; the voting statements
    # (jiandu/ballots/actions/voting.py) use server-side binding and are prepared once per
    # connection. 0 turns that off (a transaction-mode pooler without prepared-statement support).
    DATABASES["default"]["OPTIONS"].setdefault("prepare_threshold", int(os.environ.get("JIANDU_PG_PREPARE_THRESHOLD", "5")) or None)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Minimum password length: 12 in production (security issue #8), 8 (等保's floor) in development;
# JIANDU_PASSWORD_MIN_LENGTH may raise it, and in production never lower it below 12.
PASSWORD_MIN_LENGTH = int(os.environ.get("JIANDU_PASSWORD_MIN_LENGTH", "12" if PRODUCTION else "8"))
if PRODUCTION and PASSWORD_MIN_LENGTH < 12:
    raise RuntimeError("JIANDU_PASSWORD_MIN_LENGTH must be at least 12 in production")
# Passwords a user may not take again (their hashes are kept: accounts.PasswordHistory).
PASSWORD_HISTORY = 5
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "jiandu.accounts.passwords.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "jiandu.accounts.passwords.CharacterClassValidator"},
    {"NAME": "jiandu.accounts.passwords.PatternValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("JIANDU_STATIC_ROOT", VAR_DIR / "staticfiles"))
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing directory
# Vendored files carry their version in their path (vendor/swagger-ui-5.31.0/…, htmx-2.0.11.min.js):
# they never change under one address, so browsers may keep them (WhiteNoise: one year, immutable).
WHITENOISE_IMMUTABLE_FILE_TEST = r"^/?(static/)?vendor/.*\d+\.\d+\.\d+"
MEDIA_ROOT = Path(os.environ.get("JIANDU_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Compressed in development too (the vendored Swagger UI and ECharts are megabytes); hashed
        # names only in production, where collectstatic always runs.
        "BACKEND": ("whitenoise.storage.CompressedManifestStaticFilesStorage" if PRODUCTION else "whitenoise.storage.CompressedStaticFilesStorage")
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
# Uploaded workbooks are read in a child process limited to this much address space (MiB), so
# that no file can take a web worker down (jiandu/core/uploads.py).
JIANDU_UPLOAD_READ_MEMORY_MB = int(os.environ.get("JIANDU_UPLOAD_READ_MEMORY_MB", "2048"))

# Sessions (SECURITY.md): idle timeout is a local setting (core settings store); absolute here.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = int(os.environ.get("JIANDU_SESSION_ABSOLUTE_SECONDS", 12 * 3600))
SESSION_COOKIE_HTTPONLY = True
# Lifetime of a personal API token (days from its creation); tokens also end with the owner's
# password change or reset, disable and "end all sessions" (accounts.actions).
API_TOKEN_DAYS = int(os.environ.get("JIANDU_API_TOKEN_DAYS", 90))
if not 1 <= API_TOKEN_DAYS <= 3650:
    raise RuntimeError("JIANDU_API_TOKEN_DAYS must be a number of days from 1 to 3650")
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "jiandu.web.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("JIANDU_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("JIANDU_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("JIANDU_REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["JIANDU_REDIS_URL"]}}

# Notification mail (core.notifications): off unless JIANDU_SMTP_HOST names a server. The worker
# sends it; the body carries only the kind of item and a link (JIANDU_BASE_URL + path).
EMAIL_HOST = os.environ.get("JIANDU_SMTP_HOST", "")
EMAIL_PORT = int(os.environ.get("JIANDU_SMTP_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("JIANDU_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("JIANDU_SMTP_PASSWORD", "")
EMAIL_USE_TLS = env_bool("JIANDU_SMTP_STARTTLS")
EMAIL_USE_SSL = env_bool("JIANDU_SMTP_SSL")
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("JIANDU_MAIL_FROM", "jiandu@localhost")
JIANDU_BASE_URL = os.environ.get("JIANDU_BASE_URL", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("JIANDU_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "jiandu.journal.checkpoint": {"level": "INFO"}},
}
# Signed journal checkpoints also go to syslog: a socket path (/dev/log) or host:port (UDP).
if os.environ.get("JIANDU_JOURNAL_SYSLOG"):
    _syslog = os.environ["JIANDU_JOURNAL_SYSLOG"]
    _host, _sep, _port = _syslog.rpartition(":")
    if not _sep:
        _host, _port = _syslog, "514"
    LOGGING["handlers"]["journal_syslog"] = {
        "class": "logging.handlers.SysLogHandler",
        "address": _syslog if _syslog.startswith("/") else (_host, int(_port)),
        "facility": "auth",
        "formatter": "plain",
    }
    LOGGING["loggers"]["jiandu.journal.checkpoint"]["handlers"] = ["journal_syslog"]

# Journal retention (Cybersecurity Law art. 21: at least six months).
JOURNAL_RETENTION_DAYS = max(184, int(os.environ.get("JIANDU_JOURNAL_RETENTION_DAYS", 184)))
