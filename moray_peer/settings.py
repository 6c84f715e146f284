"""Settings for the Moray Peer Support Directory.

Every setting that differs between machines comes from an environment variable, read through
the strict helpers below: a malformed value stops the start-up with a clear message rather
than running with a surprise. The defaults run the site locally on SQLite with no set-up.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name, default):
    return os.environ.get(name, default)


def env_bool(name, default):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def env_float(name, default):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a number, not {raw!r}") from exc


def env_list(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# Only for DEBUG runs on a developer's machine: it is in the source, so anyone could sign
# sessions and allauth's confirmation keys with it.
DEVELOPMENT_SECRET_KEY = "insecure-local-key-set-SECRET_KEY-in-production"
SECRET_KEY = env_str("SECRET_KEY", "")
if not DEBUG and SECRET_KEY.strip() in ("", DEVELOPMENT_SECRET_KEY):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a long random string when DEBUG is off (the built-in key "
        "is public); set DEBUG=true to run on it locally"
    )
SECRET_KEY = SECRET_KEY or DEVELOPMENT_SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The public address, used in links that leave the site (emails, QR codes, feeds).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_filters",
    "simple_history",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "accounts",
    "directory",
    "opendata",
    "evidence",
]

MIDDLEWARE = [
    "moray_peer.request_logging.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "moray_peer.security.PermissionsPolicyMiddleware",
    "moray_peer.health.HealthCheckMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses what is left after ConditionalGet (below) has set the ETag and answered 304s.
    "moray_peer.compression.PublicGZipMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "moray_peer.security.SignedInNoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "moray_peer.security.StaffMFARequiredMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "moray_peer.transactions.AtomicWritesMiddleware",
]

ROOT_URLCONF = "moray_peer.urls"
WSGI_APPLICATION = "moray_peer.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "directory.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that is away or unreachable answers within seconds, never holds a worker:
    # connect timeout, and TCP keepalives plus a user timeout to notice a silent network.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": env_int("DB_CONNECT_TIMEOUT", 5),
            "keepalives": 1,
            "keepalives_idle": 10,
            "keepalives_interval": 5,
            "keepalives_count": 2,
            "tcp_user_timeout": env_int("DB_TCP_USER_TIMEOUT_MS", 20000),
        }
    )
    # A page's queries are short: compiling one (PostgreSQL's JIT, which the planner starts on
    # any search of a large directory) costs more than it saves.
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Two stores, never sharing a table or a key space:
# - "default" keeps what must last its whole window: sign-in lockouts and rate limits
#   (allauth's and moray_peer.ratelimit), two-factor codes already used. Nothing else is put
#   there, so no number of page visits can push a limit out of it.
# - "pages" keeps whole public pages and the filter terms (directory.page_cache, facets),
#   which may be dropped at any time.
# Every app server must share both: Redis in production (CACHE_URL=redis://...; PAGE_CACHE_URL
# may name another server), the database's cache tables otherwise.
CACHE_URL = env_str("CACHE_URL", env_str("REDIS_URL", ""))
PAGE_CACHE_URL = env_str("PAGE_CACHE_URL", CACHE_URL)
CACHE_KEY_PREFIX = env_str("CACHE_KEY_PREFIX", "moray")
# The limits' table is culled only past a million live entries (expired ones go first); a
# flood big enough to reach that is stopped by the per-address limits long before.
LIMITS_MAX_ENTRIES = 1_000_000
PAGES_MAX_ENTRIES = 3000


def cache_store(setting, url, *, table, key_prefix, max_entries):
    """One cache alias from its URL: redis://..., db:// (a table) or locmem://."""
    if url.startswith(("redis://", "rediss://")):
        return {
            # Django's backend, minus a new client object per call, and answered from the
            # process's memory while Redis is not answering (moray_peer.redis_cache).
            "BACKEND": "moray_peer.redis_cache.FailSafeRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": key_prefix,
            "OPTIONS": {
                # Redis answers in well under a millisecond: a call that takes longer than
                # this finds Redis hung, and the page goes on without it.
                "socket_connect_timeout": env_float("CACHE_TIMEOUT_SECONDS", 0.25),
                "socket_timeout": env_float("CACHE_TIMEOUT_SECONDS", 0.25),
                # How long a process leaves Redis alone after a failure before trying again.
                "RETRY_SECONDS": env_float("CACHE_RETRY_SECONDS", 2),
            },
        }
    if url in ("", "db://"):
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": table,
            "OPTIONS": {"MAX_ENTRIES": max_entries},
        }
    if url == "locmem://":
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": table,
            "OPTIONS": {"MAX_ENTRIES": max_entries},
        }
    raise ImproperlyConfigured(f"{setting} must be redis://..., db:// or locmem://, not {url!r}")


CACHES = {
    "default": cache_store(
        "CACHE_URL",
        CACHE_URL,
        table="cache_table",
        key_prefix=CACHE_KEY_PREFIX,
        max_entries=LIMITS_MAX_ENTRIES,
    ),
    "pages": cache_store(
        "PAGE_CACHE_URL",
        PAGE_CACHE_URL,
        table="page_cache_table",
        key_prefix=CACHE_KEY_PREFIX + "-pages",
        max_entries=PAGES_MAX_ENTRIES,
    ),
}
# Evidence counts (evidence.counting) gather in Redis and reach the database in batches, one
# `flush_counts` a minute, when Redis is there; without it each count is written at once.
EVIDENCE_BUFFER_URL = env_str(
    "EVIDENCE_BUFFER_URL", CACHE_URL if CACHE_URL.startswith(("redis://", "rediss://")) else ""
)
if EVIDENCE_BUFFER_URL and not EVIDENCE_BUFFER_URL.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured(
        f"EVIDENCE_BUFFER_URL must be redis://... or empty, not {EVIDENCE_BUFFER_URL!r}"
    )
# How long each server process gathers counts, from the first, before sending them to Redis.
EVIDENCE_PUSH_SECONDS = env_int("EVIDENCE_PUSH_SECONDS", 1)
EVIDENCE_BUFFER_KEY = env_str("EVIDENCE_BUFFER_KEY", CACHE_KEY_PREFIX + ":evidence")
# The most one visitor (one address, as the rate limits count them) adds to each evidence
# count in a day: page views, searches, helpful answers. Enough for a busy health visitor's
# office behind one address; a script reloading a page adds no more.
EVIDENCE_DAILY_COUNTS_PER_VISITOR = env_int("EVIDENCE_DAILY_COUNTS_PER_VISITOR", 100)
if (
    any(store["BACKEND"].endswith("DatabaseCache") for store in CACHES.values())
    and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
):
    # The database cache gets its own connection to the same database, so what it writes
    # (rate limits, page generations) commits at once rather than holding locks until the end
    # of a request's transaction (moray_peer.transactions).
    DATABASES["cache"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
    DATABASE_ROUTERS = ["moray_peer.transactions.CacheRouter"]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # ASVS level 2: at least 12 characters, and not one of the commonly used passwords.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"

# Organisers sign in by email: no usernames anywhere.
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# One address per account: a new one replaces the old once it is confirmed, so an account can
# never collect someone else's address beside its own.
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Moray Peer Support"
# Moderators must keep two-factor authentication on (moray_peer.security).
MFA_ADAPTER = "moray_peer.security.MFAAdapter"
# The set-up page keeps offering the same secret until it is used (a reload made a new one).
MFA_FORMS = {"activate_totp": "moray_peer.security.SteadyActivateTOTPForm"}

# Sign-in links and password resets go by email: a live site that printed them on its
# console would hand them to whoever reads the logs, so it must say how it sends mail.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "")
if not EMAIL_BACKEND:
    if not DEBUG:
        raise ImproperlyConfigured(
            "EMAIL_BACKEND must be set when DEBUG is off, e.g. "
            "django.core.mail.backends.smtp.EmailBackend (mail would go to the console)"
        )
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
# A mail server that hangs holds up the request that sends (on commit) for at most this long.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
EMAIL_SUBJECT_PREFIX = env_str("EMAIL_SUBJECT_PREFIX", "Moray Peer Support: ")
ACCOUNT_EMAIL_SUBJECT_PREFIX = EMAIL_SUBJECT_PREFIX
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Moray Peer Support <hello@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Tests and `make run` serve static files without a collectstatic step.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", True)
WHITENOISE_MANIFEST_STRICT = False

# Sessions live in the database (shared by every app server); only organisers get one.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
# A session ends after this long without a request (each request starts the wait again).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 60) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# "Your changes were not saved: go back and save again", in the site's layout.
CSRF_FAILURE_VIEW = "moray_peer.error_pages.csrf_failure"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# A year of HSTS is what the browsers' preload lists ask for; opt in to them with it.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", SECURE_HSTS_SECONDS >= 31536000)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if env_bool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Sign-in rate limits count per visitor address; behind N proxies that address is the Nth
# from the right in X-Forwarded-For (otherwise every visitor would share the proxy's).
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
# Load balancers probe /healthz over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]

# No third-party origins: every script, style and image is our own.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# Where "Exit this page" goes: a neutral page that gives nothing away.
QUICK_EXIT_URL = env_str("QUICK_EXIT_URL", "https://www.bbc.co.uk/weather")

# How far ahead recurring schedules are expanded into stored sessions.
SESSION_HORIZON_DAYS = env_int("SESSION_HORIZON_DAYS", 182)
# Organisers' own calendars (directory.feeds): how long a read may take and how large a
# calendar may be.
CALENDAR_FEED_TIMEOUT_SECONDS = env_int("CALENDAR_FEED_TIMEOUT_SECONDS", 15)
CALENDAR_FEED_MAX_BYTES = env_int("CALENDAR_FEED_MAX_BYTES", 2 * 1024 * 1024)
# Test-only: lets the tests serve feeds from a loopback server over plain http. Never read
# from the environment, so no deployment can open the server's own network to a feed.
CALENDAR_FEED_ALLOW_LOOPBACK = False
# A listing not confirmed by its organiser for this long shows "may be out of date".
STALE_AFTER_DAYS = 90
# Its organisers are asked to check it this many days after the last check (and again), and
# their dashboard says it is due from the first of these (directory.models.Group.freshness).
REVIEW_REMINDER_DAYS = (60, 85)
# Organisers who chose a weekly "is it still on?" email get it on this day (0 is Monday,
# 6 Sunday), about the seven days that follow (directory ask_about_coming_sessions).
SESSION_QUESTIONS_WEEKDAY = env_int("SESSION_QUESTIONS_WEEKDAY", 6)
if not 0 <= SESSION_QUESTIONS_WEEKDAY <= 6:
    raise ImproperlyConfigured("SESSION_QUESTIONS_WEEKDAY must be from 0 (Monday) to 6 (Sunday)")
# Public pages are kept this long for visitors who are not signed in (directory.page_cache);
# 0 turns the page cache off, as it is by default while developing.
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", 0 if DEBUG else 60)
# How long a worker serves pages from its own memory before checking with the shared cache
# that nothing has been saved since: how late another worker's visitors may see a change.
PUBLIC_PAGE_RECHECK_SECONDS = env_int("PUBLIC_PAGE_RECHECK_SECONDS", 1)

# While Redis or the database is not answering, each process logs the first failure with its
# traceback, then one line at most this often, then one when it answers (moray_peer.outages).
OUTAGE_LOG_SECONDS = env_int("OUTAGE_LOG_SECONDS", 60)

LOG_FORMAT = env_str("LOG_FORMAT", "json")
if LOG_FORMAT not in ("json", "plain"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or plain, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(levelname)s %(name)s %(message)s"},
        # One JSON object per line, one line per request (moray_peer.request_logging).
        "json": {"()": "moray_peer.request_logging.JsonFormatter"},
    },
    "filters": {
        "outage_told": {"()": "moray_peer.outages.OutageToldFilter"},
        "secrets_out_of_paths": {"()": "moray_peer.request_logging.SecretsOutOfPathsFilter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
            "filters": ["secrets_out_of_paths"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR", "filters": ["outage_told"]}},
}
