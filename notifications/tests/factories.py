"""Outbox rows made directly (the sweep's and the API's tests need rows, not events)."""

import factory
from factory.django import DjangoModelFactory

from notifications.models import Channel, Kind, Notification, Status
from users.tests.factories import PatientFactory


class NotificationFactory(DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(PatientFactory)
    kind = Kind.APPOINTMENT_REMINDER
    channel = Channel.SMS
    key = factory.Sequence(lambda n: f"test:{n}:sms")
    subject = factory.Sequence(lambda n: f"test:{n}")
    status = Status.QUEUED
    language = "en"
    title = "Appointment reminder"
    body = factory.Sequence(lambda n: f"QuickCare reminder number {n}.")
    variables = factory.LazyFunction(dict)
    data = factory.LazyFunction(dict)
