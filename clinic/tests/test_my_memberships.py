"""GET /api/clinics/my/memberships/: a staff member's own clinics."""

import datetime as dt

import pytest

from clinic.models import ClinicMember
from clinic.tests.factories import ClinicFactory, ClinicMemberFactory

pytestmark = pytest.mark.django_db
URL = "/api/clinics/my/memberships/"


def test_a_doctor_sees_their_membership_with_the_clinics_public_fields(client_for, doctor, clinic):
    member = ClinicMember.objects.get(user=doctor)

    response = client_for(doctor).get(URL)

    assert response.status_code == 200
    assert response.json() == [
        {
            "id": str(member.id),
            "clinic": {
                "id": str(clinic.id),
                "name": "City Care Clinic",
                "slug": clinic.slug,
                "clinic_type": "clinic",
                "phone": "9876543210",
                "email": "clinic@example.com",
                "address": "12, MG Road",
                "city": "Jaipur",
                "state": "Rajasthan",
                "pincode": "302001",
                "registration_number": "",
                "description": "",
                "timezone": "Asia/Kolkata",
                "auto_no_show_after_minutes": None,
                "is_active": True,
            },
            "member_role": "doctor",
            "status": "active",
            "department": "Cardiology",
            "joined_at": member.joined_at.isoformat(),
            "left_at": None,
        }
    ]


@pytest.mark.parametrize("persona", ["receptionist", "lab_member"])
def test_receptionists_and_lab_members_see_theirs(client_for, request, persona, clinic):
    response = client_for(request.getfixturevalue(persona)).get(URL)

    assert response.status_code == 200
    assert [row["clinic"]["id"] for row in response.json()] == [str(clinic.id)]


def test_past_memberships_are_listed_and_filterable(client_for, receptionist, other_owner):
    earlier = ClinicFactory(owner=other_owner, name="Old Job")
    ClinicMemberFactory(
        clinic=earlier,
        user=receptionist,
        member_role="receptionist",
        status="inactive",
        joined_at=dt.date(2024, 1, 1),
        left_at=dt.date(2025, 1, 1),
    )
    client = client_for(receptionist)

    everything = client.get(URL).json()
    active = client.get(URL + "?status=active").json()

    assert [row["clinic"]["name"] for row in everything] == ["City Care Clinic", "Old Job"]
    assert [row["clinic"]["name"] for row in active] == ["City Care Clinic"]
    assert client.get(URL + "?status=whatever").status_code == 400


def test_nobody_sees_anyone_elses_memberships(client_for, doctor, other_doctor):
    rows = client_for(doctor).get(URL).json()

    assert {row["id"] for row in rows} == {str(ClinicMember.objects.get(user=doctor).id)}


@pytest.mark.parametrize("persona", ["patient", "clinic_owner", "superadmin"])
def test_only_staff_have_memberships(client_for, request, persona):
    assert client_for(request.getfixturevalue(persona)).get(URL).status_code == 403


def test_memberships_need_a_token(api_client):
    assert api_client.get(URL).status_code == 401


def test_staff_with_incomplete_onboarding_are_gated(client_for, doctor):
    doctor.is_complete_onboarding = False
    doctor.is_partial_onboarding = True
    doctor.save()

    response = client_for(doctor).get(URL)

    assert response.status_code == 403
    assert response.json()["onboarding_required"] is True
