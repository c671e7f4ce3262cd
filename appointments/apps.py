"""Appointment booking and its lifecycle."""

from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "appointments"

    def ready(self) -> None:
        from appointments import cache_receivers

        cache_receivers.connect()
