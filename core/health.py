"""`/health/` (database, cache, storage) and `/health/live/` (the process answers at all)."""

import asyncio
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from health_check.views import HealthCheckView

CHECKS = [
    "health_check.checks.Database",
    "health_check.checks.Cache",
    "health_check.checks.Storage",
]


class HealthView(HealthCheckView):
    """django-health-check's checks, answered as JSON whatever the `Accept` header says.

    The library picks HTML for browsers and curl's `*/*`, from a template this project does not
    install (a 500), and answers a failing check with 500; load balancers and monitors expect
    503 for "up but a dependency is down". The body is the library's JSON: each check's name
    with "OK" or its error, so a 503 names the failing dependency.
    """

    checks = CHECKS

    async def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with self.get_executor() as executor:
            self.results = await asyncio.gather(
                *(check.get_result(executor) for check in self.get_checks())
            )
        failing = any(result.error for result in self.results)
        response: HttpResponse = self.render_to_response_json(503 if failing else 200)
        return response


def health_live(request: HttpRequest) -> JsonResponse:
    """Liveness: touches no database, cache or storage, so a probe never adds load to them."""
    response = JsonResponse({"status": "ok"})
    response["Cache-Control"] = "no-store"
    return response
