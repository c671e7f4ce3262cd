"""Clinics, their staff and opening hours."""

from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "clinic"

    def ready(self) -> None:
        from clinic import cache_receivers

        cache_receivers.connect()
