"""Factories for clinics, members and weekly time slots."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from clinic.models import Clinic, ClinicMember, ClinicTimeSlot
from users.tests.factories import ClinicOwnerFactory, DoctorUserFactory


class ClinicFactory(DjangoModelFactory):
    class Meta:
        model = Clinic

    owner = factory.SubFactory(ClinicOwnerFactory)
    name = factory.Sequence(lambda n: f"City Care Clinic {n}")
    slug = factory.Sequence(lambda n: f"city-care-clinic-{n}")
    clinic_type = "clinic"
    phone = "9876543210"
    email = "clinic@example.com"
    address = "12, MG Road"
    city = "Jaipur"
    state = "Rajasthan"
    pincode = "302001"
    timezone = "Asia/Kolkata"


class ClinicMemberFactory(DjangoModelFactory):
    class Meta:
        model = ClinicMember

    clinic = factory.SubFactory(ClinicFactory)
    user = factory.SubFactory(DoctorUserFactory)
    member_role = "doctor"
    department = "General Medicine"
    status = "active"
    joined_at = factory.LazyFunction(dt.date.today)


class ClinicTimeSlotFactory(DjangoModelFactory):
    class Meta:
        model = ClinicTimeSlot

    clinic = factory.SubFactory(ClinicFactory)
    day_of_week = 0
    start_time = dt.time(9, 0)
    end_time = dt.time(13, 0)
    slot_duration_minutes = 15
    max_appointments = 20
