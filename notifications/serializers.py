"""Input and output shapes of the inbox, the preferences and the devices."""

from rest_framework import serializers

from notifications.kinds import LANGUAGES
from notifications.models import (
    PREFERENCE_FIELDS,
    Device,
    DevicePlatform,
    Kind,
    Notification,
    NotificationPreference,
)


class NotificationOutputSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=Kind.choices)
    is_read = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(source="sent_at", help_text="When it reached the inbox.")

    class Meta:
        model = Notification
        extra_kwargs = {
            "data": {"help_text": "Ids to open what it is about: appointment_id, consent_id..."}
        }
        fields = (
            "id",
            "kind",
            "title",
            "body",
            "language",
            "data",
            "is_read",
            "read_at",
            "created_at",
        )

    def get_is_read(self, obj: Notification) -> bool:
        return obj.read_at is not None


class NotificationListQueryInputSerializer(serializers.Serializer):
    unread = serializers.BooleanField(required=False, default=False)


class NotificationUpdateInputSerializer(serializers.Serializer):
    read = serializers.BooleanField()


class ReadAllOutputSerializer(serializers.Serializer):
    updated = serializers.IntegerField(help_text="How many notifications were marked read.")


class NotificationPreferenceSerializer(serializers.ModelSerializer):
    """In and out: PUT may send any subset; what is left out keeps its value."""

    language = serializers.ChoiceField(
        choices=[("", "default"), *((code, code) for code in LANGUAGES)],
        required=False,
        help_text="Empty: the clinic region's language, else English.",
    )

    class Meta:
        model = NotificationPreference
        fields = PREFERENCE_FIELDS


class DeviceInputSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=512)
    platform = serializers.ChoiceField(
        choices=DevicePlatform.choices, default=DevicePlatform.ANDROID
    )


class DeviceOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Device
        fields = ("id", "token", "platform", "created_at")


class DeviceDeleteQueryInputSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=512)


class WebhookOutputSerializer(serializers.Serializer):
    updated = serializers.IntegerField(help_text="Notifications whose delivery status changed.")
