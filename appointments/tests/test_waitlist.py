"""The waitlist: joining, offers that hold a freed slot for the first waiting patient (hidden
from everyone else), accept, decline, leave and expiry, each passing the slot on."""

import datetime as dt

import pytest
from django.core.management import call_command

from appointments.models import Appointment
from appointments.tests.conftest import IST, NEXT_MONDAY, NOW
from appointments.waitlist.models import WaitlistEntry
from doctors.tests.factories import DoctorLeaveFactory
from notifications.models import Kind, Notification
from users.tests.factories import PatientFactory

pytestmark = pytest.mark.django_db
URL = "/api/appointments/waitlist/"


def slots_url(doctor_id: int) -> str:
    return f"/api/doctors/{doctor_id}/availability/slots/?date={NEXT_MONDAY}&explain=true"


def join_body(doctor_id: int, **extra) -> dict:
    return {"doctor": doctor_id, "date": NEXT_MONDAY.isoformat(), **extra}


@pytest.fixture
def taken(book, other_patient):
    """09:30 next Monday is booked by `other_patient`."""
    response = book(other_patient)
    assert response.status_code == 201
    return Appointment.objects.get(pk=response.json()["id"])


@pytest.fixture
def join(client_for, doctor_profile):
    """join(user) -> response of waiting for 09:30 only (09:30-09:30)."""

    def do(user, **extra):
        body = join_body(doctor_profile.pk, from_time="09:30", to_time="09:30", **extra)
        return client_for(user).post(URL, body, format="json")

    return do


def cancel(client_for, appointment):
    response = client_for(appointment.patient).patch(
        f"/api/appointments/my/{appointment.pk}/", {"status": "cancelled"}, format="json"
    )
    assert response.status_code == 200


def test_joining_while_matching_slots_are_free_is_a_409(client_for, patient, doctor_profile, book):
    book(PatientFactory())  # 09:30 taken; the rest of the morning is free
    body = join_body(doctor_profile.pk, from_time="09:15", to_time="09:45")

    response = client_for(patient).post(URL, body, format="json")

    assert response.status_code == 409
    assert response.json() == {
        "message": "Matching slots are free on this day: book one of them instead.",
        "code": "waitlist_slots_free",
        "available_slots": ["09:15", "09:45"],
    }


def test_joining_a_taken_time(join, patient, taken, client_for):
    response = join(patient, notes="Back pain")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["from_time"], body["to_time"], body["offer"]) == (
        "waiting",
        "09:30",
        "09:30",
        None,
    )
    assert body["notes"] == "Back pain"
    assert response["Location"].endswith(f"{URL}{body['id']}/")
    assert join(patient).json()["code"] == "waitlist_already_joined"
    assert [row["id"] for row in client_for(patient).get(URL).json()] == [body["id"]]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"date": "2026-02-23"}, "past_date"),
        ({"date": "2026-03-10"}, "outside_availability"),  # a Tuesday: no window
        ({"date": "2026-09-07"}, "beyond_horizon"),
        ({"doctor": 999999}, "doctor_not_found"),
        ({"from_time": "11:00", "to_time": "10:00"}, None),
        ({"date": "soon"}, None),
    ],
)
def test_bad_joins_are_a_400(client_for, patient, doctor_profile, monday_window, body, code):
    response = client_for(patient).post(
        URL, {**join_body(doctor_profile.pk), **body}, format="json"
    )

    assert response.status_code == 400, response.json()
    if code:
        assert response.json()["code"] == code


@pytest.mark.parametrize("persona", ["doctor", "receptionist", "clinic_owner"])
def test_only_patients_use_the_waitlist(client_for, doctor_profile, persona, request):
    client = client_for(request.getfixturevalue(persona))
    assert client.post(URL, join_body(doctor_profile.pk), format="json").status_code == 403
    assert client.get(URL).status_code == 403


def test_a_freed_slot_is_held_for_the_first_patient_and_hidden_from_everyone_else(
    client_for, api_client, join, patient, taken, doctor_profile, book, sms_outbox
):
    entry_id = join(patient).json()["id"]
    join(PatientFactory())  # second in line

    cancel(client_for, taken)

    mine = client_for(patient).get(f"{URL}{entry_id}/").json()
    assert mine["status"] == "offered"
    assert mine["offer"]["time"] == "09:30"
    assert mine["offer"]["expires_at"] == "2026-03-02T02:40:00Z"  # 08:00 IST + 10 minutes
    listing = api_client.get(slots_url(doctor_profile.pk)).json()
    assert "09:30" not in listing["available_slots"]
    assert {"time": "09:30", "reason": "held"} in listing["hidden"]
    stranger = book(PatientFactory())
    assert stranger.status_code == 409
    assert stranger.json()["code"] == "held"
    notice = Notification.objects.get(recipient=patient, kind=Kind.WAITLIST_OFFER, channel="sms")
    assert notice.body == (
        "QuickCare: a slot with Dr. Suresh Yadav at City Care Clinic on 9 March 2026 at 09:30 "
        "is free and held for you until 2 March 08:10. Accept it in the app."
    )


def test_the_holder_accepts_and_the_slot_is_booked_for_them(client_for, join, patient, taken):
    entry_id = join(patient, notes="Back pain").json()["id"]
    cancel(client_for, taken)

    response = client_for(patient).post(f"{URL}{entry_id}/accept/")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["appointment_time"], body["status"], body["notes"]) == (
        "09:30",
        "pending",
        "Back pain",
    )
    assert body["history"][0]["reason"] == f"waitlist offer #{entry_id}"
    entry = WaitlistEntry.objects.get(pk=entry_id)
    assert (entry.status, entry.appointment_id) == ("booked", body["id"])
    again = client_for(patient).post(f"{URL}{entry_id}/accept/")
    assert (again.status_code, again.json()["code"]) == (400, "waitlist_no_offer")


def test_the_holder_may_also_book_the_held_slot_directly(client_for, book, join, patient, taken):
    entry_id = join(patient).json()["id"]
    cancel(client_for, taken)

    assert book(patient).status_code == 201
    assert WaitlistEntry.objects.get(pk=entry_id).status == "booked"


def test_an_expired_offer_moves_to_the_next_patient(
    client_for, api_client, join, patient, taken, clock, doctor_profile
):
    first = join(patient).json()["id"]
    second_patient = PatientFactory()
    second = join(second_patient).json()["id"]
    cancel(client_for, taken)

    clock.move_to(NOW + dt.timedelta(minutes=11))
    call_command("waitlist_expire", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert WaitlistEntry.objects.get(pk=first).status == "expired"
    moved = WaitlistEntry.objects.get(pk=second)
    assert (moved.status, moved.offered_time) == ("offered", dt.time(9, 30))
    assert Notification.objects.filter(recipient=patient, kind=Kind.WAITLIST_OFFER_EXPIRED).exists()
    late = client_for(patient).post(f"{URL}{first}/accept/")
    assert (late.status_code, late.json()["code"]) == (400, "waitlist_no_offer")
    listing = api_client.get(slots_url(doctor_profile.pk)).json()
    assert {"time": "09:30", "reason": "held"} in listing["hidden"]

    # The second hold runs out too and nobody waits: the slot is free for anyone.
    clock.move_to(NOW + dt.timedelta(minutes=25))
    call_command("waitlist_expire", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert "09:30" in api_client.get(slots_url(doctor_profile.pk)).json()["available_slots"]


def test_accepting_after_the_hold_ran_out_expires_it_lazily(
    client_for, join, patient, taken, clock
):
    first = join(patient).json()["id"]
    second = join(PatientFactory()).json()["id"]
    cancel(client_for, taken)
    clock.move_to(NOW + dt.timedelta(minutes=10))

    response = client_for(patient).post(f"{URL}{first}/accept/")

    assert (response.status_code, response.json()["code"]) == (400, "waitlist_no_offer")
    assert WaitlistEntry.objects.get(pk=first).status == "expired"
    assert WaitlistEntry.objects.get(pk=second).status == "offered"


def test_reading_the_list_expires_run_out_offers(client_for, join, patient, taken, clock):
    first = join(patient).json()["id"]
    cancel(client_for, taken)
    clock.move_to(NOW + dt.timedelta(minutes=10))

    rows = client_for(patient).get(URL).json()

    assert [(row["id"], row["status"], row["offer"]) for row in rows] == [(first, "expired", None)]


def test_declining_passes_the_slot_on(client_for, join, patient, taken):
    first = join(patient).json()["id"]
    second = join(PatientFactory()).json()["id"]
    cancel(client_for, taken)

    response = client_for(patient).post(f"{URL}{first}/decline/")

    assert (response.status_code, response.json()["status"]) == (200, "declined")
    assert WaitlistEntry.objects.get(pk=second).status == "offered"
    again = client_for(patient).post(f"{URL}{first}/decline/")
    assert (again.status_code, again.json()["code"]) == (400, "waitlist_no_offer")


def test_leaving_passes_a_held_slot_on(client_for, join, patient, taken):
    first = join(patient).json()["id"]
    second = join(PatientFactory()).json()["id"]
    cancel(client_for, taken)

    assert client_for(patient).delete(f"{URL}{first}/").status_code == 204

    assert WaitlistEntry.objects.get(pk=first).status == "left"
    assert WaitlistEntry.objects.get(pk=second).status == "offered"
    again = client_for(patient).delete(f"{URL}{first}/")
    assert (again.status_code, again.json()["code"]) == (400, "waitlist_closed")


def test_entries_are_private(client_for, join, patient, other_patient, taken):
    entry_id = join(patient).json()["id"]
    cancel(client_for, taken)
    stranger = client_for(PatientFactory())

    assert stranger.get(URL).json() == []
    for call in (stranger.get, stranger.delete):
        assert call(f"{URL}{entry_id}/").status_code == 404
    for action in ("accept", "decline"):
        assert stranger.post(f"{URL}{entry_id}/{action}/").status_code == 404
    assert WaitlistEntry.objects.get(pk=entry_id).status == "offered"


def test_a_hold_counts_against_the_window_capacity(
    client_for, join, patient, doctor_profile, clinic, monday_window, book
):
    monday_window.max_patients = 2
    monday_window.save()
    taken_by = [PatientFactory(), PatientFactory()]
    first = book(taken_by[0]).json()["id"]  # 09:30
    book(taken_by[1], appointment_time="10:00")
    entry_id = join(patient).json()["id"]

    cancel(client_for, Appointment.objects.get(pk=first))

    assert WaitlistEntry.objects.get(pk=entry_id).status == "offered"
    # One active booking and one hold: the window of two is full for anyone else.
    refused = book(PatientFactory(), appointment_time="11:00")
    assert (refused.status_code, refused.json()["code"]) == (409, "window_full")
    assert client_for(patient).post(f"{URL}{entry_id}/accept/").status_code == 201


def test_a_removed_leave_offers_its_slots_to_the_waitlist(client_for, patient, doctor, clock):
    profile = doctor.doctor_profile
    from doctors.tests.factories import DoctorAvailabilityFactory

    DoctorAvailabilityFactory(doctor=profile, clinic=profile.user.clinic_memberships.get().clinic)
    leave = DoctorLeaveFactory(doctor=profile, start_date=NEXT_MONDAY, end_date=NEXT_MONDAY)
    response = client_for(patient).post(URL, join_body(profile.pk), format="json")
    assert response.status_code == 201, response.json()  # a day on leave may be waited for

    assert client_for(doctor).delete(f"/api/doctors/me/leaves/{leave.pk}/").status_code == 204

    entry = WaitlistEntry.objects.get(pk=response.json()["id"])
    assert (entry.status, entry.offered_time) == ("offered", dt.time(9, 0))


def test_the_hold_never_outlasts_the_slot(client_for, join, patient, taken, clock):
    clock.move_to(dt.datetime(2026, 3, 9, 9, 25, tzinfo=IST))
    entry_id = join(patient).json()["id"]
    cancel(client_for, taken)

    entry = WaitlistEntry.objects.get(pk=entry_id)
    assert entry.offer_expires_at == dt.datetime(2026, 3, 9, 9, 30, tzinfo=IST)


def test_every_freed_slot_is_announced_once(client_for, taken, doctor_profile, book, patient):
    from appointments.signals import slot_freed

    heard = []

    def listen(**kwargs):
        heard.append((kwargs["doctor_id"], kwargs["dates"], kwargs["cause"]))

    slot_freed.connect(listen)
    try:
        cancel(client_for, taken)
        notes_only = book(patient, appointment_time="10:00").json()["id"]
        client_for(doctor_profile.user).patch(
            f"/api/appointments/doctor/{notes_only}/", {"notes": "seen"}, format="json"
        )
    finally:
        slot_freed.disconnect(listen)

    assert heard == [(doctor_profile.pk, [NEXT_MONDAY], "appointment cancelled")]


def test_the_sweep_closes_entries_for_days_that_are_over(join, patient, taken, clock):
    entry_id = join(patient).json()["id"]
    clock.move_to(dt.datetime(2026, 3, 10, 0, 5, tzinfo=IST))

    call_command("waitlist_expire", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert WaitlistEntry.objects.get(pk=entry_id).status == "expired"


def test_a_run_out_hold_not_yet_swept_does_not_block_the_slot_s_next_offer(
    client_for, book, join, patient, taken, clock
):
    first = join(patient).json()["id"]
    cancel(client_for, taken)  # 09:30 held for `patient` until 08:10
    clock.move_to(NOW + dt.timedelta(minutes=12))
    rebooked = book(PatientFactory())  # the hold ran out: anyone may book 09:30 again
    assert rebooked.status_code == 201
    second = join(PatientFactory()).json()["id"]

    cancel(client_for, Appointment.objects.get(pk=rebooked.json()["id"]))

    assert WaitlistEntry.objects.get(pk=first).status == "expired"
    assert WaitlistEntry.objects.get(pk=second).status == "offered"
