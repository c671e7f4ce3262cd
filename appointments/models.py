"""Appointments (integer ids) and their status history."""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q

from clinic.models import Clinic
from core.models import TimeStampedModel
from core.records import RecordsManager
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


class AppointmentSource(models.TextChoices):
    APP = "app"
    WALK_IN = "walk_in"


class QueueState(models.TextChoices):
    """Where the visit stands in the doctor's queue that day (beside the spec's status)."""

    EXPECTED = "expected"  # booked, not arrived
    WAITING = "waiting"  # checked in (or a walk-in), holds a token
    CALLED = "called"
    IN_CONSULTATION = "in_consultation"
    DONE = "done"
    SKIPPED = "skipped"


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
    # The OPD queue (appointments/queue/): see docs/ARCHITECTURE.md for the order rule.
    source = models.CharField(
        max_length=10, choices=AppointmentSource.choices, default=AppointmentSource.APP
    )
    # A walk-in queued beyond the session's capacity: its time is its arrival (not a slot), so
    # it is outside no_double_booking and not a taken time of the slot engine.
    overbooked = models.BooleanField(default=False)
    token = models.PositiveIntegerField(null=True, blank=True)
    queue_state = models.CharField(
        max_length=20, choices=QueueState.choices, default=QueueState.EXPECTED
    )
    # When the patient's turn is due: the later of the appointment's start and the arrival.
    queue_due_at = models.DateTimeField(null=True, blank=True)
    arrived_at = models.DateTimeField(null=True, blank=True)
    called_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The ETA the patient was last told (null: their appointment time, or nothing yet).
    eta_announced_at = models.DateTimeField(null=True, blank=True)
    # A reschedule (appointments/reschedule.py) cancels this one and books its successor in one
    # transaction; each side points at the other, so history reads both ways.
    rescheduled_to = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rescheduled_from = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # bulk writes end the cached private answers (core/records.py)
    objects = RecordsManager["Appointment"]()

    class Meta:
        ordering = ("appointment_date", "appointment_time", "id")
        indexes = [
            # The doctor's day and the patient's list in their order (date, time, id): an
            # index range in order, no sort; also the taken times (doctor, date).
            models.Index(
                fields=["doctor", "appointment_date", "appointment_time", "id"],
                name="appt_doctor_order_idx",
            ),
            models.Index(fields=["clinic", "appointment_date"], name="appt_clinic_date_idx"),
            models.Index(
                fields=["patient", "appointment_date", "appointment_time", "id"],
                name="appt_patient_order_idx",
            ),
        ]
        constraints = [
            # No double booking, held by the database: a lost race is an IntegrityError.
            models.UniqueConstraint(
                fields=["doctor", "appointment_date", "appointment_time"],
                condition=Q(status__in=["pending", "confirmed"], overbooked=False),
                name="no_double_booking",
            ),
            # One person cannot be in two places: per profile (two children of one account
            # may see the same doctor at 10:00 and 10:15, or two doctors at 10:00).
            models.UniqueConstraint(
                fields=["patient_profile", "appointment_date", "appointment_time"],
                condition=Q(status__in=["pending", "confirmed"]),
                name="patient_one_active_appointment_per_time",
            ),
            # Tokens are issued 1, 2, 3 ... per doctor, clinic and day, under the doctor's row
            # lock (appointments/queue/services.py); the database holds the uniqueness.
            models.UniqueConstraint(
                fields=["doctor", "clinic", "appointment_date", "token"],
                condition=Q(token__isnull=False),
                name="queue_token_unique",
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


# The waitlist's tables live in their own package; imported here so Django registers them.
from appointments.waitlist.models import WaitlistEntry, WaitlistStatus  # noqa: E402, F401
