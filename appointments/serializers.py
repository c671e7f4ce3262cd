"""Shapes of appointment requests and responses (rules live in services)."""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from appointments.models import (
    Appointment,
    AppointmentMode,
    AppointmentStatus,
    AppointmentStatusChange,
    AppointmentType,
)
from clinic.models import AdmissionDocument, Clinic
from core.fields import ContactField
from core.roles import RoleId
from doctors.models import DoctorProfile
from users.models import Gender, PatientProfile, User

TEXT_MAX = 2000
SLOT_TIME_FORMATS = ["%H:%M", "%H:%M:%S"]
MAX_BIGINT = 2**63 - 1


class _StrictInputSerializer(serializers.Serializer):
    """Refuses keys it does not know, so a typo is a 400 instead of a silent no-op."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if isinstance(self.initial_data, dict):
            unknown = sorted(set(self.initial_data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {key: ["This field is not accepted here."] for key in unknown}
                )
        return attrs


# --- input ------------------------------------------------------------------------------------


class AppointmentBookInputSerializer(serializers.Serializer):
    doctor = serializers.IntegerField(min_value=1, max_value=MAX_BIGINT)
    appointment_date = serializers.DateField()
    appointment_time = serializers.TimeField(
        input_formats=SLOT_TIME_FORMATS, help_text='Slot start, "HH:MM".'
    )
    appointment_type = serializers.ChoiceField(
        choices=AppointmentType.choices, default=AppointmentType.FIRST_VISIT
    )
    mode = serializers.ChoiceField(
        choices=AppointmentMode.choices, default=AppointmentMode.IN_CLINIC
    )
    notes = serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_blank=True, help_text="The patient's text."
    )
    reason = serializers.CharField(
        max_length=TEXT_MAX,
        required=False,
        allow_blank=True,
        help_text="Alias of `notes` (the reference deployment's name).",
    )
    patient_profile = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="Book for one of your dependents (`/api/users/me/dependents/`); "
        "omitted: for yourself.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs["notes"] = attrs.get("notes") or attrs.pop("reason", "") or ""
        attrs.pop("reason", None)
        return attrs


class AppointmentCancelInputSerializer(_StrictInputSerializer):
    status = serializers.CharField(max_length=20, help_text='Always "cancelled".')
    cancellation_reason = serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_blank=True
    )

    def validate_status(self, value: str) -> str:
        if value != AppointmentStatus.CANCELLED:
            raise serializers.ValidationError(
                'Patients can only cancel an appointment: send {"status": "cancelled"}.'
            )
        return value


class AppointmentDoctorUpdateInputSerializer(_StrictInputSerializer):
    status = serializers.ChoiceField(choices=AppointmentStatus.choices, required=False)
    notes = serializers.CharField(
        max_length=TEXT_MAX,
        required=False,
        allow_blank=True,
        help_text="The doctor's notes (returned as `doctor_notes`).",
    )
    doctor_notes = serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_blank=True, help_text="Alias of `notes`."
    )
    is_paid = serializers.BooleanField(required=False)
    cancellation_reason = serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_blank=True
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if not attrs:
            raise serializers.ValidationError(
                "Send at least one of status, notes, is_paid or cancellation_reason."
            )
        if "cancellation_reason" in attrs and "status" not in attrs:
            raise serializers.ValidationError(
                {"cancellation_reason": ["Send it together with the new status."]}
            )
        if "notes" in attrs:
            attrs["doctor_notes"] = attrs.pop("notes")
        return attrs


# --- output -----------------------------------------------------------------------------------


class AppointmentUserOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ("id", "name")


class AppointmentDoctorSummaryOutputSerializer(serializers.ModelSerializer):
    user = AppointmentUserOutputSerializer(read_only=True)

    class Meta:
        model = DoctorProfile
        fields = ("id", "user", "specialty")


class AppointmentClinicSummaryOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Clinic
        fields = ("id", "name", "city")


class AppointmentPatientOutputSerializer(serializers.Serializer):
    """The patient as the doctor sees them: `id` and `contact` are the holder account's (the
    number to call), name, gender and age the person's own profile (a dependent's, when booked
    for one), never another family member's."""

    id = serializers.UUIDField(source="patient_id", read_only=True)
    name = serializers.CharField(source="patient_profile.name", read_only=True)
    contact = ContactField(source="patient.contact", read_only=True)
    gender = serializers.ChoiceField(
        choices=Gender.choices,
        source="patient_profile.gender",
        read_only=True,
    )
    age = serializers.IntegerField(source="patient_profile.age", read_only=True, allow_null=True)


class AppointmentProfileOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = PatientProfile
        fields = ("id", "name")


class AppointmentActorOutputSerializer(serializers.ModelSerializer):
    role = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ("id", "name", "role")

    @extend_schema_field(OpenApiTypes.STR)
    def get_role(self, user: User) -> str:
        return RoleId(user.role_id).api_name


class AppointmentHistoryOutputSerializer(serializers.ModelSerializer):
    actor = AppointmentActorOutputSerializer(read_only=True, allow_null=True)
    from_status = serializers.SerializerMethodField()

    class Meta:
        model = AppointmentStatusChange
        fields = ("actor", "from_status", "to_status", "reason", "changed_at")

    @extend_schema_field({"type": "string", "nullable": True, "enum": AppointmentStatus.values})
    def get_from_status(self, change: AppointmentStatusChange) -> str | None:
        return change.from_status or None


APPOINTMENT_FIELDS: tuple[str, ...] = (
    "id",
    "doctor",
    "clinic",
    "patient",
    "appointment_date",
    "appointment_time",
    "starts_at",
    "timezone",
    "appointment_type",
    "mode",
    "status",
    "fee_charged",
    "notes",
    "cancellation_reason",
    "is_paid",
    "created_at",
    "updated_at",
    # The OPD queue (issue 14): new fields only, the spec's ones unchanged.
    "source",
    "token",
    "queue_state",
    "arrived_at",
    "called_at",
    "started_at",
    "finished_at",
    "rescheduled_from",
    "rescheduled_to",
)


class AppointmentOutputSerializer(serializers.ModelSerializer):
    doctor = AppointmentDoctorSummaryOutputSerializer(read_only=True)
    clinic = AppointmentClinicSummaryOutputSerializer(read_only=True)
    patient = AppointmentPatientOutputSerializer(source="*", read_only=True)
    appointment_time = serializers.TimeField(format="%H:%M", read_only=True)
    starts_at = serializers.SerializerMethodField(
        help_text="The start as ISO 8601 with the clinic's UTC offset, e.g. "
        "`2026-12-02T10:30:00+05:30`: the same moment as the local date and time."
    )
    timezone = serializers.CharField(
        source="clinic.timezone", read_only=True, help_text="The clinic's IANA time zone."
    )

    class Meta:
        model = Appointment
        fields: tuple[str, ...] = APPOINTMENT_FIELDS
        read_only_fields: tuple[str, ...] = APPOINTMENT_FIELDS

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_starts_at(self, appointment: Appointment) -> str:
        # Not a DateTimeField: that would convert to the current zone (UTC in the API).
        return appointment.starts_at.isoformat(timespec="seconds")


class PatientAppointmentOutputSerializer(AppointmentOutputSerializer):
    """`GET /api/appointments/my/`: the account's and its dependents' appointments, each
    saying whom it is for (additive)."""

    patient_profile = AppointmentProfileOutputSerializer(
        read_only=True, help_text="Who the appointment is for: you or one of your dependents."
    )

    class Meta(AppointmentOutputSerializer.Meta):
        fields = (*APPOINTMENT_FIELDS, "patient_profile")
        read_only_fields = fields


class AppointmentDetailOutputSerializer(AppointmentOutputSerializer):
    history = AppointmentHistoryOutputSerializer(source="status_changes", many=True, read_only=True)

    class Meta(AppointmentOutputSerializer.Meta):
        fields = (*APPOINTMENT_FIELDS, "history")
        read_only_fields = fields


class DoctorAppointmentOutputSerializer(AppointmentOutputSerializer):
    class Meta(AppointmentOutputSerializer.Meta):
        fields = (*APPOINTMENT_FIELDS, "doctor_notes")
        read_only_fields = fields


class DoctorAppointmentDetailOutputSerializer(AppointmentDetailOutputSerializer):
    class Meta(AppointmentDetailOutputSerializer.Meta):
        fields = (*APPOINTMENT_FIELDS, "doctor_notes", "history")
        read_only_fields = fields


class DashboardClinicOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Clinic
        fields = ("id", "name", "city", "timezone")


class DashboardCountsOutputSerializer(serializers.Serializer):
    pending = serializers.IntegerField()
    confirmed = serializers.IntegerField()
    completed = serializers.IntegerField()
    cancelled = serializers.IntegerField()
    no_show = serializers.IntegerField()


class QueueDoctorSummaryOutputSerializer(serializers.Serializer):
    doctor_id = serializers.IntegerField()
    doctor_name = serializers.CharField()
    tokens_issued = serializers.IntegerField()
    waiting = serializers.IntegerField()
    served = serializers.IntegerField()
    median_wait_minutes = serializers.FloatField(
        allow_null=True, help_text="Arrival to call, over today's called patients."
    )
    running_late_minutes = serializers.IntegerField()


class DashboardLeaveImpactOutputSerializer(serializers.Serializer):
    cancelled = serializers.IntegerField(source="cancelled_count")
    still_booked = serializers.IntegerField(source="still_booked_count")
    rebooked = serializers.IntegerField(source="rebooked_count")


class DashboardLeaveOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    doctor = AppointmentDoctorSummaryOutputSerializer()
    clinic = serializers.UUIDField(
        source="clinic_id", allow_null=True, help_text="Null: the leave covers all clinics."
    )
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    reason = serializers.CharField()
    impact = serializers.SerializerMethodField(
        help_text="At this clinic: appointments the leave cancelled, still booked inside it, "
        "and rebooked through the slot offered to the patient."
    )

    @extend_schema_field(DashboardLeaveImpactOutputSerializer)
    def get_impact(self, leave: Any) -> dict[str, int]:
        return dict(DashboardLeaveImpactOutputSerializer(leave).data)


class ClinicDashboardOutputSerializer(serializers.Serializer):
    clinic = DashboardClinicOutputSerializer()
    date = serializers.DateField()
    counts = DashboardCountsOutputSerializer()
    total = serializers.IntegerField(help_text="All appointments of the day (every status).")
    appointments = AppointmentOutputSerializer(many=True)
    queue = QueueDoctorSummaryOutputSerializer(
        many=True, help_text="The OPD queue per doctor that day (tokens, waiting, served ...)."
    )
    leaves = DashboardLeaveOutputSerializer(
        many=True,
        help_text="Leaves of the clinic's doctors not over by `date` (first 20, by start).",
    )


class ClinicDashboardQueryInputSerializer(serializers.Serializer):
    date = serializers.DateField(required=False)
    status = serializers.ChoiceField(choices=AppointmentStatus.choices, required=False)
    doctor_id = serializers.IntegerField(min_value=1, max_value=MAX_BIGINT, required=False)
    page = serializers.IntegerField(min_value=1, max_value=1_000_000, required=False, default=1)
    page_size = serializers.IntegerField(min_value=1, max_value=500, required=False, default=100)


class PatientClinicOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Clinic
        fields = (
            "id",
            "name",
            "slug",
            "clinic_type",
            "city",
            "phone",
            "email",
            "address",
            "state",
            "pincode",
        )


class PatientAdmissionDocumentOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = AdmissionDocument
        fields = ("id", "name", "description", "is_mandatory", "display_order")
