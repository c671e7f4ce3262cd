"""Appointments (integer ids) and their status history."""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q

from clinic.models import Clinic
from core.models import TimeStampedModel
from doctors.models import DoctorProfile
from users.models import PatientProfile
from users.selectors import fill_patient_pair


class AppointmentType(models.TextChoices):
    FIRST_VISIT = "first_visit"
    FOLLOW_UP = "follow_up"


class AppointmentMode(models.TextChoices):
    IN_CLINIC = "in_clinic"
    VIDEO = "video"


class AppointmentStatus(models.TextChoices):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


ACTIVE_STATUSES = (AppointmentStatus.PENDING, AppointmentStatus.CONFIRMED)


class Appointment(TimeStampedModel):
    # The account that holds the profile (who booked and acts for it; moved on a transfer).
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments"
    )
    # The person seen: the holder's own profile or a dependent's.
    patient_profile = models.ForeignKey(
        PatientProfile, on_delete=models.PROTECT, related_name="appointments"
    )
    doctor = models.ForeignKey(DoctorProfile, on_delete=models.PROTECT, related_name="appointments")
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="appointments")
    appointment_date = models.DateField()
    appointment_time = models.TimeField()
    appointment_type = models.CharField(
        max_length=20, choices=AppointmentType.choices, default=AppointmentType.FIRST_VISIT
    )
    mode = models.CharField(
        max_length=20, choices=AppointmentMode.choices, default=AppointmentMode.IN_CLINIC
    )
    status = models.CharField(
        max_length=20, choices=AppointmentStatus.choices, default=AppointmentStatus.PENDING
    )
    fee_charged = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    notes = models.TextField(blank=True)
    doctor_notes = models.TextField(blank=True)
    is_paid = models.BooleanField(default=False)
    cancellation_reason = models.TextField(blank=True)

    class Meta:
        ordering = ("appointment_date", "appointment_time", "id")
        indexes = [
            models.Index(fields=["doctor", "appointment_date"], name="appt_doctor_date_idx"),
            models.Index(fields=["clinic", "appointment_date"], name="appt_clinic_date_idx"),
            models.Index(fields=["patient", "appointment_date"], name="appt_patient_date_idx"),
        ]
        constraints = [
            # No double booking, held by the database: a lost race is an IntegrityError.
            models.UniqueConstraint(
                fields=["doctor", "appointment_date", "appointment_time"],
                condition=Q(status__in=["pending", "confirmed"]),
                name="no_double_booking",
            ),
            # One person cannot be in two places: per profile (two children of one account
            # may see the same doctor at 10:00 and 10:15, or two doctors at 10:00).
            models.UniqueConstraint(
                fields=["patient_profile", "appointment_date", "appointment_time"],
                condition=Q(status__in=["pending", "confirmed"]),
                name="patient_one_active_appointment_per_time",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.appointment_date} {self.appointment_time} ({self.status})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        fill_patient_pair(self)
        super().save(*args, **kwargs)

    @property
    def starts_at(self) -> dt.datetime:
        """The start as an aware datetime in the clinic's zone: date and time are stored as the
        clinic's wall clock (what the patient was told), the zone is the clinic's. A wall time
        that a DST change skips or repeats takes the offset in force before the change."""
        return dt.datetime.combine(
            self.appointment_date, self.appointment_time, tzinfo=ZoneInfo(self.clinic.timezone)
        )


class AppointmentStatusChange(models.Model):
    appointment = models.ForeignKey(
        Appointment, on_delete=models.CASCADE, related_name="status_changes"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_status = models.CharField(max_length=20, choices=AppointmentStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=AppointmentStatus.choices)
    reason = models.TextField(blank=True)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("changed_at", "id")

    def __str__(self) -> str:
        return f"#{self.appointment_id}: {self.from_status or '-'} -> {self.to_status}"
