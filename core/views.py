"""JSON answers for URLs no view handles, so API clients never parse an HTML page."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"message": "Not found.", "code": "not_found"}, status=404)
    return defaults.page_not_found(request, exception or Exception())


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        body = {"message": "Something went wrong on our side.", "code": "server_error"}
        return JsonResponse(body, status=500)
    return defaults.server_error(request)
