"""The SMS to the owner of an account a profile transfer created: finish registering.

Sent after commit by `users.tasks.send_account_created_sms` (it takes the id and reads the row,
so a rolled-back transfer sends nothing). With MSG91 the kind `account_created` needs its DLT
template in `MSG91_TEMPLATES`.
"""

from core.sms import SMSKind, send_sms
from users.models import User

REGISTER_PATH = "/api/users/onboarding/patient/step1/"


def account_created_sms_send(*, user_id: str) -> bool:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.has_usable_password():
        return False  # gone, or already registered
    send_sms(
        to=str(user.contact),
        body=(
            "Your health records are now in your own QuickCare account on this number. "
            "Register with this number in the QuickCare app to sign in."
        ),
        kind=SMSKind.ACCOUNT_CREATED,
    )
    return True
