"""Handing one notification to its channel's backend, with any secret filled in only here."""

from collections.abc import Callable
from typing import Any

from core.sms import SMSError, send_sms
from notifications.channels import ChannelError, NotDeliverable, Outgoing
from notifications.channels import push as push_channel
from notifications.channels import whatsapp as whatsapp_channel
from notifications.kinds import SPECS
from notifications.models import Channel, Device, Kind, Notification
from notifications.render import render_stored, template_names
from users.models import TempPasswordLog


def _temp_password(notification: Notification) -> dict[str, str]:
    # Read now, never stored with the notification: the password lives only in its (erasable)
    # log row, and is no longer sent once used.
    log = TempPasswordLog.objects.filter(pk=notification.data.get("temp_password_log_id")).first()
    if log is None or log.is_used or not log.temp_password:
        raise NotDeliverable("the temporary password was already used or erased")
    return {"password": log.temp_password}


SECRETS: dict[str, Callable[[Notification], dict[str, str]]] = {
    Kind.STAFF_ADDED: _temp_password,
}


def outgoing(notification: Notification) -> Outgoing:
    stored = dict(notification.variables)
    body = notification.body
    if SPECS[notification.kind].secret:
        stored.update(SECRETS[notification.kind](notification))
        body = render_stored(notification.kind, language=notification.language, variables=stored)
    # In the template's order (DLT and WhatsApp parameters are positional); jsonb keeps none.
    order = template_names(notification.kind, notification.language)
    variables = {name: stored[name] for name in order if name in stored}
    return Outgoing(
        notification_id=notification.pk,
        kind=notification.kind,
        language=notification.language,
        to=str(notification.recipient.contact),
        title=notification.title,
        body=body,
        variables=variables,
        data={key: str(value) for key, value in notification.data.items()},
    )


def _push(message: Outgoing, *, user_id: Any) -> str | None:
    devices = list(Device.objects.filter(user_id=user_id).values_list("pk", "token"))
    backend = push_channel.get_backend()
    ids: list[str | None] = []
    for device_id, token in devices:
        try:
            ids.append(backend.send(message, token=token))
        except push_channel.TokenGone:
            Device.objects.filter(pk=device_id).delete()
    if not ids:
        raise NotDeliverable("no registered device")
    return next((found for found in ids if found), None)


def deliver(notification: Notification) -> str | None:
    """Send on the notification's channel; the provider's message id (None if it gives none)."""
    if notification.channel == Channel.INAPP:
        return None
    message = outgoing(notification)
    if notification.channel == Channel.SMS:
        try:
            return send_sms(
                to=message.to, body=message.body, kind=message.kind, variables=message.variables
            )
        except SMSError as exc:
            raise ChannelError(str(exc)) from exc
    if notification.channel == Channel.WHATSAPP:
        return whatsapp_channel.get_backend().send(message)
    return _push(message, user_id=notification.recipient_id)
