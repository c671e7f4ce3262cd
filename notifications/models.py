"""Notifications (one row per recipient, event and channel: the outbox), preferences, devices."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Channel(models.TextChoices):
    SMS = "sms"
    WHATSAPP = "whatsapp"
    PUSH = "push"
    INAPP = "inapp"


class Status(models.TextChoices):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"


class Kind(models.TextChoices):
    APPOINTMENT_BOOKED = "appointment_booked"
    APPOINTMENT_BOOKED_DOCTOR = "appointment_booked_doctor"
    APPOINTMENT_CONFIRMED = "appointment_confirmed"
    APPOINTMENT_CANCELLED_BY_DOCTOR = "appointment_cancelled_by_doctor"
    APPOINTMENT_CANCELLED_BY_PATIENT = "appointment_cancelled_by_patient"
    APPOINTMENT_REMINDER = "appointment_reminder"
    DOCTOR_ON_LEAVE = "doctor_on_leave"
    CONSENT_REQUESTED = "consent_requested"
    CONSENT_GRANTED = "consent_granted"
    CONSENT_REJECTED = "consent_rejected"
    CONSENT_REVOKED = "consent_revoked"
    CONSENT_EXPIRING = "consent_expiring"
    DOCUMENT_VIEWED = "document_viewed"
    STAFF_ADDED = "staff_added"
    EMERGENCY_ACCESS = "emergency_access"
    QUEUE_ETA_MOVED = "queue_eta_moved"
    APPOINTMENT_RESCHEDULED = "appointment_rescheduled"
    APPOINTMENT_RESCHEDULED_DOCTOR = "appointment_rescheduled_doctor"
    WAITLIST_OFFER = "waitlist_offer"
    WAITLIST_OFFER_EXPIRED = "waitlist_offer_expired"
    WAITLIST_LEAVE_OFFER = "waitlist_leave_offer"


class Notification(models.Model):
    """The outbox row: written in the transaction of the event that caused it, sent after.

    `key` makes every (recipient, event, channel) unique, so a replayed event or two sweeps
    can never make a second message. The stored title and body are what the recipient reads
    in the inbox: never a secret (a temporary password is filled in only when sending)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40, choices=Kind.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    key = models.CharField(max_length=200, unique=True)
    # What the notification is about ("appointment:42"): pending reminders are cancelled by it.
    subject = models.CharField(max_length=100, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    due_at = models.DateTimeField(default=timezone.now)
    # Not worth sending after this moment (a reminder once the appointment has started).
    valid_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    provider_message_id = models.CharField(max_length=200, blank=True)
    provider_status = models.CharField(max_length=30, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    language = models.CharField(max_length=10)
    title = models.CharField(max_length=200)
    body = models.TextField()
    # The template's variables in the registered (DLT) order, as rendered: never secret.
    variables = models.JSONField(default=dict)
    # Ids the app needs to open what the notification is about ({"appointment_id": 42}).
    data = models.JSONField(default=dict)
    read_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(
                fields=["due_at", "id"], condition=Q(status="queued"), name="notification_due_idx"
            ),
            models.Index(
                fields=["recipient", "channel", "status", "sent_at"], name="notification_inbox_idx"
            ),
            models.Index(
                fields=["channel", "provider_message_id"],
                condition=~Q(provider_message_id=""),
                name="notification_provider_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.key


# A user's choices, as the API reads and writes them and the outbox reads them (one list).
PREFERENCE_FIELDS = (
    "sms",
    "whatsapp",
    "push",
    "language",
    "reminders",
    "access_alerts",
    "booking_alerts",
)


class NotificationPreference(models.Model):
    """A user's choices; a user without a row has the defaults below."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preference",
    )
    sms = models.BooleanField(default=True)
    whatsapp = models.BooleanField(default=False)
    push = models.BooleanField(default=True)
    # Blank: the clinic region's language (NOTIFICATION_REGION_LANGUAGES), else the default.
    language = models.CharField(max_length=10, blank=True)
    reminders = models.BooleanField(default=True)
    access_alerts = models.BooleanField(default=True)
    # Doctors: be told of each new booking (cancellations by patients are always told).
    booking_alerts = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Notification preferences of {self.user_id}"


class DevicePlatform(models.TextChoices):
    ANDROID = "android"
    IOS = "ios"
    WEB = "web"


class Device(models.Model):
    """A push registration token (FCM) of one of the user's app installs."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="devices"
    )
    token = models.CharField(max_length=512, unique=True)
    platform = models.CharField(
        max_length=10, choices=DevicePlatform.choices, default=DevicePlatform.ANDROID
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-last_seen_at", "-id")

    def __str__(self) -> str:
        return f"{self.platform} device of {self.user_id}"
