"""The OTP SMS task takes the pending registration's id and renders the code at send time:
the task queue (django-tasks-db in production keeps arguments) never holds an OTP."""

import json
from datetime import timedelta

import pytest
from django.tasks import default_task_backend
from django.utils import timezone

from users.models import OTPLog, PendingRegistration
from users.tasks import send_otp_sms
from users.tests.conftest import otp_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(settings):
    """The dummy backend keeps every enqueued task, with its arguments, like a DB queue."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    return default_task_backend


def test_the_queued_task_holds_ids_not_the_code(send_otp, queue, sms_outbox):
    assert send_otp().status_code == 200
    assert sms_outbox == []  # nothing sent yet: the task is only queued
    [result] = queue.results
    pending = PendingRegistration.objects.get()
    assert result.task.module_path == "users.tasks.send_otp_sms"
    assert result.args == []
    assert result.kwargs == {"pending_id": pending.pk, "otp_log_id": OTPLog.objects.get().pk}

    send_otp_sms.call(**result.kwargs)  # what the worker does
    code = otp_in(sms_outbox[-1].body)
    assert sms_outbox[-1].to == "+919876543210"
    assert sms_outbox[-1].kind == "otp"
    assert sms_outbox[-1].variables == {"otp": code}  # what a DLT OTP template receives
    stored = json.dumps([result.args, result.kwargs])
    assert code not in stored
    assert "verification code" not in stored


def test_the_code_the_task_sends_is_the_one_that_verifies(send_otp, queue, sms_outbox, verify_otp):
    send_otp()
    send_otp_sms.call(**queue.results[-1].kwargs)
    assert verify_otp(otp_in(sms_outbox[-1].body)).status_code == 201


def test_a_superseded_or_used_code_is_not_sent(
    send_otp, queue, sms_outbox, time_machine, verify_otp
):
    time_machine.move_to(timezone.now(), tick=False)
    send_otp()
    first = queue.results[-1].kwargs
    time_machine.shift(timedelta(seconds=61))
    send_otp()  # a resend: a new code replaces the first
    second = queue.results[-1].kwargs
    send_otp_sms.call(**first)
    assert sms_outbox == []
    send_otp_sms.call(**second)
    code = otp_in(sms_outbox[-1].body)
    assert verify_otp(code).status_code == 201
    send_otp_sms.call(**second)  # the registration is gone: nothing more is sent
    assert len(sms_outbox) == 1


def test_an_expired_code_is_not_sent(send_otp, queue, sms_outbox, time_machine, settings):
    time_machine.move_to(timezone.now(), tick=False)
    send_otp()
    time_machine.shift(timedelta(seconds=settings.OTP_TTL_SECONDS + 1))
    send_otp_sms.call(**queue.results[-1].kwargs)
    assert sms_outbox == []
