"""/api/ answers JSON even where Django would answer first with an HTML page."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from core.views import not_found_response, payload_too_large_response


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class ApiJsonErrorsMiddleware:
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE gets 413 before anything reads it (Django would
    raise RequestDataTooBig wherever the body is first read: an HTML 400, or DEBUG's error
    page), and an HTML 404 (DEBUG's technical page for an unknown URL) becomes JSON.

    It sits below CommonMiddleware, so APPEND_SLASH still redirects a path missing its slash.
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
        if response.status_code == 404 and response.get("Content-Type", "").startswith("text/html"):
            return not_found_response()
        return response
