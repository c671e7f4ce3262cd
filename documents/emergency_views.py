"""Thin views of break-glass: the doctor opens; the clinic owner lists and reviews."""

import uuid
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.permissions import IsClinicOwner, IsDoctor
from core.responses import created
from core.schema import error_responses
from documents import emergency
from documents.access import access_context
from documents.emergency_serializers import (
    EmergencyAccessInputSerializer,
    EmergencyAccessOutputSerializer,
    EmergencyReviewInputSerializer,
)
from documents.models import EmergencyAccess


class EmergencyAccessOpenView(APIView):
    permission_classes = [IsDoctor]

    @extend_schema(
        request=EmergencyAccessInputSerializer,
        responses={
            201: EmergencyAccessOutputSerializer,
            **error_responses(400, 401, 403, 404, 409),
        },
        description="Break-glass: open the patient's documents without consent for "
        "`EMERGENCY_ACCESS_HOURS` (default 2). The patient is told at once; every access in "
        "the window is marked `emergency` on their audit chain; your clinic's owner reviews "
        "it. 409 `emergency_access_review_pending` while an opening of yours from the last "
        "30 days is unreviewed or unjustified.",
    )
    def post(self, request: Request) -> Response:
        data = EmergencyAccessInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        access = emergency.emergency_access_open(
            user=request.user,
            ctx=access_context(request),
            reason_code=data.validated_data["reason_code"],
            reason=data.validated_data["reason"],
            patient_id=data.validated_data.get("patient"),
            patient_contact=data.validated_data.get("patient_contact"),
        )
        body = EmergencyAccessOutputSerializer(access).data
        return created(request, body, "documents:emergency-access-detail", access_id=access.pk)


class EmergencyAccessDetailView(APIView):
    """One of my (a doctor's) emergency openings, with its review."""

    permission_classes = [IsDoctor]

    @extend_schema(
        responses={200: EmergencyAccessOutputSerializer, **error_responses(401, 403, 404)}
    )
    def get(self, request: Request, access_id: uuid.UUID) -> Response:
        access = emergency.emergency_access_of_doctor(user=request.user, access_id=access_id)
        return Response(EmergencyAccessOutputSerializer(access).data)


class ClinicEmergencyAccessListView(generics.ListAPIView):
    """Emergency openings by this clinic's doctors, newest first (the owner only)."""

    permission_classes = [IsClinicOwner]
    serializer_class = EmergencyAccessOutputSerializer

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return EmergencyAccess.objects.none()
        return emergency.emergency_accesses_for_owner(
            user=self.request.user, clinic_id=self.kwargs["clinic_id"]
        )


class ClinicEmergencyAccessReviewView(APIView):
    permission_classes = [IsClinicOwner]

    @extend_schema(
        request=EmergencyReviewInputSerializer,
        responses={200: EmergencyAccessOutputSerializer, **error_responses(400, 401, 403, 404)},
        description="Mark one emergency opening justified or not.",
    )
    def patch(self, request: Request, clinic_id: uuid.UUID, access_id: uuid.UUID) -> Response:
        data = EmergencyReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        access = emergency.emergency_access_review(
            user=request.user,
            clinic_id=clinic_id,
            access_id=access_id,
            justified=data.validated_data["justified"],
            note=data.validated_data.get("note", ""),
        )
        return Response(EmergencyAccessOutputSerializer(access).data)
