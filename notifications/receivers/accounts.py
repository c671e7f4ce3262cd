"""Accounts: a staff member's temporary password, a data principal's erasure."""

from typing import Any

from django.conf import settings

from clinic.models import Clinic
from clinic.rules import role_label
from notifications.kinds import (
    REDACTED,
    ROLE_WORDS,
)
from notifications.models import Device, Kind, Notification, NotificationPreference
from notifications.render import Words
from notifications.services import Event, notify
from users.models import TempPasswordLog, User

# --- clinic staff ------------------------------------------------------------------------------


def on_temp_password_issued(
    *, log: TempPasswordLog, clinic: Clinic, **_: Any
) -> list[Notification]:
    """The new member's SMS: its stored body shows the password REDACTED; the real one is read
    from the log when sending (never once it is used)."""
    user = log.user
    return notify(
        Event(
            recipient=user,
            kind=Kind.STAFF_ADDED,
            key=f"temp-password:{log.pk}",
            subject=f"clinic:{clinic.pk}",
            zone=clinic.timezone,
            region=clinic.state,
            values={
                "clinic": clinic.name,
                "role": Words(ROLE_WORDS[role_label(user.role_id)]),
                "password": REDACTED,
                "days": settings.TEMP_PASSWORD_TTL_DAYS,
            },
            data={"temp_password_log_id": log.pk, "clinic_id": str(clinic.pk)},
        )
    )


# --- privacy -----------------------------------------------------------------------------------


def on_personal_data_erased(*, user: User, **_: Any) -> None:
    """An erased account keeps no inbox (its texts name doctors, clinics, documents), no push
    device and no preferences; unsent messages to it go with them."""
    Notification.objects.filter(recipient=user).delete()
    Device.objects.filter(user=user).delete()
    NotificationPreference.objects.filter(user=user).delete()
