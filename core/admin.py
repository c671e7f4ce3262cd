"""Admin building blocks shared by the apps (this module registers no model)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest


class ReadOnlyAdmin(admin.ModelAdmin):
    """Logs, records and reference data: visible to staff, never added, edited or deleted by
    hand (the audit chain, access logs, consents, erasure requests, roles, OTP logs)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
