"""A doctor's leave, consent, document access and new staff: who is told, and what."""

import datetime as dt

import pytest
from django.utils import timezone

from appointments.tests.conftest import IST
from appointments.tests.factories import AppointmentFactory
from doctors.services import leave_create
from documents.access import RequestMeta
from documents.models import DocumentConsent
from documents.services import consent_action, consent_request, document_view
from documents.tests.factories import MedicalDocumentFactory
from notifications.models import Channel, Kind, NotificationPreference, Status
from notifications.services import notifications_send_due
from notifications.tests.conftest import one, rows
from users.models import TempPasswordLog

pytestmark = pytest.mark.django_db
META = RequestMeta(ip_address="127.0.0.1", user_agent="pytest")


def test_a_leave_over_a_booking_tells_the_patient_with_the_next_free_times(
    book_now, patient, doctor_profile, committed, sms_outbox
):
    book_now(patient)  # Monday 9 March 09:30; the doctor works Mondays 09:00-13:00
    sms_outbox.clear()
    with committed():
        leave = leave_create(
            doctor=doctor_profile,
            start_date=dt.date(2026, 3, 9),
            end_date=dt.date(2026, 3, 9),
            on_conflict="cancel_and_notify",
        )
    notice = one(kind=Kind.DOCTOR_ON_LEAVE, channel=Channel.SMS)
    assert notice.recipient == patient
    assert notice.data["leave_id"] == leave.pk
    assert [message.body for message in sms_outbox] == [
        "QuickCare: Dr. Suresh Yadav is on leave on 9 March 2026, so your appointment at 09:30 "
        "cannot go ahead. Next free times: 16 March 09:00, 16 March 09:15, 16 March 09:30. "
        "Please book again in the app."
    ]


def test_a_leave_without_bookings_tells_nobody(doctor_profile, clock):
    leave_create(
        doctor=doctor_profile, start_date=dt.date(2026, 3, 9), end_date=dt.date(2026, 3, 9)
    )
    assert rows() == []


@pytest.fixture
def document(patient, doctor_profile, clinic):
    AppointmentFactory(patient=patient, doctor=doctor_profile, clinic=clinic)
    return MedicalDocumentFactory(patient=patient, title="Lipid profile")


def _consent(doctor, document, committed) -> DocumentConsent:
    with committed():
        return consent_request(user=doctor, document_id=document.pk, purpose="Review")


def test_a_consent_request_tells_the_patient(doctor, patient, document, committed, sms_outbox):
    consent = _consent(doctor, document, committed)
    notice = one(kind=Kind.CONSENT_REQUESTED, channel=Channel.SMS)
    assert notice.recipient == patient
    assert notice.data == {"consent_id": str(consent.pk), "document_id": str(document.pk)}
    assert sms_outbox[-1].body == (
        'QuickCare: Dr. Suresh Yadav asks to see your document "Lipid profile". Open the app '
        "to grant or reject the request."
    )


def test_a_grant_tells_the_doctor_and_schedules_the_expiry_notice(
    doctor, patient, document, committed, sms_outbox
):
    consent = _consent(doctor, document, committed)
    # Noon in India three days on: its notice (24 h before) is outside the quiet hours whatever
    # time the suite runs (from `now + 3 days`, it moved to 08:00 when run in the evening).
    in_three_days = timezone.now().astimezone(IST).date() + dt.timedelta(days=3)
    expires = dt.datetime.combine(in_three_days, dt.time(12, 0), tzinfo=IST)
    with committed():
        consent_action(user=patient, consent_id=consent.pk, action="grant", expires_at=expires)
    granted = one(kind=Kind.CONSENT_GRANTED, channel=Channel.SMS)
    assert granted.recipient == doctor
    assert sms_outbox[-1].body == (
        'QuickCare: Rahul Sharma granted you access to the document "Lipid profile".'
    )
    expiring = one(kind=Kind.CONSENT_EXPIRING, channel=Channel.SMS)
    assert (expiring.recipient, expiring.status) == (doctor, Status.QUEUED)
    assert expiring.due_at == expires - dt.timedelta(hours=24)
    local = expires.astimezone(IST)
    assert expiring.body == (
        f'QuickCare: your access to the document "Lipid profile" of Rahul Sharma ends on '
        f"{local.day} {local:%B %Y} at {local:%H:%M}."
    )


def test_revoking_tells_the_doctor_and_cancels_the_expiry_notice(
    doctor, patient, document, committed
):
    consent = _consent(doctor, document, committed)
    expires = timezone.now() + dt.timedelta(days=3)
    consent_action(user=patient, consent_id=consent.pk, action="grant", expires_at=expires)
    with committed():
        consent_action(user=patient, consent_id=consent.pk, action="revoke")
    assert one(kind=Kind.CONSENT_REVOKED, channel=Channel.SMS).recipient == doctor
    assert {row.status for row in rows(kind=Kind.CONSENT_EXPIRING)} == {Status.CANCELLED}


def test_a_rejection_tells_the_doctor(doctor, patient, document, committed, sms_outbox):
    consent = _consent(doctor, document, committed)
    with committed():
        consent_action(user=patient, consent_id=consent.pk, action="reject")
    assert one(kind=Kind.CONSENT_REJECTED, channel=Channel.SMS).recipient == doctor
    assert sms_outbox[-1].body == (
        'QuickCare: Rahul Sharma rejected your request to see the document "Lipid profile".'
    )


def _granted(doctor, patient, document):
    consent = consent_request(user=doctor, document_id=document.pk, purpose="Review")
    consent_action(user=patient, consent_id=consent.pk, action="grant")


def test_a_doctor_opening_a_document_tells_the_patient_once_an_hour(
    doctor, patient, document, committed, sms_outbox
):
    _granted(doctor, patient, document)
    moment = dt.datetime(2026, 3, 2, 5, 12, tzinfo=dt.UTC)  # 10:42 in Jaipur
    with committed(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: moment)
        document_view(actor=doctor, request_meta=META, document_id=document.pk)
        document_view(actor=doctor, request_meta=META, document_id=document.pk)
    notice = one(kind=Kind.DOCUMENT_VIEWED, channel=Channel.SMS)
    assert notice.recipient == patient
    assert notice.body == (
        'QuickCare: Dr. Suresh Yadav viewed your lab report "Lipid profile" on 2 March 2026 '
        "at 10:42."
    )


def test_the_patient_opening_their_own_document_tells_nobody(patient, document):
    document_view(actor=patient, request_meta=META, document_id=document.pk)
    assert rows(kind=Kind.DOCUMENT_VIEWED) == []


def test_access_alerts_opt_out_is_honoured(doctor, patient, document):
    NotificationPreference.objects.create(user=patient, access_alerts=False)
    _granted(doctor, patient, document)
    document_view(actor=doctor, request_meta=META, document_id=document.pk)
    assert rows(kind=Kind.DOCUMENT_VIEWED) == []


def test_new_staff_get_the_password_by_sms_but_it_is_never_stored(
    client_for, clinic, committed, sms_outbox
):
    with committed():
        response = client_for(clinic.owner).post(
            f"/api/clinics/{clinic.id}/members/",
            {"contact": 9988776655, "name": "Sunita Desk", "member_role": "receptionist"},
            format="json",
        )
    assert response.status_code == 201
    log = TempPasswordLog.objects.get()
    assert sms_outbox[-1].to == "+919988776655"
    assert sms_outbox[-1].body == (
        f"QuickCare: City Care Clinic added you as receptionist. Log in with your mobile number. "
        f"Temporary password: {log.temp_password} (valid 7 days). "
        "Then complete your profile in the app."
    )
    for row in rows(kind=Kind.STAFF_ADDED):
        assert log.temp_password not in row.body
        assert log.temp_password not in repr(row.variables)
        assert log.temp_password not in repr(row.data)
        assert "Temporary password: ********" in row.body
        assert row.status == Status.SENT


def test_a_retry_after_the_password_was_used_is_skipped(client_for, clinic, committed, settings):
    settings.SMS_BACKEND = "notifications.tests.test_sending.FlakyBackend"
    from notifications.tests.test_sending import FlakyBackend

    FlakyBackend.calls, FlakyBackend.failures = 0, 1
    with committed():
        client_for(clinic.owner).post(
            f"/api/clinics/{clinic.id}/members/",
            {"contact": 9988776655, "name": "Sunita Desk", "member_role": "receptionist"},
            format="json",
        )
    sms = one(kind=Kind.STAFF_ADDED, channel=Channel.SMS)
    assert sms.status == Status.QUEUED  # the provider failed once: a retry is due later
    TempPasswordLog.objects.update(is_used=True, temp_password="")
    sms.due_at = timezone.now()
    sms.save()
    notifications_send_due()
    sms.refresh_from_db()
    assert sms.status == Status.SKIPPED
    assert "already used" in sms.last_error
    FlakyBackend.failures = 2


def test_an_emergency_access_tells_the_patient_at_once_by_sms(
    client_for, doctor, patient, clinic, committed, sms_outbox, clock
):
    NotificationPreference.objects.create(user=patient, sms=False)  # told whatever they chose
    with committed():
        response = client_for(doctor).post(
            "/api/documents/emergency-access/",
            {
                "patient": str(patient.pk),
                "reason_code": "unconscious",
                "reason": "Brought in unconscious",
            },
            format="json",
        )
    assert response.status_code == 201, response.content
    notice = one(kind=Kind.EMERGENCY_ACCESS, channel=Channel.SMS)
    assert notice.recipient == patient
    assert notice.status == Status.SENT
    assert notice.data == {"emergency_access_id": response.json()["id"]}
    assert one(kind=Kind.EMERGENCY_ACCESS, channel=Channel.INAPP).recipient == patient
    assert sms_outbox[-1].to == str(patient.contact)
    assert sms_outbox[-1].body.startswith(
        "QuickCare: Dr. Suresh Yadav opened emergency access to your documents on 2 March 2026 at "
    )
    assert sms_outbox[-1].body.endswith(
        "Reason: Brought in unconscious. The clinic reviews every emergency access."
    )


def test_an_erasure_takes_the_inbox_devices_and_preferences_with_it(
    doctor, patient, document, committed
):
    from notifications.models import Device, Notification
    from privacy.models import ErasureRequest
    from privacy.services import erase

    _consent(doctor, document, committed)  # the patient's inbox gets a consent request
    Device.objects.create(user=patient, token="fcm-token-of-the-patient")
    NotificationPreference.objects.create(user=patient, sms=False)
    others = Notification.objects.exclude(recipient=patient).count()
    assert Notification.objects.filter(recipient=patient).exists()
    request = ErasureRequest.objects.create(
        user=patient, requested_at=timezone.now(), erase_after=timezone.now() - dt.timedelta(days=1)
    )
    erase(request=request)
    assert not Notification.objects.filter(recipient=patient).exists()
    assert not Device.objects.filter(user=patient).exists()
    assert not NotificationPreference.objects.filter(user=patient).exists()
    assert Notification.objects.exclude(recipient=patient).count() == others
