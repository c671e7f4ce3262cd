"""Admin: clinics (active toggle) with their members, members, weekly windows, checklists."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest

from clinic import services
from clinic.models import (
    AdmissionDocument,
    Clinic,
    ClinicMember,
    ClinicTimeSlot,
    MemberStatus,
)
from clinic.windows import check_window, day_name, hhmm, overlapping
from core.response_cache import bump_directory


class ClinicMemberInline(admin.TabularInline):
    model = ClinicMember
    fk_name = "clinic"
    extra = 0
    fields = ("user", "member_role", "status", "department", "joined_at", "left_at")
    raw_id_fields = ("user",)
    show_change_link = True


class AdmissionDocumentInline(admin.TabularInline):
    model = AdmissionDocument
    extra = 0
    fields = ("name", "description", "is_mandatory", "display_order")


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "city",
        "clinic_type",
        "owner",
        "active_members",
        "is_active",
        "created_at",
    )
    list_editable = ("is_active",)
    list_filter = ("is_active", "clinic_type", "city")
    search_fields = ("name", "slug", "city", "owner__contact", "owner__name")
    list_select_related = ("owner",)
    raw_id_fields = ("owner",)
    readonly_fields = ("created_at", "updated_at")
    inlines = (ClinicMemberInline, AdmissionDocumentInline)
    actions = ("activate_clinics", "deactivate_clinics")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Clinic]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                _active_members=Count("members", filter=Q(members__status=MemberStatus.ACTIVE))
            )
        )

    @admin.display(description="active members", ordering="_active_members")
    def active_members(self, obj: Any) -> int:
        return int(getattr(obj, "_active_members", 0))

    def save_model(self, request: HttpRequest, obj: Clinic, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # Turning a clinic off releases its staff, as the API's soft delete does.
        if change and "is_active" in form.changed_data and not obj.is_active:
            services.clinic_deactivate(clinic=obj)

    @admin.action(description="Activate selected clinics")
    def activate_clinics(self, request: HttpRequest, queryset: QuerySet[Clinic]) -> None:
        count = queryset.update(is_active=True)
        bump_directory()  # update() sends no post_save
        self.message_user(request, f"{count} clinic(s) activated.", messages.SUCCESS)

    @admin.action(description="Deactivate selected clinics (soft delete, releases staff)")
    def deactivate_clinics(self, request: HttpRequest, queryset: QuerySet[Clinic]) -> None:
        clinics = list(queryset.filter(is_active=True))
        for clinic in clinics:
            services.clinic_deactivate(clinic=clinic)
        self.message_user(request, f"{len(clinics)} clinic(s) deactivated.", messages.SUCCESS)


@admin.register(ClinicMember)
class ClinicMemberAdmin(admin.ModelAdmin):
    list_display = ("user", "clinic", "member_role", "status", "department", "joined_at", "left_at")
    list_filter = ("member_role", "status")
    search_fields = ("user__contact", "user__name", "clinic__name")
    list_select_related = ("user", "clinic")
    raw_id_fields = ("user", "clinic", "added_by")
    readonly_fields = ("created_at", "updated_at")


class ClinicTimeSlotAdminForm(forms.ModelForm):
    class Meta:
        model = ClinicTimeSlot
        fields = (
            "clinic",
            "day_of_week",
            "start_time",
            "end_time",
            "slot_duration_minutes",
            "max_appointments",
            "is_active",
        )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        needed = ("clinic", "day_of_week", "start_time", "end_time", "slot_duration_minutes")
        if any(data.get(key) is None for key in needed):
            return data
        check_window(
            start=data["start_time"], end=data["end_time"], duration=data["slot_duration_minutes"]
        )
        if data.get("is_active"):
            window = ClinicTimeSlot(**{key: data[key] for key in needed})
            clash = (
                ClinicTimeSlot.objects.filter(overlapping(window), clinic=data["clinic"])
                .exclude(pk=self.instance.pk)
                .first()
            )
            if clash is not None:
                raise forms.ValidationError(
                    f"Overlaps the active {day_name(clash.day_of_week)} window "
                    f"{hhmm(clash.start_time)}-{hhmm(clash.end_time)}."
                )
        return data


@admin.register(ClinicTimeSlot)
class ClinicTimeSlotAdmin(admin.ModelAdmin):
    form = ClinicTimeSlotAdminForm
    list_display = (
        "clinic",
        "day_of_week",
        "start_time",
        "end_time",
        "slot_duration_minutes",
        "max_appointments",
        "is_active",
    )
    list_filter = ("day_of_week", "is_active")
    search_fields = ("clinic__name",)
    list_select_related = ("clinic",)
    raw_id_fields = ("clinic",)


@admin.register(AdmissionDocument)
class AdmissionDocumentAdmin(admin.ModelAdmin):
    list_display = ("name", "clinic", "is_mandatory", "display_order")
    list_filter = ("is_mandatory",)
    search_fields = ("name", "clinic__name")
    list_select_related = ("clinic",)
    raw_id_fields = ("clinic",)
