"""The API renders and parses datetimes in UTC whatever TIME_ZONE says.

TIME_ZONE is what people read in the admin (the clinics' zone, Asia/Kolkata by default). The
API is read by programs: its datetimes have always been UTC (`...Z`) and a naive datetime sent
to it has always meant UTC, so a deployment's TIME_ZONE must not change the wire format.
Clinic-local times travel separately (an appointment's `starts_at` carries its clinic's offset).
"""

import contextlib
import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager

from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone

API_PREFIX = "/api/"


def api_zone(path_info: str) -> AbstractContextManager[object]:
    """The zone a request's answer is rendered in: UTC under the API, else TIME_ZONE's."""
    if path_info.startswith(API_PREFIX):
        return timezone.override(dt.UTC)
    return contextlib.nullcontext()


class ApiUtcMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        # DRF renders the response inside get_response, so the override covers the body.
        with api_zone(request.path_info):
            return self.get_response(request)
