"""Routes of this app (mounted in quickcare/urls.py)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
