"""Notifications' answers to the events of the apps below it (connected in `ready`).

Each receiver runs inside the transaction that caused the event and only writes outbox rows
(`services.notify`); sending happens after the commit.

Answers by concern: `care.py` (appointments, leaves, the waitlist), `records.py` (consent
and document access), `accounts.py` (staff passwords, erasure).
"""

from appointments.models import Appointment
from appointments.signals import (
    appointment_status_changed,
    leave_bookings_cancelled,
    queue_eta_moved,
    waitlist_offer_expired,
    waitlist_offer_made,
)
from appointments.waitlist.models import WaitlistEntry
from clinic.signals import staff_temp_password_issued
from doctors.models import DoctorLeave
from documents.models import DocumentConsent, EmergencyAccess, MedicalDocument
from documents.signals import (
    consent_decided,
    consent_requested,
    document_viewed,
    emergency_access_opened,
)
from notifications.receivers.accounts import on_personal_data_erased, on_temp_password_issued
from notifications.receivers.care import (
    on_appointment_status_changed,
    on_leave_bookings_cancelled,
    on_queue_eta_moved,
    on_waitlist_offer_expired,
    on_waitlist_offer_made,
)
from notifications.receivers.records import (
    on_consent_decided,
    on_consent_requested,
    on_document_viewed,
    on_emergency_access_opened,
)
from privacy.signals import personal_data_erased
from users.models import TempPasswordLog, User


def connect() -> None:
    uid = "notifications"
    appointment_status_changed.connect(
        on_appointment_status_changed, sender=Appointment, dispatch_uid=uid
    )
    queue_eta_moved.connect(on_queue_eta_moved, sender=Appointment, dispatch_uid=uid)
    leave_bookings_cancelled.connect(
        on_leave_bookings_cancelled, sender=DoctorLeave, dispatch_uid=uid
    )
    waitlist_offer_made.connect(on_waitlist_offer_made, sender=WaitlistEntry, dispatch_uid=uid)
    waitlist_offer_expired.connect(
        on_waitlist_offer_expired, sender=WaitlistEntry, dispatch_uid=uid
    )
    consent_requested.connect(on_consent_requested, sender=DocumentConsent, dispatch_uid=uid)
    consent_decided.connect(on_consent_decided, sender=DocumentConsent, dispatch_uid=uid)
    document_viewed.connect(on_document_viewed, sender=MedicalDocument, dispatch_uid=uid)
    emergency_access_opened.connect(
        on_emergency_access_opened, sender=EmergencyAccess, dispatch_uid=uid
    )
    personal_data_erased.connect(on_personal_data_erased, sender=User, dispatch_uid=uid)
    staff_temp_password_issued.connect(
        on_temp_password_issued, sender=TempPasswordLog, dispatch_uid=uid
    )
