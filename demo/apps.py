"""Demo data for `make run` (depends on every app; nothing depends on it)."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "demo"
