"""Clinics, clinic members (staff), weekly opening windows and admission checklists."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper

from core.models import TimeStampedModel


class ClinicType(models.TextChoices):
    CLINIC = "clinic"
    HOSPITAL = "hospital"
    DIAGNOSTIC_CENTER = "diagnostic_center"
    POLYCLINIC = "polyclinic"


class Clinic(TimeStampedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_clinics"
    )
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    clinic_type = models.CharField(max_length=20, choices=ClinicType.choices)
    phone = models.CharField(max_length=15, blank=True)
    email = models.EmailField(blank=True)
    address = models.CharField(max_length=255, blank=True)
    city = models.CharField(max_length=100, db_index=True)
    state = models.CharField(max_length=100, blank=True)
    pincode = models.CharField(max_length=6, blank=True)
    registration_number = models.CharField(max_length=100, blank=True)
    description = models.TextField(blank=True)
    # Validated against zoneinfo by the serializers (choices here would tie migrations to tzdata).
    timezone = models.CharField(max_length=64, default="Asia/Kolkata")
    is_active = models.BooleanField(default=True)
    # Confirmed appointments never checked in become no_show this many minutes after their
    # time (at least NO_SHOW_GRACE_MINUTES), by `queue_mark_no_shows`; null: off.
    auto_no_show_after_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(24 * 60)]
    )

    class Meta:
        ordering = ("name", "id")
        indexes = [
            # The public clinic list's order over open clinics, and with its city filter
            # (`iexact`: UPPER(city)): a page walks one of these and stops after LIMIT rows.
            models.Index(
                F("name"), F("id"), name="clinic_active_name_idx", condition=Q(is_active=True)
            ),
            models.Index(
                Upper("city"),
                F("name"),
                F("id"),
                name="clinic_active_city_name_idx",
                condition=Q(is_active=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(clinic_type__in=ClinicType.values), name="clinic_type_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    DOCTOR = "doctor"
    RECEPTIONIST = "receptionist"
    LAB_MEMBER = "lab_member"


class MemberStatus(models.TextChoices):
    ACTIVE = "active"
    INACTIVE = "inactive"


class ClinicMember(TimeStampedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinic_memberships"
    )
    member_role = models.CharField(max_length=20, choices=MemberRole.choices)
    department = models.CharField(max_length=100, blank=True)
    status = models.CharField(
        max_length=10, choices=MemberStatus.choices, default=MemberStatus.ACTIVE
    )
    joined_at = models.DateField()
    left_at = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ("joined_at", "created_at", "id")
        constraints = [
            # The spec's one-clinic rule, held by the database so two owners racing lose one.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(member_role="doctor", status="active"),
                name="doctor_active_in_one_clinic",
                violation_error_message="A doctor can only belong to one clinic at a time.",
            ),
            models.UniqueConstraint(
                fields=["clinic", "user"],
                condition=Q(status="active"),
                name="one_active_membership_per_clinic",
                violation_error_message="This person is already an active member of this clinic.",
            ),
            models.CheckConstraint(
                condition=Q(member_role__in=MemberRole.values), name="member_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=MemberStatus.values), name="member_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.clinic} ({self.member_role})"


# The bounds of a weekly window's slot length (clinic time slots and doctor availability), in
# minutes: the model validators, the database check and the input fields all read these.
MIN_SLOT_MINUTES = 5
MAX_SLOT_MINUTES = 240


def slot_duration_field() -> models.PositiveSmallIntegerField:
    """The `slot_duration_minutes` column of a weekly window (clinic time slot, availability)."""
    return models.PositiveSmallIntegerField(
        validators=[MinValueValidator(MIN_SLOT_MINUTES), MaxValueValidator(MAX_SLOT_MINUTES)]
    )


class DayOfWeek(models.IntegerChoices):
    MONDAY = 0
    TUESDAY = 1
    WEDNESDAY = 2
    THURSDAY = 3
    FRIDAY = 4
    SATURDAY = 5
    SUNDAY = 6


class ClinicTimeSlot(TimeStampedModel):
    """A weekly opening window; `max_appointments` is per window per date."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="time_slots")
    day_of_week = models.PositiveSmallIntegerField(choices=DayOfWeek.choices)
    start_time = models.TimeField()
    end_time = models.TimeField()
    slot_duration_minutes = slot_duration_field()
    max_appointments = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ("day_of_week", "start_time", "id")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_time__lt=F("end_time")), name="clinic_slot_start_before_end"
            ),
            models.CheckConstraint(
                condition=Q(day_of_week__gte=0, day_of_week__lte=6), name="clinic_slot_valid_day"
            ),
            models.CheckConstraint(
                condition=Q(
                    slot_duration_minutes__gte=MIN_SLOT_MINUTES,
                    slot_duration_minutes__lte=MAX_SLOT_MINUTES,
                ),
                name="clinic_slot_duration_range",
            ),
            models.CheckConstraint(
                condition=Q(max_appointments__gte=1), name="clinic_slot_capacity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.clinic} {self.get_day_of_week_display()} {self.start_time}-{self.end_time}"


class AdmissionDocument(TimeStampedModel):
    """A document the clinic asks patients to bring for an admission (a public checklist)."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="admission_docs")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    is_mandatory = models.BooleanField(default=True)
    display_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("display_order", "id")

    def __str__(self) -> str:
        return f"{self.name} ({self.clinic})"
