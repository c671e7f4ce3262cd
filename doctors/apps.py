"""Doctor profiles, availability, leaves and the slot engine."""

from django.apps import AppConfig


class DoctorsConfig(AppConfig):
    name = "doctors"
