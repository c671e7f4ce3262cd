"""Helpers shared by the clinic views: input parsing, the user, the clinic lookups."""

from typing import Any, cast

from rest_framework.permissions import SAFE_METHODS, AllowAny
from rest_framework.request import Request
from rest_framework.views import APIView

from clinic import selectors
from clinic.models import Clinic
from core.permissions import IsClinicOwner, PerMethodPermissions
from users.models import User


def validated_input(serializer_class: Any, request: Request, **kwargs: Any) -> dict[str, Any]:
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    data: dict[str, Any] = serializer.validated_data
    return data


def request_user(request: Request) -> User:
    """The authenticated user (the view's permission classes guarantee one)."""
    return cast(User, request.user)


class PublicReadOwnerWriteMixin(PerMethodPermissions, APIView):
    """GET is public (the clinic must be visible); every other method needs the clinic's owner."""

    method_permissions = {"SAFE": (AllowAny,), "*": (IsClinicOwner,)}

    def get_clinic(self) -> Clinic:
        if not hasattr(self, "_clinic"):
            clinic_id = self.kwargs["clinic_id"]
            user = self.request.user
            if self.request.method in SAFE_METHODS:
                self._clinic = selectors.clinic_get_visible(user=user, clinic_id=clinic_id)
            else:
                self._clinic = selectors.clinic_get_for_management(user=user, clinic_id=clinic_id)
        return self._clinic


class OwnerClinicMixin(APIView):
    def get_clinic(self) -> Clinic:
        if not hasattr(self, "_clinic"):
            self._clinic = selectors.clinic_get_for_management(
                user=self.request.user, clinic_id=self.kwargs["clinic_id"]
            )
        return self._clinic
