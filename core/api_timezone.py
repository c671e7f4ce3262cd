"""The API renders and parses datetimes in UTC whatever TIME_ZONE says.

TIME_ZONE is what people read in the admin (the clinics' zone, Asia/Kolkata by default). The
API is read by programs: its datetimes have always been UTC (`...Z`) and a naive datetime sent
to it has always meant UTC, so a deployment's TIME_ZONE must not change the wire format.
Clinic-local times travel separately (an appointment's `starts_at` carries its clinic's offset).
"""

import datetime as dt
from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone

API_PREFIX = "/api/"


class ApiUtcMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        # DRF renders the response inside get_response, so the override covers the body.
        with timezone.override(dt.UTC):
            return self.get_response(request)
