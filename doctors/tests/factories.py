"""Factories for doctor profiles, availability and leaves."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from clinic.tests.factories import ClinicFactory
from doctors.models import DoctorAvailability, DoctorLeave, DoctorProfile
from users.tests.factories import DoctorUserFactory


class DoctorProfileFactory(DjangoModelFactory):
    class Meta:
        model = DoctorProfile

    user = factory.SubFactory(DoctorUserFactory)
    specialty = "cardiology"
    qualification = "MBBS, MD"
    experience_years = 8
    first_visit_fee = 500
    follow_up_fee = 300
    offers_video_consultation = False


class DoctorAvailabilityFactory(DjangoModelFactory):
    class Meta:
        model = DoctorAvailability

    doctor = factory.SubFactory(DoctorProfileFactory)
    clinic = factory.SubFactory(ClinicFactory)
    day_of_week = 0
    start_time = dt.time(9, 0)
    end_time = dt.time(13, 0)
    slot_duration_minutes = 15
    max_patients = 20


class DoctorLeaveFactory(DjangoModelFactory):
    class Meta:
        model = DoctorLeave

    doctor = factory.SubFactory(DoctorProfileFactory)
    start_date = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=7))
    end_date = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=8))
    reason = "Conference"
