"""OpenAPI examples for booking: a body the API accepts, so Swagger's "Try it out" works."""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from clinic.models import Clinic
from core.schema import LiveExample

SUNDAY = 6


def booking_example_body() -> dict[str, Any]:
    """Tomorrow (in the default clinic timezone; the day after if that is a Sunday, when
    clinics are most often closed) at 10:00, in the clinic, a first visit."""
    zone = ZoneInfo(str(Clinic._meta.get_field("timezone").get_default()))
    day = timezone.now().astimezone(zone).date() + dt.timedelta(days=1)
    if day.weekday() == SUNDAY:
        day += dt.timedelta(days=1)
    return {
        "doctor": 2,
        "appointment_date": day.isoformat(),
        "appointment_time": "10:00",
        "appointment_type": "first_visit",
        "mode": "in_clinic",
        "notes": "Itchy rash on both arms for a week",
    }


BOOKING_EXAMPLES = [
    LiveExample(
        "Book a slot",
        build=booking_example_body,
        request_only=True,
        description="`doctor` from `GET /api/doctors/`; a free `appointment_time` for the "
        "date from `GET /api/doctors/{doctor_id}/availability/slots/?date=`. With the demo "
        "data, doctor 2 (a dermatologist) sees patients from 10:00, Monday to Saturday.",
    )
]
