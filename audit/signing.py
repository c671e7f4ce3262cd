"""The server's Ed25519 key: signs chain checkpoints and consent artefacts (JWS, EdDSA).

`AUDIT_SIGNING_KEY` is the base64 of the 32-byte private seed. Under DEBUG an unset key is
derived from SECRET_KEY so development needs no setup; anywhere else it is required (and
`check --deploy` reports it missing). `key_id` names the key in every signature so a rotated
key can still be told apart.
"""

import base64
import hashlib
from functools import cache
from typing import Any

import jwt
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _seed() -> bytes:
    configured = str(getattr(settings, "AUDIT_SIGNING_KEY", "") or "")
    if configured:
        seed = base64.b64decode(configured)
        if len(seed) != 32:
            raise ImproperlyConfigured("AUDIT_SIGNING_KEY must be the base64 of 32 bytes.")
        return seed
    if settings.DEBUG:
        return hashlib.sha256(f"quickcare-audit-key:{settings.SECRET_KEY}".encode()).digest()
    raise ImproperlyConfigured("AUDIT_SIGNING_KEY is required outside DEBUG.")


@cache
def _private_key(seed: bytes) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(seed)


def private_key() -> Ed25519PrivateKey:
    return _private_key(_seed())


def public_key() -> Ed25519PublicKey:
    return private_key().public_key()


def public_key_b64() -> str:
    raw = public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def key_id() -> str:
    return hashlib.sha256(public_key_b64().encode("ascii")).hexdigest()[:16]


def sign(message: bytes) -> str:
    return base64.b64encode(private_key().sign(message)).decode("ascii")


def signature_valid(message: bytes, signature: str) -> bool:
    try:
        public_key().verify(base64.b64decode(signature), message)
    except (InvalidSignature, ValueError):
        return False
    return True


def jws(payload: dict[str, Any]) -> str:
    """A compact JWS (EdDSA over Ed25519) of the payload, with `kid` in its header."""
    return jwt.encode(payload, private_key(), algorithm="EdDSA", headers={"kid": key_id()})


def jws_payload(token: str) -> dict[str, Any]:
    """The payload of a JWS this server signed; raises jwt.InvalidTokenError otherwise."""
    return dict(
        jwt.decode(token, public_key(), algorithms=["EdDSA"], options={"verify_aud": False})
    )
