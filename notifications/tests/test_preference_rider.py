"""The recipients' preferences ride in the booking's day statement (`core.riders`): what a
booking reads there is what the outbox reads on its own, and only the booking is offered it."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from appointments.slots import doctor_booking_day
from appointments.tests.conftest import BOOK_URL, booking_body
from core.riders import carried, carrying
from notifications.models import Device, Kind, Notification, NotificationPreference
from notifications.services import PREFERENCES_RIDER, _preferences

pytestmark = pytest.mark.django_db
TABLE = "notifications_notificationpreference"


def _day(doctor_profile, clinic, patient):
    now = timezone.now()
    return doctor_booking_day(
        doctor_id=doctor_profile.pk,
        clinic=clinic,
        date=dt.date(2026, 3, 9),
        moment=dt.time(9, 30),
        now=now,
        profile_id=patient.pk,  # its own profile has the account's id
        earliest=now.date(),
        accounts=(patient.pk, doctor_profile.user_id),
    )


def _answer(recipients):
    preferences, devices = _preferences(recipients)
    return (
        {
            pk: {name: getattr(p, name) for name in ("sms", "whatsapp", "push", "language")}
            | {"reminders": p.reminders, "booking_alerts": p.booking_alerts}
            for pk, p in preferences.items()
        },
        devices,
    )


def test_the_day_statement_carries_what_the_outbox_reads_itself(
    monday_window, doctor_profile, clinic, patient
):
    NotificationPreference.objects.create(
        user=patient, sms=False, whatsapp=True, language="hi", reminders=False
    )
    Device.objects.create(user=patient, token="t1", platform="android")
    Device.objects.create(user=patient, token="t2", platform="ios")
    recipients = [patient, doctor_profile.user]  # the doctor never set any: the defaults
    on_its_own = _answer(recipients)

    day = _day(doctor_profile, clinic, patient)
    with carrying(day.carried), CaptureQueriesContext(connection) as captured:
        ridden = _answer(recipients)

    assert len(captured) == 0  # read with the day
    assert ridden == on_its_own
    assert on_its_own[1] == {patient.pk}
    assert on_its_own[0][patient.pk]["language"] == "hi"
    assert on_its_own[0][patient.pk]["sms"] is False


def test_only_the_accounts_read_for_are_answered_and_only_inside_carrying(
    monday_window, doctor_profile, clinic, patient, other_patient
):
    day = _day(doctor_profile, clinic, patient)
    assert carried(PREFERENCES_RIDER, [patient.pk]) is None  # not offered outside
    with carrying(day.carried):
        assert carried(PREFERENCES_RIDER, [patient.pk, doctor_profile.user_id]) is not None
        assert carried(PREFERENCES_RIDER, [patient.pk, other_patient.pk]) is None
        with CaptureQueriesContext(connection) as captured:
            _preferences([other_patient])
        assert len(captured) == 1  # not read for them: read on its own


def test_a_booking_reads_the_preferences_in_its_day_statement_and_honours_them(
    client_for, monday_window, doctor_profile, patient
):
    NotificationPreference.objects.create(user=patient, sms=False, reminders=False)
    NotificationPreference.objects.create(user=doctor_profile.user, booking_alerts=False)
    with CaptureQueriesContext(connection) as captured:
        response = client_for(patient).post(BOOK_URL, booking_body(doctor_profile.pk))
    assert response.status_code == 201, response.content

    reading = [query["sql"] for query in captured if TABLE in query["sql"]]
    assert len(reading) == 1
    assert "appointments_appointment" in reading[0]  # the day statement
    rows = Notification.objects.filter(subject=f"appointment:{response.json()['id']}")
    kinds = set(rows.values_list("kind", "channel"))
    assert (Kind.APPOINTMENT_BOOKED, "inapp") in kinds
    assert (Kind.APPOINTMENT_BOOKED, "sms") not in kinds  # SMS off
    assert not rows.filter(kind=Kind.APPOINTMENT_REMINDER).exists()  # reminders off
    assert not rows.filter(kind=Kind.APPOINTMENT_BOOKED_DOCTOR).exists()  # alerts off
