"""JSON answers for URLs no view handles, so API clients never parse an HTML page."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.views import defaults

from core.error_codes import ErrorCode


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def not_found_response() -> JsonResponse:
    return JsonResponse({"message": "Not found.", "code": ErrorCode.NOT_FOUND}, status=404)


def bad_request_response() -> JsonResponse:
    return JsonResponse({"message": "Bad request.", "code": ErrorCode.BAD_REQUEST}, status=400)


def payload_too_large_response() -> JsonResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    size = filesizeformat(limit).replace("\N{NO-BREAK SPACE}", " ")
    body = {
        "message": f"The request body is too large: the limit is {size} ({limit} bytes).",
        "code": ErrorCode.PAYLOAD_TOO_LARGE,
        "limit_bytes": limit,
    }
    return JsonResponse(body, status=413)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 400 (SuspiciousOperation: a bad Host, a body over the limit, ...)."""
    if not _is_api(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        return payload_too_large_response()
    return bad_request_response()


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return not_found_response()
    return defaults.page_not_found(request, exception or Exception())


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        body = {"message": "Something went wrong on our side.", "code": ErrorCode.SERVER_ERROR}
        return JsonResponse(body, status=500)
    return defaults.server_error(request)
