"""Request and response shapes of the clinic API (shape only; the rules live in services)."""

from typing import Any

from django.core.validators import RegexValidator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clinic.models import (
    MAX_SLOT_MINUTES,
    MIN_SLOT_MINUTES,
    AdmissionDocument,
    Clinic,
    ClinicMember,
    ClinicTimeSlot,
    MemberRole,
    MemberStatus,
)
from clinic.rules import CLINIC_EDITABLE_FIELDS, is_known_timezone
from clinic.windows import check_window, day_name
from core.fields import ContactField
from core.serializers import Unchangeable, UnchangeableFieldsMixin
from users.models import BloodGroup, Gender, User
from users.serializers import USER_UNCHANGEABLE, UserOutputSerializer

TIME_FORMATS = ["%H:%M", "%H:%M:%S"]
MAX_SLOTS_PER_REQUEST = 100
pincode_validator = RegexValidator(r"^[1-9][0-9]{5}$", "Enter a valid 6-digit pincode.")
phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 \-]{5,14}$", "Enter a valid phone number (digits, spaces, + and - only)."
)
# Rows of a clinic: their id and clinic are set by the server (the URL names the clinic).
CLINIC_ROW_UNCHANGEABLE = {
    "id": Unchangeable(source="pk"),
    "clinic": Unchangeable(source="clinic_id"),
}


# --- time slots ------------------------------------------------------------------------


class TimeSlotInputSerializer(UnchangeableFieldsMixin, serializers.Serializer):
    unchangeable_fields = CLINIC_ROW_UNCHANGEABLE

    day_of_week = serializers.IntegerField(
        min_value=0, max_value=6, help_text="0=Monday ... 6=Sunday"
    )
    start_time = serializers.TimeField(input_formats=TIME_FORMATS, help_text="HH:MM")
    end_time = serializers.TimeField(input_formats=TIME_FORMATS, help_text="HH:MM")
    slot_duration_minutes = serializers.IntegerField(
        min_value=MIN_SLOT_MINUTES, max_value=MAX_SLOT_MINUTES
    )
    max_appointments = serializers.IntegerField(
        min_value=1, max_value=10_000, help_text="Per window per date."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        current = {
            key: getattr(self.instance, key)
            for key in ("start_time", "end_time", "slot_duration_minutes")
            if self.instance is not None
        }
        merged = current | attrs
        # Here as well as in the service: a list of windows answers each error at its index.
        check_window(
            start=merged["start_time"],
            end=merged["end_time"],
            duration=merged["slot_duration_minutes"],
        )
        return attrs


class TimeSlotUpdateInputSerializer(TimeSlotInputSerializer):
    is_active = serializers.BooleanField(
        required=False, help_text="true restores a deactivated window (overlaps re-checked)."
    )


class TimeSlotOutputSerializer(serializers.ModelSerializer):
    clinic = serializers.UUIDField(source="clinic_id", read_only=True)
    day_name = serializers.SerializerMethodField()
    start_time = serializers.TimeField(format="%H:%M")
    end_time = serializers.TimeField(format="%H:%M")

    class Meta:
        model = ClinicTimeSlot
        fields = (
            "id",
            "clinic",
            "day_of_week",
            "day_name",
            "start_time",
            "end_time",
            "slot_duration_minutes",
            "max_appointments",
            "is_active",
        )

    def get_day_name(self, obj: ClinicTimeSlot) -> str:
        return day_name(obj.day_of_week)


# --- clinics ---------------------------------------------------------------------------


class ClinicInputSerializer(UnchangeableFieldsMixin, serializers.ModelSerializer):
    unchangeable_fields = {
        "id": Unchangeable(source="pk"),
        "owner": Unchangeable(source="owner_id"),
        "slug": Unchangeable(),
    }

    name = serializers.CharField(max_length=200)
    phone = serializers.CharField(
        max_length=15, required=False, allow_blank=True, validators=[phone_validator]
    )
    pincode = serializers.CharField(
        max_length=6, required=False, allow_blank=True, validators=[pincode_validator]
    )
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    timezone = serializers.CharField(
        max_length=64, required=False, help_text="IANA name; default Asia/Kolkata."
    )

    class Meta:
        model = Clinic
        fields: tuple[str, ...] = CLINIC_EDITABLE_FIELDS
        extra_kwargs = {"city": {"allow_blank": False}}

    def validate_timezone(self, value: str) -> str:
        if not is_known_timezone(value):
            raise serializers.ValidationError(f'"{value}" is not a known IANA time zone.')
        return value


class ClinicCreateInputSerializer(ClinicInputSerializer):
    time_slots = TimeSlotInputSerializer(many=True, required=False)

    class Meta(ClinicInputSerializer.Meta):
        fields = (*ClinicInputSerializer.Meta.fields, "time_slots")

    def validate_time_slots(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if len(value) > MAX_SLOTS_PER_REQUEST:
            raise serializers.ValidationError(
                f"At most {MAX_SLOTS_PER_REQUEST} time slots per request."
            )
        return value


class ClinicOnboardingStep3InputSerializer(ClinicCreateInputSerializer):
    class Meta(ClinicCreateInputSerializer.Meta):
        pass


class ClinicUpdateInputSerializer(ClinicInputSerializer):
    is_active = serializers.BooleanField(
        required=False, help_text="false soft-deletes; true restores the clinic."
    )

    class Meta(ClinicInputSerializer.Meta):
        fields = (*ClinicInputSerializer.Meta.fields, "is_active")


CLINIC_PUBLIC_FIELDS: tuple[str, ...] = ("id", "slug", *CLINIC_EDITABLE_FIELDS, "is_active")


class ClinicSummaryOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Clinic
        fields = CLINIC_PUBLIC_FIELDS


class ClinicOutputSerializer(serializers.ModelSerializer):
    member_count = serializers.IntegerField(read_only=True, help_text="Active members.")
    doctor_count = serializers.IntegerField(read_only=True, help_text="Active doctors.")
    staff_count = serializers.IntegerField(
        read_only=True, help_text="Active receptionists and lab members."
    )

    class Meta:
        model = Clinic
        fields: tuple[str, ...] = (
            *CLINIC_PUBLIC_FIELDS,
            "member_count",
            "doctor_count",
            "staff_count",
            "created_at",
            "updated_at",
        )


class ClinicWithSlotsOutputSerializer(ClinicOutputSerializer):
    time_slots = TimeSlotOutputSerializer(many=True, read_only=True)

    class Meta(ClinicOutputSerializer.Meta):
        fields = (*ClinicOutputSerializer.Meta.fields, "time_slots")


# --- members ---------------------------------------------------------------------------


class MemberUserOutputSerializer(serializers.ModelSerializer):
    contact = ContactField(read_only=True)

    class Meta:
        model = User
        fields = ("id", "name", "contact")


class ClinicMemberOutputSerializer(serializers.ModelSerializer):
    clinic = serializers.UUIDField(source="clinic_id", read_only=True)
    user = MemberUserOutputSerializer(read_only=True)

    class Meta:
        model = ClinicMember
        fields: tuple[str, ...] = (
            "id",
            "clinic",
            "user",
            "member_role",
            "status",
            "department",
            "joined_at",
            "left_at",
            "notes",
        )


class ClinicMemberCreateOutputSerializer(ClinicMemberOutputSerializer):
    _info = serializers.SerializerMethodField(
        help_text="Present only when a new account was created."
    )

    class Meta(ClinicMemberOutputSerializer.Meta):
        fields = (*ClinicMemberOutputSerializer.Meta.fields, "_info")

    @extend_schema_field(OpenApiTypes.STR)
    def get__info(self, obj: ClinicMember) -> str | None:
        info: str | None = self.context.get("info")
        return info

    def to_representation(self, instance: ClinicMember) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        if data.get("_info") is None:
            data.pop("_info", None)
        return data


class ClinicMemberCreateInputSerializer(serializers.Serializer):
    contact = ContactField()
    name = serializers.CharField(
        max_length=150,
        required=False,
        allow_blank=True,
        help_text="Required only if the contact is not registered yet.",
    )
    member_role = serializers.ChoiceField(choices=MemberRole.choices)
    department = serializers.CharField(max_length=100, required=False, allow_blank=True)
    joined_at = serializers.DateField(required=False, help_text="Defaults to today.")
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True)


MEMBER_STATUS_CHOICES_TEXT = ", ".join(MemberStatus.values)


class ClinicMemberUpdateInputSerializer(UnchangeableFieldsMixin, serializers.Serializer):
    # The role and the person change by removing the member and adding them again.
    unchangeable_fields = {
        **CLINIC_ROW_UNCHANGEABLE,
        "user": Unchangeable(source="user_id"),
        "member_role": Unchangeable(),
        "left_at": Unchangeable(),
    }

    department = serializers.CharField(max_length=100, required=False, allow_blank=True)
    joined_at = serializers.DateField(required=False)
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    status = serializers.ChoiceField(
        choices=MemberStatus.choices,
        required=False,
        help_text="`inactive` removes the member (like DELETE); a removed member is added again "
        "with POST.",
        error_messages={
            "invalid_choice": f'"{{input}}" is not a valid choice. '
            f"Valid choices: {MEMBER_STATUS_CHOICES_TEXT}."
        },
    )


class MyMembershipOutputSerializer(serializers.ModelSerializer):
    clinic = ClinicSummaryOutputSerializer(read_only=True)

    class Meta:
        model = ClinicMember
        fields = ("id", "clinic", "member_role", "status", "department", "joined_at", "left_at")


# --- member onboarding -----------------------------------------------------------------


class MemberOnboardingCompleteInputSerializer(UnchangeableFieldsMixin, serializers.Serializer):
    unchangeable_fields = USER_UNCHANGEABLE

    name = serializers.CharField(max_length=150, required=False)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False)
    age = serializers.IntegerField(min_value=0, max_value=150, required=False)
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    blood_group = serializers.ChoiceField(
        choices=BloodGroup.choices, required=False, allow_blank=True
    )
    specialty = serializers.CharField(
        max_length=100, required=False, allow_blank=True, help_text="Doctors only."
    )
    qualification = serializers.CharField(
        max_length=255, required=False, allow_blank=True, help_text="Doctors only."
    )
    experience_years = serializers.IntegerField(
        min_value=0, max_value=80, required=False, help_text="Doctors only."
    )
    address_area = serializers.CharField(max_length=255, required=False, allow_blank=True)
    house_no = serializers.CharField(max_length=50, required=False, allow_blank=True)
    town = serializers.CharField(max_length=100, required=False, allow_blank=True)
    state = serializers.CharField(max_length=100, required=False, allow_blank=True)
    pincode = serializers.CharField(
        max_length=6, required=False, allow_blank=True, validators=[pincode_validator]
    )
    password = serializers.CharField(
        max_length=128,
        required=False,
        write_only=True,
        trim_whitespace=False,
        help_text="Optional new password (replaces the temporary one).",
    )


class MemberOnboardingCompleteOutputSerializer(serializers.Serializer):
    message = serializers.CharField()
    access = serializers.CharField()
    refresh = serializers.CharField()
    user = UserOutputSerializer()
    password_change_required = serializers.BooleanField(
        required=False,
        help_text="Present (true) when no new password was sent: the temporary password must "
        "be changed before anything but password change and `me`.",
    )
    password_change_url = serializers.CharField(required=False)


# --- admission documents ---------------------------------------------------------------


class AdmissionDocumentInputSerializer(UnchangeableFieldsMixin, serializers.Serializer):
    unchangeable_fields = CLINIC_ROW_UNCHANGEABLE

    name = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    is_mandatory = serializers.BooleanField(required=False)
    display_order = serializers.IntegerField(min_value=0, max_value=32767, required=False)


class AdmissionDocumentOutputSerializer(serializers.ModelSerializer):
    clinic = serializers.UUIDField(source="clinic_id", read_only=True)

    class Meta:
        model = AdmissionDocument
        fields = (
            "id",
            "clinic",
            "name",
            "description",
            "is_mandatory",
            "display_order",
            "created_at",
            "updated_at",
        )


class TempPasswordReissueOutputSerializer(serializers.Serializer):
    message = serializers.CharField()
