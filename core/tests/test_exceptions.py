"""The one exception handler: every error is `{message, code, ...}` or DRF's field dict."""

from typing import ClassVar

import pytest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.permissions import AllowAny
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken

from core.exceptions import (
    Conflict,
    InvalidState,
    NotFound,
    NotPermitted,
    OnboardingRequired,
    QuickCareError,
    exception_handler,
)

factory = APIRequestFactory()


def call(exc: Exception, *, authenticators: list | None = None):
    class RaisingView(APIView):
        authentication_classes: ClassVar[list] = authenticators or []
        permission_classes: ClassVar[list] = [AllowAny]

        def get(self, request):
            raise exc

    response = RaisingView.as_view()(factory.get("/x/"))
    response.render()
    return response


@pytest.mark.parametrize(
    ("exc", "status", "body"),
    [
        (QuickCareError("Broken rule."), 400, {"message": "Broken rule.", "code": "invalid"}),
        (InvalidState("Bad state."), 400, {"message": "Bad state.", "code": "invalid_state"}),
        (NotPermitted("No."), 403, {"message": "No.", "code": "not_permitted"}),
        (NotFound("Gone."), 404, {"message": "Gone.", "code": "not_found"}),
        (
            Conflict("Taken.", code="doctor_already_in_clinic", clinic="Apollo"),
            409,
            {"message": "Taken.", "code": "doctor_already_in_clinic", "clinic": "Apollo"},
        ),
        (Http404(), 404, {"message": "Not found.", "code": "not_found"}),
        (
            DjangoPermissionDenied(),
            403,
            {
                "message": "You do not have permission to perform this action.",
                "code": "permission_denied",
            },
        ),
        (
            exceptions.ValidationError(["First.", "Second."]),
            400,
            {"message": "First. Second.", "code": "invalid"},
        ),
        (
            exceptions.ValidationError({"age": ["A valid integer is required."]}),
            400,
            {"age": ["A valid integer is required."]},
        ),
        (
            DjangoValidationError({"password": ["Too short."]}),
            400,
            {"password": ["Too short."]},
        ),
        (
            DjangoValidationError("Plain message."),
            400,
            {"non_field_errors": ["Plain message."]},
        ),
        (
            exceptions.MethodNotAllowed("DELETE"),
            405,
            {"message": 'Method "DELETE" not allowed.', "code": "method_not_allowed"},
        ),
        (
            InvalidToken("Token is invalid"),
            401,
            {"message": "Token is invalid", "code": "token_not_valid"},
        ),
    ],
)
def test_error_shapes(exc, status, body):
    response = call(exc, authenticators=[JWTAuthentication])
    assert response.status_code == status
    assert response.data == body


def test_throttled_keeps_retry_after_and_says_when():
    response = call(exceptions.Throttled(wait=41.2))
    assert response.status_code == 429
    assert response["Retry-After"] == "42"
    assert response.data["code"] == "throttled"
    assert response.data["retry_after"] == 42
    assert response.data["message"] == "Too many attempts. Try again in 42 seconds."


@pytest.mark.parametrize(
    ("wait", "said"),
    [
        (1, "in 1 second"),
        (59, "in 59 seconds"),
        (60, "in 1 minute"),
        (897, "in 15 minutes"),
        (900, "in 15 minutes"),
        (3600, "in 1 hour"),
        (5400, "in 2 hours"),
    ],
)
def test_throttle_messages_say_the_wait_for_people(wait, said):
    response = call(exceptions.Throttled(wait=wait))
    assert response.data["message"] == f"Too many attempts. Try again {said}."
    assert "Expected available" not in response.data["message"]
    assert response["Retry-After"] == str(wait)
    assert response.data["retry_after"] == wait


def test_a_custom_throttle_detail_keeps_its_words_and_gains_the_wait():
    response = call(exceptions.Throttled(wait=900, detail="Too many failed login attempts."))
    assert response.data["message"] == "Too many failed login attempts. Try again in 15 minutes."


def test_not_authenticated_keeps_www_authenticate():
    response = call(exceptions.NotAuthenticated(), authenticators=[JWTAuthentication])
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.data == {
        "message": "Authentication credentials were not provided.",
        "code": "not_authenticated",
    }


def test_onboarding_required_adds_where_to_go():
    response = call(OnboardingRequired())
    assert response.status_code == 403
    assert response.data == {
        "message": "Please complete your onboarding to access this feature.",
        "code": "onboarding_required",
        "onboarding_required": True,
        "onboarding_url": "/api/users/onboarding/member/complete/",
    }


def test_unexpected_exceptions_are_left_to_django():
    assert exception_handler(RuntimeError("boom"), {}) is None
    with pytest.raises(RuntimeError):
        call(RuntimeError("boom"))
