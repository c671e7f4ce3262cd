"""Canonical JSON and the link hash of the chain.

Canonicalisation is RFC 8785 (JSON Canonicalization Scheme) through the `rfc8785` package:
sorted keys, no whitespace, UTF-8, one number form, so anyone holding a body can recompute its
hash with any JCS implementation. Bodies carry only strings, integers, booleans and null.
"""

import hashlib
from typing import Any

import rfc8785


def canonical(payload: dict[str, Any]) -> str:
    return rfc8785.dumps(payload).decode("utf-8")


def link_hash(prev_hash: str, body: str) -> str:
    """sha256(prev_hash ‖ body), hex: prev_hash as its 64 hex characters, body as UTF-8."""
    return hashlib.sha256(prev_hash.encode("ascii") + body.encode("utf-8")).hexdigest()
