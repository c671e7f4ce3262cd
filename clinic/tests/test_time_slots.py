"""Weekly opening windows: public read, owner add/change/deactivate, validation, overlaps."""

import datetime as dt

import pytest

from clinic import services
from clinic.models import ClinicTimeSlot
from clinic.tests.conftest import slot
from clinic.tests.factories import ClinicTimeSlotFactory
from clinic.windows import InvalidWindow

pytestmark = pytest.mark.django_db


def slots_url(clinic) -> str:
    return f"/api/clinics/{clinic.id}/slots/"


def slot_url(clinic, slot_id) -> str:
    return f"{slots_url(clinic)}{slot_id}/"


@pytest.fixture
def monday(clinic):
    return ClinicTimeSlotFactory(clinic=clinic)  # Monday 09:00-13:00


def test_anyone_reads_the_active_windows_in_week_order(api_client, clinic, monday):
    sunday = ClinicTimeSlotFactory(clinic=clinic, day_of_week=6)
    ClinicTimeSlotFactory(clinic=clinic, day_of_week=2, is_active=False)

    response = api_client.get(slots_url(clinic))

    assert response.status_code == 200
    assert response.json() == [
        {
            "id": monday.id,
            "clinic": str(clinic.id),
            "day_of_week": 0,
            "day_name": "Monday",
            "start_time": "09:00",
            "end_time": "13:00",
            "slot_duration_minutes": 15,
            "max_appointments": 20,
            "is_active": True,
        },
        {
            "id": sunday.id,
            "clinic": str(clinic.id),
            "day_of_week": 6,
            "day_name": "Sunday",
            "start_time": "09:00",
            "end_time": "13:00",
            "slot_duration_minutes": 15,
            "max_appointments": 20,
            "is_active": True,
        },
    ]


def test_the_owner_also_sees_deactivated_windows(owner_client, clinic, monday):
    ClinicTimeSlotFactory(clinic=clinic, day_of_week=2, is_active=False)

    response = owner_client.get(slots_url(clinic))

    assert [row["is_active"] for row in response.json()] == [True, False]


def test_windows_of_an_inactive_clinic_are_hidden(api_client, owner_client, clinic, monday):
    clinic.is_active = False
    clinic.save()

    assert api_client.get(slots_url(clinic)).status_code == 404
    assert owner_client.get(slots_url(clinic)).status_code == 200


def test_owner_adds_a_window(owner_client, clinic):
    response = owner_client.post(
        slots_url(clinic),
        slot(day_of_week=5, start_time="16:00", end_time="19:30", slot_duration_minutes=30),
        format="json",
    )

    assert response.status_code == 201
    created = ClinicTimeSlot.objects.get()
    assert response.json() == {
        "id": created.id,
        "clinic": str(clinic.id),
        "day_of_week": 5,
        "day_name": "Saturday",
        "start_time": "16:00",
        "end_time": "19:30",
        "slot_duration_minutes": 30,
        "max_appointments": 20,
        "is_active": True,
    }


def test_an_overlapping_window_on_the_same_day_is_409(owner_client, clinic, monday):
    response = owner_client.post(
        slots_url(clinic), slot(start_time="12:30", end_time="15:00"), format="json"
    )

    assert response.status_code == 409
    assert response.json() == {
        "message": "This window overlaps the active Monday window 09:00-13:00. "
        "Windows on one day cannot overlap.",
        "code": "time_slot_overlap",
    }
    assert ClinicTimeSlot.objects.count() == 1


@pytest.mark.parametrize(
    "body",
    [
        slot(start_time="13:00", end_time="17:00"),  # back to back
        slot(start_time="07:00", end_time="09:00"),
        slot(day_of_week=1),  # another day
    ],
)
def test_windows_that_do_not_overlap_are_accepted(owner_client, clinic, monday, body):
    assert owner_client.post(slots_url(clinic), body, format="json").status_code == 201


def test_a_window_may_overlap_a_deactivated_one(owner_client, clinic):
    ClinicTimeSlotFactory(clinic=clinic, is_active=False)

    assert owner_client.post(slots_url(clinic), slot(), format="json").status_code == 201


def test_a_window_of_another_clinic_never_conflicts(owner_client, clinic, other_clinic):
    ClinicTimeSlotFactory(clinic=other_clinic)

    assert owner_client.post(slots_url(clinic), slot(), format="json").status_code == 201


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (slot(day_of_week=7), {"day_of_week": ["Ensure this value is less than or equal to 6."]}),
        (slot(end_time="08:00"), {"end_time": ["end_time must be later than start_time."]}),
        (slot(end_time="09:00"), {"end_time": ["end_time must be later than start_time."]}),
        (
            slot(end_time="09:10"),
            {
                "slot_duration_minutes": [
                    "slot_duration_minutes cannot be longer than the window (10 minutes)."
                ]
            },
        ),
        (
            slot(slot_duration_minutes=4),
            {"slot_duration_minutes": ["Ensure this value is greater than or equal to 5."]},
        ),
        (
            slot(slot_duration_minutes=241),
            {"slot_duration_minutes": ["Ensure this value is less than or equal to 240."]},
        ),
        (
            slot(max_appointments=0),
            {"max_appointments": ["Ensure this value is greater than or equal to 1."]},
        ),
    ],
)
def test_invalid_windows_are_400_with_field_errors(owner_client, clinic, body, errors):
    response = owner_client.post(slots_url(clinic), body, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    assert not ClinicTimeSlot.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        slot(day_of_week="monday"),
        slot(start_time="9am"),
        slot(start_time="24:00"),
        slot(max_appointments="many"),
        slot(slot_duration_minutes=15.5),
        slot(max_appointments=10**12),
        {"day_of_week": 0},
    ],
)
def test_malformed_windows_are_400(owner_client, clinic, body):
    assert owner_client.post(slots_url(clinic), body, format="json").status_code == 400


def test_owner_changes_a_window_with_put_and_patch(owner_client, clinic, monday):
    put = owner_client.put(
        slot_url(clinic, monday.id),
        slot(start_time="10:00", end_time="14:00", slot_duration_minutes=20, max_appointments=12),
        format="json",
    )
    patch = owner_client.patch(slot_url(clinic, monday.id), {"end_time": "15:00"}, format="json")

    assert put.status_code == 200
    assert patch.status_code == 200
    assert patch.json()["start_time"] == "10:00"
    assert patch.json()["end_time"] == "15:00"
    assert patch.json()["max_appointments"] == 12


def test_patch_is_checked_against_the_stored_values(owner_client, clinic, monday):
    response = owner_client.patch(slot_url(clinic, monday.id), {"end_time": "08:30"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"end_time": ["end_time must be later than start_time."]}


def test_moving_a_window_onto_another_is_409(owner_client, clinic, monday):
    afternoon = ClinicTimeSlotFactory(clinic=clinic, start_time="14:00", end_time="18:00")

    response = owner_client.patch(
        slot_url(clinic, afternoon.id), {"start_time": "12:00"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "time_slot_overlap"


def test_a_window_may_be_edited_in_place(owner_client, clinic, monday):
    response = owner_client.patch(
        slot_url(clinic, monday.id), {"max_appointments": 30}, format="json"
    )

    assert response.status_code == 200


def test_delete_deactivates_and_patch_restores(owner_client, api_client, clinic, monday):
    response = owner_client.delete(slot_url(clinic, monday.id))

    assert response.status_code == 204
    monday.refresh_from_db()
    assert monday.is_active is False
    assert api_client.get(slots_url(clinic)).json() == []
    assert owner_client.delete(slot_url(clinic, monday.id)).status_code == 204
    restored = owner_client.patch(slot_url(clinic, monday.id), {"is_active": True}, format="json")
    assert restored.status_code == 200
    assert restored.json()["is_active"] is True


def test_restoring_a_window_that_now_overlaps_is_409(owner_client, clinic):
    old = ClinicTimeSlotFactory(clinic=clinic, is_active=False)
    ClinicTimeSlotFactory(clinic=clinic, start_time="10:00", end_time="11:00")

    response = owner_client.patch(slot_url(clinic, old.id), {"is_active": True}, format="json")

    assert response.status_code == 409


def test_a_window_of_another_clinic_is_404_under_mine(owner_client, clinic, other_clinic):
    theirs = ClinicTimeSlotFactory(clinic=other_clinic)

    assert owner_client.get(slot_url(clinic, theirs.id)).status_code == 404
    assert owner_client.delete(slot_url(clinic, theirs.id)).status_code == 404


@pytest.mark.parametrize("slot_id", ["abc", "1.5", "-1"])
def test_non_integer_slot_ids_are_404(owner_client, clinic, slot_id):
    assert owner_client.get(f"{slots_url(clinic)}{slot_id}/").status_code == 404


def test_a_deactivated_window_is_404_publicly(api_client, clinic):
    gone = ClinicTimeSlotFactory(clinic=clinic, is_active=False)

    assert api_client.get(slot_url(clinic, gone.id)).status_code == 404


def test_another_owner_cannot_change_my_windows(client_for, clinic, other_owner, monday):
    client = client_for(other_owner)

    assert client.post(slots_url(clinic), slot(day_of_week=3), format="json").status_code == 403
    assert (
        client.patch(
            slot_url(clinic, monday.id), {"max_appointments": 1}, format="json"
        ).status_code
        == 403
    )
    assert client.delete(slot_url(clinic, monday.id)).status_code == 403
    monday.refresh_from_db()
    assert (monday.is_active, monday.max_appointments) == (True, 20)


@pytest.mark.parametrize("persona", ["patient", "doctor", "receptionist", "lab_member"])
def test_patients_and_staff_cannot_change_windows(client_for, request, clinic, monday, persona):
    client = client_for(request.getfixturevalue(persona))

    assert client.post(slots_url(clinic), slot(day_of_week=3), format="json").status_code == 403
    assert client.delete(slot_url(clinic, monday.id)).status_code == 403


def test_anonymous_cannot_change_windows(api_client, clinic, monday):
    assert api_client.post(slots_url(clinic), slot(), format="json").status_code == 401
    assert api_client.put(slot_url(clinic, monday.id), slot(), format="json").status_code == 401
    assert api_client.delete(slot_url(clinic, monday.id)).status_code == 401


# --- PUT is partial, checked with the stored values -------------------------------------

UNCHANGEABLE = ["This field cannot be changed here."]


def stored_window(slot_row):
    slot_row.refresh_from_db()
    return (
        slot_row.day_of_week,
        slot_row.start_time.strftime("%H:%M"),
        slot_row.end_time.strftime("%H:%M"),
        slot_row.slot_duration_minutes,
        slot_row.max_appointments,
    )


def test_a_put_with_one_field_changes_only_it(owner_client, clinic, monday):
    response = owner_client.put(slot_url(clinic, monday.id), {"max_appointments": 7}, format="json")

    assert response.status_code == 200
    assert stored_window(monday) == (0, "09:00", "13:00", 15, 7)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"end_time": "08:00", "max_appointments": 7}, "end_time"),  # before the stored start
        ({"start_time": "14:00", "max_appointments": 7}, "end_time"),  # after the stored end
        ({"end_time": "09:10", "max_appointments": 7}, "slot_duration_minutes"),
    ],
)
def test_a_put_whose_merged_window_is_invalid_is_400_and_changes_nothing(
    owner_client, clinic, monday, body, field
):
    response = owner_client.put(slot_url(clinic, monday.id), body, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert stored_window(monday) == (0, "09:00", "13:00", 15, 20)


def test_a_put_moving_the_merged_window_onto_another_is_409(owner_client, clinic, monday):
    afternoon = ClinicTimeSlotFactory(clinic=clinic, start_time="14:00", end_time="18:00")

    response = owner_client.put(
        slot_url(clinic, afternoon.id), {"start_time": "12:00"}, format="json"
    )

    assert response.status_code == 409
    assert stored_window(afternoon)[1] == "14:00"


def test_the_window_echoed_back_with_a_change_is_accepted(owner_client, clinic, monday):
    body = {**owner_client.get(slot_url(clinic, monday.id)).json(), "end_time": "12:00"}

    response = owner_client.put(slot_url(clinic, monday.id), body, format="json")

    assert response.status_code == 200, response.json()
    assert response.json() == body


def test_its_id_and_clinic_cannot_be_changed(owner_client, clinic, other_clinic, monday):
    other = ClinicTimeSlotFactory(clinic=clinic, day_of_week=3)

    response = owner_client.put(
        slot_url(clinic, monday.id),
        {"id": other.id, "clinic": str(other_clinic.id), "max_appointments": 7},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"id": UNCHANGEABLE, "clinic": UNCHANGEABLE}
    assert stored_window(monday)[4] == 20


def test_a_window_is_added_to_the_clinic_in_the_url_only(owner_client, clinic, other_clinic):
    refused = owner_client.post(slots_url(clinic), slot(clinic=str(other_clinic.id)), format="json")
    own = owner_client.post(slots_url(clinic), slot(clinic=str(clinic.id)), format="json")

    assert refused.status_code == 400
    assert refused.json() == {"clinic": UNCHANGEABLE}
    assert own.status_code == 201
    assert not ClinicTimeSlot.objects.filter(clinic=other_clinic).exists()


# --- the services check the window too, with the one window error -----------------------


def window_data(**overrides):
    return {
        "day_of_week": 0,
        "start_time": dt.time(9),
        "end_time": dt.time(13),
        "slot_duration_minutes": 15,
        "max_appointments": 20,
        **overrides,
    }


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"end_time": dt.time(8)}, {"end_time": ["end_time must be later than start_time."]}),
        (
            {"end_time": dt.time(9, 10)},
            {
                "slot_duration_minutes": [
                    "slot_duration_minutes cannot be longer than the window (10 minutes)."
                ]
            },
        ),
    ],
)
def test_the_window_services_raise_the_one_window_error(clinic, monday, overrides, errors):
    bad = window_data(**overrides)
    with pytest.raises(InvalidWindow) as created:
        services.time_slot_create(clinic=clinic, data=bad)
    with pytest.raises(InvalidWindow) as updated:
        services.time_slot_update(slot=monday, data=overrides)
    with pytest.raises(InvalidWindow) as with_clinic:
        services.clinic_create(
            owner=clinic.owner, data={"name": "X", "city": "Y"}, time_slots=[bad]
        )

    assert created.value.fields == updated.value.fields == with_clinic.value.fields == errors
    assert stored_window(monday) == (0, "09:00", "13:00", 15, 20)
    assert ClinicTimeSlot.objects.count() == 1
