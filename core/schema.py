"""drf-spectacular extensions for core's custom pieces."""

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes


class ContactFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "core.fields.ContactField"

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        schema: dict[str, Any] = build_basic_type(OpenApiTypes.INT) or {}
        schema["example"] = 9876543210
        schema["description"] = "10-digit Indian mobile number (a numeric string or +91 form "
        schema["description"] += "is accepted on input)."
        return schema


def _error_serializer() -> Any:
    from rest_framework import serializers

    class ErrorOutputSerializer(serializers.Serializer):
        message = serializers.CharField()
        code = serializers.CharField()

    return ErrorOutputSerializer


_ERROR_TEXT = {
    400: "Validation error: `{field: [messages]}`, or `{message, code}` for a broken rule.",
    401: "Missing, invalid or expired token.",
    403: "Authenticated but not allowed (wrong role, or onboarding incomplete).",
    404: "Not found, or not visible to you.",
    409: "Conflict with the current state.",
    429: "Too many requests; see the Retry-After header.",
}
_error_cache: dict[str, Any] = {}


def error_responses(*codes: int) -> dict[int, Any]:
    """`@extend_schema(responses={200: X, **error_responses(400, 401)})`."""
    from drf_spectacular.utils import OpenApiResponse

    if "serializer" not in _error_cache:
        _error_cache["serializer"] = _error_serializer()
    serializer = _error_cache["serializer"]
    return {
        code: OpenApiResponse(response=serializer, description=_ERROR_TEXT.get(code, ""))
        for code in codes
    }
