"""Test overrides: fast hashing, in-memory SMS and cache, private media in a temp folder."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdef")
# A fixed Ed25519 seed (32 bytes of 0x07), for tests only.
os.environ.setdefault("AUDIT_SIGNING_KEY", "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=")

from quickcare.settings import *  # noqa: F403
from quickcare.settings import INSTALLED_APPS, REST_FRAMEWORK, STORAGES, env

DEBUG = False
# settings.py installs `demo` only under DEBUG; the suite tests its command's guard and data.
if "demo" not in INSTALLED_APPS:
    INSTALLED_APPS = [*INSTALLED_APPS, "demo"]
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
SECURE_SSL_REDIRECT = False
# Argon2 is the production hasher (asserted in a test); the suite uses a fast one.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SMS_BACKEND = "core.sms.LocmemBackend"
WHATSAPP_BACKEND = "notifications.channels.whatsapp.LocmemWhatsAppBackend"
PUSH_BACKEND = "notifications.channels.push.LocmemPushBackend"
NOTIFICATION_REGION_LANGUAGES = {}  # whatever .env says: English unless a test sets it
MASTER_OTP = ""
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# CI's PostgreSQL run shares the cache the way app servers do: CACHE_URL=redis://host:port/N.
# Each xdist worker gets its own database (N + worker index), since conftest clears the whole
# cache around every test.
_cache_url = os.environ.get("CACHE_URL", "")
if _cache_url.startswith("redis://"):
    _base, _, _db = _cache_url.rstrip("/").rpartition("/")
    _worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    _db_number = (int(_db) if _db.isdigit() else 0) + _worker
    CACHES = {"default": env.cache_url_config(f"{_base}/{_db_number}")}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="quickcare-test-media-"))
if STORAGES["documents"]["BACKEND"] == "django.core.files.storage.FileSystemStorage":
    STORAGES["documents"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    }
    STORAGES["default"] = STORAGES["documents"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_RENDERER_CLASSES": ["core.renderers.FastJSONRenderer"],
}
