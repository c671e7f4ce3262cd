"""QuickCare settings: one module, read from the environment (and `.env`), safe by default."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# Variables already in the environment win over the file (read_env only sets missing ones).
# `make run` reads `.env`; production names its own file (`make serve`: `.env.production`).
ENV_FILE = env.str("ENV_FILE", default=str(BASE_DIR / ".env"))
environ.Env.read_env(ENV_FILE)

DEBUG = env.bool("DEBUG", default=False)
if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-change-me-0123456789abcdef")
else:
    SECRET_KEY = env.str("SECRET_KEY")  # required outside DEBUG
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "phonenumber_field",
    "django_tasks_db",
    "core",
    "audit",
    "users",
    "clinic",
    "doctors",
    "appointments",
    "documents",
    "fhir_api",
    "privacy",
    "notifications",
]
# Demo data (`seed_demo`: a superuser with a known password) exists only for local DEBUG runs.
if DEBUG:
    INSTALLED_APPS.append("demo")

MIDDLEWARE = [
    # First: every later line of the request (redirects and 413s included) carries its id.
    "core.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Stored answers to equal GETs, before the framework runs (core/cache_fast_path.py).
    "core.cache_fast_path.CachedResponseMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "core.middleware.ApiJsonErrorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.api_timezone.ApiUtcMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "quickcare.urls"
WSGI_APPLICATION = "quickcare.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# A persistent connection the server dropped (restart, failover, idle timeout) is checked and
# replaced before a request uses it, instead of failing that request with a 500.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Server-side binding lets psycopg prepare the hot statements once per connection (the
    # doctor directory and slot reads measured ~1.3x faster). Behind pgbouncer in transaction
    # mode it needs pgbouncer >= 1.21 with max_prepared_statements; set it False otherwise.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=env.bool("DB_SERVER_SIDE_BINDING", default=True),
        prepare_threshold=2,
    )
    # The planner's price of a random page read, per connection. PostgreSQL's default (4)
    # models spinning disks; 1.1 is the usual value on SSDs or for a database that fits in
    # memory. With 4 the patient's document list hash-joined full scans of the accounts and
    # the patient profiles (1.66 ms of database time per page on the bench network) instead of
    # 30 primary-key lookups (0.11 ms). Empty: not sent (set it on the server instead, e.g.
    # behind pgbouncer, which refuses startup options it does not know).
    if random_page_cost := env.str("DB_RANDOM_PAGE_COST", default="1.1"):
        DATABASES["default"]["OPTIONS"]["options"] = (
            f"-c random_page_cost={float(random_page_cost)}"
        )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # IMMEDIATE: a writer takes the lock at BEGIN and waits for it, instead of failing with
    # "database is locked" when two requests write at once (make run with several clients).
    DATABASES["default"].setdefault("OPTIONS", {}).update(timeout=20, transaction_mode="IMMEDIATE")

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://quickcare")}

# Cached public reads (core/response_cache.py): rendered answers under versioned keys, so a
# write makes them unreachable at once; the TTL only bounds memory. Clients and shared caches
# may reuse an answer for PUBLIC_CACHE_MAX_AGE_SECONDS (Cache-Control: public), then revalidate
# with If-None-Match (304). RESPONSE_CACHE_ENABLED=False answers every read from the database.
RESPONSE_CACHE_ENABLED = env.bool("RESPONSE_CACHE_ENABLED", default=True)
RESPONSE_CACHE_TTL_SECONDS = env.int("RESPONSE_CACHE_TTL_SECONDS", default=600)
PUBLIC_CACHE_MAX_AGE_SECONDS = env.int("PUBLIC_CACHE_MAX_AGE_SECONDS", default=5)
# Every stored answer ends at the end of its time bucket (date-dependent content, e.g. an age
# or "today", moves on with the clock); 900 s: every UTC offset in use is a multiple of 15 min.
RESPONSE_CACHE_BUCKET_SECONDS = env.int("RESPONSE_CACHE_BUCKET_SECONDS", default=900)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "users.User"
# Audit chains are kept per patient profile (one chain per person, a dependent's too). The
# audit app sits below users and may not import it, so it finds the model here, as it finds
# the user model through AUTH_USER_MODEL (a constant, not read from the environment).
AUDIT_CHAIN_OWNER_MODEL = "users.PatientProfile"

# argon2id at OWASP's minimum (users/hashers.py says why and what it costs); the base Argon2
# class is not listed as well: hashes made with its parameters are upgraded at login.
PASSWORD_HASHERS = [
    "users.hashers.QuickCareArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("name", "contact", "email")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
# What the admin shows datetimes in; storage stays UTC and the API keeps rendering UTC
# (core.api_timezone), so this never changes the wire format.
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Kolkata")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

# Uploaded medical documents live in private storage: never under STATIC/ or a public URL.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private_media")))
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
_documents_storage: dict[str, Any]
if AWS_STORAGE_BUCKET_NAME:
    _documents_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "region_name": env.str("AWS_S3_REGION_NAME", default="ap-south-1"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": env.int("S3_PRESIGNED_TTL_SECONDS", default=10),
            "file_overwrite": False,
        },
    }
else:
    _documents_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    }
STORAGES = {
    "default": _documents_storage,
    "documents": _documents_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

# --- Background work: django.tasks, immediate locally, the DB queue in production ----------
TASKS = {
    "default": {
        "BACKEND": env.str(
            "TASKS_BACKEND", default="django.tasks.backends.immediate.ImmediateBackend"
        )
    }
}

# --- SMS --------------------------------------------------------------------------------------
SMS_BACKEND = env.str("SMS_BACKEND", default="core.sms.ConsoleBackend")
SMS_FILE_PATH = env.str("SMS_FILE_PATH", default=str(BASE_DIR / "var" / "sms.jsonl"))
SMS_TIMEOUT_SECONDS = env.float("SMS_TIMEOUT_SECONDS", default=5.0)
SMS_RETRIES = env.int("SMS_RETRIES", default=2)
MSG91_AUTH_KEY = env.str("MSG91_AUTH_KEY", default="")
# SMS to Indian phones (DLT): one MSG91 template id per message kind, `otp=<id>,temp_password=<id>`;
# the OTP goes through MSG91's SendOTP API (`otp_api`) or its Flow template like the rest (`flow`).
MSG91_TEMPLATES = env.dict("MSG91_TEMPLATES", default={})
MSG91_OTP_VIA = env.str("MSG91_OTP_VIA", default="otp_api")
# core.sms.RoutingBackend: backend per number prefix, `+91=core.sms.Msg91Backend,default=...`
SMS_ROUTES = env.dict("SMS_ROUTES", default={})
TWILIO_ACCOUNT_SID = env.str("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env.str("TWILIO_AUTH_TOKEN", default="")
TWILIO_FROM_NUMBER = env.str("TWILIO_FROM_NUMBER", default="")

# --- Identity ---------------------------------------------------------------------------------
PHONENUMBER_DEFAULT_REGION = "IN"
PHONENUMBER_DB_FORMAT = "E164"
OTP_TTL_SECONDS = env.int("OTP_TTL_SECONDS", default=600)
OTP_MAX_ATTEMPTS = env.int("OTP_MAX_ATTEMPTS", default=5)
OTP_RESEND_COOLDOWN_SECONDS = env.int("OTP_RESEND_COOLDOWN_SECONDS", default=60)
MASTER_OTP = env.str("MASTER_OTP", default="")
TEMP_PASSWORD_TTL_DAYS = env.int("TEMP_PASSWORD_TTL_DAYS", default=7)
RECENT_AUTH_SECONDS = env.int("RECENT_AUTH_SECONDS", default=900)
# Failures per contact and client address, and a higher ceiling per contact across addresses.
LOGIN_MAX_FAILURES = env.int("LOGIN_MAX_FAILURES", default=5)
LOGIN_MAX_FAILURES_PER_CONTACT = env.int("LOGIN_MAX_FAILURES_PER_CONTACT", default=20)
LOGIN_FAILURE_WINDOW_SECONDS = env.int("LOGIN_FAILURE_WINDOW_SECONDS", default=900)

# --- Scheduling and documents -----------------------------------------------------------------
BOOKING_HORIZON_DAYS = env.int("BOOKING_HORIZON_DAYS", default=90)
NO_SHOW_GRACE_MINUTES = env.int("NO_SHOW_GRACE_MINUTES", default=15)
MAX_ACTIVE_APPOINTMENTS_PER_DOCTOR = env.int("MAX_ACTIVE_APPOINTMENTS_PER_DOCTOR", default=20)
# The OPD queue (appointments/queue/): the consultation length assumed until a doctor has a
# measured median (last 30 days), the ETA move that is worth telling the patient about, and
# how long a client may reuse a queue answer (Cache-Control: private, max-age).
QUEUE_DEFAULT_CONSULTATION_MINUTES = env.int("QUEUE_DEFAULT_CONSULTATION_MINUTES", default=10)
QUEUE_ETA_NOTIFY_MINUTES = env.int("QUEUE_ETA_NOTIFY_MINUTES", default=15)
QUEUE_CACHE_SECONDS = env.int("QUEUE_CACHE_SECONDS", default=5)
# The waitlist (issue 14): how long an offered slot is held for the waiting patient before it
# moves to the next one; a leave's displaced patients get longer, since they did not ask.
WAITLIST_HOLD_MINUTES = env.int("WAITLIST_HOLD_MINUTES", default=10)
WAITLIST_LEAVE_HOLD_MINUTES = env.int("WAITLIST_LEAVE_HOLD_MINUTES", default=720)
DOCUMENT_MAX_UPLOAD_BYTES = env.int("DOCUMENT_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
DOCUMENT_LINK_TTL_SECONDS = min(env.int("DOCUMENT_LINK_TTL_SECONDS", default=60), 60)
DATA_UPLOAD_MAX_MEMORY_SIZE = DOCUMENT_MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- API --------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # simplejwt's JWTAuthentication, plus: a signed-out session's access tokens stop working.
    "DEFAULT_AUTHENTICATION_CLASSES": ["users.authentication.SessionJWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "core.permissions.OnboardingComplete",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.HeaderPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [
        "core.filtering.FilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "core.schema.QuickCareAutoSchema",
    "EXCEPTION_HANDLER": "core.exceptions.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # orjson, same bytes as DRF's JSONRenderer (core/renderers.py)
    "DEFAULT_RENDERER_CLASSES": ["core.renderers.FastJSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "DEFAULT_THROTTLE_RATES": {
        "otp_send_contact": env.str("THROTTLE_OTP_SEND_CONTACT", default="5/hour"),
        "otp_send_ip": env.str("THROTTLE_OTP_SEND_IP", default="30/hour"),
        "otp_verify_contact": env.str("THROTTLE_OTP_VERIFY_CONTACT", default="20/hour"),
        "otp_verify_contact_ceiling": env.str(
            "THROTTLE_OTP_VERIFY_CONTACT_CEILING", default="60/hour"
        ),
        "otp_verify_ip": env.str("THROTTLE_OTP_VERIFY_IP", default="60/hour"),
        "login_ip": env.str("THROTTLE_LOGIN_IP", default="60/min"),
        "check_contact_ip": env.str("THROTTLE_CHECK_CONTACT_IP", default="30/min"),
        "consent_request": env.str("THROTTLE_CONSENT_REQUEST", default="60/hour"),
    },
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=7)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": False,
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "user_id",
    "AUTH_HEADER_TYPES": ("Bearer",),
    "SIGNING_KEY": env.str("JWT_SIGNING_KEY", default="") or SECRET_KEY,
    # A password change puts a new hash in every token; older access tokens stop working.
    "CHECK_REVOKE_TOKEN": True,
    "TOKEN_REFRESH_SERIALIZER": "users.serializers.TokenRefreshInputSerializer",
}

# --- The authenticated user, cached (users/auth_cache.py) ------------------------------------
# A successful token lookup (user row + session revocation) is kept in the default cache for
# the access token's life, at most this many seconds; every user save, logout and session
# revoke invalidates it. The cache must be shared by all processes (Redis in production). 0 = off.
AUTH_USER_CACHE_SECONDS = env.int("AUTH_USER_CACHE_SECONDS", default=900)

# --- Dependents (users/services/profiles.py) ---------------------------------------------------
# The most people one account may hold besides itself: the dependents list is not paginated,
# and a family is small; more answers 409 dependents_limit.
MAX_DEPENDENTS_PER_ACCOUNT = env.int("MAX_DEPENDENTS_PER_ACCOUNT", default=20)

SPECTACULAR_SETTINGS = {
    # The default enum hook, then the FHIR `$operation` paths restored (core/schema.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.schema.restore_dollar_paths",
    ],
    "TITLE": "QuickCare API",
    "DESCRIPTION": "Clinic and hospital management: onboarding, clinics and staff, doctors and "
    "their slots, appointments, and medical documents shared only by patient consent.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    # `<id:...>` path ids (core.converters) are integers, as `<int:...>` ones were.
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "format": "int64", "minimum": 0}},
    "ENUM_NAME_OVERRIDES": {
        "ErrorCodeEnum": "core.error_codes.ERROR_CODE_CHOICES",
        "AppointmentStatusEnum": "appointments.models.AppointmentStatus",
        "QueueStateEnum": "appointments.models.QueueState",
        "AppointmentSourceEnum": "appointments.models.AppointmentSource",
        "MemberStatusEnum": "clinic.models.MemberStatus",
        "ConsentStatusEnum": "documents.models.ConsentStatus",
        # A profile's relation (self included) and a dependent's (no self): two choice sets
        # under one field name, in several components (dependents, the walk-in desk).
        "RelationEnum": "users.models.Relation",
        "DependentRelationEnum": "users.models.DEPENDENT_RELATIONS",
        "ConsentEffectiveStatusEnum": [
            ("pending", "Pending"),
            ("granted", "Granted"),
            ("rejected", "Rejected"),
            ("revoked", "Revoked"),
            ("expired", "Expired"),
        ],
    },
}

# --- Notifications (issue 12): outbox, channels, reminders, quiet hours, languages ---------


def _env_pairs(name: str, default: str = "") -> dict[str, str]:
    """`a=1,b c=2` -> {"a": "1", "b c": "2"} (empty: {})."""
    pairs = (
        item.split("=", 1) for item in env.str(name, default=default).split(",") if "=" in item
    )
    return {key.strip(): value.strip() for key, value in pairs}


# Offsets of the appointment reminders before the start, label -> minutes (label in the key).
NOTIFICATION_REMINDER_OFFSETS = {
    label: int(minutes)
    for label, minutes in _env_pairs("NOTIFICATION_REMINDER_OFFSETS", "24h=1440,2h=120").items()
}
# Clinic-local quiet hours ("HH:MM-HH:MM", may wrap midnight; empty: none).
NOTIFICATION_QUIET_HOURS = env.str("NOTIFICATION_QUIET_HOURS", default="21:00-08:00")
NOTIFICATION_CONSENT_NOTICE_HOURS = env.int("NOTIFICATION_CONSENT_NOTICE_HOURS", default=24)
NOTIFICATION_MAX_ATTEMPTS = env.int("NOTIFICATION_MAX_ATTEMPTS", default=5)
NOTIFICATION_RETRY_BASE_SECONDS = env.int("NOTIFICATION_RETRY_BASE_SECONDS", default=60)
# Rows one sweep transaction claims, sends and records (a crash repeats at most one batch).
NOTIFICATION_SWEEP_BATCH_SIZE = env.int("NOTIFICATION_SWEEP_BATCH_SIZE", default=50)
NOTIFICATION_HTTP_TIMEOUT_SECONDS = env.float("NOTIFICATION_HTTP_TIMEOUT_SECONDS", default=5.0)
NOTIFICATION_DEFAULT_LANGUAGE = env.str("NOTIFICATION_DEFAULT_LANGUAGE", default="en")
# A clinic's state (lower case) -> the language of recipients without a preference there.
NOTIFICATION_REGION_LANGUAGES = {
    key.strip().lower(): value for key, value in _env_pairs("NOTIFICATION_REGION_LANGUAGES").items()
}
WHATSAPP_BACKEND = env.str(
    "WHATSAPP_BACKEND", default="notifications.channels.whatsapp.FileWhatsAppBackend"
)
WHATSAPP_FILE_PATH = env.str("WHATSAPP_FILE_PATH", default=str(BASE_DIR / "var" / "whatsapp.jsonl"))
WHATSAPP_API_VERSION = env.str("WHATSAPP_API_VERSION", default="v21.0")
WHATSAPP_PHONE_NUMBER_ID = env.str("WHATSAPP_PHONE_NUMBER_ID", default="")
WHATSAPP_ACCESS_TOKEN = env.str("WHATSAPP_ACCESS_TOKEN", default="")
WHATSAPP_APP_SECRET = env.str("WHATSAPP_APP_SECRET", default="")
# Meta's webhook verification handshake (GET ...?hub.verify_token=): the token typed into the
# app dashboard; empty refuses every handshake.
WHATSAPP_VERIFY_TOKEN = env.str("WHATSAPP_VERIFY_TOKEN", default="")
# kind -> approved template name (default: quickcare_<kind>).
WHATSAPP_TEMPLATE_NAMES = _env_pairs("WHATSAPP_TEMPLATE_NAMES")
PUSH_BACKEND = env.str("PUSH_BACKEND", default="notifications.channels.push.FilePushBackend")
PUSH_FILE_PATH = env.str("PUSH_FILE_PATH", default=str(BASE_DIR / "var" / "push.jsonl"))
FCM_PROJECT_ID = env.str("FCM_PROJECT_ID", default="")
# FCM HTTP v1 credentials: the service-account JSON key (a file path, or the JSON inline);
# access tokens are minted from it and cached. FCM_ACCESS_TOKEN, if set, is used as is.
# FCM_PROJECT_ID empty: the service account's project_id.
FCM_SERVICE_ACCOUNT_FILE = env.str("FCM_SERVICE_ACCOUNT_FILE", default="")
FCM_SERVICE_ACCOUNT_JSON = env.str("FCM_SERVICE_ACCOUNT_JSON", default="")
FCM_ACCESS_TOKEN = env.str("FCM_ACCESS_TOKEN", default="")
# Delivery callbacks: MSG91 sends this secret in X-QuickCare-Webhook-Secret; Twilio signs with
# TWILIO_AUTH_TOKEN over TWILIO_WEBHOOK_URL (the URL configured at Twilio; default: the
# request's own URL); WhatsApp signs the body with WHATSAPP_APP_SECRET.
MSG91_WEBHOOK_SECRET = env.str("MSG91_WEBHOOK_SECRET", default="")
TWILIO_WEBHOOK_URL = env.str("TWILIO_WEBHOOK_URL", default="")

# --- Production hardening (all from the environment; on by default outside DEBUG) ------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# --- Production path (issue 11): logs, error reporting, CORS ---------------------------------
# Rotating SECRET_KEY: the old one listed here keeps signed document links and sessions valid
# until they expire (docs/OPERATIONS.md).
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
# Load balancers probe the app itself over plain HTTP: health answers without the redirect.
SECURE_REDIRECT_EXEMPT = [r"^health/"]

# One format (core.logs): JSON lines outside DEBUG, readable lines in development.
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "core.logs.RequestContextFilter"}},
    "formatters": {
        "json": {"()": "core.logs.JsonFormatter"},
        "text": {"()": "core.logs.TextFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
            "filters": ["request_context"],
            "stream": "ext://sys.stdout",
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # core.logs writes the request line; runserver's own one carries the query string.
        "django.server": {"level": "ERROR"},
    },
}

# Sentry only with a DSN; no personal data, sensitive request bodies stripped (core.sentry).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env.str("SENTRY_ENVIRONMENT", default="production")
SENTRY_TRACES_SAMPLE_RATE = env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0)
if SENTRY_DSN:
    from core.sentry import init_sentry

    init_sentry(
        dsn=SENTRY_DSN,
        environment=SENTRY_ENVIRONMENT,
        traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE,
    )

# Browsers on other origins (a web client) may call /api/ only, and read the paging,
# throttling and request-id headers.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_EXPOSE_HEADERS = ["Link", "X-Total-Count", "Retry-After", "X-Request-ID"]
CORS_ALLOW_HEADERS = [
    "accept",
    "authorization",
    "content-type",
    "user-agent",
    "x-requested-with",
    "x-request-id",
]
CORS_PREFLIGHT_MAX_AGE = env.int("CORS_PREFLIGHT_MAX_AGE", default=86400)

# --- Trust layer (issue 15): audit chain, break-glass, consent artefacts, DPDP rights ---------
# base64 of a 32-byte Ed25519 private seed: signs chain checkpoints and consent artefacts.
# Required outside DEBUG (`check --deploy`); under DEBUG it is derived from SECRET_KEY.
AUDIT_SIGNING_KEY = env.str("AUDIT_SIGNING_KEY", default="")
# How long medical records are kept before an erasure request is carried out: three years,
# the Indian Medical Council (Professional Conduct, Etiquette and Ethics) Regulations 2002,
# reg. 1.3.1 (see privacy/services.py).
MEDICAL_RECORDS_RETENTION_DAYS = env.int("MEDICAL_RECORDS_RETENTION_DAYS", default=1096)
# Break-glass: how long an emergency access lasts, and the review rule (a doctor with an
# opening in the last N days unreviewed or unjustified cannot open another).
EMERGENCY_ACCESS_HOURS = env.float("EMERGENCY_ACCESS_HOURS", default=2.0)
EMERGENCY_ACCESS_REVIEW_DAYS = env.int("EMERGENCY_ACCESS_REVIEW_DAYS", default=30)
EMERGENCY_ACCESS_BLOCK_UNREVIEWED = env.bool("EMERGENCY_ACCESS_BLOCK_UNREVIEWED", default=True)
