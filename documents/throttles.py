"""Per-doctor rate limit on consent requests, so no doctor can flood patients with asks.

Keyed by the doctor's user id (not the client address: a doctor's phone changes networks, and
a clinic's doctors share one); counters live in the cache, shared by every app server.
"""

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle


class ConsentRequestThrottle(SimpleRateThrottle):
    """Every attempt counts (a 404 or 409 too), so probing ids costs the same as asking."""

    scope = "consent_request"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
