"""Taken times always count: the slot inputs are gathered in appointments, beside the
appointments, with no registry to fill (or to forget to fill) at start-up."""

import ast
import datetime as dt
import importlib.util
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.urls import resolve

import appointments.selectors
import appointments.slots
import appointments.views
from appointments.apps import AppointmentsConfig
from appointments.models import Appointment
from appointments.slots import doctor_free_slots, doctor_slot_listing
from doctors.tests.factories import DoctorAvailabilityFactory

ROOT = Path(settings.BASE_DIR)
MONDAY = dt.date(2026, 11, 30)


def test_there_is_no_taken_times_registry():
    assert importlib.util.find_spec("doctors.slots") is None  # the registry's module is gone
    assert not hasattr(appointments.slots, "_provider")
    # `ready` connects the cache receivers and the answers to doctors' leave signals (issue
    # 14), no taken-times source.
    assert "provider" not in AppointmentsConfig.ready.__code__.co_names


def test_the_slots_view_is_served_by_the_code_that_reads_taken_times():
    match = resolve("/api/doctors/7/availability/slots/")

    assert match.url_name == "doctor-slots"
    assert match.func.view_class is appointments.views.DoctorSlotsView
    assert appointments.views.doctor_slot_listing is appointments.slots.doctor_slot_listing
    assert appointments.slots.doctor_taken_times is appointments.selectors.doctor_taken_times


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("app", ["doctors", "clinic", "users", "core"])
def test_apps_below_appointments_never_import_it(app):
    sources = [
        path
        for path in (ROOT / app).rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts
    ]
    assert sources
    offenders = [
        str(path.relative_to(ROOT))
        for path in sources
        if {"appointments", "documents"} & _imports(path)
    ]
    assert offenders == []


@pytest.fixture
def booked_monday(doctor_profile, clinic, patient):
    DoctorAvailabilityFactory(
        doctor=doctor_profile, clinic=clinic, day_of_week=0, end_time=dt.time(10, 0)
    )
    return Appointment.objects.create(
        patient=patient,
        doctor=doctor_profile,
        clinic=clinic,
        appointment_date=MONDAY,
        appointment_time=dt.time(9, 15),
    )


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 11, 26, 4, 30, tzinfo=dt.UTC), tick=False)
def test_booking_check_and_listing_both_count_a_booked_time(booked_monday, doctor_profile, clinic):
    free = [dt.time(9, 0), dt.time(9, 30), dt.time(9, 45)]

    booking = doctor_free_slots(doctor_id=doctor_profile.pk, clinic=clinic, date=MONDAY)
    listing = doctor_slot_listing(doctor_id=doctor_profile.pk, clinic_id=None, date=MONDAY)

    assert booking.free == free
    assert listing.result.free == free
    assert str(booking.hidden[dt.time(9, 15)]) == "booked"
