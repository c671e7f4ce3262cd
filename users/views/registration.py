"""Registration by OTP (patients and clinic owners) and the patient's step 3."""

from typing import ClassVar

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.permissions import IsPatient
from core.responses import created
from core.schema import error_responses
from core.throttles import (
    OTPSendContactThrottle,
    OTPSendIPThrottle,
    OTPVerifyContactCeilingThrottle,
    OTPVerifyContactThrottle,
    OTPVerifyIPThrottle,
)
from users import services
from users.examples import (
    PATIENT_PROFILE_EXAMPLES,
    REGISTRATION_START_EXAMPLES,
    REGISTRATION_VERIFY_EXAMPLES,
)
from users.models import RegistrationPurpose
from users.serializers import (
    MedicalProfileOutputSerializer,
    PatientOnboardingInputSerializer,
    PatientOnboardingOutputSerializer,
    RegistrationStartInputSerializer,
    RegistrationStartOutputSerializer,
    RegistrationVerifyInputSerializer,
    RegistrationVerifyOutputSerializer,
    UserOutputSerializer,
)
from users.tokens import issue_tokens
from users.views.common import (
    ONBOARDING_TAGS,
    PublicView,
    request_user,
    validated,
)


class RegistrationStartView(PublicView):
    purpose: ClassVar[str]
    next_step: ClassVar[str]
    throttle_classes = [
        OTPSendContactThrottle,
        OTPSendIPThrottle,
    ]

    @extend_schema(
        tags=ONBOARDING_TAGS,
        summary="Step 1: send an OTP to the contact",
        request=RegistrationStartInputSerializer,
        examples=REGISTRATION_START_EXAMPLES,
        responses={200: RegistrationStartOutputSerializer, **error_responses(400, 409, 429)},
    )
    def post(self, request: Request) -> Response:
        data = validated(RegistrationStartInputSerializer, request.data)
        services.registration_start(purpose=self.purpose, **data)
        body = {
            "message": "OTP sent to your contact number. Please verify to complete registration.",
            "contact": data["contact"],
            "next_step": self.next_step,
        }
        return Response(RegistrationStartOutputSerializer(body).data)


class PatientRegistrationStartView(RegistrationStartView):
    purpose = RegistrationPurpose.PATIENT
    next_step = "/api/users/onboarding/patient/step2/"


class ClinicOwnerRegistrationStartView(RegistrationStartView):
    purpose = RegistrationPurpose.CLINIC_OWNER
    next_step = "/api/users/onboarding/clinic/step2/"


class RegistrationVerifyView(PublicView):
    purpose: ClassVar[str]
    next_step: ClassVar[str]
    message: ClassVar[str]
    throttle_classes = [
        OTPVerifyContactThrottle,
        OTPVerifyContactCeilingThrottle,
        OTPVerifyIPThrottle,
    ]

    @extend_schema(
        tags=ONBOARDING_TAGS,
        summary="Step 2: verify the OTP; creates the account and returns tokens",
        request=RegistrationVerifyInputSerializer,
        examples=REGISTRATION_VERIFY_EXAMPLES,
        responses={201: RegistrationVerifyOutputSerializer, **error_responses(400, 409, 429)},
    )
    def post(self, request: Request) -> Response:
        data = validated(RegistrationVerifyInputSerializer, request.data)
        user = services.registration_verify(
            contact=data["contact"], code=data["otp"], purpose=self.purpose
        )
        body = {
            "message": self.message,
            **issue_tokens(user=user),
            "user": UserOutputSerializer(user).data,
            "next_step": self.next_step,
        }
        return created(request, body, "users:me")


class PatientRegistrationVerifyView(RegistrationVerifyView):
    purpose = RegistrationPurpose.PATIENT
    next_step = "/api/users/onboarding/patient/step3/"
    message = "OTP verified. Account created! Please complete your profile."


class ClinicOwnerRegistrationVerifyView(RegistrationVerifyView):
    purpose = RegistrationPurpose.CLINIC_OWNER
    next_step = "/api/clinics/onboarding/step3/"
    message = "OTP verified. Account created! Please set up your clinic."


class PatientOnboardingCompleteView(APIView):
    permission_classes = [IsPatient]

    @extend_schema(
        tags=ONBOARDING_TAGS,
        summary="Step 3: complete the patient profile and medical details",
        request=PatientOnboardingInputSerializer,
        examples=PATIENT_PROFILE_EXAMPLES,
        responses={200: PatientOnboardingOutputSerializer, **error_responses(400, 401, 403)},
    )
    def put(self, request: Request) -> Response:
        data = validated(
            PatientOnboardingInputSerializer, request.data, stored=request_user(request)
        )
        user, profile = services.patient_onboarding_complete(user=request_user(request), data=data)
        body = {
            "message": "Registration complete! Welcome to QuickCare.",
            "user": UserOutputSerializer(user).data,
            "medical_profile": MedicalProfileOutputSerializer(profile).data,
        }
        return Response(body)

    @extend_schema(
        tags=ONBOARDING_TAGS,
        summary="Step 3 (PATCH, same as PUT)",
        request=PatientOnboardingInputSerializer,
        examples=PATIENT_PROFILE_EXAMPLES,
        responses={200: PatientOnboardingOutputSerializer, **error_responses(400, 401, 403)},
    )
    def patch(self, request: Request) -> Response:
        return self.put(request)


# --- the current user ------------------------------------------------------------------------
