"""Role gates and the staff onboarding gate, for every persona."""

from typing import ClassVar

import pytest
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from core import permissions
from users.tests.factories import DoctorUserFactory, ReceptionistFactory

pytestmark = pytest.mark.django_db
factory = APIRequestFactory()

GATES = {
    "patient": permissions.IsPatient,
    "doctor": permissions.IsDoctor,
    "receptionist": permissions.IsReceptionist,
    "lab_member": permissions.IsLabMember,
    "staff": permissions.IsClinicStaff,
    "owner": permissions.IsClinicOwner,
    "admin": permissions.IsSuperAdmin,
    "any": permissions.Authenticated,
}
ALLOWED = {
    "patient": {"patient", "any"},
    "doctor": {"doctor", "staff", "any"},
    "receptionist": {"receptionist", "staff", "any"},
    "lab_member": {"lab_member", "staff", "any"},
    "clinic_owner": {"owner", "any"},
    "superadmin": {"admin", "any"},
}


def status_for(user, gate, *, allow_incomplete=False):
    class GatedView(APIView):
        permission_classes: ClassVar[list] = [gate]
        allow_incomplete_onboarding = allow_incomplete

        def get(self, request):
            from rest_framework.response import Response

            return Response({"ok": True})

    request = factory.get("/x/")
    if user is not None:
        force_authenticate(request, user=user)
    response = GatedView.as_view()(request)
    response.render()
    return response


@pytest.mark.parametrize("persona", list(ALLOWED))
def test_permission_matrix(request, persona):
    user = request.getfixturevalue(persona)
    for gate_name, gate in GATES.items():
        expected = 200 if gate_name in ALLOWED[persona] else 403
        assert status_for(user, gate).status_code == expected, (persona, gate_name)


def test_combined_gates(patient, doctor, clinic_owner):
    gate = permissions.IsDoctor | permissions.IsPatient
    assert status_for(patient, gate).status_code == 200
    assert status_for(doctor, gate).status_code == 200
    assert status_for(clinic_owner, gate).status_code == 403


def test_wrong_role_message(clinic_owner):
    response = status_for(clinic_owner, permissions.IsDoctor)
    assert response.data == {"message": "Only doctors can do this.", "code": "permission_denied"}


@pytest.mark.parametrize("gate", list(GATES.values()))
def test_anonymous_is_refused(gate):
    assert status_for(None, gate).status_code == 401


@pytest.mark.parametrize("factory_class", [DoctorUserFactory, ReceptionistFactory])
def test_incomplete_staff_get_onboarding_required(factory_class):
    user = factory_class(is_partial_onboarding=True, is_complete_onboarding=False)
    for gate in (permissions.Authenticated, permissions.IsClinicStaff):
        response = status_for(user, gate)
        assert response.status_code == 403
        assert response.data == {
            "message": "Please complete your onboarding to access this feature.",
            "code": "onboarding_required",
            "onboarding_required": True,
            "onboarding_url": "/api/users/onboarding/member/complete/",
        }
        assert status_for(user, gate, allow_incomplete=True).status_code == 200


def test_incomplete_onboarding_may_be_allowed_for_some_methods_only():
    from rest_framework.permissions import SAFE_METHODS
    from rest_framework.response import Response

    class ReadableView(APIView):
        permission_classes: ClassVar[list] = [permissions.IsDoctor]
        allow_incomplete_onboarding = frozenset(SAFE_METHODS)

        def get(self, request):
            return Response({"ok": True})

        def put(self, request):
            return Response({"ok": True})

    user = DoctorUserFactory(is_partial_onboarding=True, is_complete_onboarding=False)
    statuses = {}
    for method in ("get", "head", "options", "put"):
        request = getattr(factory, method)("/x/")
        force_authenticate(request, user=user)
        response = ReadableView.as_view()(request)
        response.render()
        statuses[method] = (response.status_code, response.data and response.data.get("code"))
    assert statuses["get"] == (200, None)
    assert statuses["head"][0] == 200
    assert statuses["options"][0] == 200
    assert statuses["put"] == (403, "onboarding_required")


def test_incomplete_patients_are_not_gated(patient):
    patient.is_complete_onboarding = False
    patient.save()
    assert status_for(patient, permissions.IsPatient).status_code == 200


def test_per_method_permissions_pick_the_method_then_safe_then_default():
    from rest_framework.permissions import AllowAny

    from core.permissions import IsClinicOwner, IsDoctor, PerMethodPermissions

    class View(PerMethodPermissions):
        method_permissions = {"POST": (IsDoctor,), "SAFE": (AllowAny,), "*": (IsClinicOwner,)}

    def gates(method):
        view = View()
        view.request = type("R", (), {"method": method})()
        return [type(p) for p in view.get_permissions()]

    assert gates("POST") == [IsDoctor]
    assert gates("GET") == [AllowAny]
    assert gates("HEAD") == [AllowAny]
    assert gates("DELETE") == [IsClinicOwner]


@pytest.mark.parametrize("gate", [permissions.Authenticated, permissions.IsDoctor])
def test_a_temporary_password_account_is_gated_until_it_changes_the_password(doctor, gate):
    doctor.password_change_required = True
    doctor.save()
    response = status_for(doctor, gate)
    assert response.status_code == 403
    assert response.data == {
        "message": "Please choose a new password to continue.",
        "code": "password_change_required",
        "password_change_required": True,
        "password_change_url": "/api/users/password/change/",
    }

    class OpenView(APIView):
        permission_classes: ClassVar[list] = [gate]
        allow_password_change_required = True

        def get(self, request):
            from rest_framework.response import Response

            return Response({"ok": True})

    request = factory.get("/x/")
    force_authenticate(request, user=doctor)
    assert OpenView.as_view()(request).status_code == 200
