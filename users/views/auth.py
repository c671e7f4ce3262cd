"""Login, tokens, logout, password change and the contact check."""

from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.views import TokenRefreshView

from core.permissions import Authenticated
from core.roles import MEMBER_ONBOARDING_URL
from core.schema import error_responses
from core.throttles import (
    CheckContactIPThrottle,
    LoginIPThrottle,
    client_address,
)
from users import selectors, services
from users.policies import must_complete_member_onboarding
from users.serializers import (
    ContactCheckInputSerializer,
    ContactCheckOutputSerializer,
    LoginInputSerializer,
    LoginOutputSerializer,
    LogoutInputSerializer,
    PasswordChangeInputSerializer,
    PasswordChangeOutputSerializer,
    TokenRefreshInputSerializer,
    TokenRefreshOutputSerializer,
    UserOutputSerializer,
)
from users.tokens import auth_time_of, issue_tokens
from users.views.common import (
    PARTIAL_STAFF_LOGIN_MESSAGE,
    PASSWORD_CHANGE_KEYS,
    TAGS,
    PublicView,
    request_user,
    validated,
)


class UserLoginView(PublicView):
    throttle_classes = [LoginIPThrottle]

    @extend_schema(
        tags=TAGS,
        summary="Log in with contact + password",
        request=LoginInputSerializer,
        responses={200: LoginOutputSerializer, **error_responses(400, 401, 429)},
    )
    def post(self, request: Request) -> Response:
        data = validated(LoginInputSerializer, request.data)
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
        data = validated(LogoutInputSerializer, request.data)
        services.user_logout(refresh=data["refresh"])
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- registration --------------------------------------------------------------------------


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
        data = validated(ContactCheckInputSerializer, request.query_params)
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
        data = validated(PasswordChangeInputSerializer, request.data)
        tokens = services.user_password_change(
            user=request_user(request),
            password=data["password"],
            current_password=data.get("current_password") or None,
            auth_time=auth_time_of(request.auth),
        )
        return Response({"message": "Password changed successfully.", **tokens})


# --- addresses -------------------------------------------------------------------------------
