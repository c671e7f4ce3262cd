"""Admin for doctor profiles, weekly availability and leaves."""

from django.contrib import admin

from doctors.models import DoctorAvailability, DoctorLeave, DoctorProfile


class DoctorAvailabilityInline(admin.TabularInline):
    model = DoctorAvailability
    extra = 0
    raw_id_fields = ("clinic",)


class DoctorLeaveInline(admin.TabularInline):
    model = DoctorLeave
    extra = 0
    raw_id_fields = ("clinic",)


@admin.register(DoctorProfile)
class DoctorProfileAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "user",
        "specialty",
        "first_visit_fee",
        "follow_up_fee",
        "offers_video_consultation",
    )
    list_filter = ("offers_video_consultation", "specialty")
    search_fields = ("user__name", "user__contact", "specialty")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    inlines = (DoctorAvailabilityInline, DoctorLeaveInline)


@admin.register(DoctorAvailability)
class DoctorAvailabilityAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "doctor",
        "clinic",
        "day_of_week",
        "start_time",
        "end_time",
        "slot_duration_minutes",
        "max_patients",
        "is_active",
    )
    list_filter = ("is_active", "day_of_week")
    search_fields = ("doctor__user__name", "doctor__user__contact", "clinic__name")
    list_select_related = ("doctor__user", "clinic")
    raw_id_fields = ("doctor", "clinic")


@admin.register(DoctorLeave)
class DoctorLeaveAdmin(admin.ModelAdmin):
    list_display = ("id", "doctor", "clinic", "start_date", "end_date", "reason")
    list_filter = ("start_date",)
    search_fields = ("doctor__user__name", "doctor__user__contact", "reason")
    list_select_related = ("doctor__user", "clinic")
    raw_id_fields = ("doctor", "clinic")
    date_hierarchy = "start_date"
