"""DPDP rights of a patient: export everything held about me; ask for erasure."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.permissions import CanActAsPatient
from core.schema import error_responses
from documents.access import access_context
from privacy import services
from privacy.export import export_for
from privacy.serializers import ErasureRequestOutputSerializer


class MyExportView(APIView):
    permission_classes = [CanActAsPatient]

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT, **error_responses(401, 403)},
        description="Everything QuickCare holds about me as JSON, with the FHIR bundle under "
        "`fhir`; the export is recorded on my audit chain.",
    )
    def get(self, request: Request) -> Response:
        body = export_for(request=request, user=request.user)
        services.export_logged(user=request.user, ctx=access_context(request))
        return Response(body)


class MyErasureRequestView(APIView):
    permission_classes = [CanActAsPatient]

    @extend_schema(
        request=None,
        responses={202: ErasureRequestOutputSerializer, **error_responses(401, 403, 409)},
        description="Closes my account at once; my personal data is erased when the "
        "medical-records retention period (`erase_after`) has run.",
    )
    def post(self, request: Request) -> Response:
        erasure = services.erasure_request(user=request.user, ctx=access_context(request))
        return Response(
            ErasureRequestOutputSerializer(erasure).data, status=status.HTTP_202_ACCEPTED
        )
