"""Admin for appointments: read-mostly (only `is_paid` can be changed), history inline.

Booking and status changes go through the API so that the slot rules, the transition table and
the history always hold; the admin is for looking things up and recording a payment.
"""

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import display_for_value
from django.http import HttpRequest

from appointments.models import Appointment, AppointmentStatusChange
from appointments.waitlist.models import WaitlistEntry
from audit.admin import AuditedAdminMixin
from core.admin import ReadOnlyAdmin


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
class AppointmentAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = (
        "id",
        "appointment_date",
        "appointment_time",
        "starts_at",
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
        "clinic_timezone",
        "starts_at",
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
    fields = (*readonly_fields[:11], "is_paid", *readonly_fields[11:])

    # Date and time are the clinic's wall clock; the start as a moment renders in TIME_ZONE,
    # like every other datetime here, so rows of clinics in different zones compare.
    @admin.display(description=f"starts ({settings.TIME_ZONE})", ordering="appointment_date")
    def starts_at(self, obj: Appointment) -> str:
        # Formatted here: the change page prints a method's value as is, unlike a field's.
        return str(display_for_value(obj.starts_at, self.get_empty_value_display()))

    @admin.display(description="clinic time zone")
    def clinic_timezone(self, obj: Appointment) -> str:
        return obj.clinic.timezone

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(ReadOnlyAdmin):
    """Offers move only through the waitlist services (holds, expiry, the next patient)."""

    list_display = (
        "id",
        "date",
        "doctor",
        "patient",
        "patient_profile",
        "status",
        "offered_time",
        "offer_expires_at",
    )
    list_filter = ("status",)
    list_select_related = ("doctor__user", "patient", "patient_profile")
    raw_id_fields = (
        "patient",
        "patient_profile",
        "doctor",
        "clinic",
        "appointment",
        "source_appointment",
    )
