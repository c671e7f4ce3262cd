"""POST /api/clinics/onboarding/step3/: clinic + weekly windows in one go, owner only."""

import datetime as dt

import pytest
from django.db import IntegrityError

from clinic import services
from clinic.models import Clinic, ClinicTimeSlot
from clinic.tests.conftest import slot, step3_payload

pytestmark = pytest.mark.django_db
URL = "/api/clinics/onboarding/step3/"


def test_step3_creates_the_clinic_and_its_slots_and_completes_onboarding(client_for, new_owner):
    response = client_for(new_owner).post(URL, step3_payload(), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    clinic = Clinic.objects.get()
    assert body == {
        "id": str(clinic.id),
        "name": "City Care Clinic",
        "slug": "city-care-clinic",
        "clinic_type": "clinic",
        "phone": "9876543210",
        "email": "citycare@example.com",
        "address": "12, MG Road",
        "city": "Jaipur",
        "state": "Rajasthan",
        "pincode": "302001",
        "registration_number": "RJ-MED-2024-001",
        "description": "",
        "timezone": "Asia/Kolkata",
        "auto_no_show_after_minutes": None,
        "is_active": True,
        "member_count": 0,
        "doctor_count": 0,
        "staff_count": 0,
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
        "time_slots": [
            {
                "id": slot_.id,
                "clinic": str(clinic.id),
                "day_of_week": slot_.day_of_week,
                "day_name": name,
                "start_time": "09:00",
                "end_time": "13:00",
                "slot_duration_minutes": 15,
                "max_appointments": 20,
                "is_active": True,
            }
            for slot_, name in zip(
                ClinicTimeSlot.objects.order_by("day_of_week"), ["Monday", "Tuesday"], strict=True
            )
        ],
    }
    assert clinic.owner == new_owner
    new_owner.refresh_from_db()
    assert new_owner.is_complete_onboarding is True
    assert new_owner.is_partial_onboarding is False


def test_step3_with_one_invalid_slot_creates_nothing(client_for, new_owner):
    payload = step3_payload(
        time_slots=[slot(day_of_week=0), slot(day_of_week=1, start_time="14:00", end_time="10:00")]
    )

    response = client_for(new_owner).post(URL, payload, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "time_slots": {"1": {"end_time": ["end_time must be later than start_time."]}}
    }
    assert not Clinic.objects.exists()
    assert not ClinicTimeSlot.objects.exists()
    new_owner.refresh_from_db()
    assert new_owner.is_complete_onboarding is False


@pytest.mark.parametrize(
    ("bad_slot", "field"),
    [
        (slot(day_of_week=7), "day_of_week"),
        (slot(day_of_week=-1), "day_of_week"),
        (slot(day_of_week="monday"), "day_of_week"),
        (slot(start_time="25:00"), "start_time"),
        (slot(slot_duration_minutes=4), "slot_duration_minutes"),
        (slot(slot_duration_minutes=241), "slot_duration_minutes"),
        (
            slot(start_time="09:00", end_time="09:30", slot_duration_minutes=45),
            "slot_duration_minutes",
        ),
        (slot(max_appointments=0), "max_appointments"),
        (slot(end_time="09:00"), "end_time"),
    ],
)
def test_step3_rejects_each_invalid_slot_and_creates_nothing(
    client_for, new_owner, bad_slot, field
):
    payload = step3_payload(time_slots=[slot(day_of_week=2), bad_slot])

    response = client_for(new_owner).post(URL, payload, format="json")

    assert response.status_code == 400
    assert list(response.json()["time_slots"]["1"]) == [field]
    assert not Clinic.objects.exists()


def test_step3_with_overlapping_slots_on_one_day_creates_nothing(client_for, new_owner):
    payload = step3_payload(
        time_slots=[slot(), slot(start_time="12:00", end_time="15:00"), slot(day_of_week=1)]
    )

    response = client_for(new_owner).post(URL, payload, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "message": "Time slots Monday 09:00-13:00 and Monday 12:00-15:00 overlap.",
        "code": "time_slots_overlap",
    }
    assert not Clinic.objects.exists()


def test_step3_accepts_back_to_back_windows(client_for, new_owner):
    payload = step3_payload(time_slots=[slot(), slot(start_time="13:00", end_time="17:00")])

    response = client_for(new_owner).post(URL, payload, format="json")

    assert response.status_code == 201
    assert len(response.json()["time_slots"]) == 2


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"clinic_type": "spa"}, "clinic_type"),
        ({"name": "x" * 201}, "name"),
        ({"city": "y" * 101}, "city"),
        ({"name": ""}, "name"),
        ({"city": ""}, "city"),
        ({"pincode": "30200"}, "pincode"),
        ({"email": "not-an-email"}, "email"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"timezone": "../../etc/passwd"}, "timezone"),
        ({"description": "z" * 5001}, "description"),
        ({"phone": "call me"}, "phone"),
        ({"time_slots": "monday"}, "time_slots"),
    ],
)
def test_step3_bad_clinic_fields_are_400(client_for, new_owner, override, field):
    response = client_for(new_owner).post(URL, step3_payload(**override), format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Clinic.objects.exists()


def test_step3_accepts_another_timezone(client_for, new_owner):
    response = client_for(new_owner).post(URL, step3_payload(timezone="Asia/Dubai"), format="json")

    assert response.status_code == 201
    assert response.json()["timezone"] == "Asia/Dubai"


def test_step3_twice_is_409_and_creates_no_second_clinic(client_for, new_owner):
    client = client_for(new_owner)
    assert client.post(URL, step3_payload(), format="json").status_code == 201

    response = client.post(URL, step3_payload(name="Second Clinic"), format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "onboarding_already_complete"
    assert Clinic.objects.count() == 1


def test_slug_is_unique_for_clinics_with_the_same_name(client_for, new_owner, other_owner):
    client_for(new_owner).post(URL, step3_payload(), format="json")
    response = client_for(other_owner).post("/api/clinics/", step3_payload(), format="json")

    assert response.status_code == 201
    assert response.json()["slug"] == "city-care-clinic-2"


def test_a_name_without_letters_still_gets_a_slug(client_for, new_owner):
    response = client_for(new_owner).post(URL, step3_payload(name="!!!"), format="json")

    assert response.status_code == 201
    assert response.json()["slug"] == "clinic"


@pytest.mark.parametrize("persona", ["patient", "doctor", "receptionist", "lab_member"])
def test_step3_is_for_clinic_owners_only(client_for, request, persona):
    user = request.getfixturevalue(persona)
    before = Clinic.objects.count()

    response = client_for(user).post(URL, step3_payload(), format="json")

    assert response.status_code == 403
    assert Clinic.objects.count() == before


def test_step3_needs_a_token(api_client):
    assert api_client.post(URL, step3_payload(), format="json").status_code == 401


def test_a_database_failure_midway_leaves_nothing_behind(new_owner):
    """A window the database refuses (capacity 0 bypasses the serializer) rolls back the clinic."""
    bad = {**slot(), "start_time": dt.time(9), "end_time": dt.time(13), "max_appointments": 0}
    fields = {"name": "City Care Clinic", "clinic_type": "clinic", "city": "Jaipur"}

    with pytest.raises(IntegrityError):
        services.clinic_onboarding_step3(owner=new_owner, data=fields, time_slots=[bad])

    assert not Clinic.objects.exists()
    new_owner.refresh_from_db()
    assert new_owner.is_complete_onboarding is False


def test_step3_creates_the_clinic_for_the_caller_only(client_for, new_owner, other_owner):
    client = client_for(new_owner)

    refused = client.post(URL, step3_payload(owner=str(other_owner.id)), format="json")
    own = client.post(URL, step3_payload(owner=str(new_owner.id)), format="json")

    assert refused.status_code == 400
    assert refused.json() == {"owner": ["This field cannot be changed here."]}
    assert own.status_code == 201
    assert not Clinic.objects.filter(owner=other_owner).exists()
