"""Factories for appointments (built directly, bypassing the booking rules)."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from appointments.models import Appointment, AppointmentStatusChange
from clinic.tests.factories import ClinicFactory
from doctors.tests.factories import DoctorProfileFactory
from users.tests.factories import PatientFactory


class AppointmentFactory(DjangoModelFactory):
    class Meta:
        model = Appointment

    patient = factory.SubFactory(PatientFactory)
    doctor = factory.SubFactory(DoctorProfileFactory)
    clinic = factory.SubFactory(ClinicFactory)
    appointment_date = dt.date(2026, 3, 9)
    appointment_time = dt.time(9, 30)
    appointment_type = "first_visit"
    mode = "in_clinic"
    status = "pending"
    fee_charged = 500
    notes = "Chest pain since 2 days"


class AppointmentStatusChangeFactory(DjangoModelFactory):
    class Meta:
        model = AppointmentStatusChange

    appointment = factory.SubFactory(AppointmentFactory)
    from_status = ""
    to_status = "pending"
