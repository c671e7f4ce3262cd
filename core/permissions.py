"""Gates: the one place that says who may call what.

Two kinds: capabilities and roles. "Acting as a patient" is a capability (`CanActAsPatient`):
any active account whose self profile receives care, whatever its staff role; the request then
acts for one of the account's patient profiles, its own or the dependent named by the
`patient_profile` query parameter. Clinic actions ask for the role (`IsDoctor`...), which for
staff comes from their membership. core may not import users: the capability is asked through
`User.can_act_as_patient()` and `User.act_for()` (users/acting.py holds the rule).

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
    """The patient role itself (kept for callers that mean the role, not the capability)."""

    roles = frozenset({RoleId.PATIENT})
    message = "Only patients can do this."


PATIENT_PROFILE_PARAM = "patient_profile"


def _chosen_profile(request: Request) -> str | None:
    value = request.query_params.get(PATIENT_PROFILE_PARAM)
    return value or None


class CanActAsPatient(BasePermission):
    """A patient acting for themselves or a dependent: booking, my appointments, my
    documents, consents, the access log, exports. Staff who are patients pass too; the
    request acts for `?patient_profile=<id>` (404 unless it is the caller's) or the caller's
    own profile."""

    message = "Only patients can do this."

    def has_permission(self, request: Request, view: Any) -> bool:
        if not _is_authenticated(request):
            return False
        _check_onboarding(request, view)
        _check_password_change(request, view)
        user: Any = request.user
        if not user.can_act_as_patient():
            return False
        user.act_for(_chosen_profile(request))
        return True


class ActingAsPatient(CanActAsPatient):
    """For endpoints one path serves to patients and to a staff role (`ActingAsPatient |
    IsDoctor`): a patient-role account always acts as a patient; staff act as one only when
    they name their profile with `?patient_profile=` (else their staff role answers)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user: Any = request.user
        if (
            _is_authenticated(request)
            and user.role_id != RoleId.PATIENT
            and _chosen_profile(request) is None
        ):
            return False
        return super().has_permission(request, view)


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
