"""Shapes of doctor profiles, availability windows, leaves and slot listings (no rules here)."""

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from clinic.models import MAX_SLOT_MINUTES, MIN_SLOT_MINUTES
from core.fields import ContactField, contact_as_int
from core.serializers import Unchangeable, UnchangeableFieldsMixin
from doctors.models import DoctorAvailability, DoctorLeave, LeaveConflict
from doctors.rows import DoctorRow
from doctors.services import DAY_NAMES
from doctors.slot_engine import NOT_PRACTISING_AT_CLINIC, HiddenReason

HHMM = "%H:%M"


# --- profiles --------------------------------------------------------------------------


class DoctorUserOutputSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    contact = ContactField(
        allow_null=True,
        help_text="The doctor's own mobile: only in their own view (`doctors/me`); null in "
        "public views, where the clinic's phone is the number to call.",
    )


class DoctorClinicOutputSerializer(serializers.Serializer):
    clinic_id = serializers.UUIDField()
    clinic_name = serializers.CharField(source="clinic.name")
    city = serializers.CharField(source="clinic.city")
    department = serializers.CharField()


class DoctorOutputSerializer(serializers.Serializer):
    """The documented shape of a doctor; `to_representation` renders it (tests hold them equal)."""

    # The declared fields document the shape (OpenAPI); `to_representation` builds it by hand
    # from a `rows.DoctorRow`, because DRF's field machinery costs more than the query on a
    # page of 20 doctors. test_profiles holds the two equal: key names and JSON types.
    id = serializers.IntegerField()
    user = DoctorUserOutputSerializer()
    specialty = serializers.CharField()
    qualification = serializers.CharField()
    registration_number = serializers.CharField()
    experience_years = serializers.IntegerField(allow_null=True)
    biography = serializers.CharField()
    languages = serializers.CharField()
    first_visit_fee = serializers.DecimalField(max_digits=10, decimal_places=2)
    follow_up_fee = serializers.DecimalField(max_digits=10, decimal_places=2)
    offers_video_consultation = serializers.BooleanField()
    clinics = DoctorClinicOutputSerializer(many=True, help_text="Active memberships only.")

    def to_representation(self, instance: DoctorRow) -> dict[str, Any]:
        row = instance
        clinics = []
        if row["clinic_id"] is not None and row["clinic_is_active"]:
            clinics.append(
                {
                    "clinic_id": str(row["clinic_id"]),
                    "clinic_name": row["clinic_name"],
                    "city": row["clinic_city"],
                    "department": row["department"],
                }
            )
        return {
            "id": row["id"],
            "user": {
                "id": str(row["user_id"]),
                "name": row["user_name"],
                "contact": contact_as_int(row["user_contact"]),
            },
            "specialty": row["specialty"],
            "qualification": row["qualification"],
            "registration_number": row["registration_number"],
            "experience_years": row["experience_years"],
            "biography": row["biography"],
            "languages": row["languages"],
            "first_visit_fee": _money(row["first_visit_fee"]),
            "follow_up_fee": _money(row["follow_up_fee"]),
            "offers_video_consultation": row["offers_video_consultation"],
            "clinics": clinics,
        }


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


class DoctorProfileUpdateInputSerializer(UnchangeableFieldsMixin, serializers.Serializer):
    # `user` as shown ({id, name, contact}) is compared by its id: the name changes on `me`.
    unchangeable_fields = {"id": Unchangeable(source="pk"), "user": Unchangeable(source="user_id")}

    specialty = serializers.CharField(max_length=100, allow_blank=True, required=False)
    qualification = serializers.CharField(max_length=255, allow_blank=True, required=False)
    registration_number = serializers.CharField(max_length=100, allow_blank=True, required=False)
    experience_years = serializers.IntegerField(
        min_value=0, max_value=80, allow_null=True, required=False
    )
    biography = serializers.CharField(max_length=5000, allow_blank=True, required=False)
    languages = serializers.CharField(max_length=255, allow_blank=True, required=False)
    first_visit_fee = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, required=False
    )
    follow_up_fee = serializers.DecimalField(
        max_digits=10, decimal_places=2, min_value=0, required=False
    )
    offers_video_consultation = serializers.BooleanField(required=False)
    allow_overbooking = serializers.BooleanField(
        required=False,
        help_text="Walk-ins past a full session are still booked, as overbooked (the desk).",
    )


class DoctorMeOutputSerializer(DoctorOutputSerializer):
    """The doctor's own view: the public shape and the settings only they see."""

    allow_overbooking = serializers.BooleanField(
        help_text="Walk-ins past a full session are still booked, as overbooked (the desk)."
    )

    def to_representation(self, instance: DoctorRow) -> dict[str, Any]:
        return {
            **super().to_representation(instance),
            "allow_overbooking": self.context["allow_overbooking"],
        }


# --- availability ----------------------------------------------------------------------


class DoctorAvailabilityOutputSerializer(serializers.ModelSerializer):
    clinic = serializers.UUIDField(source="clinic_id")
    clinic_name = serializers.CharField(source="clinic.name")
    day = serializers.SerializerMethodField()
    start_time = serializers.TimeField(format=HHMM)
    end_time = serializers.TimeField(format=HHMM)

    class Meta:
        model = DoctorAvailability
        fields = (
            "id",
            "clinic",
            "clinic_name",
            "day",
            "day_of_week",
            "start_time",
            "end_time",
            "slot_duration_minutes",
            "max_patients",
            "is_active",
        )

    def get_day(self, row: DoctorAvailability) -> str:
        return DAY_NAMES[row.day_of_week]


class MinuteTimeField(serializers.TimeField):
    """HH:MM (seconds, if sent, must be zero)."""

    def to_internal_value(self, value: Any) -> Any:
        moment = super().to_internal_value(value)
        if moment.second or moment.microsecond:
            raise serializers.ValidationError("Use whole minutes (HH:MM).")
        return moment


class DoctorAvailabilityInputSerializer(UnchangeableFieldsMixin, serializers.Serializer):
    unchangeable_fields = {
        "id": Unchangeable(source="pk"),
        "doctor": Unchangeable(source="doctor_id"),
    }

    clinic = serializers.UUIDField()
    day = serializers.CharField(
        max_length=9, required=False, help_text="monday … sunday (case-insensitive)."
    )
    day_of_week = serializers.IntegerField(
        min_value=0, max_value=6, required=False, help_text="0 = Monday … 6 = Sunday."
    )
    start_time = MinuteTimeField(help_text="HH:MM")
    end_time = MinuteTimeField(help_text="HH:MM")
    slot_duration_minutes = serializers.IntegerField(
        min_value=MIN_SLOT_MINUTES, max_value=MAX_SLOT_MINUTES
    )
    max_patients = serializers.IntegerField(min_value=1, max_value=1000)

    def validate_day(self, value: str) -> int:
        name = value.strip().lower()
        if name not in DAY_NAMES:
            raise serializers.ValidationError(f"Unknown day; use one of {', '.join(DAY_NAMES)}.")
        return DAY_NAMES.index(name)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        by_name = attrs.pop("day", None)
        by_number = attrs.get("day_of_week")
        if by_name is not None and by_number is not None and by_name != by_number:
            raise serializers.ValidationError({"day": ["Does not match day_of_week."]})
        if by_name is not None:
            attrs["day_of_week"] = by_name
        elif by_number is None and not self.partial:
            raise serializers.ValidationError({"day": ["This field is required."]})
        return attrs


class DoctorAvailabilityUpdateInputSerializer(DoctorAvailabilityInputSerializer):
    is_active = serializers.BooleanField(required=False)


# --- leaves ----------------------------------------------------------------------------


class DoctorLeaveOutputSerializer(serializers.ModelSerializer):
    clinic = serializers.UUIDField(source="clinic_id", allow_null=True)
    clinic_name = serializers.SerializerMethodField()

    class Meta:
        model = DoctorLeave
        fields = ("id", "clinic", "clinic_name", "start_date", "end_date", "reason", "created_at")

    def get_clinic_name(self, leave: DoctorLeave) -> str | None:
        return leave.clinic.name if leave.clinic else None


class DoctorLeaveInputSerializer(serializers.Serializer):
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    clinic = serializers.UUIDField(
        required=False, allow_null=True, help_text="Empty: the leave covers all your clinics."
    )
    reason = serializers.CharField(max_length=255, allow_blank=True, required=False, default="")
    on_conflict = serializers.ChoiceField(
        choices=LeaveConflict.choices,
        required=False,
        allow_null=True,
        help_text="Needed when the leave lands on pending/confirmed appointments (see "
        "`GET /api/doctors/me/leaves/impact/`): `cancel_and_notify` cancels them and tells "
        "each patient the next free times; `reschedule_offer` cancels them and offers each "
        "patient the nearest free slot, held for them (the waitlist, first in line).",
    )


# --- slots -----------------------------------------------------------------------------


class HiddenSlotOutputSerializer(serializers.Serializer):
    time = serializers.CharField()
    reason = serializers.ChoiceField(choices=[reason.value for reason in HiddenReason])


class DoctorSlotsOutputSerializer(serializers.Serializer):
    doctor = serializers.IntegerField()
    date = serializers.DateField()
    available_slots = serializers.ListField(child=serializers.CharField())
    hidden = HiddenSlotOutputSerializer(many=True, required=False, help_text="explain=true only.")
    reason = serializers.ChoiceField(
        choices=[NOT_PRACTISING_AT_CLINIC],
        allow_null=True,
        required=False,
        help_text="explain=true only: why no time at all is offered, else null.",
    )
