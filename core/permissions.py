"""Role gates: the one place that says which role may call what.

Every gate here also applies the onboarding gate: clinic staff whose onboarding is incomplete
may only call views that set `allow_incomplete_onboarding = True` (me, member completion,
password change); anything else answers 403 with `onboarding_required: true`.
Combine gates with DRF's operators: `IsDoctor | IsLabMember`.
"""

from collections.abc import Collection
from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from core.exceptions import OnboardingRequired, PasswordChangeRequired
from core.roles import STAFF_ROLES, RoleId


def _is_authenticated(request: Request) -> bool:
    return bool(request.user and request.user.is_authenticated)


def _check_password_change(request: Request, view: Any) -> None:
    """An account still on a clinic-issued temporary password may only call views that set
    `allow_password_change_required = True` (me, password change); refresh is not gated."""
    if getattr(view, "allow_password_change_required", False):
        return
    if getattr(request.user, "password_change_required", False):
        raise PasswordChangeRequired()


def _check_onboarding(request: Request, view: Any) -> None:
    user: Any = request.user
    # True, or the methods allowed (e.g. `frozenset(SAFE_METHODS)`: a doctor reads `doctors/me`
    # to prefill the onboarding form, but may not write it or call anything else yet).
    allowed: bool | Collection[str] = getattr(view, "allow_incomplete_onboarding", False)
    if allowed is True or (not isinstance(allowed, bool) and request.method in allowed):
        return
    if user.role_id in STAFF_ROLES and not user.is_complete_onboarding:
        raise OnboardingRequired()


class OnboardingComplete(BasePermission):
    """Authenticated, and not a staff member with onboarding still to do."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not _is_authenticated(request):
            return False
        _check_onboarding(request, view)
        _check_password_change(request, view)
        return True


Authenticated = OnboardingComplete


class HasRole(BasePermission):
    roles: frozenset[int] = frozenset()
    message = "You do not have the role needed for this action."

    def has_permission(self, request: Request, view: Any) -> bool:
        if not _is_authenticated(request):
            return False
        _check_onboarding(request, view)
        _check_password_change(request, view)
        return request.user.role_id in self.roles  # type: ignore[union-attr]


class IsPatient(HasRole):
    roles = frozenset({RoleId.PATIENT})
    message = "Only patients can do this."


class IsDoctor(HasRole):
    roles = frozenset({RoleId.DOCTOR})
    message = "Only doctors can do this."


class IsReceptionist(HasRole):
    roles = frozenset({RoleId.RECEPTIONIST})
    message = "Only receptionists can do this."


class IsLabMember(HasRole):
    roles = frozenset({RoleId.LAB_MEMBER})
    message = "Only lab members can do this."


class IsClinicStaff(HasRole):
    roles = frozenset(STAFF_ROLES)
    message = "Only clinic staff (doctors, receptionists, lab members) can do this."


class IsClinicOwner(HasRole):
    roles = frozenset({RoleId.CLINIC_OWNER})
    message = "Only clinic owners can do this."


class IsSuperAdmin(HasRole):
    roles = frozenset({RoleId.SUPERADMIN, RoleId.ADMIN})
    message = "Only administrators can do this."


class PerMethodPermissions:
    """View mixin: gates chosen per HTTP method, e.g.
    `method_permissions = {"SAFE": (AllowAny,), "*": (IsClinicOwner,)}`.
    Lookup order: the method itself, "SAFE" for GET/HEAD/OPTIONS, then "*"."""

    method_permissions: dict[str, tuple[Any, ...]] = {}

    def get_permissions(self) -> list[BasePermission]:
        request: Any = getattr(self, "request", None)
        method = request.method if request is not None else "GET"
        table = self.method_permissions
        classes = table.get(method)
        if classes is None and method in SAFE_METHODS:
            classes = table.get("SAFE")
        if classes is None:
            classes = table["*"]
        return [permission() for permission in classes]
