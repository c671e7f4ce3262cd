"""The SMS to the owner of an account a profile transfer created: finish registering.

Sent after commit by `users.tasks.send_account_created_sms` (it takes the id and reads the row,
so a rolled-back transfer sends nothing). With MSG91 the kind `account_created` needs its DLT
template in `MSG91_TEMPLATES` (named in `.env.production.example`; `core.sms.SMSKind`, so the
`quickcare.W003` deploy check names it when it is missing).
"""

from core.sms import SMSKind, send_sms
from users.models import User

ACCOUNT_CREATED_SMS_KIND = SMSKind.ACCOUNT_CREATED


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
        kind=ACCOUNT_CREATED_SMS_KIND,
    )
    return True
