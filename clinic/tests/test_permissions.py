"""Permission matrix of the clinic API: endpoint x persona -> status.

Writes are sent with an empty body, so a caller who gets past the permission checks sees 400
(validation) on a create and 200 on an update (partial: nothing sent, nothing changes): the
matrix shows who is let in without changing anything.
"""

import pytest

from clinic.models import AdmissionDocument, ClinicMember
from clinic.tests.factories import ClinicTimeSlotFactory

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "patient",
    "doctor",
    "receptionist",
    "lab_member",
    "clinic_owner",
    "other_owner",
    "superadmin",
]

# endpoint -> (method, path template, expected status per persona in PERSONAS order)
MATRIX = {
    "public list": ("get", "/api/clinics/public/", [200, 200, 200, 200, 200, 200, 200, 200]),
    "detail": ("get", "/api/clinics/{clinic}/", [200, 200, 200, 200, 200, 200, 200, 200]),
    "slots": ("get", "/api/clinics/{clinic}/slots/", [200] * 8),
    "slot": ("get", "/api/clinics/{clinic}/slots/{slot}/", [200] * 8),
    "admission docs": ("get", "/api/clinics/{clinic}/admission-docs/", [200] * 8),
    "admission doc": ("get", "/api/clinics/{clinic}/admission-docs/{doc}/", [200] * 8),
    "step 3": ("post", "/api/clinics/onboarding/step3/", [401, 403, 403, 403, 403, 400, 400, 403]),
    "my clinics": ("get", "/api/clinics/", [401, 403, 403, 403, 403, 200, 200, 403]),
    "create clinic": ("post", "/api/clinics/", [401, 403, 403, 403, 403, 400, 400, 403]),
    "update clinic": ("patch", "/api/clinics/{clinic}/", [401, 403, 403, 403, 403, 200, 403, 403]),
    "put clinic": ("put", "/api/clinics/{clinic}/", [401, 403, 403, 403, 403, 200, 403, 403]),
    "members": ("get", "/api/clinics/{clinic}/members/", [401, 403, 403, 403, 403, 200, 403, 403]),
    "add member": (
        "post",
        "/api/clinics/{clinic}/members/",
        [401, 403, 403, 403, 403, 400, 403, 403],
    ),
    "member": (
        "get",
        "/api/clinics/{clinic}/members/{member}/",
        [401, 403, 403, 403, 403, 200, 403, 403],
    ),
    "edit member": (
        "patch",
        "/api/clinics/{clinic}/members/{member}/",
        [401, 403, 403, 403, 403, 200, 403, 403],
    ),
    "add slot": ("post", "/api/clinics/{clinic}/slots/", [401, 403, 403, 403, 403, 400, 403, 403]),
    "edit slot": (
        "put",
        "/api/clinics/{clinic}/slots/{slot}/",
        [401, 403, 403, 403, 403, 200, 403, 403],
    ),
    "add admission doc": (
        "post",
        "/api/clinics/{clinic}/admission-docs/",
        [401, 403, 403, 403, 403, 400, 403, 403],
    ),
    "edit admission doc": (
        "put",
        "/api/clinics/{clinic}/admission-docs/{doc}/",
        [401, 403, 403, 403, 403, 200, 403, 403],
    ),
    "my memberships": (
        "get",
        "/api/clinics/my/memberships/",
        [401, 403, 200, 200, 200, 403, 403, 403],
    ),
    "member completion": (
        "put",
        "/api/users/onboarding/member/complete/",
        [401, 403, 409, 409, 409, 403, 403, 403],
    ),
}
CASES = [
    pytest.param(name, persona, expected[index], id=f"{name}-{persona}")
    for name, (_, _, expected) in MATRIX.items()
    for index, persona in enumerate(PERSONAS)
]


@pytest.fixture
def world(clinic, other_clinic, doctor, receptionist, lab_member, other_owner, patient, superadmin):
    return {
        "clinic": clinic.id,
        "slot": ClinicTimeSlotFactory(clinic=clinic).id,
        "doc": AdmissionDocument.objects.create(clinic=clinic, name="Photo ID").id,
        "member": ClinicMember.objects.get(user=doctor).id,
    }


@pytest.mark.parametrize(("endpoint", "persona", "expected"), CASES)
def test_permission_matrix(request, api_client, client_for, world, endpoint, persona, expected):
    method, template, _ = MATRIX[endpoint]
    client = api_client if persona == "anonymous" else client_for(request.getfixturevalue(persona))

    response = getattr(client, method)(template.format(**world), {}, format="json")

    assert response.status_code == expected, response.content


DESTRUCTIVE = [
    ("/api/clinics/{clinic}/", "clinic"),
    ("/api/clinics/{clinic}/members/{member}/", "member"),
    ("/api/clinics/{clinic}/slots/{slot}/", "slot"),
    ("/api/clinics/{clinic}/admission-docs/{doc}/", "doc"),
]


@pytest.mark.parametrize(("template", "_name"), DESTRUCTIVE)
@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", 401),
        ("patient", 403),
        ("doctor", 403),
        ("receptionist", 403),
        ("lab_member", 403),
        ("other_owner", 403),
        ("superadmin", 403),
        ("clinic_owner", 204),
    ],
)
def test_delete_matrix(request, api_client, client_for, world, template, _name, persona, expected):
    client = api_client if persona == "anonymous" else client_for(request.getfixturevalue(persona))

    assert client.delete(template.format(**world)).status_code == expected
