"""Doctor profiles (integer ids), weekly availability windows and leaves."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper

from clinic.models import Clinic, DayOfWeek, slot_duration_field
from core.models import TimeStampedModel


class DoctorProfile(TimeStampedModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="doctor_profile"
    )
    specialty = models.CharField(max_length=100, blank=True, db_index=True)
    qualification = models.CharField(max_length=255, blank=True)
    registration_number = models.CharField(max_length=100, blank=True)
    experience_years = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(80)]
    )
    biography = models.TextField(blank=True)
    languages = models.CharField(max_length=255, blank=True)
    first_visit_fee = models.DecimalField(
        max_digits=10, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    follow_up_fee = models.DecimalField(
        max_digits=10, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    offers_video_consultation = models.BooleanField(default=False)
    # A walk-in may queue without a slot once the session is full (the OPD queue, issue 14).
    allow_overbooking = models.BooleanField(default=False)

    class Meta:
        ordering = ("id",)
        indexes = [
            # The public list's specialty filter compares UPPER(specialty) (any case).
            models.Index(Upper("specialty"), name="doctor_specialty_upper_idx"),
        ]

    def __str__(self) -> str:
        return f"Dr profile {self.pk} ({self.user})"


class DoctorAvailability(TimeStampedModel):
    """A doctor's weekly window at one clinic; `max_patients` is per window per date."""

    doctor = models.ForeignKey(DoctorProfile, on_delete=models.CASCADE, related_name="availability")
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="doctor_availability")
    day_of_week = models.PositiveSmallIntegerField(choices=DayOfWeek.choices)
    start_time = models.TimeField()
    end_time = models.TimeField()
    slot_duration_minutes = slot_duration_field()
    max_patients = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ("day_of_week", "start_time", "id")
        verbose_name_plural = "doctor availability"
        constraints = [
            models.CheckConstraint(
                condition=Q(start_time__lt=F("end_time")), name="availability_start_before_end"
            ),
            models.CheckConstraint(
                condition=Q(day_of_week__gte=0, day_of_week__lte=6),
                name="availability_valid_day",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.doctor_id} {self.get_day_of_week_display()} {self.start_time}-{self.end_time}"
        )


class LeaveConflict(models.TextChoices):
    """What a new leave does with the bookings it lands on (resolved by appointments)."""

    CANCEL_AND_NOTIFY = "cancel_and_notify"
    RESCHEDULE_OFFER = "reschedule_offer"


class DoctorLeave(TimeStampedModel):
    """Whole days off, at one clinic or (clinic empty) everywhere."""

    doctor = models.ForeignKey(DoctorProfile, on_delete=models.CASCADE, related_name="leaves")
    clinic = models.ForeignKey(
        Clinic, on_delete=models.CASCADE, null=True, blank=True, related_name="doctor_leaves"
    )
    start_date = models.DateField()
    end_date = models.DateField()
    reason = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ("start_date", "id")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__lte=F("end_date")), name="leave_start_not_after_end"
            )
        ]

    def __str__(self) -> str:
        return f"Leave {self.doctor_id} {self.start_date}..{self.end_date}"
