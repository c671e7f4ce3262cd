"""`python -m quickcare.preflight`: refuses a production start that would be unsafe or broken.

Run by `make serve` (before migrate) and by `gunicorn.conf.py`. It reads the settings the way
`quickcare/settings.py` does (the environment first, then `ENV_FILE`) without importing Django,
so a missing SECRET_KEY or AUDIT_SIGNING_KEY gets one clear line and exit status 2, not a
traceback.
"""

import base64
import binascii
import os
import sys
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
EXIT_REFUSED = 2


def problems() -> list[str]:
    env = environ.Env()
    environ.Env.read_env(env.str("ENV_FILE", default=str(BASE_DIR / ".env")))
    found = []
    if env.bool("DEBUG", default=False):
        found.append("DEBUG is on: production runs with DEBUG=False.")
    secret = os.environ.get("SECRET_KEY", "")
    if not secret:
        found.append(
            "SECRET_KEY is not set: set it to a long random string "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    elif len(secret) < 50 or len(set(secret)) < 5 or secret.startswith("django-insecure"):
        found.append("SECRET_KEY is too weak: use at least 50 random characters.")
    if not [host for host in env.list("ALLOWED_HOSTS", default=[]) if host.strip()]:
        found.append(
            "ALLOWED_HOSTS is not set: list the host names the server answers "
            "(comma-separated, e.g. api.example-clinic.in)."
        )
    found += _audit_key_problems(env.str("AUDIT_SIGNING_KEY", default=""))
    found += _cache_problems(env.str("CACHE_URL", default=""))
    return found


# Caches every worker and server shares. Cached public answers, signed-in users
# (users/auth_cache.py), lock-outs and throttles are invalidated through the cache: with a
# per-process one (locmem, the development default), a write in one worker would leave the
# others serving their stale copy until it expires.
SHARED_CACHE_SCHEMES = frozenset({"redis", "rediss", "memcache", "pymemcache", "pylibmc"})


def _cache_problems(url: str) -> list[str]:
    scheme = url.partition("://")[0].lower() if "://" in url else ""
    if scheme in SHARED_CACHE_SCHEMES:
        return []
    shown = f"'{url}'" if url else "not set"
    return [
        f"CACHE_URL is {shown}: production needs a cache every worker shares "
        "(redis://host:6379/1), since cached answers and signed-in users are invalidated "
        "through it."
    ]


def _audit_key_problems(key: str) -> list[str]:
    """The Ed25519 seed that signs audit checkpoints and consent artefacts (audit.signing)."""
    hint = "(python -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')"
    if not key:
        return [f"AUDIT_SIGNING_KEY is not set: set it to the base64 of 32 random bytes {hint}."]
    try:
        seed = base64.b64decode(key, validate=True)
    except (binascii.Error, ValueError):
        seed = b""
    if len(seed) != 32:
        return [f"AUDIT_SIGNING_KEY is not the base64 of 32 bytes {hint}."]
    return []


def main() -> int:
    found = problems()
    for problem in found:
        sys.stderr.write(f"QuickCare refuses to start: {problem}\n")
    return EXIT_REFUSED if found else 0


if __name__ == "__main__":
    sys.exit(main())
