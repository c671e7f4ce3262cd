"""Background task of notifications: it takes the id and holds no rules."""

from django.tasks import task

from notifications.services import notification_send


@task()
def send_notification(notification_id: int) -> None:
    notification_send(notification_id=notification_id)
