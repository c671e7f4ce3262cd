"""FHIR endpoints: the CapabilityStatement, Patient/$everything, DocumentReference search.

Answers are `application/fhir+json` (or `application/json` when that is what was asked)."""

import uuid
from typing import Any, cast

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.error_codes import ErrorCode
from core.exceptions import QuickCareError
from core.permissions import ActingAsPatient, CanActAsPatient, IsDoctor
from core.schema import error_responses
from fhir_api import export
from fhir_api.resources import capability_statement


class FHIRJSONRenderer(JSONRenderer):
    media_type = "application/fhir+json"
    format = "fhir"


class _NoFormatOverride:
    URL_FORMAT_OVERRIDE = None


class FHIRContentNegotiation(DefaultContentNegotiation):
    """By the Accept header only. DRF's `?format=` override answers a value it has no renderer
    for with 404 (found by the schema fuzzer); FHIR clients negotiate with Accept."""

    settings = cast(Any, _NoFormatOverride())  # the one setting select_renderer reads


class _FHIRView(APIView):
    renderer_classes = [FHIRJSONRenderer, JSONRenderer]
    content_negotiation_class = FHIRContentNegotiation


class MetadataView(_FHIRView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, description="The CapabilityStatement.")
    def get(self, request: Request) -> Response:
        return Response(capability_statement(base_url=export.base_url(request)))


class PatientEverythingView(_FHIRView):
    permission_classes = [CanActAsPatient]

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT, **error_responses(401, 403)},
        description="A searchset Bundle of everything held about me: Patient, Practitioner, "
        "PractitionerRole, Organization, Appointment, DocumentReference (size, SHA-1, a signed "
        "link), Consent, AuditEvent.",
    )
    def get(self, request: Request) -> Response:
        return Response(export.patient_everything(request=request, patient=request.user))


class DocumentReferenceSearchView(_FHIRView):
    permission_classes = [ActingAsPatient | IsDoctor]

    @extend_schema(
        parameters=[OpenApiParameter("patient", str, required=True, description="Patient id.")],
        responses={200: OpenApiTypes.OBJECT, **error_responses(400, 401, 403)},
        description="The patient's DocumentReferences you may see: a doctor's those with an "
        "active consent (or an open emergency access); a patient only their own.",
    )
    def get(self, request: Request) -> Response:
        raw = str(request.query_params.get("patient", "")).removeprefix("Patient/")
        try:
            patient_id = uuid.UUID(raw)
        except ValueError as exc:
            raise QuickCareError("`patient` must be a patient id.", code=ErrorCode.INVALID) from exc
        return Response(
            export.document_references(request=request, user=request.user, patient_id=patient_id)
        )
