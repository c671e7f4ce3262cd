"""The real HTTP clients send the documented requests (checked against a mock transport)."""

import json

import httpx
import pytest

from notifications.channels import ChannelError, Outgoing
from notifications.channels.push import FCMBackend, TokenGone
from notifications.channels.whatsapp import CloudWhatsAppBackend

MESSAGE = Outgoing(
    notification_id=7,
    kind="appointment_reminder",
    language="hi",
    to="+919876500001",
    title="अपॉइंटमेंट अनुस्मारक",
    body="QuickCare अनुस्मारक: ...",
    variables={
        "clinic": "City Care",
        "doctor": "Dr Meera Iyer",
        "date": "9 मार्च 2026",
        "time": "09:30",
    },
    data={"appointment_id": "42"},
)


def _transport(answer: httpx.Response, seen: list[httpx.Request]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answer

    return httpx.MockTransport(handler)


def test_whatsapp_cloud_api_template_request(settings):
    settings.WHATSAPP_API_VERSION = "v21.0"
    settings.WHATSAPP_PHONE_NUMBER_ID = "1234567890"
    settings.WHATSAPP_ACCESS_TOKEN = "wa-token"
    seen: list[httpx.Request] = []
    answer = httpx.Response(200, json={"messages": [{"id": "wamid.HBgM"}]})
    backend = CloudWhatsAppBackend(transport=_transport(answer, seen))

    assert backend.send(MESSAGE) == "wamid.HBgM"
    (request,) = seen
    assert request.method == "POST"
    assert str(request.url) == "https://graph.facebook.com/v21.0/1234567890/messages"
    assert request.headers["Authorization"] == "Bearer wa-token"
    assert json.loads(request.content) == {
        "messaging_product": "whatsapp",
        "to": "919876500001",
        "type": "template",
        "template": {
            "name": "quickcare_appointment_reminder",
            "language": {"code": "hi"},
            "components": [
                {
                    "type": "body",
                    "parameters": [
                        {"type": "text", "text": "City Care"},
                        {"type": "text", "text": "Dr Meera Iyer"},
                        {"type": "text", "text": "9 मार्च 2026"},
                        {"type": "text", "text": "09:30"},
                    ],
                }
            ],
        },
    }


def test_whatsapp_errors_are_channel_errors(settings):
    answer = httpx.Response(500, json={"error": {"message": "boom"}})
    with pytest.raises(ChannelError, match="HTTP 500"):
        CloudWhatsAppBackend(transport=_transport(answer, [])).send(MESSAGE)


def test_fcm_http_v1_request(settings):
    settings.FCM_PROJECT_ID = "quickcare-app"
    settings.FCM_ACCESS_TOKEN = "ya29.token"
    seen: list[httpx.Request] = []
    answer = httpx.Response(200, json={"name": "projects/quickcare-app/messages/0:1"})
    backend = FCMBackend(transport=_transport(answer, seen))

    assert backend.send(MESSAGE, token="device-token") == "projects/quickcare-app/messages/0:1"
    (request,) = seen
    assert str(request.url) == "https://fcm.googleapis.com/v1/projects/quickcare-app/messages:send"
    assert request.headers["Authorization"] == "Bearer ya29.token"
    assert json.loads(request.content) == {
        "message": {
            "token": "device-token",
            "notification": {"title": MESSAGE.title, "body": MESSAGE.body},
            "data": {
                "kind": "appointment_reminder",
                "notification_id": "7",
                "appointment_id": "42",
            },
        }
    }


def test_fcm_unregistered_token_and_transport_failures(settings):
    settings.FCM_PROJECT_ID = "quickcare-app"
    settings.FCM_ACCESS_TOKEN = "ya29.token"
    gone = httpx.Response(404, json={"error": {"status": "NOT_FOUND"}})
    with pytest.raises(TokenGone):
        FCMBackend(transport=_transport(gone, [])).send(MESSAGE, token="old")

    def broken(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    with pytest.raises(ChannelError, match="ConnectError"):
        FCMBackend(transport=httpx.MockTransport(broken)).send(MESSAGE, token="t")


@pytest.mark.django_db
def test_push_goes_to_every_device_of_the_recipient(patient):
    from notifications.channels import push
    from notifications.models import Channel, Device, Status
    from notifications.services import notification_send
    from notifications.tests.factories import NotificationFactory

    Device.objects.create(user=patient, token="a")
    Device.objects.create(user=patient, token="b")
    notification = NotificationFactory(recipient=patient, channel=Channel.PUSH)
    assert notification_send(notification_id=notification.pk) == Status.SENT
    assert sorted(item["message"]["token"] for item in push.outbox) == ["a", "b"]
