"""A patient's own chain, and its verification."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from audit import selectors, signing
from audit.serializers import AuditEventOutputSerializer, ChainReportOutputSerializer
from audit.verify import verify_chain
from core.permissions import CanActAsPatient
from core.schema import error_responses


class MyChainView(generics.ListAPIView):
    """Every event recorded on my chain, newest first (bare array, paginated)."""

    permission_classes = [CanActAsPatient]
    serializer_class = AuditEventOutputSerializer

    def get_queryset(self) -> Any:
        return selectors.chain_for(user=self.request.user)


class MyChainVerifyView(APIView):
    permission_classes = [CanActAsPatient]

    @extend_schema(
        responses={200: ChainReportOutputSerializer, **error_responses(401, 403)},
        description="Recompute every link of my chain and check the signed daily checkpoints: "
        "`first_broken` is the seq of the first event that is not what the chain claims.",
    )
    def get(self, request: Request) -> Response:
        report = verify_chain(request.user.patient_chain_id())  # type: ignore[union-attr]
        return Response({**report.as_dict(), "public_key": signing.public_key_b64()})
