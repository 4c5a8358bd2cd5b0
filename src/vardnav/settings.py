"""Vårdnav settings: one module, every value from the environment.

Why one module: the same code runs the demo on SQLite and production on
PostgreSQL; only environment variables differ. Every variable is read through
the typed helpers in core.env, so a malformed value stops start-up with a
message naming it. VARDNAV_ENV=production adds hard refusals (see below).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url

from vardnav.core.env import (
    ConfigError,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_optional,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent  # the project root
SRC_DIR = BASE_DIR / "src"
VAR_DIR = Path(env_str("VARDNAV_VAR_DIR", str(BASE_DIR / "var")))

VARDNAV_ENV = env_choice("VARDNAV_ENV", "development", ("development", "test", "production"))
PRODUCTION = VARDNAV_ENV == "production"

# Off unless asked for: the debug pages show tracebacks, settings and the URL map to
# anyone, and a demo reachable by others is a deployment too. Production refuses it.
DEBUG = env_bool("DEBUG", default=False)

_DEV_SECRET = "dev-only-insecure-secret-key-never-use-in-production-0123456789abcdef"
SECRET_KEY = env_optional("SECRET_KEY") or ("" if PRODUCTION else _DEV_SECRET)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# --- database --------------------------------------------------------------
_default_db = f"sqlite:///{VAR_DIR / 'vardnav.sqlite3'}"
_db_url = env_str("DATABASE_URL", _default_db)
try:
    _db = dj_database_url.parse(_db_url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0))
except Exception as exc:  # noqa: BLE001
    raise ConfigError(f"DATABASE_URL is malformed: {exc}") from None
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the writer; IMMEDIATE takes the write lock at
    # BEGIN so two writers queue instead of failing half-way with "locked".
    _db["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    _db["CONN_MAX_AGE"] = 0
elif _db["ENGINE"] == "django.db.backends.postgresql":
    _db.setdefault("OPTIONS", {})
    # Server-side binding lets psycopg prepare a statement the fifth time one
    # connection runs it (`prepare_threshold`), so the hot statements skip
    # PostgreSQL's parse and plan (docs/benchmarks.md). Behind a pooler in
    # transaction mode it needs one that tracks prepared statements (PgBouncer
    # 1.21+ with max_prepared_statements), or DB_SERVER_SIDE_BINDING=false.
    _db["OPTIONS"]["server_side_binding"] = env_bool("DB_SERVER_SIDE_BINDING", default=True)
    _db["OPTIONS"]["prepare_threshold"] = env_int("DB_PREPARE_THRESHOLD", 5, minimum=0)
    _db["CONN_HEALTH_CHECKS"] = True
DATABASES = {"default": _db}
DATABASE_IS_SQLITE = _db["ENGINE"] == "django.db.backends.sqlite3"
ALLOW_SQLITE_IN_PRODUCTION = env_bool("VARDNAV_ALLOW_SQLITE_IN_PRODUCTION", default=False)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- applications ----------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "vardnav.core",
    "vardnav.people",
    "vardnav.organizations",
    "vardnav.audit",
    "vardnav.identity",
    "vardnav.catalog",
    "vardnav.cases",
    "vardnav.attachments",
    "vardnav.prescriptions",
    "vardnav.records",
    "vardnav.notifications",
    "vardnav.integrations",
    "vardnav.bookings",
    "vardnav.billing",
    "vardnav.visits",
    "vardnav.certificates",
    "vardnav.labs",
    "vardnav.help",
    "vardnav.vaccinations",
    "vardnav.complaints",
    "vardnav.quality",
    "vardnav.web",
]

MIDDLEWARE = [
    "vardnav.core.middleware.RequestIdMiddleware",
    "vardnav.api.problems.ApiProblemMiddleware",
    "vardnav.attachments.middleware.UploadLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "vardnav.identity.middleware.IdentitySessionMiddleware",
    "vardnav.api.content_types.ApiContentTypeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "vardnav.core.middleware.SecurityHeadersMiddleware",
    "vardnav.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "vardnav.urls"
WSGI_APPLICATION = "vardnav.wsgi.application"
# WebSockets (the video meetings' signalling, VISIT-8) need the ASGI entry; pages work under either.
ASGI_APPLICATION = "vardnav.asgi.application"

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "vardnav" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "vardnav.web.context_processors.platform",
                "vardnav.identity.context_processors.identity",
                "vardnav.notifications.context_processors.notices",
                "vardnav.web.context_processors.resident_navigation",
            ],
        },
    },
]

FORM_RENDERER = "vardnav.web.forms.FormRenderer"

# --- internationalisation --------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [SRC_DIR / "vardnav" / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

# --- static files ----------------------------------------------------------
WHITENOISE_USE_FINDERS = not PRODUCTION
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": VAR_DIR / "media"}},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if not PRODUCTION
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- sessions and security -------------------------------------------------
SESSION_COOKIE_AGE = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 3600, minimum=60)
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_NAME = "__Host-vardnav_session" if PRODUCTION else "vardnav_session"
CSRF_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", PRODUCTION) else None

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# --- background tasks (transactional outbox) --------------------------------
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "ENQUEUE_ON_COMMIT": True,
    }
}

# --- cache (rate limits) and the session store ------------------------------
_redis = env_optional("REDIS_URL")
# Rate limits must be shared by every web process: Redis in production, the
# database cache table (`createcachetable`) otherwise; tests use process memory.
# Sessions: with Redis, Django's cache-backed database store ("cached_db") over a
# Redis cache of their own (key prefix "s"): a request reads its session from
# Redis, not PostgreSQL; the rare write (login, logout, the activity touch every
# TOUCH_INTERVAL_SECONDS) still goes to the database as well, so a flushed or
# restarted Redis logs nobody out. Without Redis, sessions stay in the database.
if _redis:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis},
        "sessions": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis, "KEY_PREFIX": "s"},
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    SESSION_CACHE_ALIAS = "sessions"
elif VARDNAV_ENV == "test":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "vardnav_cache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- channel layer (WebSocket signalling of video meetings, VISIT-8) -----------
# The two participants of a meeting may be connected to different ASGI
# processes, so production relays their messages through Redis; the demo and
# tests run one process and use its memory. Production refuses the latter.
if _redis:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [_redis], "prefix": "vardnav-ws", "expiry": 30, "capacity": 200},
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- video meetings (VISIT-8): the ICE servers the browsers use -------------------
# STUN finds a browser's public address; TURN relays the media when no direct
# path exists (strict firewalls). Both are the provider's own services.
# VIDEO_TURN_SECRET: the shared secret of a TURN server using time-limited
# credentials (coturn's use-auth-secret), so no lasting password reaches a
# browser; otherwise VIDEO_TURN_USERNAME and VIDEO_TURN_PASSWORD are sent as they are.
VIDEO_STUN_URLS = env_list("VIDEO_STUN_URLS", [])
VIDEO_TURN_URLS = env_list("VIDEO_TURN_URLS", [])
VIDEO_TURN_SECRET = env_optional("VIDEO_TURN_SECRET")
VIDEO_TURN_USERNAME = env_optional("VIDEO_TURN_USERNAME")
VIDEO_TURN_PASSWORD = env_optional("VIDEO_TURN_PASSWORD")
VIDEO_TURN_TTL_SECONDS = env_int("VIDEO_TURN_TTL_SECONDS", 4 * 3600, minimum=60)
for _url in VIDEO_STUN_URLS:
    if not _url.startswith(("stun:", "stuns:")):
        raise ConfigError(f"VIDEO_STUN_URLS must hold stun: or stuns: addresses, got {_url!r}")
for _url in VIDEO_TURN_URLS:
    if not _url.startswith(("turn:", "turns:")):
        raise ConfigError(f"VIDEO_TURN_URLS must hold turn: or turns: addresses, got {_url!r}")
if VIDEO_TURN_URLS and not VIDEO_TURN_SECRET and not (VIDEO_TURN_USERNAME and VIDEO_TURN_PASSWORD):
    raise ConfigError("VIDEO_TURN_URLS needs VIDEO_TURN_SECRET, or VIDEO_TURN_USERNAME and VIDEO_TURN_PASSWORD")

# --- e-mail ------------------------------------------------------------------
# The defaults are the demo's local SMTP sink (vardnav.demo.mailsink, started by `manage.py rundemo`).
EMAIL_HOST = env_str("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 1025, minimum=1, maximum=65535)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Vårdnav <no-reply@vardnav.example>")

# --- notifications (docs/decisions/0006-notifications-outbox.md) --------------
# Where residents reach the site: the links in e-mail and SMS start with it.
VARDNAV_PUBLIC_URL = env_str("VARDNAV_PUBLIC_URL", "http://127.0.0.1:8000")
# The bankgiro number printed on invoices with the OCR reference (FEE-6, FEE-7); Bankgirot's test number by default.
VARDNAV_BANKGIRO = env_str("VARDNAV_BANKGIRO", "5050-1055")
# The SMS gateway class; the file gateway writes var/sms/outbox.jsonl (the real one is a contracted service).
SMS_GATEWAY = env_str("SMS_GATEWAY", "vardnav.notifications.channels.FileSmsGateway")
# Outbox deliveries whose task was lost (a killed worker) get a new task after this long.
NOTIFICATIONS_STALE_AFTER_SECONDS = env_int("NOTIFICATIONS_STALE_AFTER_SECONDS", 15 * 60, minimum=1)
SMS_OUTBOX_FILE = Path(env_str("SMS_OUTBOX_FILE", str(VAR_DIR / "sms" / "outbox.jsonl")))

# --- encryption at rest (REC-10, see docs/decisions/0003-encryption-at-rest.md)
# Comma-separated Fernet keys, newest first. Old keys stay to decrypt until
# `manage.py rotate_field_keys` has re-encrypted every value with the newest.
_DEV_FIELD_KEY = "ZGV2LW9ubHktZmllbGQta2V5LW5vdC1mb3ItcHJvZC0="
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS", [] if PRODUCTION else [_DEV_FIELD_KEY])
# Blind-index (HMAC) keys for exact lookups of encrypted values, newest first;
# separate from the encryption keys so rotating those never breaks a lookup.
# The dev key is the dev field key's bytes, so existing dev databases keep their indexes.
_DEV_INDEX_KEY = "dev-only-field-key-not-for-prod-"
FIELD_INDEX_KEYS = env_list("FIELD_INDEX_KEYS", [] if PRODUCTION else [_DEV_INDEX_KEY])

# --- logging: JSON lines with request id, never personal data ----------------
LOG_LEVEL = env_choice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "vardnav.core.logging.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "vardnav.core.logging.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "django.db.backends": {"level": "WARNING"},
    },
}

# --- cases ---------------------------------------------------------------------
# CASE-6: the same person, service and near-identical content within this many
# hours is flagged as a probable duplicate of the first.
CASE_DUPLICATE_WINDOW_HOURS = env_int("CASE_DUPLICATE_WINDOW_HOURS", 24, minimum=1, maximum=24 * 30)

# --- attachments (ATT-1..ATT-8, CASE-8; docs/decisions/0008-attachments.md) ----
# 20 MB is 20 MiB: the seed's figure, read generously. Uploads stream to a temp
# file through our handler, which stops keeping a file at the limit + 1 byte.
ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024
ATTACHMENT_MAX_FILES_RESIDENT = 5
ATTACHMENT_MAX_FILES_STAFF = 10
# Images above this many pixels are refused before they are decoded (decompression bombs).
ATTACHMENT_MAX_IMAGE_PIXELS = env_int("ATTACHMENT_MAX_IMAGE_PIXELS", 40_000_000, minimum=1_000_000)
# Decoded image pixels one web process may hold at once (attachments/budget.py): enough for
# one image at the pixel limit (40 MP × 4 bytes × 2 copies = 320 MB); concurrent uploads
# beyond it wait ATTACHMENT_DECODE_WAIT_SECONDS, then get 503 with Retry-After.
ATTACHMENT_DECODE_BUDGET_BYTES = env_int(
    "ATTACHMENT_DECODE_BUDGET_BYTES", ATTACHMENT_MAX_IMAGE_PIXELS * 4 * 2, minimum=ATTACHMENT_MAX_IMAGE_PIXELS * 4 * 2
)
ATTACHMENT_DECODE_WAIT_SECONDS = env_int("ATTACHMENT_DECODE_WAIT_SECONDS", 10, minimum=0)
# The whole request body: the most files one message may carry, plus the form around them.
ATTACHMENT_MAX_REQUEST_BYTES = ATTACHMENT_MAX_FILES_STAFF * ATTACHMENT_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_HANDLERS = ["vardnav.attachments.uploads.AttachmentUploadHandler"]
FILE_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
FILE_UPLOAD_TEMP_DIR = env_optional("FILE_UPLOAD_TEMP_DIR")
# Staged (uploaded, never sent) files and stored files without a row are removed after this long.
ATTACHMENT_ORPHAN_HOURS = env_int("ATTACHMENT_ORPHAN_HOURS", 24, minimum=1)
# Antivirus (ASVS 5.4.3): ClamAV's daemon, off unless a socket or host is named.
CLAMD_SOCKET = env_optional("CLAMD_SOCKET")
CLAMD_HOST = env_optional("CLAMD_HOST")
CLAMD_PORT = env_int("CLAMD_PORT", 3310, minimum=1, maximum=65535)
CLAMD_TIMEOUT_SECONDS = env_int("CLAMD_TIMEOUT_SECONDS", 30, minimum=1, maximum=600)
# Where files go: a local folder outside the web root, or S3-compatible object storage.
ATTACHMENTS_S3_BUCKET = env_optional("ATTACHMENTS_S3_BUCKET")
if ATTACHMENTS_S3_BUCKET:
    STORAGES["attachments"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": ATTACHMENTS_S3_BUCKET,
            "endpoint_url": env_optional("ATTACHMENTS_S3_ENDPOINT_URL"),
            "region_name": env_optional("ATTACHMENTS_S3_REGION"),
            "location": env_str("ATTACHMENTS_S3_PREFIX", ""),
            "default_acl": None,
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }
else:
    STORAGES["attachments"] = {
        "BACKEND": "vardnav.attachments.storage.DurableFileSystemStorage",
        "OPTIONS": {"location": Path(env_str("ATTACHMENTS_DIR", str(VAR_DIR / "attachments")))},
    }

# --- Vårdnav -----------------------------------------------------------------
VARDNAV_DEMO = env_bool("VARDNAV_DEMO", default=not PRODUCTION)
# The development-only apps: the demo world and its commands and pages, and the
# BankID simulator. Installed in demo mode and tests, never in production (the
# demo IdP, below, has its own switch). Production code never imports them.
DEMO_APPS_INSTALLED = (VARDNAV_DEMO or VARDNAV_ENV == "test") and not PRODUCTION
if DEMO_APPS_INSTALLED:
    INSTALLED_APPS += ["vardnav.demo", "vardnav.bankid_simulator", "vardnav.swish_simulator"]
    TEMPLATES[0]["OPTIONS"]["context_processors"].append("vardnav.demo.context_processors.demo")
# Where the demo's SMTP sink (started by `manage.py rundemo` on EMAIL_HOST:EMAIL_PORT) keeps what it received.
DEMO_MAIL_DIR = Path(env_str("DEMO_MAIL_DIR", str(VAR_DIR / "mail")))
POPULATION_REGISTER_FILE = Path(
    env_str("POPULATION_REGISTER_FILE", str(SRC_DIR / "vardnav" / "people" / "data" / "population_register.json"))
)
POPULATION_REGISTER_BACKEND = env_str("POPULATION_REGISTER_BACKEND", "vardnav.people.register.LocalPopulationRegister")
SUPPORT_EMAIL = env_str("SUPPORT_EMAIL", "support@vardnav.example")
# Independent hash chains of the audit log; writers lock one chain head each
# (docs/decisions/0002-audit-chain.md). Raising it later is safe; lowering it too.
AUDIT_CHAIN_SHARDS = env_int("AUDIT_CHAIN_SHARDS", 16, minimum=1, maximum=1024)
# The chain heads are anchored outside the database (`manage.py audit_anchor`, hourly;
# vardnav.audit.anchors): to S3-compatible storage with object lock when a bucket is
# named (production), otherwise appended to a local JSON-lines file.
AUDIT_ANCHOR_FILE = Path(env_str("AUDIT_ANCHOR_FILE", str(VAR_DIR / "audit-anchors.jsonl")))
AUDIT_ANCHOR_S3_BUCKET = env_optional("AUDIT_ANCHOR_S3_BUCKET")
AUDIT_ANCHOR_S3_ENDPOINT_URL = env_optional("AUDIT_ANCHOR_S3_ENDPOINT_URL")
AUDIT_ANCHOR_S3_REGION = env_optional("AUDIT_ANCHOR_S3_REGION")
AUDIT_ANCHOR_S3_PREFIX = env_str("AUDIT_ANCHOR_S3_PREFIX", "audit-anchors/")
# Object-lock retention of each anchor: as long as the log itself is kept (10 years by default).
AUDIT_ANCHOR_RETENTION_DAYS = env_int("AUDIT_ANCHOR_RETENTION_DAYS", 3650, minimum=1)
# audit_verify reports entries older than this that no anchor covers (anchoring stopped or anchors removed).
AUDIT_ANCHOR_MAX_AGE_MINUTES = env_int("AUDIT_ANCHOR_MAX_AGE_MINUTES", 180, minimum=5)
# The national summary (sammanhållen journalföring, REC-3): the outbound store records' export sends to.
# The local store keeps received documents in its own table; a production adapter has the same three calls.
NATIONAL_SUMMARY_STORE = env_str("NATIONAL_SUMMARY_STORE", "vardnav.records.national.LocalNationalSummaryStore")

# --- staff login: OpenID Connect (ID-5, docs/decisions/0005-staff-login-oidc.md)
# The local demo IdP (app demo_idp, /demo-idp/) stands in for SITHS eID via Inera's
# IdP in development and tests; it is refused in production (below).
DEMO_IDP_ENABLED = env_bool("VARDNAV_DEMO_IDP", default=VARDNAV_DEMO or VARDNAV_ENV == "test")
if DEMO_IDP_ENABLED:
    INSTALLED_APPS.append("vardnav.demo_idp")
# Unset: the demo IdP served by this process, at /demo-idp on the request's own host.
STAFF_OIDC_ISSUER = env_optional("STAFF_OIDC_ISSUER")
STAFF_OIDC_CLIENT_ID = env_str("STAFF_OIDC_CLIENT_ID", "" if PRODUCTION else "vardnav-demo")
STAFF_OIDC_CLIENT_SECRET = env_str(
    "STAFF_OIDC_CLIENT_SECRET", "" if PRODUCTION else "demo-idp-client-secret-not-for-prod"
)
STAFF_OIDC_HSA_CLAIM = env_str("STAFF_OIDC_HSA_CLAIM", "employeeHsaId")
# The staff member's own personal number (from the SITHS card), for the log review's own-record, family and
# colleague flags (records.StaffPerson). Empty: the IdP sends none and provider admins enter them by hand.
STAFF_OIDC_PERSONAL_NUMBER_CLAIM = env_str("STAFF_OIDC_PERSONAL_NUMBER_CLAIM", "personalIdentityNumber")
STAFF_OIDC_SCOPES = env_list("STAFF_OIDC_SCOPES", ["openid", "profile"])
STAFF_OIDC_TIMEOUT_SECONDS = env_int("STAFF_OIDC_TIMEOUT_SECONDS", 10, minimum=1, maximum=60)
if "openid" not in STAFF_OIDC_SCOPES:
    raise ConfigError("STAFF_OIDC_SCOPES must include openid")
if STAFF_OIDC_ISSUER is None and not DEMO_IDP_ENABLED:
    raise ConfigError("STAFF_OIDC_ISSUER must be set when the demo IdP is off (VARDNAV_DEMO_IDP=false)")

# --- BankID (RP API v6; docs/decisions/0004-bankid-client.md) -----------------
# Development and tests talk to the local simulator (app bankid_simulator, `manage.py bankid_simulator`),
# which writes its CA, server and RP client certificates into var/bankid/.
# Production must name BankID's URL and the RP certificate; without BANKID_CA_FILE
# the client pins BankID's own root for appapi2.bankid.com / appapi2.test.bankid.com.
BANKID_SIMULATOR_DIR = VAR_DIR / "bankid"
BANKID_BASE_URL = env_str("BANKID_BASE_URL", None if PRODUCTION else "https://127.0.0.1:8443/rp/v6.0/")
BANKID_CERT_FILE = env_optional("BANKID_CERT_FILE") or (
    None if PRODUCTION else str(BANKID_SIMULATOR_DIR / "rp-client.pem")
)
BANKID_KEY_FILE = env_optional("BANKID_KEY_FILE") or (
    None if PRODUCTION else str(BANKID_SIMULATOR_DIR / "rp-client-key.pem")
)
BANKID_KEY_PASSWORD = env_optional("BANKID_KEY_PASSWORD")
BANKID_CA_FILE = env_optional("BANKID_CA_FILE") or (None if PRODUCTION else str(BANKID_SIMULATOR_DIR / "ca.pem"))
BANKID_TIMEOUT = env_int("BANKID_TIMEOUT", 10, minimum=1, maximum=60)
# The simulator's "test BankID app" (plain HTTP on loopback), linked from the demo login page.
BANKID_TEST_APP_URL = env_optional("BANKID_TEST_APP_URL") or ("" if PRODUCTION else "http://127.0.0.1:8444/test-app/")

# --- Swish Commerce API (billing.swish) ---------------------------------------
# Development and tests talk to the local simulator (app swish_simulator, `manage.py swish_simulator`),
# which writes its CA, server and merchant client certificates into var/swish/. Production names
# Swish's URL (https://cpc.getswish.net/swish-cpcapi/), the merchant certificate, Swish's CA chain
# and the merchant's Swish number. Callbacks go to VARDNAV_PUBLIC_URL (https in production).
SWISH_SIMULATOR_DIR = VAR_DIR / "swish"
SWISH_BASE_URL = env_str("SWISH_BASE_URL", "" if PRODUCTION else "https://127.0.0.1:8445/swish-cpcapi/")
SWISH_CERT_FILE = env_optional("SWISH_CERT_FILE") or (
    None if PRODUCTION else str(SWISH_SIMULATOR_DIR / "rp-client.pem")
)
SWISH_KEY_FILE = env_optional("SWISH_KEY_FILE") or (
    None if PRODUCTION else str(SWISH_SIMULATOR_DIR / "rp-client-key.pem")
)
SWISH_KEY_PASSWORD = env_optional("SWISH_KEY_PASSWORD")
SWISH_CA_FILE = env_optional("SWISH_CA_FILE") or (None if PRODUCTION else str(SWISH_SIMULATOR_DIR / "ca.pem"))
# The merchant's Swish number (the test number of Swish's merchant test system by default).
SWISH_PAYEE_ALIAS = env_str("SWISH_PAYEE_ALIAS", "" if PRODUCTION else "1234679304")
SWISH_TIMEOUT = env_int("SWISH_TIMEOUT", 10, minimum=1, maximum=60)
# The simulator's test Swish app (plain HTTP on loopback), linked from the demo's payment page.
SWISH_TEST_APP_URL = env_optional("SWISH_TEST_APP_URL") or ("" if PRODUCTION else "http://127.0.0.1:8446/test-app/")

# --- production refusals ----------------------------------------------------
if PRODUCTION:
    if not SECRET_KEY or SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50:
        raise ConfigError("SECRET_KEY must be set to a random value of at least 50 characters in production")
    if DEBUG:
        raise ConfigError("DEBUG must be off in production")
    if CHANNEL_LAYERS["default"]["BACKEND"] == "channels.layers.InMemoryChannelLayer":
        raise ConfigError(
            "REDIS_URL must be set in production: the video meetings' signalling needs a channel layer "
            "shared by every ASGI process, not one process's memory"
        )
    if DATABASE_IS_SQLITE and not ALLOW_SQLITE_IN_PRODUCTION:
        raise ConfigError(
            "DATABASE_URL points at SQLite; production needs PostgreSQL "
            "(set VARDNAV_ALLOW_SQLITE_IN_PRODUCTION=true to override)"
        )
    if not FIELD_ENCRYPTION_KEYS or _DEV_FIELD_KEY in FIELD_ENCRYPTION_KEYS:
        raise ConfigError("FIELD_ENCRYPTION_KEYS must be set to production keys")
    if not FIELD_INDEX_KEYS or _DEV_INDEX_KEY in FIELD_INDEX_KEYS or min(map(len, FIELD_INDEX_KEYS)) < 32:
        raise ConfigError("FIELD_INDEX_KEYS must be set to production keys of at least 32 characters")
    if DEMO_IDP_ENABLED:
        raise ConfigError("The demo IdP must not run in production: set VARDNAV_DEMO_IDP=false (or VARDNAV_DEMO=false)")
    if not (STAFF_OIDC_ISSUER or "").startswith("https://"):
        raise ConfigError("STAFF_OIDC_ISSUER must be the https:// issuer of the staff IdP in production")
    if not STAFF_OIDC_CLIENT_ID or not STAFF_OIDC_CLIENT_SECRET:
        raise ConfigError("STAFF_OIDC_CLIENT_ID and STAFF_OIDC_CLIENT_SECRET must be set in production")
    if not BANKID_CERT_FILE or not BANKID_KEY_FILE:
        raise ConfigError("BANKID_CERT_FILE and BANKID_KEY_FILE (the RP certificate) must be set in production")
    if SWISH_BASE_URL and not (SWISH_CERT_FILE and SWISH_KEY_FILE and SWISH_CA_FILE and SWISH_PAYEE_ALIAS):
        # Swish's callbacks are unsigned: the status is fetched from Swish, trusted only through its pinned chain.
        raise ConfigError(
            "With SWISH_BASE_URL set, production needs SWISH_CERT_FILE, SWISH_KEY_FILE (the merchant certificate), "
            "SWISH_CA_FILE (Swish's TLS root) and SWISH_PAYEE_ALIAS"
        )
    if not VARDNAV_PUBLIC_URL.startswith("https://") or "127.0.0.1" in VARDNAV_PUBLIC_URL:
        raise ConfigError("VARDNAV_PUBLIC_URL must be the service's public https:// address in production")
