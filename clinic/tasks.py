"""Background tasks of the clinic app: they take ids, read the current row, and send."""

from django.conf import settings
from django.tasks import task

from clinic.rules import role_label
from core.sms import SMSKind, send_sms
from users.models import TempPasswordLog


def temp_password_sms_body(*, clinic_name: str, role_id: int, password: str) -> str:
    return (
        f"QuickCare: {clinic_name} added you as {role_label(role_id)}. "
        f"Log in with your mobile number. Temporary password: {password} "
        f"(valid {settings.TEMP_PASSWORD_TTL_DAYS} days). "
        "Then complete your profile in the app."
    )


def temp_password_sms_variables(*, clinic_name: str, role_id: int, password: str) -> dict[str, str]:
    """The variables of the registered (DLT) template that renders the text above."""
    return {
        "clinic": clinic_name,
        "role": role_label(role_id),
        "password": password,
        "valid_days": str(settings.TEMP_PASSWORD_TTL_DAYS),
    }


@task()
def send_temp_password_sms(log_id: int, clinic_name: str) -> None:
    # The password is read here, not passed in: a database task queue keeps task arguments,
    # and the temporary password must not outlive its (erasable) log row.
    log = TempPasswordLog.objects.select_related("user").filter(pk=log_id).first()
    if log is None or log.is_used or not log.temp_password:
        return
    role_id, password = log.user.role_id, log.temp_password
    send_sms(
        to=str(log.user.contact),
        body=temp_password_sms_body(clinic_name=clinic_name, role_id=role_id, password=password),
        kind=SMSKind.TEMP_PASSWORD,
        variables=temp_password_sms_variables(
            clinic_name=clinic_name, role_id=role_id, password=password
        ),
    )
