"""What every users view shares: tags, the public base view, input validation."""

from typing import Any

from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.views import APIView

from core.roles import PASSWORD_CHANGE_URL
from users.models import User

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


def validated(serializer_class: Any, data: Any, **kwargs: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def request_user(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


class PublicView(APIView):
    """Anyone may call it; a stale or broken Authorization header is ignored, not a 401."""

    authentication_classes = []
    permission_classes = [AllowAny]


# --- login and tokens ----------------------------------------------------------------------
