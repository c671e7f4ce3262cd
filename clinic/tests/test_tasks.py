"""The temporary-password SMS task takes ids, never the password itself."""

from unittest import mock

import pytest

from clinic.tasks import send_temp_password_sms
from users.models import TempPasswordLog

pytestmark = pytest.mark.django_db


def _add_doctor(client_for, clinic):
    return client_for(clinic.owner).post(
        f"/api/clinics/{clinic.id}/members/",
        {"contact": 9988776655, "name": "Dr. Suresh Yadav", "member_role": "doctor"},
        format="json",
    )


def test_the_queued_task_arguments_do_not_carry_the_password(
    client_for, clinic, django_capture_on_commit_callbacks
):
    with (
        mock.patch("clinic.services.members.send_temp_password_sms") as task,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert _add_doctor(client_for, clinic).status_code == 201
    enqueue = task.enqueue
    log = TempPasswordLog.objects.get()
    enqueue.assert_called_once_with(log_id=log.pk, clinic_name=clinic.name)
    assert log.temp_password not in repr(enqueue.call_args)


def test_the_task_sends_the_current_password_and_skips_a_used_log(
    client_for, clinic, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert _add_doctor(client_for, clinic).status_code == 201
    log = TempPasswordLog.objects.get()
    assert sms_outbox[-1].to == "+919988776655"
    assert f"Temporary password: {log.temp_password} " in sms_outbox[-1].body
    # The registered (DLT) template's kind and variables travel with the rendered text.
    assert sms_outbox[-1].kind == "temp_password"
    assert sms_outbox[-1].variables == {
        "clinic": clinic.name,
        "role": "doctor",
        "password": log.temp_password,
        "valid_days": "7",
    }

    TempPasswordLog.objects.filter(pk=log.pk).update(is_used=True, temp_password="")
    send_temp_password_sms.call(log_id=log.pk, clinic_name=clinic.name)
    assert len(sms_outbox) == 1
