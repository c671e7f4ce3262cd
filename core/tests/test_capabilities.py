"""The permission matrix over capabilities (issue 13): "acting as a patient" is held by
patients, by staff who were patients (or turned it on), for their own profile and their
dependents'; staff roles answer clinic endpoints; nobody reaches another account's profile.

GETs are sent as they are; the booking POST with an empty body (400: let in, refused by
validation). `?patient_profile=` names the persona's dependent where the column says so."""

import pytest

from clinic.tests.factories import ClinicMemberFactory
from users.models import PatientProfile
from users.services.profiles import self_profile_enable
from users.tests.factories import DoctorUserFactory, PatientFactory
from users.tests.profiles_helpers import dependent_of

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "patient",
    "patient_for_child",  # a patient acting for their child (?patient_profile=<child>)
    "patient_for_stranger",  # a patient naming another account's child
    "staff_patient",  # a receptionist who registered as a patient first
    "doctor",  # a doctor who never turned on their patient profile
    "doctor_patient",  # a doctor who did (POST /api/users/me/patient-profile/)
    "clinic_owner",
]

# endpoint -> (method, path, status per persona, in PERSONAS order)
MATRIX = {
    "book": ("post", "/api/appointments/my/", [401, 400, 400, 404, 400, 403, 400, 403]),
    "my appointments": ("get", "/api/appointments/my/", [401, 200, 200, 404, 200, 403, 200, 403]),
    "my clinics": (
        "get",
        "/api/appointments/my/clinics/",
        [401, 200, 200, 404, 200, 403, 200, 403],
    ),
    "dependents": ("get", "/api/users/me/dependents/", [401, 200, 200, 404, 200, 403, 200, 403]),
    # One path for patients and doctors: a doctor without ?patient_profile= is a doctor (200,
    # consented documents); a receptionist is neither unless they name their profile.
    "documents": ("get", "/api/documents/", [401, 200, 200, 404, 403, 200, 200, 403]),
    "consents mine": (
        "get",
        "/api/documents/consent/mine/",
        [401, 200, 200, 404, 200, 403, 200, 403],
    ),
    "access log": ("get", "/api/documents/access-log/", [401, 200, 200, 404, 200, 403, 200, 403]),
    "consents given": (
        "get",
        "/api/users/me/consents/",
        [401, 200, 200, 404, 200, 403, 200, 403],
    ),
    "audit chain": ("get", "/api/audit/my/", [401, 200, 200, 404, 200, 403, 200, 403]),
    "fhir everything": (
        "get",
        "/api/fhir/Patient/$everything",
        [401, 200, 200, 404, 200, 403, 200, 403],
    ),
    "privacy export": ("get", "/api/users/me/export/", [401, 200, 200, 404, 200, 403, 200, 403]),
    "doctor appointments": (
        "get",
        "/api/appointments/doctor/",
        [401, 403, 403, 403, 403, 200, 200, 403],
    ),
}
CASES = [
    pytest.param(name, persona, expected[index], id=f"{name}-{persona}")
    for name, (_, _, expected) in MATRIX.items()
    for index, persona in enumerate(PERSONAS)
]


@pytest.fixture
def personas(patient, other_patient, doctor, clinic):
    child = dependent_of(patient)
    stranger_child = dependent_of(other_patient, name="Not yours")
    staff_patient = PatientFactory(name="Neha Joshi")
    staff_patient.role_id = 5
    staff_patient.save(update_fields=["role_id"])
    ClinicMemberFactory(clinic=clinic, user=staff_patient, member_role="receptionist")
    doctor_patient = DoctorUserFactory(name="Dr. Self Care")
    ClinicMemberFactory(clinic=clinic, user=doctor_patient, member_role="doctor")
    from doctors.tests.factories import DoctorProfileFactory

    DoctorProfileFactory(user=doctor_patient)
    self_profile_enable(user=doctor_patient)
    return {
        "patient": (patient, None),
        "patient_for_child": (patient, child.pk),
        "patient_for_stranger": (patient, stranger_child.pk),
        "staff_patient": (staff_patient, None),
        "doctor": (doctor, None),
        "doctor_patient": (doctor_patient, None),
        "clinic_owner": (clinic.owner, None),
    }


@pytest.mark.parametrize(("endpoint", "persona", "expected"), CASES)
def test_capability_matrix(api_client, client_for, personas, endpoint, persona, expected):
    method, path, _ = MATRIX[endpoint]
    if persona == "anonymous":
        client = api_client
    else:
        user, profile_id = personas[persona]
        client = client_for(user)
        if profile_id is not None:
            path = f"{path}?patient_profile={profile_id}"
    response = (
        getattr(client, method)(path, {}, format="json") if method == "post" else (client.get(path))
    )
    assert response.status_code == expected, response.content


def test_a_staff_patients_patient_view_of_a_shared_list_is_reached_with_their_profile(
    personas, client_for
):
    user, _ = personas["staff_patient"]
    own = PatientProfile.objects.get(account=user, relation="self")
    assert client_for(user).get(f"/api/documents/?patient_profile={own.pk}").status_code == 200
