"""Waitlist entries: one row per person waiting for a doctor on a date, and its offer.

An entry is for a patient profile (`patient_profile`, the person who will be seen) and held
by an account (`patient`, the holder who joined, acts for it and is told), as appointments
are. It waits, is offered a freed slot (the slot is held for that profile until
`offer_expires_at`), then ends booked, declined, expired or left. The database holds the two
hard rules: one open entry per profile, doctor and date (two children may wait for the same
doctor and day), and at most one live offer per slot (two freeing transactions cannot hold
one time for two people).
"""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from clinic.models import Clinic
from core.models import TimeStampedModel
from doctors.models import DoctorProfile
from users.models import PatientProfile
from users.selectors import fill_patient_pair


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting"
    OFFERED = "offered"
    BOOKED = "booked"
    DECLINED = "declined"
    EXPIRED = "expired"
    LEFT = "left"


OPEN_WAITLIST_STATUSES = (WaitlistStatus.WAITING, WaitlistStatus.OFFERED)


class WaitlistPriority(models.IntegerChoices):
    # Patients whose appointment a doctor's leave cancelled go ahead of everyone else.
    DISPLACED = 0
    NORMAL = 1


class WaitlistEntry(TimeStampedModel):
    # The account that holds the profile (joined, acts for it, is told; moved on a transfer).
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="waitlist_entries"
    )
    # The person waiting: the holder's own profile or a dependent's; the hold is theirs.
    patient_profile = models.ForeignKey(
        PatientProfile, on_delete=models.CASCADE, related_name="waitlist_entries"
    )
    doctor = models.ForeignKey(
        DoctorProfile, on_delete=models.CASCADE, related_name="waitlist_entries"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="waitlist_entries")
    date = models.DateField()
    from_time = models.TimeField(null=True, blank=True)
    to_time = models.TimeField(null=True, blank=True)
    # Copied into the appointment an accepted offer books.
    appointment_type = models.CharField(max_length=20, default="first_visit")
    mode = models.CharField(max_length=20, default="in_clinic")
    notes = models.TextField(blank=True)
    priority = models.PositiveSmallIntegerField(
        choices=WaitlistPriority.choices, default=WaitlistPriority.NORMAL
    )
    status = models.CharField(
        max_length=20, choices=WaitlistStatus.choices, default=WaitlistStatus.WAITING
    )
    offered_time = models.TimeField(null=True, blank=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    appointment = models.ForeignKey(
        "appointments.Appointment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The appointment an accepted offer booked.",
    )
    source_appointment = models.ForeignKey(
        "appointments.Appointment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The appointment a doctor's leave cancelled (reschedule_offer).",
    )

    class Meta:
        ordering = ("priority", "created_at", "id")
        verbose_name_plural = "waitlist entries"
        indexes = [
            models.Index(fields=["doctor", "date", "status"], name="waitlist_doctor_date_idx"),
            models.Index(fields=["status", "offer_expires_at"], name="waitlist_offer_expiry_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["patient_profile", "doctor", "date"],
                condition=Q(status__in=["waiting", "offered"]),
                name="waitlist_one_open_entry_per_day",
            ),
            models.UniqueConstraint(
                fields=["doctor", "date", "offered_time"],
                condition=Q(status="offered"),
                name="waitlist_one_offer_per_slot",
            ),
            models.CheckConstraint(
                condition=~Q(status="offered")
                | Q(offered_time__isnull=False, offer_expires_at__isnull=False),
                name="waitlist_offer_has_time_and_expiry",
            ),
            models.CheckConstraint(
                condition=Q(from_time__isnull=True)
                | Q(to_time__isnull=True)
                | Q(from_time__lte=models.F("to_time")),
                name="waitlist_from_not_after_to",
            ),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        fill_patient_pair(self)  # an account alone means its own profile, as on Appointment
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"Waitlist #{self.pk} {self.doctor_id} {self.date} ({self.status})"

    def matches(self, moment: dt.time) -> bool:
        """Whether a slot starting at `moment` is inside the patient's range (both ends
        included: "between 10:00 and 12:00" takes a 12:00 slot)."""
        if self.from_time is not None and moment < self.from_time:
            return False
        return self.to_time is None or moment <= self.to_time
