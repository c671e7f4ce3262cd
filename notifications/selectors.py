"""Reads of notifications, always the requesting user's own."""

from django.db.models import QuerySet

from core.error_codes import ErrorCode
from core.exceptions import NotFound
from notifications.models import Channel, Device, Notification, Status
from users.models import User

NOTIFICATION_NOT_FOUND = "Notification not found."


def inbox_for(*, user: User, unread: bool = False) -> QuerySet[Notification]:
    """The user's inbox, newest first: the in-app copy of every notification delivered."""
    rows = Notification.objects.filter(
        recipient=user, channel=Channel.INAPP, status=Status.SENT
    ).order_by("-sent_at", "-id")
    return rows.filter(read_at__isnull=True) if unread else rows


def inbox_item_for(*, user: User, notification_id: int) -> Notification:
    found = inbox_for(user=user).filter(pk=notification_id).first()
    if found is None:
        raise NotFound(NOTIFICATION_NOT_FOUND, code=ErrorCode.NOTIFICATION_NOT_FOUND)
    return found


def devices_for(*, user: User) -> QuerySet[Device]:
    return Device.objects.filter(user=user)
