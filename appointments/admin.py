"""Admin for appointments: read-mostly (only `is_paid` can be changed), history inline.

Booking and status changes go through the API so that the slot rules, the transition table and
the history always hold; the admin is for looking things up and recording a payment.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from appointments.models import Appointment, AppointmentStatusChange


class AppointmentStatusChangeInline(admin.TabularInline):
    model = AppointmentStatusChange
    extra = 0
    can_delete = False
    fields = ("changed_at", "actor", "from_status", "to_status", "reason")
    readonly_fields = fields
    ordering = ("changed_at", "id")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "appointment_date",
        "appointment_time",
        "doctor",
        "clinic",
        "patient",
        "status",
        "mode",
        "fee_charged",
        "is_paid",
    )
    list_filter = ("status", "appointment_date", "mode", "is_paid", "clinic")
    search_fields = ("patient__name", "patient__contact", "doctor__user__name", "clinic__name")
    list_select_related = ("doctor__user", "clinic", "patient")
    date_hierarchy = "appointment_date"
    ordering = ("-appointment_date", "-appointment_time", "-id")
    inlines = (AppointmentStatusChangeInline,)
    readonly_fields = (
        "patient",
        "doctor",
        "clinic",
        "appointment_date",
        "appointment_time",
        "appointment_type",
        "mode",
        "status",
        "fee_charged",
        "notes",
        "doctor_notes",
        "cancellation_reason",
        "created_at",
        "updated_at",
    )
    fields = (*readonly_fields[:9], "is_paid", *readonly_fields[9:])

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
