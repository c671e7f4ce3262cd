"""Clinics, their staff and opening hours."""

from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "clinic"
