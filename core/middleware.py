"""/api/ answers JSON even where Django would answer first with an HTML page."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from rest_framework.response import Response

from core.views import bad_request_response, not_found_response, payload_too_large_response

# Django's own HTML answers (DEBUG's technical pages included) and their JSON replacements.
# A 500 keeps DEBUG's traceback page: it is a bug to fix, not an answer a client handles.
JSON_FOR_HTML = {400: bad_request_response, 404: not_found_response}


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class ApiJsonErrorsMiddleware:
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE gets 413 before anything reads it (Django would
    raise RequestDataTooBig wherever the body is first read: an HTML 400, or DEBUG's error
    page), and an HTML 400 or 404 (DEBUG's technical pages: a bad Host, an unknown URL)
    becomes JSON.

    It sits above CommonMiddleware, so it sees that one's bad-Host 400 and APPEND_SLASH still
    redirects a path missing its slash.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and _declared_length(request) > limit:
            return payload_too_large_response()
        response = self.get_response(request)
        replacement = JSON_FOR_HTML.get(response.status_code)
        if (
            replacement
            and response.get("Content-Type", "").startswith("text/html")
            and not isinstance(response, Response)  # DRF's browsable API (DEBUG) is kept
        ):
            return replacement()
        return response
