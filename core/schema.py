"""The OpenAPI schema's shared mechanics: field formats, error bodies, headers, implied codes.

`QuickCareAutoSchema` (the project's `DEFAULT_SCHEMA_CLASS`) documents what every view does
by construction, so a view added later is described truthfully without its own annotations:
4xx answers its authentication, permissions, path ids, body and throttles can give, the
`Link`/`X-Total-Count` headers of a paginated list, `Retry-After` on 429, `Location` on 201
(a header a response need not carry is declared optional). A 400 is either
`{message, code}` (a broken rule) or DRF's `{field: [messages]}` map.
"""

import re
from collections.abc import Callable
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from drf_spectacular.extensions import OpenApiSerializerExtension, OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
)
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.settings import api_settings

from core.error_codes import ERROR_CODE_CHOICES

# `format: time` means RFC 3339 `full-time` (seconds and an offset); the API speaks HH:MM.
HHMM_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d$"
# DRF's default (ISO 8601) time output: `09:30:00`, with microseconds when there are any.
ISO_TIME_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?$"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})


class ContactFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "core.fields.ContactField"

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        schema: dict[str, Any] = build_basic_type(OpenApiTypes.INT) or {}
        schema["example"] = 9876543210
        schema["description"] = "10-digit Indian mobile number (a numeric string or +91 form "
        schema["description"] += "is accepted on input)."
        return schema


class TimeFieldExtension(OpenApiSerializerFieldExtension):
    """Every TimeField as a string with the pattern of what it really reads or writes."""

    target_class = "rest_framework.fields.TimeField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        field = self.target
        if direction == "request":
            formats = getattr(field, "input_formats", None) or api_settings.TIME_INPUT_FORMATS
            accepts_hhmm = "%H:%M" in formats or "iso-8601" in formats
            pattern = HHMM_PATTERN if accepts_hhmm else None
            example = "09:30"
        else:
            output = getattr(field, "format", None) or api_settings.TIME_FORMAT
            pattern = {"%H:%M": HHMM_PATTERN, "iso-8601": ISO_TIME_PATTERN}.get(output)
            example = "09:30" if output == "%H:%M" else "09:30:00"
        schema: dict[str, Any] = {"type": "string", "example": example}
        if pattern is not None:
            schema["pattern"] = pattern
        return schema


class DecimalFieldExtension(OpenApiSerializerFieldExtension):
    """A decimal is read as a JSON number (what clients send: `"weight_kg": 70.5`; a numeric
    string is accepted too) and written as DRF renders it (a string, e.g. `"70.50"`)."""

    target_class = "rest_framework.fields.DecimalField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> Any:
        if direction == "request":
            return {"type": "number", "format": "double"}
        return auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)


class FieldErrorsOutputSerializer(serializers.Serializer):
    """Placeholder for DRF's field-error map; its schema comes from the extension below."""


class FieldErrorsExtension(OpenApiSerializerExtension):
    target_class = FieldErrorsOutputSerializer

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        messages = {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "object"}]}}
        return {
            "type": "object",
            "description": "`{field: [messages]}`; a nested serializer's errors nest as objects.",
            "additionalProperties": {"anyOf": [messages, {"type": "object"}]},
            "example": {"appointment_date": ["This field is required."]},
        }


class ErrorOutputSerializer(serializers.Serializer):
    """`{message, code}`, plus a few rule-specific keys (`retry_after`, `next_available_slots`)."""

    message = serializers.CharField()
    # The enum a client switches on: every code the API sends (component `ErrorCodeEnum`).
    code = serializers.ChoiceField(choices=ERROR_CODE_CHOICES)


BAD_REQUEST_SERIALIZER = PolymorphicProxySerializer(
    component_name="BadRequestOutput",
    serializers=[ErrorOutputSerializer, FieldErrorsOutputSerializer],
    resource_type_field_name=None,
)

_ERROR_TEXT = {
    400: "Validation error: `{field: [messages]}`, or `{message, code}` for a broken rule.",
    401: "Missing, invalid or expired token.",
    403: "Authenticated but not allowed (wrong role, or onboarding incomplete).",
    404: "Not found, or not visible to you.",
    409: "Conflict with the current state.",
    413: "The request body is over the size limit.",
    429: "Too many requests; see the Retry-After header.",
}


def error_response(code: int) -> OpenApiResponse:
    serializer: Any = BAD_REQUEST_SERIALIZER if code == 400 else ErrorOutputSerializer
    return OpenApiResponse(response=serializer, description=_ERROR_TEXT.get(code, ""))


def error_responses(*codes: int) -> dict[int, Any]:
    """`@extend_schema(responses={200: X, **error_responses(400, 401)})`."""
    return {code: error_response(code) for code in codes}


PAGE_HEADERS = [
    OpenApiParameter(
        "X-Total-Count",
        OpenApiTypes.INT,
        OpenApiParameter.HEADER,
        required=True,
        response=[200],
        description="Number of items in the whole list (every page).",
    ),
    OpenApiParameter(
        "Link",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=[200],
        description='RFC 8288 links to the neighbouring pages: `<url>; rel="next"`, '
        '`<url>; rel="prev"`; absent on a single page.',
    ),
]
LOCATION = OpenApiParameter(
    "Location",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[201],
    description="The URL of the created resource.",
)
RETRY_AFTER = OpenApiParameter(
    "Retry-After",
    OpenApiTypes.INT,
    OpenApiParameter.HEADER,
    required=True,
    response=[429],
    description="Seconds to wait before trying again.",
)


class LiveExample(OpenApiExample):
    """An example computed each time the schema is generated, e.g. a booking for tomorrow
    (a fixed date would turn into a "past_date" refusal of Swagger's "Try it out")."""

    def __init__(self, name: str, *, build: Callable[[], Any], **kwargs: Any) -> None:
        self._build = build
        super().__init__(name, **kwargs)

    @property
    def value(self) -> Any:
        return self._build()

    @value.setter
    def value(self, _: Any) -> None:
        """OpenApiExample.__init__ assigns a value; the builder is the value here."""


class QuickCareAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema plus what the project's views imply (see module doc)."""

    def _map_serializer_field(
        self, field: Any, direction: Any, bypass_extensions: bool = False
    ) -> Any:
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        # drf-spectacular's enum hook turns an enum with "" into `oneOf: [XEnum, BlankEnum]`.
        enum = schema.get("enum") if isinstance(schema, dict) else None
        if isinstance(enum, list) and "" not in enum and _shows_blank_column(field):
            enum.append("")
        return schema

    def _insert_field_validators(self, field: Any, schema: dict[str, Any]) -> None:
        super()._insert_field_validators(field, schema)
        # As drf-spectacular does for `allow_blank` (an email that may be "").
        if schema.get("type") == "string" and "format" in schema and _shows_blank_column(field):
            outer = {"readOnly", "writeOnly", "nullable", "deprecated", "description", "title"}
            inner = {key: schema.pop(key) for key in list(schema) if key not in outer}
            schema["oneOf"] = [inner, {"type": "string", "maxLength": 0}]

    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        if self._is_paginated_list():
            parameters += PAGE_HEADERS
        if self._throttled() or self._declares(429):
            parameters.append(RETRY_AFTER)
        if self.method == "POST":
            parameters.append(LOCATION)
        return parameters

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for code in self._implied_error_codes():
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(
                    error_response(code), str(code), direction=direction
                )
        return dict(sorted(responses.items()))

    def _implied_error_codes(self) -> list[int]:
        codes = []
        has_body = self.method in WRITE_METHODS
        # A view reading its own query parameters declares its 400 (a bad signed-link token,
        # say, is a 403); filters and bodies are validated by DRF and answer 400.
        if has_body or self._get_filter_parameters():
            codes.append(400)
        if self.view.get_authenticators():
            codes.append(401)
        if any(not isinstance(p, AllowAny) for p in self.view.get_permissions()):
            codes.append(403)
        if "{" in self.path or self._is_paginated_list():  # an unknown id, or a page too far
            codes.append(404)
        if has_body:
            codes.append(413)
        if self._throttled():
            codes.append(429)
        return codes

    def _is_paginated_list(self) -> bool:
        return self.method == "GET" and self._get_paginator() is not None and self._is_list_view()

    def _throttled(self) -> bool:
        return bool(self.view.get_throttles())

    def _declares(self, code: int) -> bool:
        responses = self.get_response_serializers()
        return isinstance(responses, dict) and any(str(key) == str(code) for key in responses)


def _shows_blank_column(field: Any) -> bool:
    """A read-only field showing a model column that may hold "" (DRF drops `allow_blank` from
    read-only fields, yet a patient's unset email, gender or blood group is stored as "")."""
    if not getattr(field, "read_only", False) or getattr(field, "allow_blank", False):
        return False
    model_field = _model_field(field)
    return isinstance(model_field, models.CharField | models.TextField) and model_field.blank


def _model_field(field: Any) -> models.Field[Any, Any] | None:
    model = getattr(getattr(getattr(field, "parent", None), "Meta", None), "model", None)
    path = getattr(field, "source_attrs", None)
    if model is None or not path:
        return None
    try:
        for name in path[:-1]:
            model = model._meta.get_field(name).related_model
            if model is None:
                return None
        found = model._meta.get_field(path[-1])
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, models.Field) else None


def _literal_dollar_routes(patterns: Any, prefix: str = "") -> list[str]:
    """Every URL route (with its include prefixes) that holds a literal `$`."""
    from django.urls import URLPattern, URLResolver

    found = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += _literal_dollar_routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and "$" in str(pattern.pattern):
            found.append(route)
    return found


def restore_dollar_paths(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """Postprocessing hook. DRF reads a path from its pattern and strips `$` as a regex end
    anchor, so FHIR's `GET /api/fhir/Patient/$everything` was published as
    `/api/fhir/Patient/everything` (a 404 for a client that follows the schema; found by
    `make fuzz`). Routes with a literal `$` get their published path back, in place."""
    from django.urls import get_resolver

    renamed = {}
    for route in _literal_dollar_routes(get_resolver().url_patterns):
        published = "/" + route.replace("$", "")
        renamed[re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", published)] = "/" + re.sub(
            r"<(?:\w+:)?(\w+)>", r"{\1}", route
        )
    result["paths"] = {renamed.get(path, path): item for path, item in result["paths"].items()}
    return result
