"""HTTP layer of the users API: parse, call one service or selector, serialize."""

from typing import Any, ClassVar

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.views import TokenRefreshView

from core.permissions import Authenticated, IsPatient
from core.responses import created
from core.roles import MEMBER_ONBOARDING_URL, PASSWORD_CHANGE_URL
from core.schema import error_responses
from core.throttles import (
    CheckContactIPThrottle,
    LoginIPThrottle,
    OTPSendContactThrottle,
    OTPSendIPThrottle,
    OTPVerifyContactCeilingThrottle,
    OTPVerifyContactThrottle,
    OTPVerifyIPThrottle,
    client_address,
)
from users import selectors, services
from users.examples import (
    PATIENT_PROFILE_EXAMPLES,
    REGISTRATION_START_EXAMPLES,
    REGISTRATION_VERIFY_EXAMPLES,
)
from users.models import RegistrationPurpose, User, UserAddress
from users.policies import must_complete_member_onboarding
from users.serializers import (
    AddressInputSerializer,
    AddressOutputSerializer,
    ContactCheckInputSerializer,
    ContactCheckOutputSerializer,
    LoginInputSerializer,
    LoginOutputSerializer,
    LogoutInputSerializer,
    MedicalProfileInputSerializer,
    MedicalProfileOutputSerializer,
    PasswordChangeInputSerializer,
    PasswordChangeOutputSerializer,
    PatientOnboardingInputSerializer,
    PatientOnboardingOutputSerializer,
    RegistrationStartInputSerializer,
    RegistrationStartOutputSerializer,
    RegistrationVerifyInputSerializer,
    RegistrationVerifyOutputSerializer,
    TokenRefreshInputSerializer,
    TokenRefreshOutputSerializer,
    UserOutputSerializer,
    UserUpdateInputSerializer,
)
from users.tokens import auth_time_of, issue_tokens

TAGS = ["users"]
ONBOARDING_TAGS = ["onboarding"]
# Added to a login answer while the account still uses a clinic-issued temporary password.
PASSWORD_CHANGE_KEYS = {
    "password_change_required": True,
    "password_change_url": PASSWORD_CHANGE_URL,
}
PARTIAL_STAFF_LOGIN_MESSAGE = (
    "Login successful, but your profile is incomplete. "
    "Please complete your onboarding to access all features."
)


def _validated(serializer_class: Any, data: Any, **kwargs: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _user(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


class PublicView(APIView):
    """Anyone may call it; a stale or broken Authorization header is ignored, not a 401."""

    authentication_classes = []
    permission_classes = [AllowAny]


# --- login and tokens ----------------------------------------------------------------------


class UserLoginView(PublicView):
    throttle_classes = [LoginIPThrottle]

    @extend_schema(
        tags=TAGS,
        summary="Log in with contact + password",
        request=LoginInputSerializer,
        responses={200: LoginOutputSerializer, **error_responses(400, 401, 429)},
    )
    def post(self, request: Request) -> Response:
        data = _validated(LoginInputSerializer, request.data)
        user = services.user_login(
            contact=data["contact"], password=data["password"], client_ip=client_address(request)
        )
        body: dict[str, Any] = {**issue_tokens(user=user), "user": UserOutputSerializer(user).data}
        if must_complete_member_onboarding(user=user):
            body = {
                "message": PARTIAL_STAFF_LOGIN_MESSAGE,
                "onboarding_required": True,
                "onboarding_url": MEMBER_ONBOARDING_URL,
                **body,
            }
        if user.password_change_required:
            body = {**body, **PASSWORD_CHANGE_KEYS}
        return Response(body)


@extend_schema(
    tags=TAGS,
    summary="Exchange a refresh token for a new access (and rotated refresh) token",
    request=TokenRefreshInputSerializer,
    responses={200: TokenRefreshOutputSerializer, **error_responses(400, 401)},
)
class UserTokenRefreshView(TokenRefreshView):
    serializer_class = TokenRefreshInputSerializer


class UserLogoutView(PublicView):
    @extend_schema(
        tags=TAGS,
        summary="Log out: end this refresh token and the access tokens issued with it",
        description="Answers 204 with no body. The refresh token is blacklisted and every "
        "access token of the same sign-in stops working at once. No access token is needed "
        "(an app can sign out after its access token expired). A malformed, foreign, expired "
        "or already used refresh token answers 401 `token_not_valid`.",
        request=LogoutInputSerializer,
        responses={
            204: OpenApiResponse(description="Signed out."),
            **error_responses(400, 401),
        },
    )
    def post(self, request: Request) -> Response:
        data = _validated(LogoutInputSerializer, request.data)
        services.user_logout(refresh=data["refresh"])
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- registration --------------------------------------------------------------------------


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
        data = _validated(RegistrationStartInputSerializer, request.data)
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
        data = _validated(RegistrationVerifyInputSerializer, request.data)
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
        data = _validated(PatientOnboardingInputSerializer, request.data, stored=_user(request))
        user, profile = services.patient_onboarding_complete(user=_user(request), data=data)
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


class UserMeView(APIView):
    permission_classes = [Authenticated]
    allow_incomplete_onboarding = True
    allow_password_change_required = True

    @extend_schema(tags=TAGS, responses={200: UserOutputSerializer, **error_responses(401)})
    def get(self, request: Request) -> Response:
        return Response(UserOutputSerializer(_user(request)).data)

    @extend_schema(
        tags=TAGS,
        summary="Update your profile (partial: send only what changes)",
        request=UserUpdateInputSerializer,
        responses={200: UserOutputSerializer, **error_responses(400, 401)},
    )
    def put(self, request: Request) -> Response:
        data = _validated(
            UserUpdateInputSerializer, request.data, partial=True, stored=_user(request)
        )
        user = services.user_profile_update(user=_user(request), data=data)
        return Response(UserOutputSerializer(user).data)

    @extend_schema(
        tags=TAGS,
        request=UserUpdateInputSerializer,
        responses={200: UserOutputSerializer, **error_responses(400, 401)},
    )
    def patch(self, request: Request) -> Response:
        return self.put(request)


class MedicalProfileView(APIView):
    permission_classes = [Authenticated]

    @extend_schema(
        tags=TAGS, responses={200: MedicalProfileOutputSerializer, **error_responses(401, 403)}
    )
    def get(self, request: Request) -> Response:
        profile = selectors.medical_profile_for(user=_user(request))
        return Response(MedicalProfileOutputSerializer(profile).data)

    @extend_schema(
        tags=TAGS,
        summary="Update your medical profile (partial)",
        request=MedicalProfileInputSerializer,
        responses={200: MedicalProfileOutputSerializer, **error_responses(400, 401, 403)},
    )
    def put(self, request: Request) -> Response:
        data = _validated(
            MedicalProfileInputSerializer,
            request.data,
            partial=True,
            stored={"user_id": _user(request).pk},
        )
        profile = services.medical_profile_update(user=_user(request), data=data)
        return Response(MedicalProfileOutputSerializer(profile).data)

    @extend_schema(
        tags=TAGS,
        request=MedicalProfileInputSerializer,
        responses={200: MedicalProfileOutputSerializer, **error_responses(400, 401, 403)},
    )
    def patch(self, request: Request) -> Response:
        return self.put(request)


class ContactCheckView(PublicView):
    throttle_classes = [CheckContactIPThrottle]

    @extend_schema(
        tags=TAGS,
        summary="Is this contact number registered?",
        parameters=[
            OpenApiParameter("contact", int, required=True, description="10-digit mobile.")
        ],
        responses={200: ContactCheckOutputSerializer, **error_responses(400, 429)},
    )
    def get(self, request: Request) -> Response:
        data = _validated(ContactCheckInputSerializer, request.query_params)
        return Response({"exists": selectors.contact_exists(contact=data["contact"])})


class PasswordChangeView(APIView):
    permission_classes = [Authenticated]
    allow_incomplete_onboarding = True
    allow_password_change_required = True

    @extend_schema(
        tags=TAGS,
        summary="Change your password; every other session is signed out",
        request=PasswordChangeInputSerializer,
        responses={200: PasswordChangeOutputSerializer, **error_responses(400, 401)},
    )
    def put(self, request: Request) -> Response:
        data = _validated(PasswordChangeInputSerializer, request.data)
        tokens = services.user_password_change(
            user=_user(request),
            password=data["password"],
            current_password=data.get("current_password") or None,
            auth_time=auth_time_of(request.auth),
        )
        return Response({"message": "Password changed successfully.", **tokens})


# --- addresses -------------------------------------------------------------------------------


class AddressListCreateView(generics.ListAPIView):
    permission_classes = [Authenticated]
    serializer_class = AddressOutputSerializer
    filter_backends = []

    def get_queryset(self) -> Any:
        return selectors.address_list_for(user=_user(self.request))

    @extend_schema(
        tags=TAGS, responses={200: AddressOutputSerializer(many=True), **error_responses(401, 403)}
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=TAGS,
        request=AddressInputSerializer,
        responses={201: AddressOutputSerializer, **error_responses(400, 401, 403, 409)},
    )
    def post(self, request: Request) -> Response:
        data = _validated(AddressInputSerializer, request.data, stored={"user_id": request.user.pk})
        address = services.address_create(user=_user(request), data=data)
        body = AddressOutputSerializer(address).data
        return created(request, body, "users:address-detail", address_id=address.pk)


class AddressDetailView(APIView):
    permission_classes = [Authenticated]

    def _address(self, request: Request, address_id: int) -> UserAddress:
        return selectors.address_get_for(user=_user(request), address_id=address_id)

    @extend_schema(
        tags=TAGS, responses={200: AddressOutputSerializer, **error_responses(401, 403, 404)}
    )
    def get(self, request: Request, address_id: int) -> Response:
        return Response(AddressOutputSerializer(self._address(request, address_id)).data)

    @extend_schema(
        tags=TAGS,
        summary="Update an address (partial: send only what changes)",
        request=AddressInputSerializer,
        responses={200: AddressOutputSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def put(self, request: Request, address_id: int) -> Response:
        address = self._address(request, address_id)
        data = _validated(AddressInputSerializer, request.data, partial=True, stored=address)
        address = services.address_update(address=address, data=data)
        return Response(AddressOutputSerializer(address).data)

    @extend_schema(
        tags=TAGS,
        request=AddressInputSerializer,
        responses={200: AddressOutputSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def patch(self, request: Request, address_id: int) -> Response:
        return self.put(request, address_id)

    @extend_schema(
        tags=TAGS,
        responses={204: OpenApiResponse(description="Deleted."), **error_responses(401, 403, 404)},
    )
    def delete(self, request: Request, address_id: int) -> Response:
        services.address_delete(address=self._address(request, address_id))
        return Response(status=status.HTTP_204_NO_CONTENT)
