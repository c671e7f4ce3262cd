"""Shared building blocks used by every QuickCare app."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "QuickCare core"

    def ready(self) -> None:
        # Imported for what they register: system checks, the `<id:...>` path converter, schema
        # extensions.
        from core import checks, choices, converters, records, schema  # noqa: F401

        choices.install()
        records.connect()
