"""Weekly availability: public reads, and writes by the doctor themself only."""

import datetime as dt

import pytest

from clinic.tests.factories import ClinicFactory, ClinicMemberFactory
from clinic.windows import InvalidWindow
from doctors import services
from doctors.models import DoctorAvailability
from doctors.tests.factories import DoctorAvailabilityFactory

pytestmark = pytest.mark.django_db


def url(doctor) -> str:
    return f"/api/doctors/{doctor.pk}/availability/"


def row_url(doctor, row) -> str:
    return f"/api/doctors/{doctor.pk}/availability/{row.pk}/"


@pytest.fixture
def body(clinic):
    return {
        "clinic": str(clinic.pk),
        "day": "monday",
        "start_time": "09:00",
        "end_time": "13:00",
        "slot_duration_minutes": 15,
        "max_patients": 20,
    }


# --- GET -------------------------------------------------------------------------------


def test_public_list_shows_active_windows_as_the_client_reads_them(
    api_client, doctor_profile, clinic, monday_window
):
    DoctorAvailabilityFactory(
        doctor=doctor_profile,
        clinic=clinic,
        day_of_week=4,
        start_time=dt.time(17, 0),
        end_time=dt.time(19, 30),
        slot_duration_minutes=30,
        max_patients=5,
    )
    DoctorAvailabilityFactory(doctor=doctor_profile, clinic=clinic, day_of_week=2, is_active=False)
    response = api_client.get(url(doctor_profile))
    assert response.status_code == 200
    assert response.headers["X-Total-Count"] == "2"
    assert response.json()[0] == {
        "id": monday_window.pk,
        "clinic": str(clinic.pk),
        "clinic_name": "City Care Clinic",
        "day": "monday",
        "day_of_week": 0,
        "start_time": "09:00",
        "end_time": "13:00",
        "slot_duration_minutes": 15,
        "max_patients": 20,
        "is_active": True,
    }
    assert [(r["day"], r["start_time"]) for r in response.json()] == [
        ("monday", "09:00"),
        ("friday", "17:00"),
    ]


def test_windows_at_a_clinic_the_doctor_left_are_not_shown(
    api_client, doctor_profile, other_clinic, monday_window
):
    old = ClinicMemberFactory(
        clinic=other_clinic, user=doctor_profile.user, member_role="doctor", status="inactive"
    )
    DoctorAvailabilityFactory(doctor=doctor_profile, clinic=old.clinic, day_of_week=3)
    response = api_client.get(url(doctor_profile))
    assert [row["id"] for row in response.json()] == [monday_window.pk]


def test_clinic_id_filter(api_client, doctor_profile, clinic, other_clinic, monday_window):
    assert len(api_client.get(url(doctor_profile), {"clinic_id": str(clinic.pk)}).json()) == 1
    assert api_client.get(url(doctor_profile), {"clinic_id": str(other_clinic.pk)}).json() == []
    response = api_client.get(url(doctor_profile), {"clinic_id": "nope"})
    assert response.status_code == 400
    assert "clinic_id" in response.json()


def test_unknown_doctor_is_404(api_client):
    assert api_client.get("/api/doctors/424242/availability/").status_code == 404
    assert api_client.get("/api/doctors/x/availability/").status_code == 404


def test_list_query_count_is_constant(
    api_client, doctor_profile, clinic, django_assert_num_queries
):
    for day in range(7):
        DoctorAvailabilityFactory(doctor=doctor_profile, clinic=clinic, day_of_week=day)
    with django_assert_num_queries(2):  # doctor, a short page (with clinic; no COUNT)
        assert len(api_client.get(url(doctor_profile)).json()) == 7


# --- POST ------------------------------------------------------------------------------


def test_doctor_adds_a_window_with_a_day_name(client_for, doctor, doctor_profile, clinic, body):
    response = client_for(doctor).post(url(doctor_profile), {**body, "day": "Wednesday"})
    assert response.status_code == 201
    row = DoctorAvailability.objects.get()
    assert response.json() == {
        "id": row.pk,
        "clinic": str(clinic.pk),
        "clinic_name": "City Care Clinic",
        "day": "wednesday",
        "day_of_week": 2,
        "start_time": "09:00",
        "end_time": "13:00",
        "slot_duration_minutes": 15,
        "max_patients": 20,
        "is_active": True,
    }
    assert row.doctor == doctor_profile


def test_day_of_week_is_accepted_instead_of_a_name(client_for, doctor, doctor_profile, body):
    body.pop("day")
    response = client_for(doctor).post(url(doctor_profile), {**body, "day_of_week": 6})
    assert response.status_code == 201
    assert response.json()["day"] == "sunday"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"day": "funday"}, "day"),
        ({"day": None}, "day"),
        ({"day": "monday", "day_of_week": 3}, "day"),
        ({"day_of_week": 7}, "day_of_week"),
        ({"start_time": "13:00", "end_time": "09:00"}, "end_time"),
        ({"start_time": "09:00", "end_time": "09:00"}, "end_time"),
        ({"start_time": "25:00"}, "start_time"),
        ({"start_time": "09:00:30"}, "start_time"),
        ({"slot_duration_minutes": 4}, "slot_duration_minutes"),
        ({"slot_duration_minutes": 241}, "slot_duration_minutes"),
        ({"slot_duration_minutes": "fifteen"}, "slot_duration_minutes"),
        ({"end_time": "09:10", "slot_duration_minutes": 15}, "slot_duration_minutes"),
        ({"max_patients": 0}, "max_patients"),
        ({"max_patients": 10**12}, "max_patients"),
        ({"clinic": "not-a-uuid"}, "clinic"),
    ],
)
def test_bad_windows_are_400(client_for, doctor, doctor_profile, body, changes, field):
    payload = {**body, **changes}
    if payload.get("day") is None:
        payload.pop("day")
    response = client_for(doctor).post(url(doctor_profile), payload)
    assert response.status_code == 400
    assert field in response.json()
    assert not DoctorAvailability.objects.exists()


def test_a_window_exactly_one_slot_long_is_fine(client_for, doctor, doctor_profile, body):
    payload = {**body, "end_time": "09:15", "slot_duration_minutes": 15}
    assert client_for(doctor).post(url(doctor_profile), payload).status_code == 201


def test_overlapping_windows_on_a_weekday_are_409(
    client_for, doctor, doctor_profile, monday_window, body
):
    response = client_for(doctor).post(
        url(doctor_profile), {**body, "start_time": "12:45", "end_time": "14:00"}
    )
    assert response.status_code == 409
    assert response.json() == {
        "message": "Overlaps your monday window 09:00-13:00 at City Care Clinic.",
        "code": "availability_overlap",
        "conflicting_availability_id": monday_window.pk,
    }


def test_touching_windows_and_other_weekdays_do_not_overlap(
    client_for, doctor, doctor_profile, monday_window, body
):
    client = client_for(doctor)
    assert (
        client.post(
            url(doctor_profile), {**body, "start_time": "13:00", "end_time": "14:00"}
        ).status_code
        == 201
    )
    assert client.post(url(doctor_profile), {**body, "day": "tuesday"}).status_code == 201


def test_an_inactive_window_does_not_block(client_for, doctor, doctor_profile, monday_window, body):
    monday_window.is_active = False
    monday_window.save()
    assert client_for(doctor).post(url(doctor_profile), body).status_code == 201


def test_overlap_is_checked_across_clinics(
    client_for, doctor, doctor_profile, clinic, other_clinic, body
):
    membership = doctor_profile.user.clinic_memberships.get()
    DoctorAvailabilityFactory(doctor=doctor_profile, clinic=other_clinic, day_of_week=0)
    response = client_for(doctor).post(url(doctor_profile), body)
    assert response.status_code == 409
    assert "Apollo Clinic" in response.json()["message"]
    assert membership.clinic == clinic


def test_a_doctor_cannot_set_another_doctors_availability(
    client_for, doctor, other_doctor_profile, other_clinic, body
):
    response = client_for(doctor).post(
        url(other_doctor_profile), {**body, "clinic": str(other_clinic.pk)}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "not_own_profile"
    assert not DoctorAvailability.objects.exists()


def test_a_doctor_cannot_set_availability_at_a_clinic_they_left(
    client_for, doctor, doctor_profile, body
):
    doctor_profile.user.clinic_memberships.update(status="inactive", left_at=dt.date.today())
    response = client_for(doctor).post(url(doctor_profile), body)
    assert response.status_code == 403
    assert response.json() == {
        "message": "You can set availability only at a clinic where you are an active doctor.",
        "code": "not_clinic_member",
    }


def test_a_doctor_cannot_set_availability_at_a_clinic_they_never_joined(
    client_for, doctor, doctor_profile, other_clinic, body
):
    response = client_for(doctor).post(
        url(doctor_profile), {**body, "clinic": str(other_clinic.pk)}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "not_clinic_member"


def test_a_closed_clinic_takes_no_availability(client_for, doctor, doctor_profile, clinic, body):
    clinic.is_active = False
    clinic.save()
    assert client_for(doctor).post(url(doctor_profile), body).status_code == 403


@pytest.mark.parametrize("persona", ["patient", "clinic_owner", "receptionist", "superadmin"])
def test_non_doctors_cannot_post_availability(request, client_for, doctor_profile, body, persona):
    user = request.getfixturevalue(persona)
    assert client_for(user).post(url(doctor_profile), body).status_code == 403
    assert not DoctorAvailability.objects.exists()


def test_posting_needs_authentication(api_client, doctor_profile, body):
    assert api_client.post(url(doctor_profile), body).status_code == 401


def test_posting_for_an_unknown_doctor_is_404(client_for, doctor, body):
    assert client_for(doctor).post("/api/doctors/999999/availability/", body).status_code == 404


# --- PUT / PATCH / DELETE --------------------------------------------------------------


def test_patch_moves_a_window(client_for, doctor, doctor_profile, monday_window):
    response = client_for(doctor).patch(
        row_url(doctor_profile, monday_window), {"day": "friday", "end_time": "12:00"}
    )
    assert response.status_code == 200
    assert response.json()["day"] == "friday"
    assert response.json()["end_time"] == "12:00"
    monday_window.refresh_from_db()
    assert (monday_window.day_of_week, monday_window.end_time) == (4, dt.time(12, 0))


def test_put_replaces_a_window(client_for, doctor, doctor_profile, monday_window, body):
    payload = {**body, "start_time": "10:00", "max_patients": 8}
    response = client_for(doctor).put(row_url(doctor_profile, monday_window), payload)
    assert response.status_code == 200
    assert (response.json()["start_time"], response.json()["max_patients"]) == ("10:00", 8)


UNCHANGEABLE = ["This field cannot be changed here."]


def stored_window(row):
    row.refresh_from_db()
    return (
        row.day_of_week,
        row.start_time.strftime("%H:%M"),
        row.end_time.strftime("%H:%M"),
        row.slot_duration_minutes,
        row.max_patients,
        row.is_active,
    )


def test_a_put_with_one_field_changes_only_it(client_for, doctor, doctor_profile, monday_window):
    response = client_for(doctor).put(row_url(doctor_profile, monday_window), {"max_patients": 8})
    assert response.status_code == 200
    assert stored_window(monday_window) == (0, "09:00", "13:00", 15, 8, True)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"end_time": "08:00", "max_patients": 8}, "end_time"),  # before the stored start
        ({"start_time": "14:00", "max_patients": 8}, "end_time"),  # after the stored end
        ({"end_time": "09:10", "max_patients": 8}, "slot_duration_minutes"),
    ],
)
def test_a_put_whose_merged_window_is_invalid_is_400_and_changes_nothing(
    client_for, doctor, doctor_profile, monday_window, body, field
):
    response = client_for(doctor).put(row_url(doctor_profile, monday_window), body)
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert stored_window(monday_window) == (0, "09:00", "13:00", 15, 20, True)


def test_a_put_overlap_is_checked_on_the_merged_window(
    client_for, doctor, doctor_profile, clinic, monday_window
):
    afternoon = DoctorAvailabilityFactory(
        doctor=doctor_profile, clinic=clinic, start_time=dt.time(14, 0), end_time=dt.time(16, 0)
    )
    response = client_for(doctor).put(row_url(doctor_profile, afternoon), {"start_time": "12:00"})
    assert response.status_code == 409
    assert stored_window(afternoon)[1] == "14:00"


def test_the_window_echoed_back_with_a_change_is_accepted(
    client_for, doctor, doctor_profile, monday_window
):
    client = client_for(doctor)
    body = {**client.get(url(doctor_profile)).json()[0], "max_patients": 9}
    response = client.put(row_url(doctor_profile, monday_window), body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json() == body


def test_its_id_and_doctor_cannot_be_changed(
    client_for, doctor, doctor_profile, other_doctor_profile, clinic, monday_window
):
    other = DoctorAvailabilityFactory(doctor=doctor_profile, clinic=clinic, day_of_week=3)
    response = client_for(doctor).put(
        row_url(doctor_profile, monday_window),
        {"id": other.pk, "doctor": other_doctor_profile.pk, "max_patients": 8},
    )
    assert response.status_code == 400
    assert response.json() == {"id": UNCHANGEABLE, "doctor": UNCHANGEABLE}
    assert stored_window(monday_window)[4] == 20


def test_a_window_is_added_for_the_doctor_in_the_url_only(
    client_for, doctor, doctor_profile, other_doctor_profile, body
):
    client = client_for(doctor)
    refused = client.post(url(doctor_profile), {**body, "doctor": other_doctor_profile.pk})
    own = client.post(url(doctor_profile), {**body, "doctor": doctor_profile.pk})
    assert refused.status_code == 400
    assert refused.json() == {"doctor": UNCHANGEABLE}
    assert own.status_code == 201
    assert not DoctorAvailability.objects.filter(doctor=other_doctor_profile).exists()


def test_update_checks_the_window_against_its_stored_values(
    client_for, doctor, doctor_profile, monday_window
):
    response = client_for(doctor).patch(
        row_url(doctor_profile, monday_window), {"start_time": "14:00"}
    )
    assert response.status_code == 400
    assert "end_time" in response.json()


def test_update_cannot_overlap_another_window_but_may_overlap_itself(
    client_for, doctor, doctor_profile, clinic, monday_window
):
    afternoon = DoctorAvailabilityFactory(
        doctor=doctor_profile, clinic=clinic, start_time=dt.time(14, 0), end_time=dt.time(16, 0)
    )
    client = client_for(doctor)
    assert (
        client.patch(row_url(doctor_profile, monday_window), {"end_time": "12:00"}).status_code
        == 200
    )
    response = client.patch(row_url(doctor_profile, afternoon), {"start_time": "11:00"})
    assert response.status_code == 409


def test_delete_deactivates(client_for, doctor, doctor_profile, monday_window, api_client):
    response = client_for(doctor).delete(row_url(doctor_profile, monday_window))
    assert response.status_code == 204
    monday_window.refresh_from_db()
    assert monday_window.is_active is False
    assert api_client.get(url(doctor_profile)).json() == []


def test_reactivating_checks_overlap(client_for, doctor, doctor_profile, clinic, monday_window):
    monday_window.is_active = False
    monday_window.save()
    DoctorAvailabilityFactory(doctor=doctor_profile, clinic=clinic)
    response = client_for(doctor).patch(row_url(doctor_profile, monday_window), {"is_active": True})
    assert response.status_code == 409


def test_a_doctor_cannot_touch_another_doctors_window(
    client_for, doctor, other_doctor_profile, other_clinic
):
    row = DoctorAvailabilityFactory(doctor=other_doctor_profile, clinic=other_clinic)
    client = client_for(doctor)
    assert client.patch(row_url(other_doctor_profile, row), {"max_patients": 1}).status_code == 403
    assert client.delete(row_url(other_doctor_profile, row)).status_code == 403
    row.refresh_from_db()
    assert (row.max_patients, row.is_active) == (20, True)


def test_a_window_of_another_doctor_under_my_id_is_404(
    client_for, doctor, doctor_profile, other_doctor_profile, other_clinic
):
    row = DoctorAvailabilityFactory(doctor=other_doctor_profile, clinic=other_clinic)
    assert client_for(doctor).delete(row_url(doctor_profile, row)).status_code == 404
    assert (
        client_for(doctor).delete(f"/api/doctors/{doctor_profile.pk}/availability/x/").status_code
        == 404
    )


def test_moving_a_window_to_a_clinic_the_doctor_is_not_in_is_403(
    client_for, doctor, doctor_profile, monday_window
):
    elsewhere = ClinicFactory()
    response = client_for(doctor).patch(
        row_url(doctor_profile, monday_window), {"clinic": str(elsewhere.pk)}
    )
    assert response.status_code == 403


def test_patients_cannot_update_windows(client_for, patient, doctor_profile, monday_window):
    response = client_for(patient).patch(
        row_url(doctor_profile, monday_window), {"max_patients": 1}
    )
    assert response.status_code == 403


# --- one rule, one answer, shared with the clinic's own windows -------------------------

LONGER_THAN_WINDOW = "slot_duration_minutes cannot be longer than the window (10 minutes)."


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"end_time": "08:00"}, {"end_time": ["end_time must be later than start_time."]}),
        ({"end_time": "09:00"}, {"end_time": ["end_time must be later than start_time."]}),
        ({"end_time": "09:10"}, {"slot_duration_minutes": [LONGER_THAN_WINDOW]}),
    ],
)
def test_a_bad_window_is_answered_as_a_clinic_window_is(
    client_for, doctor, doctor_profile, clinic, clinic_owner, body, changes, errors
):
    as_availability = client_for(doctor).post(url(doctor_profile), {**body, **changes})
    as_clinic_slot = client_for(clinic_owner).post(
        f"/api/clinics/{clinic.pk}/slots/",
        {
            "day_of_week": 0,
            "start_time": "09:00",
            "end_time": "13:00",
            "slot_duration_minutes": 15,
            "max_appointments": 20,
            **changes,
        },
        format="json",
    )
    assert (as_availability.status_code, as_availability.json()) == (400, errors)
    assert (as_clinic_slot.status_code, as_clinic_slot.json()) == (400, errors)


def test_a_merged_window_that_breaks_a_rule_says_so_in_the_shared_words(
    client_for, doctor, doctor_profile, monday_window
):
    response = client_for(doctor).patch(
        row_url(doctor_profile, monday_window), {"start_time": "14:00"}
    )
    assert response.status_code == 400
    assert response.json() == {"end_time": ["end_time must be later than start_time."]}


def test_the_availability_services_raise_the_one_window_error(doctor_profile, monday_window):
    spec = services.WindowSpec(
        clinic_id=monday_window.clinic_id,
        day_of_week=1,
        start_time=dt.time(9),
        end_time=dt.time(9, 10),
        slot_duration_minutes=15,
        max_patients=5,
    )
    with pytest.raises(InvalidWindow) as created:
        services.availability_create(doctor=doctor_profile, spec=spec)
    with pytest.raises(InvalidWindow) as updated:
        services.availability_update(availability=monday_window, changes={"end_time": dt.time(8)})
    assert created.value.fields == {"slot_duration_minutes": [LONGER_THAN_WINDOW]}
    assert updated.value.fields == {"end_time": ["end_time must be later than start_time."]}
    assert DoctorAvailability.objects.count() == 1
