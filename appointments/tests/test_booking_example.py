"""The booking example of the OpenAPI schema (Swagger's "Try it out" body) is a booking the
API accepts: posted as a patient for a doctor who works at that time, it answers 201."""

import datetime as dt

import pytest
from drf_spectacular.generators import SchemaGenerator

from appointments.models import Appointment
from doctors.tests.factories import DoctorAvailabilityFactory

pytestmark = pytest.mark.django_db


def booking_example() -> dict:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    body = schema["paths"]["/api/appointments/my/"]["post"]["requestBody"]
    (example,) = body["content"]["application/json"]["examples"].values()
    return example["value"]


def test_the_schema_booking_example_is_accepted(client_for, patient, doctor_profile, clinic):
    body = booking_example()
    date = dt.date.fromisoformat(body["appointment_date"])
    DoctorAvailabilityFactory(
        doctor=doctor_profile,
        clinic=clinic,
        day_of_week=date.weekday(),
        start_time=dt.time(9, 0),
        end_time=dt.time(13, 0),
        slot_duration_minutes=15,
        max_patients=20,
    )
    # The example names a demo doctor; here it is the seeded one.
    response = client_for(patient).post(
        "/api/appointments/my/", {**body, "doctor": doctor_profile.pk}, format="json"
    )

    assert response.status_code == 201, response.json()
    appointment = Appointment.objects.get()
    assert appointment.appointment_date == date
    assert appointment.appointment_time == dt.time(10, 0)
    assert response.json()["appointment_time"] == body["appointment_time"]
