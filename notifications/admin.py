"""Admin: the notifications (read-only: the outbox is written by events), filtered by status,
channel and kind; preferences and devices."""

from django.contrib import admin
from django.http import HttpRequest

from notifications.models import Device, Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = (
        "key",
        "recipient",
        "kind",
        "channel",
        "status",
        "due_at",
        "sent_at",
        "attempts",
    )
    list_filter = ("status", "channel", "kind")
    search_fields = ("key", "provider_message_id", "recipient__contact")
    raw_id_fields = ("recipient",)
    date_hierarchy = "due_at"
    readonly_fields = [field.name for field in Notification._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "sms", "whatsapp", "push", "language", "reminders", "access_alerts")
    raw_id_fields = ("user",)


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ("user", "platform", "created_at", "last_seen_at")
    list_filter = ("platform",)
    raw_id_fields = ("user",)
