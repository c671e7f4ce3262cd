"""Admin: users (by contact), read-only patient profiles, roles, OTP logs and temporary
password logs."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm

from core.admin import ReadOnlyAdmin
from users.models import OTPLog, PatientProfile, Role, TempPasswordLog, User


class UserAdminCreationForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("contact", "name", "role")


class UserAdminChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserAdminChangeForm
    add_form = UserAdminCreationForm
    list_display = (
        "contact",
        "name",
        "role",
        "is_partial_onboarding",
        "is_complete_onboarding",
        "is_active",
        "is_staff",
        "date_joined",
    )
    list_filter = (
        "role",
        "is_partial_onboarding",
        "is_complete_onboarding",
        "password_change_required",
        "is_active",
        "is_staff",
        "is_superuser",
    )
    list_select_related = ("role",)
    search_fields = ("contact", "name", "email")
    ordering = ("-date_joined",)
    readonly_fields = ("date_joined", "updated_at", "last_login")
    fieldsets = (
        (None, {"fields": ("contact", "password")}),
        ("Profile", {"fields": ("name", "email", "gender", "age", "blood_group")}),
        (
            "Role and onboarding",
            {
                "fields": (
                    "role",
                    "is_partial_onboarding",
                    "is_complete_onboarding",
                    "password_change_required",
                )
            },
        ),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined", "updated_at")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("contact", "name", "role", "password1", "password2"),
            },
        ),
    )
    filter_horizontal = ("groups", "user_permissions")


@admin.register(Role)
class RoleAdmin(ReadOnlyAdmin):
    list_display = ("id", "name")


@admin.register(OTPLog)
class OTPLogAdmin(ReadOnlyAdmin):
    list_display = (
        "contact",
        "purpose",
        "created_at",
        "expires_at",
        "attempts",
        "is_used",
        "used_at",
    )
    list_filter = ("purpose", "is_used")
    search_fields = ("contact",)
    date_hierarchy = "created_at"


class TempPasswordLogForm(forms.ModelForm):
    class Meta:
        model = TempPasswordLog
        fields = ("user", "issued_by", "expires_at", "is_used", "used_at")


@admin.register(TempPasswordLog)
class TempPasswordLogAdmin(ReadOnlyAdmin):
    form = TempPasswordLogForm
    list_display = (
        "user",
        "shown_temp_password",
        "issued_by",
        "created_at",
        "expires_at",
        "is_used",
        "used_at",
    )
    list_filter = ("is_used",)
    list_select_related = ("user", "issued_by")
    search_fields = ("user__contact", "user__name")
    fields = (
        "user",
        "shown_temp_password",
        "issued_by",
        "created_at",
        "expires_at",
        "is_used",
        "used_at",
    )
    readonly_fields = fields

    @admin.display(description="temp password")
    def shown_temp_password(self, obj: TempPasswordLog) -> str:
        # Visible only until the staff member has used it (then the stored copy is erased).
        if obj.is_used or not obj.temp_password:
            return "—"
        return obj.temp_password


@admin.register(PatientProfile)
class PatientProfileAdmin(ReadOnlyAdmin):
    """Who each account cares for (itself and its dependents). Read-only: a self profile
    mirrors its account and a dependent moves only by its transfer (users/services/)."""

    list_display = ("name", "relation", "account", "gender", "date_of_birth", "patient_enabled")
    list_filter = ("relation", "patient_enabled")
    list_select_related = ("account",)
    search_fields = ("name", "account__contact", "account__name")
