"""POST /api/appointments/walk-in/: the front desk books a walk-in through the booking rules."""

import datetime as dt

import pytest

from appointments.models import Appointment
from appointments.tests.conftest import TODAY
from appointments.tests.queue_helpers import OPD_NOW, WALK_IN_URL, booked
from clinic.tests.factories import ClinicMemberFactory
from core.roles import RoleId
from doctors.tests.factories import DoctorAvailabilityFactory
from users.models import TempPasswordLog, User
from users.tests.factories import PatientFactory, ReceptionistFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def opd(clock, monday_window):
    clock.move_to(OPD_NOW)
    return monday_window


def walk_in(client, doctor_profile, contact="9812345670", **extra):
    body = {"doctor": doctor_profile.pk, "contact": contact, **extra}
    return client.post(WALK_IN_URL, body, format="json")


def test_a_walk_in_for_a_new_contact_gets_an_account_the_next_slot_and_token_one(
    opd, client_for, receptionist, doctor_profile, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = walk_in(
            client_for(receptionist), doctor_profile, name="Kamla Devi", reason="Fever"
        )

    assert response.status_code == 201, response.json()
    body = response.json()
    # 10:02: 10:00 has passed, so the session's first free slot is 10:15.
    assert body["appointment_time"] == "10:15"
    assert body["source"] == "walk_in"
    assert body["status"] == "confirmed"
    assert body["token"] == 1
    assert body["queue_state"] == "waiting"
    assert body["account_created"] is True
    assert body["notes"] == "Fever"
    assert [(h["from_status"], h["to_status"]) for h in body["history"]] == [
        (None, "pending"),
        ("pending", "confirmed"),
    ]
    assert {h["actor"]["id"] for h in body["history"]} == {str(receptionist.pk)}
    assert response["Location"].endswith(f"/api/appointments/{body['id']}/queue/")
    user = User.objects.get(contact="+919812345670")
    assert (user.name, user.role_id, user.password_change_required) == ("Kamla Devi", 3, True)
    # No password chosen by the clinic: a temporary one, sent by SMS, nothing else works.
    log = TempPasswordLog.objects.get(user=user)
    assert user.check_password(log.temp_password)
    # The welcome SMS with the temporary password (and the confirmation, by the patient's
    # default preferences); no "awaits the clinic's confirmation" message for a walk-in.
    assert {m.to for m in sms_outbox} == {"+919812345670"}
    welcome = [m.body for m in sms_outbox if "added you as patient" in m.body]
    assert len(welcome) == 1
    assert log.temp_password in welcome[0]
    assert not any("awaits" in m.body for m in sms_outbox)


def test_a_known_contact_is_booked_for_that_account_without_a_new_password(
    opd, client_for, clinic_owner, doctor_profile, patient, sms_outbox
):
    response = walk_in(client_for(clinic_owner), doctor_profile, contact=str(patient.contact))

    assert response.status_code == 201, response.json()
    assert response.json()["account_created"] is False
    assert response.json()["patient"]["id"] == str(patient.pk)
    assert not TempPasswordLog.objects.exists()
    patient.refresh_from_db()
    assert patient.password_change_required is False


def test_an_unknown_contact_needs_a_name(opd, client_for, receptionist, doctor_profile):
    response = walk_in(client_for(receptionist), doctor_profile)

    assert response.status_code == 400
    assert "name" in response.json()
    assert not Appointment.objects.exists()


def test_the_doctor_may_take_a_walk_in_too(opd, client_for, doctor, doctor_profile, patient):
    response = walk_in(client_for(doctor), doctor_profile, contact=str(patient.contact))

    assert response.status_code == 201


def test_a_staff_contact_is_booked_with_patient_care_turned_on(
    opd, client_for, receptionist, doctor_profile, other_doctor
):
    """Staff are patients too (issue 13): a doctor of another clinic at the desk asking for
    care is booked, and their patient care is turned on as `POST
    /api/users/me/patient-profile/` would (before: 409 role_mismatch)."""
    assert not other_doctor.can_act_as_patient()

    response = walk_in(client_for(receptionist), doctor_profile, contact=str(other_doctor.contact))

    assert response.status_code == 201, response.json()
    appointment = Appointment.objects.get(pk=response.json()["id"])
    assert (appointment.patient_id, appointment.patient_profile_id) == (
        other_doctor.pk,
        other_doctor.pk,
    )
    other_doctor.refresh_from_db()
    assert other_doctor.role_id == RoleId.DOCTOR  # only the capability was added
    assert User.objects.get(pk=other_doctor.pk).can_act_as_patient()
    mine = client_for(other_doctor).get("/api/appointments/my/")
    assert [item["id"] for item in mine.json()] == [appointment.pk]


def test_a_closed_account_is_refused_409(opd, client_for, receptionist, doctor_profile, patient):
    patient.is_active = False
    patient.save(update_fields=["is_active"])

    response = walk_in(client_for(receptionist), doctor_profile, contact=str(patient.contact))

    assert (response.status_code, response.json()["code"]) == (409, "account_inactive")
    assert not Appointment.objects.exists()


def test_tokens_follow_arrival_and_walk_ins_take_successive_free_slots(
    opd, client_for, receptionist, doctor_profile, clinic
):
    booked(doctor_profile, clinic, hour=10, minute=15)  # the first free slot is taken
    desk = client_for(receptionist)

    first = walk_in(desk, doctor_profile, contact="9812345670", name="A")
    second = walk_in(desk, doctor_profile, contact="9812345671", name="B")

    assert (first.json()["appointment_time"], first.json()["token"]) == ("10:30", 1)
    assert (second.json()["appointment_time"], second.json()["token"]) == ("10:45", 2)


@pytest.fixture
def full_session(opd, clock, doctor_profile, clinic):
    """Every slot of the session still to come (10:15 ... 12:45) is booked."""
    start = dt.datetime.combine(TODAY, dt.time(10, 15))
    for step in range(11):
        moment = (start + dt.timedelta(minutes=15 * step)).time()
        booked(doctor_profile, clinic, hour=moment.hour, minute=moment.minute)


def test_a_full_session_answers_409_session_full_without_overbooking(
    full_session, client_for, receptionist, doctor_profile
):
    response = walk_in(client_for(receptionist), doctor_profile, name="Kamla Devi")

    assert response.status_code == 409
    assert response.json()["code"] == "session_full"
    assert not User.objects.filter(contact="+919812345670").exists()


def test_with_overbooking_walk_ins_queue_without_a_slot_at_their_arrival(
    full_session, client, client_for, receptionist, doctor_profile
):
    doctor_profile.allow_overbooking = True
    doctor_profile.save()
    desk = client_for(receptionist)

    # Two overbooked walk-ins in the same minute: outside no_double_booking, both taken.
    first = walk_in(desk, doctor_profile, contact="9812345670", name="A")
    second = walk_in(desk, doctor_profile, contact="9812345671", name="B")

    assert first.status_code == second.status_code == 201, second.json()
    assert [r.json()["appointment_time"] for r in (first, second)] == ["10:02", "10:02"]
    assert [r.json()["token"] for r in (first, second)] == [1, 2]
    assert Appointment.objects.filter(overbooked=True).count() == 2
    # The slot engine does not count them: the listing is unchanged (still nothing free).
    slots = client.get(f"/api/doctors/{doctor_profile.pk}/availability/slots/?date={TODAY}")
    assert slots.json()["available_slots"] == []


def test_an_overbooked_walk_in_before_the_session_is_due_at_its_start(
    clock, client_for, receptionist, doctor_profile, clinic
):
    clock.move_to(dt.datetime(2026, 3, 2, 8, 40, tzinfo=OPD_NOW.tzinfo))
    DoctorAvailabilityFactory(
        doctor=doctor_profile,
        clinic=clinic,
        day_of_week=0,
        start_time=dt.time(9, 0),
        end_time=dt.time(9, 30),
        slot_duration_minutes=15,
        max_patients=2,
    )
    booked(doctor_profile, clinic, hour=9, minute=0)
    booked(doctor_profile, clinic, hour=9, minute=15)
    doctor_profile.allow_overbooking = True
    doctor_profile.save()

    response = walk_in(client_for(receptionist), doctor_profile, name="A")

    assert response.status_code == 201, response.json()
    assert response.json()["appointment_time"] == "09:00"


def test_no_session_left_today_answers_409(clock, opd, client_for, receptionist, doctor_profile):
    clock.move_to(dt.datetime(2026, 3, 2, 13, 30, tzinfo=OPD_NOW.tzinfo))

    response = walk_in(client_for(receptionist), doctor_profile, name="A")

    assert response.status_code == 409
    assert response.json()["code"] == "no_session_today"


def test_a_receptionist_of_another_clinic_gets_404(opd, client_for, other_clinic, doctor_profile):
    outsider = ReceptionistFactory()
    ClinicMemberFactory(clinic=other_clinic, user=outsider, member_role="receptionist")

    response = walk_in(client_for(outsider), doctor_profile, name="A")

    assert response.status_code == 404
    assert not Appointment.objects.exists()


def test_patients_and_lab_members_are_refused_403(opd, client_for, doctor_profile, lab_member):
    for user in (PatientFactory(), lab_member):
        response = walk_in(client_for(user), doctor_profile, name="A")
        assert response.status_code == 403


def test_unknown_keys_and_bad_contacts_are_400(opd, client_for, receptionist, doctor_profile):
    response = walk_in(client_for(receptionist), doctor_profile, contact="12345", name="A")

    assert response.status_code == 400
    assert "contact" in response.json()


def test_the_walk_in_finishes_registering_by_choosing_a_password_first(
    opd, client_for, receptionist, doctor_profile, api_client
):
    walk_in(client_for(receptionist), doctor_profile, name="Kamla Devi")
    temp = TempPasswordLog.objects.get().temp_password

    login = api_client.post(
        "/api/users/login/", {"contact": "9812345670", "password": temp}, format="json"
    )
    assert login.status_code == 200, login.json()
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {login.json()['access']}")

    blocked = api_client.get("/api/appointments/my/")
    assert (blocked.status_code, blocked.json()["code"]) == (403, "password_change_required")
    changed = api_client.put(
        "/api/users/password/change/", {"password": "Mango-Rain-Walk-77"}, format="json"
    )
    assert changed.status_code == 200, changed.json()
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {changed.json()['access']}")
    mine = api_client.get("/api/appointments/my/")
    assert mine.status_code == 200
    assert [a["source"] for a in mine.json()] == ["walk_in"]
