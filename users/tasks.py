"""Background tasks of the users app: they take ids, read the current row, and send."""

from django.tasks import task


@task()
def send_otp_sms(pending_id: int, otp_log_id: int) -> None:
    # The code is rendered here from the pending registration, not passed in: a database
    # task queue keeps task arguments, and an OTP must not outlive its registration.
    from users.services.registration import registration_otp_sms_send  # services enqueue us

    registration_otp_sms_send(pending_id=pending_id, otp_log_id=otp_log_id)


@task()
def send_account_created_sms(user_id: str) -> None:
    from users.services.transfer_sms import account_created_sms_send

    account_created_sms_send(user_id=user_id)
