"""Booking, confirming and cancelling tell the right person, on the right channels, in their
language, after the transaction commits."""

import pytest

from appointments.models import Appointment
from notifications.models import Channel, Kind, NotificationPreference, Status
from notifications.tests.conftest import one, rows

pytestmark = pytest.mark.django_db

BOOKED_EN = (
    "QuickCare: your appointment with Dr. Suresh Yadav at City Care Clinic on 9 March 2026 at "
    "09:30 is booked and awaits the clinic's confirmation."
)


def test_booking_texts_the_patient_and_fills_the_inbox(
    book, patient, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert book(patient).status_code == 201

    assert [(m.to, m.body) for m in sms_outbox] == [(str(patient.contact), BOOKED_EN)]
    sms = one(kind=Kind.APPOINTMENT_BOOKED, channel=Channel.SMS)
    assert (sms.recipient, sms.status, sms.language) == (patient, Status.SENT, "en")
    assert sms.provider_message_id == "locmem-1"
    assert sms.key == f"appointment:{Appointment.objects.get().pk}:booked:sms"
    inbox = one(kind=Kind.APPOINTMENT_BOOKED, channel=Channel.INAPP)
    assert (inbox.title, inbox.body, inbox.status) == ("Appointment booked", BOOKED_EN, "sent")


def test_a_rolled_back_booking_sends_nothing(book, patient, sms_outbox, monday_window):
    monday_window.delete()  # no window: the booking is refused
    assert book(patient).status_code == 400
    assert rows() == []
    assert sms_outbox == []


def test_the_patient_reads_it_in_hindi_when_they_chose_hindi(
    book, patient, sms_outbox, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(user=patient, language="hi")
    with django_capture_on_commit_callbacks(execute=True):
        book(patient)
    assert sms_outbox[0].body == (
        "QuickCare: City Care Clinic में Dr. Suresh Yadav के साथ 9 मार्च 2026 को 09:30 बजे आपका "
        "अपॉइंटमेंट बुक हो गया है और क्लिनिक की पुष्टि की प्रतीक्षा है।"
    )
    assert one(kind=Kind.APPOINTMENT_BOOKED, channel=Channel.INAPP).title == "अपॉइंटमेंट बुक हुआ"


def test_the_clinic_region_sets_the_language_without_a_preference(
    book, patient, clinic, settings, sms_outbox, django_capture_on_commit_callbacks
):
    settings.NOTIFICATION_REGION_LANGUAGES = {"rajasthan": "hi"}
    clinic.state = "Rajasthan"
    clinic.save()
    with django_capture_on_commit_callbacks(execute=True):
        book(patient)
    assert one(kind=Kind.APPOINTMENT_BOOKED, channel=Channel.SMS).language == "hi"


def test_the_doctor_hears_of_bookings_only_when_they_asked(
    book, patient, other_patient, doctor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        book(patient)
    assert rows(recipient=doctor) == []

    NotificationPreference.objects.create(user=doctor, booking_alerts=True)
    with django_capture_on_commit_callbacks(execute=True):
        book(other_patient, appointment_time="10:00")
    sms = one(recipient=doctor, channel=Channel.SMS)
    assert (
        sms.body
        == "QuickCare: Priya Verma booked an appointment with you on 9 March 2026 at 10:00."
    )


def test_confirming_tells_the_patient(
    book, patient, doctor, client_for, sms_outbox, django_capture_on_commit_callbacks
):
    appointment_id = book(patient).json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(doctor).patch(
            f"/api/appointments/doctor/{appointment_id}/", {"status": "confirmed"}, format="json"
        )
    assert response.status_code == 200, response.json()
    sms = one(kind=Kind.APPOINTMENT_CONFIRMED, channel=Channel.SMS)
    assert sms.recipient == patient
    assert sms_outbox[-1].body == (
        "QuickCare: Dr. Suresh Yadav confirmed your appointment at City Care Clinic on "
        "9 March 2026 at 09:30."
    )


def test_the_doctor_cancelling_tells_the_patient_with_the_reason(
    book, patient, doctor, client_for, sms_outbox, django_capture_on_commit_callbacks
):
    appointment_id = book(patient).json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        client_for(doctor).patch(
            f"/api/appointments/doctor/{appointment_id}/",
            {"status": "cancelled", "cancellation_reason": "Emergency surgery"},
            format="json",
        )
    sms = one(kind=Kind.APPOINTMENT_CANCELLED_BY_DOCTOR, channel=Channel.SMS)
    assert sms.recipient == patient
    assert sms.body == (
        "QuickCare: Dr. Suresh Yadav cancelled your appointment on 9 March 2026 at 09:30. "
        "Reason: Emergency surgery. Book another time in the app."
    )


def test_the_patient_cancelling_tells_the_doctor(
    book, patient, doctor, client_for, django_capture_on_commit_callbacks
):
    appointment_id = book(patient).json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(patient).patch(
            f"/api/appointments/my/{appointment_id}/", {"status": "cancelled"}, format="json"
        )
    assert response.status_code == 200, response.json()
    sms = one(kind=Kind.APPOINTMENT_CANCELLED_BY_PATIENT, channel=Channel.SMS)
    assert sms.recipient == doctor
    assert sms.body == (
        "QuickCare: Rahul Sharma cancelled the appointment on 9 March 2026 at 09:30. "
        "Reason: not given."
    )


def test_sms_opt_out_keeps_the_inbox_and_whatsapp_opt_in_adds_a_template(
    book, patient, sms_outbox, django_capture_on_commit_callbacks
):
    from notifications.channels import whatsapp

    NotificationPreference.objects.create(user=patient, sms=False, whatsapp=True)
    with django_capture_on_commit_callbacks(execute=True):
        book(patient)
    assert sms_outbox == []
    channels = {row.channel for row in rows(kind=Kind.APPOINTMENT_BOOKED)}
    assert channels == {Channel.INAPP, Channel.WHATSAPP}
    template = whatsapp.outbox[0]["template"]
    assert template["name"] == "quickcare_appointment_booked"
    assert [p["text"] for p in template["components"][0]["parameters"]] == [
        "Dr. Suresh Yadav",
        "City Care Clinic",
        "9 March 2026",
        "09:30",
    ]


def test_one_booking_writes_each_recipient_by_their_own_preferences(
    book, patient, doctor_profile, django_capture_on_commit_callbacks
):
    """The booking's events are written together (notify_many): the patient wants push and
    has a device, the doctor wants push but has none, and each gets what they asked for."""
    from notifications.models import Device

    NotificationPreference.objects.create(user=patient, push=True, language="hi")
    NotificationPreference.objects.create(
        user=doctor_profile.user, push=True, sms=False, booking_alerts=True
    )
    Device.objects.create(user=patient, token="fcm-token-of-the-patient")
    with django_capture_on_commit_callbacks(execute=False):
        assert book(patient).status_code == 201

    patient_channels = {r.channel for r in rows() if r.kind == Kind.APPOINTMENT_BOOKED}
    doctor_channels = {r.channel for r in rows() if r.kind == Kind.APPOINTMENT_BOOKED_DOCTOR}
    assert Channel.PUSH in patient_channels
    assert Channel.SMS in patient_channels
    assert doctor_channels == {Channel.INAPP}
    assert one(kind=Kind.APPOINTMENT_BOOKED, channel=Channel.INAPP).language == "hi"
    assert one(kind=Kind.APPOINTMENT_BOOKED_DOCTOR, channel=Channel.INAPP).language == "en"
    reminders = [r for r in rows() if r.kind == Kind.APPOINTMENT_REMINDER]
    assert reminders
    assert all(r.recipient == patient for r in reminders)
    assert Channel.PUSH in {r.channel for r in reminders}
