"""A doctor's leave that lands on bookings: its impact, and its resolution.

Leaves are written by doctors, which sits below appointments and cannot see a booking. So
`doctors.services.leave_create` sends the required `leave_touching_bookings` signal inside its
transaction (the doctor's row already locked) and this module answers: without `on_conflict`
a leave over pending/confirmed appointments is refused (409 listing them), with it they are
cancelled (`doctor_on_leave`) and either the patients are told the next free times or each is
offered the nearest free slot, held for them (the waitlist). Chosen over moving the leave
endpoint into appointments: the rule then holds for every writer of leaves (admin, seeds,
other services), not only one view, and fails closed if appointments is not installed.
"""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from appointments import services
from appointments.freed import announce_slot_freed
from appointments.models import ACTIVE_STATUSES, Appointment, AppointmentStatus
from appointments.serializers import DoctorAppointmentOutputSerializer
from appointments.signals import leave_bookings_cancelled
from appointments.waitlist.models import WaitlistEntry, WaitlistStatus
from appointments.waitlist.offers import waitlist_displace
from clinic.models import Clinic, ClinicMember, MemberRole, MemberStatus
from core.error_codes import ErrorCode
from core.exceptions import Conflict
from doctors.models import DoctorLeave, DoctorProfile, LeaveConflict

LEAVE_CANCEL_REASON = "doctor_on_leave"
# Set on the in-memory appointment a leave cancels (never stored): the status-change receivers
# see the same object and leave the telling to `leave_bookings_cancelled`. A doctor typing
# "doctor_on_leave" as a cancel reason cannot mute the patient's notice.
CANCELLED_BY_LEAVE = "cancelled_by_leave"
DASHBOARD_LEAVES_SHOWN = 20


def _not_started(appointment: Appointment, *, now: dt.datetime) -> bool:
    zone = ZoneInfo(appointment.clinic.timezone)
    return (
        dt.datetime.combine(appointment.appointment_date, appointment.appointment_time, zone) > now
    )


def leave_impact(
    *,
    doctor: DoctorProfile,
    start_date: dt.date,
    end_date: dt.date,
    clinic_id: Any = None,
    lock: bool = False,
) -> list[Appointment]:
    """The doctor's pending/confirmed appointments still to come between the dates (at the
    clinic when given, else at every clinic), in time order: what a leave would touch."""
    found: QuerySet[Appointment] = Appointment.objects.filter(
        doctor=doctor,
        status__in=ACTIVE_STATUSES,
        appointment_date__range=(start_date, end_date),
    )
    if clinic_id is not None:
        found = found.filter(clinic_id=clinic_id)
    found = found.select_related("clinic", "patient", "patient_profile", "doctor__user").order_by(
        "appointment_date", "appointment_time", "id"
    )
    if lock:
        found = found.select_for_update(of=("self",))
    now = timezone.now()
    return [appointment for appointment in found if _not_started(appointment, now=now)]


def resolve_leave_bookings(*, leave: DoctorLeave, on_conflict: str | None = None, **_: Any) -> int:
    """The answer to `doctors.signals.leave_touching_bookings`; returns how many appointments
    it resolved (never None: the signal is required)."""
    touched = leave_impact(
        doctor=leave.doctor,
        start_date=leave.start_date,
        end_date=leave.end_date,
        clinic_id=leave.clinic_id,
        lock=True,
    )
    if not touched:
        return 0
    if on_conflict not in LeaveConflict.values:
        raise Conflict(
            f"This leave lands on {len(touched)} pending or confirmed appointment(s). Send "
            '`on_conflict`: "cancel_and_notify" or "reschedule_offer".',
            code=ErrorCode.LEAVE_HAS_APPOINTMENTS,
            appointments=DoctorAppointmentOutputSerializer(touched, many=True).data,
        )
    actor = leave.doctor.user
    for appointment in touched:
        from_status = appointment.status
        setattr(appointment, CANCELLED_BY_LEAVE, leave.pk)
        services.transition(
            appointment, to=AppointmentStatus.CANCELLED, actor=actor, reason=LEAVE_CANCEL_REASON
        )
        services.save_and_announce(
            appointment, fields=["status", "cancellation_reason"], from_status=from_status
        )
    offered: list[int] = []
    if on_conflict == LeaveConflict.RESCHEDULE_OFFER:
        for appointment in touched:
            entry = waitlist_displace(appointment=appointment, after=leave.end_date)
            if entry is not None and entry.status == WaitlistStatus.OFFERED:
                offered.append(appointment.pk)
    leave_bookings_cancelled.send(
        sender=DoctorLeave,
        leave=leave,
        appointments=touched,
        on_conflict=on_conflict,
        offered=offered,
    )
    return len(touched)


def offer_after_leave_removed(
    *, doctor_id: int, start_date: dt.date, end_date: dt.date, **_: Any
) -> None:
    """The answer to `doctors.signals.leave_removed`: the leave's days are bookable again, so
    their free slots go to the waitlist (only days somebody waits for are looked at)."""
    dates = set(
        WaitlistEntry.objects.filter(
            doctor_id=doctor_id,
            status=WaitlistStatus.WAITING,
            date__range=(start_date, end_date),
        ).values_list("date", flat=True)
    )
    if dates:
        announce_slot_freed(doctor_id=doctor_id, dates=dates, cause="leave removed")


# --- the owner's dashboard --------------------------------------------------------------------


def _count(queryset: QuerySet[Any]) -> Coalesce:
    counted = queryset.order_by().values("doctor_id").annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def clinic_leaves_with_impact(*, clinic: Clinic, date: dt.date) -> QuerySet[DoctorLeave]:
    """Leaves of the clinic's doctors (at this clinic or at all clinics) not over by `date`,
    each with its impact here: appointments it cancelled, still booked inside it, and those
    rebooked through a held offer. One statement."""
    inside = Appointment.objects.filter(
        doctor_id=OuterRef("doctor_id"),
        clinic=clinic,
        appointment_date__gte=OuterRef("start_date"),
        appointment_date__lte=OuterRef("end_date"),
    )
    cancelled = inside.filter(
        status=AppointmentStatus.CANCELLED, cancellation_reason=LEAVE_CANCEL_REASON
    )
    rebooked = WaitlistEntry.objects.filter(
        doctor_id=OuterRef("doctor_id"),
        status=WaitlistStatus.BOOKED,
        source_appointment__clinic=clinic,
        source_appointment__appointment_date__gte=OuterRef("start_date"),
        source_appointment__appointment_date__lte=OuterRef("end_date"),
    )
    member_here = ClinicMember.objects.filter(
        clinic=clinic,
        user_id=OuterRef("doctor__user_id"),
        member_role=MemberRole.DOCTOR,
        status=MemberStatus.ACTIVE,
    )
    return (
        DoctorLeave.objects.filter(Q(clinic=clinic) | Q(clinic__isnull=True) & Exists(member_here))
        .filter(end_date__gte=date)
        .select_related("doctor__user")
        .annotate(
            cancelled_count=_count(cancelled),
            still_booked_count=_count(inside.filter(status__in=ACTIVE_STATUSES)),
            rebooked_count=_count(rebooked),
        )
        .order_by("start_date", "id")[:DASHBOARD_LEAVES_SHOWN]
    )
