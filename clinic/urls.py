"""Routes under /api/clinics/ (and the member-completion route under /api/users/)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
member_onboarding_urlpatterns: list = []
