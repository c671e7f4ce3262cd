"""Canonical JSON and the link hash of the chain.

Canonicalisation is RFC 8785 (JSON Canonicalization Scheme): sorted keys, no whitespace,
UTF-8, one number form, so anyone holding a body can recompute its hash with any JCS
implementation. Bodies carry only strings, integers, booleans and null.

For those bodies JCS is exactly what the standard library's C encoder writes with sorted keys,
no spaces and no ASCII escaping (the same escapes: `"`, `\\`, `\\b \\f \\n \\r \\t` and
`\\u00xx` in lower case for the other control characters; every other character as itself),
provided the keys are ASCII (then UTF-16 order is code point order) and the integers are
within JSON's safe range. `canonical` takes that path when the body qualifies and the
`rfc8785` package otherwise (floats, non-ASCII keys; and it raises what JCS refuses:
integers out of range, lone surrogates, other types). Why: the package is pure Python; a
documents list hashes 20 event bodies per page: 0.39 ms through the package, 0.17 ms here
(timeit, a typical access event, on this 2-core machine). `audit/tests/test_canonical.py`
holds the two equal on generated bodies.
"""

import hashlib
import json
from typing import Any

import rfc8785

_SAFE_INT = 2**53 - 1  # rfc8785's integer domain (JSON's exact integers)


def _plain(value: Any) -> bool:
    """Only what the fast path writes exactly as JCS does."""
    if value is None or isinstance(value, (str, bool)):
        return True
    if isinstance(value, int):
        return -_SAFE_INT <= value <= _SAFE_INT
    if isinstance(value, dict):
        return all(
            isinstance(key, str) and key.isascii() and _plain(item) for key, item in value.items()
        )
    if isinstance(value, (list, tuple)):
        return all(_plain(item) for item in value)
    return False


def canonical(payload: dict[str, Any]) -> str:
    if _plain(payload):
        text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        try:
            text.encode("utf-8")  # a lone surrogate: JCS refuses it (the package raises)
        except UnicodeEncodeError:
            pass
        else:
            return text
    return rfc8785.dumps(payload).decode("utf-8")


def link_hash(prev_hash: str, body: str) -> str:
    """sha256(prev_hash ‖ body), hex: prev_hash as its 64 hex characters, body as UTF-8."""
    return hashlib.sha256(prev_hash.encode("ascii") + body.encode("utf-8")).hexdigest()
