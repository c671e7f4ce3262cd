"""Registrations never verified are purged once their OTP is a day past expiry."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from users.models import PendingRegistration

pytestmark = pytest.mark.django_db


def _step1(api_client, contact):
    response = api_client.post(
        "/api/users/onboarding/patient/step1/",
        {"contact": contact, "name": "Rahul Sharma", "password": "Str0ng!Passw0rd"},
        format="json",
    )
    assert response.status_code == 200


def test_purge_keeps_fresh_registrations_and_drops_stale_ones(api_client):
    start = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        _step1(api_client, 9812345670)
    with time_machine.travel(start + dt.timedelta(days=2), tick=False):
        _step1(api_client, 9812345671)
        out = StringIO()
        call_command("purge_pending_registrations", stdout=out)
    assert out.getvalue().strip() == "deleted 1 pending registration(s)"
    assert list(PendingRegistration.objects.values_list("contact", flat=True)) == ["+919812345671"]
