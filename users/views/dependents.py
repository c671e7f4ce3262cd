"""The people an account acts for: its dependents (`/api/users/me/dependents/`), their
transfer to their own number, and turning on one's own patient profile (staff and owners)."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.permissions import Authenticated, CanActAsPatient
from core.responses import created
from core.schema import error_responses
from core.throttles import OTPVerifyContactCeilingThrottle, OTPVerifyContactThrottle
from users.acting import self_profile
from users.models import PatientProfile, Relation
from users.serializers_profiles import (
    DependentInputSerializer,
    PatientProfileOutputSerializer,
    TransferOutputSerializer,
    TransferStartInputSerializer,
    TransferStartOutputSerializer,
    TransferVerifyInputSerializer,
)
from users.services.profiles import (
    dependent_create,
    dependent_delete,
    dependent_update,
    self_profile_enable,
)
from users.services.transfer import (
    dependent_of,
    profile_transfer_start,
    profile_transfer_verify,
)
from users.views.common import TAGS, request_user, validated

DEPENDENT_TAGS = ["dependents"]


def _dependents(request: Request) -> Any:
    return PatientProfile.objects.filter(account=request_user(request)).exclude(
        relation=Relation.SELF
    )


def _dependent(request: Request, profile_id: Any) -> PatientProfile:
    return dependent_of(holder=request_user(request), profile_id=profile_id)


class DependentListCreateView(APIView):
    permission_classes = [CanActAsPatient]

    @extend_schema(
        tags=DEPENDENT_TAGS,
        responses={200: PatientProfileOutputSerializer(many=True), **error_responses(401, 403)},
        description="The people you book for (child, parent, spouse, other), oldest first. "
        "Pass a dependent's `id` as `patient_profile` to book for them, or as "
        "`?patient_profile=` to read their documents, consents and access log.",
    )
    def get(self, request: Request) -> Response:
        rows = _dependents(request).order_by("created_at", "id")
        return Response(PatientProfileOutputSerializer(rows, many=True).data)

    @extend_schema(
        tags=DEPENDENT_TAGS,
        request=DependentInputSerializer,
        # 409 dependents_limit: the account already holds MAX_DEPENDENTS_PER_ACCOUNT.
        responses={201: PatientProfileOutputSerializer, **error_responses(400, 401, 403, 409)},
        description="Add a family member. 409 `dependents_limit` once the account holds "
        "MAX_DEPENDENTS_PER_ACCOUNT (default 20).",
    )
    def post(self, request: Request) -> Response:
        data = validated(DependentInputSerializer, request.data)
        profile = dependent_create(account=request_user(request), data=data)
        body = PatientProfileOutputSerializer(profile).data
        return created(request, body, "users-profiles:dependent-detail", profile_id=profile.pk)


class DependentDetailView(APIView):
    permission_classes = [CanActAsPatient]

    @extend_schema(
        tags=DEPENDENT_TAGS,
        responses={200: PatientProfileOutputSerializer, **error_responses(401, 403, 404)},
    )
    def get(self, request: Request, profile_id: Any) -> Response:
        return Response(PatientProfileOutputSerializer(_dependent(request, profile_id)).data)

    @extend_schema(
        tags=DEPENDENT_TAGS,
        summary="Update a dependent (partial: send only what changes)",
        request=DependentInputSerializer,
        responses={200: PatientProfileOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def put(self, request: Request, profile_id: Any) -> Response:
        profile = _dependent(request, profile_id)
        data = validated(DependentInputSerializer, request.data, partial=True)
        profile = dependent_update(profile=profile, data=data)
        return Response(PatientProfileOutputSerializer(profile).data)

    @extend_schema(
        tags=DEPENDENT_TAGS,
        request=DependentInputSerializer,
        responses={200: PatientProfileOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def patch(self, request: Request, profile_id: Any) -> Response:
        return self.put(request, profile_id)

    @extend_schema(
        tags=DEPENDENT_TAGS,
        responses={204: None, **error_responses(401, 403, 404, 409)},
        description="Only a dependent without appointments or records (409 "
        "`profile_has_history`: transfer it instead).",
    )
    def delete(self, request: Request, profile_id: Any) -> Response:
        dependent_delete(profile=_dependent(request, profile_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class DependentTransferView(APIView):
    permission_classes = [CanActAsPatient]

    @extend_schema(
        tags=DEPENDENT_TAGS,
        summary="Transfer step 1: send an OTP to the dependent's own number",
        request=TransferStartInputSerializer,
        responses={
            200: TransferStartOutputSerializer,
            **error_responses(400, 401, 403, 404, 409, 429),
        },
        description="409 `transfer_target_has_history` when the account on that number "
        "already has its own records; 400 `transfer_to_self` for your own number.",
    )
    def post(self, request: Request, profile_id: Any) -> Response:
        data = validated(TransferStartInputSerializer, request.data)
        profile_transfer_start(
            holder=request_user(request), profile_id=profile_id, contact=data["contact"]
        )
        body = {
            "message": "OTP sent to the dependent's number. Send it back to move the profile.",
            "contact": data["contact"],
            "next_step": f"/api/users/me/dependents/{profile_id}/transfer/verify/",
        }
        return Response(TransferStartOutputSerializer(body).data)


class DependentTransferVerifyView(APIView):
    permission_classes = [CanActAsPatient]
    throttle_classes = [OTPVerifyContactThrottle, OTPVerifyContactCeilingThrottle]

    @extend_schema(
        tags=DEPENDENT_TAGS,
        summary="Transfer step 2: the OTP moves the profile and its history",
        request=TransferVerifyInputSerializer,
        responses={200: TransferOutputSerializer, **error_responses(400, 401, 403, 404, 409)},
        description="The profile becomes the self profile of the account on that number "
        "(created without a password when there is none: its owner finishes registering with "
        "an OTP); you lose access to it and its records.",
    )
    def post(self, request: Request, profile_id: Any) -> Response:
        data = validated(TransferVerifyInputSerializer, request.data)
        transfer = profile_transfer_verify(
            holder=request_user(request),
            profile_id=profile_id,
            contact=data["contact"],
            code=data["otp"],
        )
        message = "Profile transferred. It now belongs to the account on that number."
        body = {
            "message": message,
            "profile": transfer.profile_id,
            "to_account": transfer.to_account_id,
            "account_created": transfer.account_created,
            "transferred_at": transfer.transferred_at,
        }
        return Response(TransferOutputSerializer(body).data)


class MyPatientProfileView(APIView):
    """Your own patient profile; staff and owners turn on receiving care for themselves."""

    permission_classes = [Authenticated]

    @extend_schema(
        tags=TAGS,
        responses={200: PatientProfileOutputSerializer, **error_responses(401)},
    )
    def get(self, request: Request) -> Response:
        return Response(PatientProfileOutputSerializer(self_profile(request_user(request))).data)

    @extend_schema(
        tags=TAGS,
        request=None,
        summary="Act as a patient yourself (book, keep documents)",
        responses={200: PatientProfileOutputSerializer, **error_responses(401)},
    )
    def post(self, request: Request) -> Response:
        profile = self_profile_enable(user=request_user(request))
        return Response(PatientProfileOutputSerializer(profile).data)
