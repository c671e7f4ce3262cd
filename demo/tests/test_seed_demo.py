"""The demo app and its known superuser exist only under DEBUG."""

import importlib.util

import pytest
from django.core.management import CommandError, call_command

from users.models import User

SUPERUSER_CONTACT = "+919999999999"


def _settings_with(monkeypatch, **env):
    """quickcare/settings.py evaluated afresh under `env` (environment variables beat .env)."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.find_spec("quickcare.settings")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_demo_is_not_installed_outside_debug(monkeypatch):
    production = _settings_with(monkeypatch, DEBUG="False", SECRET_KEY="x" * 50)
    assert "demo" not in production.INSTALLED_APPS


def test_demo_is_installed_for_local_debug_runs(monkeypatch):
    local = _settings_with(monkeypatch, DEBUG="True")
    assert "demo" in local.INSTALLED_APPS


@pytest.mark.django_db
@pytest.mark.parametrize("args", [[], ["--force"]])
def test_seed_demo_refuses_outside_debug_force_or_not(settings, args):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo", *args)
    assert not User.objects.filter(contact=SUPERUSER_CONTACT).exists()


@pytest.mark.django_db
def test_seed_demo_seeds_under_debug(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    assert User.objects.get(contact=SUPERUSER_CONTACT).is_superuser


@pytest.mark.django_db
def test_the_demo_booking_confirmations_are_sent_and_a_reminder_is_due(
    settings, sms_outbox, django_capture_on_commit_callbacks
):
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    demo_patient = "+919876500001"
    confirmations = [m.body for m in sms_outbox if m.to == demo_patient]
    assert any("is booked and awaits the clinic's confirmation" in body for body in confirmations)
    sms_outbox.clear()
    call_command("send_due_notifications")
    reminders = [m.body for m in sms_outbox if m.to == demo_patient]
    assert len(reminders) == 1
    assert reminders[0].startswith("QuickCare reminder: your appointment with ")
