"""Test overrides: fast hashing, in-memory SMS and cache, private media in a temp folder."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdef")
# A fixed Ed25519 seed (32 bytes of 0x07), for tests only.
os.environ.setdefault("AUDIT_SIGNING_KEY", "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=")

from quickcare.settings import *  # noqa: F403
from quickcare.settings import INSTALLED_APPS, REST_FRAMEWORK, STORAGES

DEBUG = False
# settings.py installs `demo` only under DEBUG; the suite tests its command's guard and data.
if "demo" not in INSTALLED_APPS:
    INSTALLED_APPS = [*INSTALLED_APPS, "demo"]
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
SECURE_SSL_REDIRECT = False
# Argon2 is the production hasher (asserted in a test); the suite uses a fast one.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SMS_BACKEND = "core.sms.LocmemBackend"
MASTER_OTP = ""
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
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
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
