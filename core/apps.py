"""Shared building blocks used by every QuickCare app."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "QuickCare core"

    def ready(self) -> None:
        from core import checks, choices, schema  # noqa: F401  (registers checks, extensions)

        choices.install()
