"""A lapsed grant is recorded on the patient's chain once."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_each_lapsed_grant_is_recorded_once(document, make_consent, capsys):
    lapsed = make_consent(document, expires_at=timezone.now() - dt.timedelta(minutes=1))
    make_consent(document, expires_at=timezone.now() + dt.timedelta(days=1), doctor=None)
    call_command("consent_expiry_record")
    assert "1 expiry(ies) recorded" in capsys.readouterr().out
    call_command("consent_expiry_record")
    assert "0 expiry(ies) recorded" in capsys.readouterr().out
    (event,) = AuditEvent.objects.filter(category="consent", action="expired")
    assert event.data["consent"] == str(lapsed.pk)
    assert event.patient_id == document.patient_id
