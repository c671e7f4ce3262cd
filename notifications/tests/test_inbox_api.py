"""GET/PATCH the inbox, read-all, preferences and devices: only ever one's own."""

import pytest
from django.utils import timezone

from notifications.models import Channel, Device, NotificationPreference, Status
from notifications.tests.factories import NotificationFactory

pytestmark = pytest.mark.django_db
URL = "/api/notifications/"


def _inbox(user, n=1, **fields):
    return [
        NotificationFactory(
            recipient=user,
            channel=Channel.INAPP,
            status=Status.SENT,
            sent_at=timezone.now(),
            **fields,
        )
        for _ in range(n)
    ]


def test_the_inbox_lists_own_delivered_notifications_newest_first(
    client_for, patient, other_patient, django_assert_max_num_queries
):
    older, newer = _inbox(patient, 2)
    _inbox(other_patient)
    NotificationFactory(recipient=patient, channel=Channel.SMS, status=Status.SENT)
    NotificationFactory(recipient=patient, channel=Channel.INAPP, status=Status.QUEUED)
    client = client_for(patient)
    with django_assert_max_num_queries(6):
        response = client.get(URL)
    assert response.status_code == 200
    assert response["X-Total-Count"] == "2"
    body = response.json()
    assert [item["id"] for item in body] == [newer.pk, older.pk]
    assert set(body[0]) == {
        "id",
        "kind",
        "title",
        "body",
        "language",
        "data",
        "is_read",
        "read_at",
        "created_at",
    }
    assert body[0]["is_read"] is False


def test_unread_filter_and_marking_read(client_for, patient):
    first, second = _inbox(patient, 2)
    client = client_for(patient)
    response = client.patch(f"{URL}{first.pk}/", {"read": True}, format="json")
    assert response.status_code == 200
    assert response.json()["is_read"] is True
    assert [item["id"] for item in client.get(URL, {"unread": "true"}).json()] == [second.pk]
    assert (
        client.patch(f"{URL}{first.pk}/", {"read": False}, format="json").json()["read_at"] is None
    )


def test_read_all_marks_only_own(client_for, patient, other_patient):
    _inbox(patient, 3)
    (theirs,) = _inbox(other_patient)
    response = client_for(patient).post(f"{URL}read-all/")
    assert response.json() == {"updated": 3}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_another_persons_notification_is_404(client_for, patient, other_patient):
    (theirs,) = _inbox(other_patient)
    response = client_for(patient).patch(f"{URL}{theirs.pk}/", {"read": True}, format="json")
    assert response.status_code == 404
    assert response.json()["code"] == "notification_not_found"


def test_bad_input_is_a_400(client_for, patient):
    (mine,) = _inbox(patient)
    client = client_for(patient)
    assert client.get(URL, {"unread": "maybe"}).status_code == 400
    assert client.patch(f"{URL}{mine.pk}/", {"read": "sometimes"}, format="json").status_code == 400


def test_anonymous_is_401(api_client):
    assert api_client.get(URL).status_code == 401


PREFS = "/api/users/me/notification-preferences/"


def test_preferences_default_then_change(client_for, patient):
    client = client_for(patient)
    assert client.get(PREFS).json() == {
        "sms": True,
        "whatsapp": False,
        "push": True,
        "language": "",
        "reminders": True,
        "access_alerts": True,
        "booking_alerts": False,
    }
    response = client.put(PREFS, {"whatsapp": True, "language": "hi"}, format="json")
    assert response.status_code == 200
    assert response.json()["language"] == "hi"
    stored = NotificationPreference.objects.get(user=patient)
    assert (stored.whatsapp, stored.sms, stored.language) == (True, True, "hi")
    assert client.put(PREFS, {"language": "fr"}, format="json").status_code == 400


DEVICES = "/api/users/me/devices/"


def test_devices_register_once_and_delete_by_token_or_id(client_for, patient, other_patient):
    client = client_for(patient)
    created = client.post(DEVICES, {"token": "tok-1", "platform": "ios"}, format="json")
    assert created.status_code == 201
    assert (
        client.post(DEVICES, {"token": "tok-1", "platform": "ios"}, format="json").status_code
        == 200
    )
    assert Device.objects.count() == 1
    assert client_for(other_patient).delete(f"{DEVICES}{created.json()['id']}/").status_code == 404
    assert client.delete(f"{DEVICES}{created.json()['id']}/").status_code == 204
    client.post(DEVICES, {"token": "tok-2"}, format="json")
    assert client.delete(DEVICES + "?token=tok-2").status_code == 204
    assert client.delete(DEVICES + "?token=tok-2").status_code == 404
    assert client.delete(DEVICES).status_code == 400
