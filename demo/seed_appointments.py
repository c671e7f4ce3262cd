"""Demo appointments for `make run`: the demo patient (9876500001) with the demo doctors
(9876500020 in Jaipur, 9876500021 in Pune): upcoming pending and confirmed visits booked
through the booking service (so they sit on free slots), a cancelled one, and a completed
visit last week with its history. Idempotent; skipped until those users exist."""

import datetime as dt
from typing import Any

from appointments import services
from appointments.models import Appointment, AppointmentStatus, AppointmentStatusChange
from appointments.slots import doctor_free_slots
from clinic.rules import clinic_today
from doctors.models import DoctorProfile
from users.models import User

DEMO_PATIENT_CONTACT = "+919876500001"
DOCTOR_CONTACTS = ("+919876500020", "+919876500021")


def _free_slot(doctor: DoctorProfile, *, skip: int = 0) -> tuple[dt.date, dt.time] | None:
    """The doctor's first free slot from two days ahead (the `skip`-th one of that day)."""
    clinic = services.doctor_active_clinic(doctor=doctor)
    today = clinic_today(clinic)
    for offset in range(2, 30):
        date = today + dt.timedelta(days=offset)
        free = doctor_free_slots(doctor_id=doctor.pk, clinic=clinic, date=date).free
        if len(free) > skip:
            return date, free[skip]
    return None


def _book(patient: User, doctor: DoctorProfile, *, skip: int = 0, **fields: Any) -> Appointment:
    slot = _free_slot(doctor, skip=skip)
    if slot is None:
        raise LookupError(f"no free slot for doctor {doctor.pk}")
    return services.appointment_book(
        patient=patient,
        doctor_id=doctor.pk,
        appointment_date=slot[0],
        appointment_time=slot[1],
        **fields,
    )


def _completed_last_week(patient: User, doctor: DoctorProfile) -> Appointment:
    """A past visit cannot be booked (it is in the past), so it is written with its history."""
    clinic = services.doctor_active_clinic(doctor=doctor)
    appointment = Appointment.objects.create(
        patient=patient,
        doctor=doctor,
        clinic=clinic,
        appointment_date=clinic_today(clinic) - dt.timedelta(days=7),
        appointment_time=dt.time(9, 0),
        appointment_type="first_visit",
        status=AppointmentStatus.COMPLETED,
        fee_charged=doctor.first_visit_fee,
        notes="Breathlessness on climbing stairs",
        doctor_notes="BP 138/88. ECG normal. Start a low-salt diet; review in 4 weeks.",
        is_paid=True,
    )
    steps = [("", "pending", patient), ("pending", "confirmed", doctor.user)]
    steps.append(("confirmed", "completed", doctor.user))
    AppointmentStatusChange.objects.bulk_create(
        AppointmentStatusChange(
            appointment=appointment, actor=actor, from_status=before, to_status=after
        )
        for before, after, actor in steps
    )
    return appointment


def seed_appointments() -> str:
    patient = User.objects.filter(contact=DEMO_PATIENT_CONTACT).first()
    doctors = list(
        DoctorProfile.objects.select_related("user").filter(user__contact__in=DOCTOR_CONTACTS)
    )
    doctors.sort(key=lambda profile: str(profile.user.contact))
    if patient is None or len(doctors) < 2:
        return "skipped (needs the demo patient and the two demo doctors)"
    if Appointment.objects.filter(patient=patient).exists():
        return (
            f"already there ({Appointment.objects.filter(patient=patient).count()} for 9876500001)"
        )
    suresh, kavita = doctors
    if _free_slot(suresh) is None or _free_slot(kavita) is None:
        return "skipped (the demo doctors have no free slots yet)"
    pending = _book(patient, suresh, notes="Chest pain since 2 days", mode="video")
    confirmed = _book(patient, kavita, notes="Itchy rash on both arms", skip=1)
    services.appointment_update_by_doctor(
        appointment=confirmed, doctor_user=kavita.user, status=AppointmentStatus.CONFIRMED
    )
    cancelled = _book(patient, suresh, skip=2, appointment_type="follow_up")
    services.appointment_cancel_by_patient(
        appointment=cancelled, patient=patient, reason="Travelling that week"
    )
    _completed_last_week(patient, suresh)
    return (
        f"4 for 9876500001: pending #{pending.pk} (video), confirmed #{confirmed.pk}, "
        f"cancelled #{cancelled.pk}, one completed last week"
    )
