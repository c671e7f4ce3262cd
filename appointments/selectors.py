"""Reads of appointments, always scoped to the requesting user, with their own joins."""

import datetime as dt
import uuid
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from appointments.models import (
    ACTIVE_STATUSES,
    Appointment,
    AppointmentStatus,
    AppointmentStatusChange,
)
from clinic.models import AdmissionDocument, Clinic, ClinicMember, MemberRole, MemberStatus
from core.exceptions import NotFound
from core.roles import RoleId

_LIST_JOINS = ("doctor__user", "clinic", "patient", "patient_profile")


def doctor_taken_times(*, doctor_id: int, date: dt.date) -> list[dt.time]:
    """Start times of the doctor's pending/confirmed appointments on the date, in any clinic:
    the slot engine's taken times (read by `appointments.slots` for every listing and booking)."""
    return list(
        Appointment.objects.filter(
            doctor_id=doctor_id,
            appointment_date=date,
            status__in=ACTIVE_STATUSES,
            overbooked=False,  # a walk-in queued beyond capacity holds no slot
        ).values_list("appointment_time", flat=True)
    )


def appointment_list_for_patient(*, patient: Any) -> QuerySet[Appointment]:
    """The account's appointments: its own and its dependents' (`patient` is the holder)."""
    return Appointment.objects.filter(patient=patient).select_related(*_LIST_JOINS)


def appointment_list_for_doctor(*, doctor_user: Any) -> QuerySet[Appointment]:
    return Appointment.objects.filter(doctor__user=doctor_user).select_related(*_LIST_JOINS)


def _with_history(queryset: QuerySet[Appointment]) -> QuerySet[Appointment]:
    changes = AppointmentStatusChange.objects.select_related("actor")
    return queryset.prefetch_related(Prefetch("status_changes", queryset=changes))


def appointment_get_for_patient(*, patient: Any, appointment_id: int) -> Appointment:
    found = _with_history(appointment_list_for_patient(patient=patient)).filter(pk=appointment_id)
    return _one_or_404(found)


def appointment_get_for_doctor(*, doctor_user: Any, appointment_id: int) -> Appointment:
    found = _with_history(appointment_list_for_doctor(doctor_user=doctor_user)).filter(
        pk=appointment_id
    )
    return _one_or_404(found)


def appointment_with_history(appointment_id: int) -> Appointment:
    """One appointment with its joins and history, for answering a write the caller was
    already allowed to make (scope checked by the service)."""
    return _with_history(Appointment.objects.select_related(*_LIST_JOINS)).get(pk=appointment_id)


def _one_or_404(queryset: QuerySet[Appointment]) -> Appointment:
    appointment = queryset.first()
    if appointment is None:
        raise NotFound("Appointment not found.")
    return appointment


def clinic_get_for_owner(*, owner: Any, clinic_id: uuid.UUID) -> Clinic:
    clinic = Clinic.objects.filter(pk=clinic_id, owner=owner).first()
    if clinic is None:
        raise NotFound("Clinic not found.")
    return clinic


def clinic_day_appointments(
    *, clinic: Clinic, date: dt.date, doctor_id: int | None = None
) -> QuerySet[Appointment]:
    """The clinic's appointments on a date (optionally one doctor's), in time order."""
    queryset = Appointment.objects.filter(clinic=clinic, appointment_date=date)
    if doctor_id is not None:
        queryset = queryset.filter(doctor_id=doctor_id)
    return queryset.select_related(*_LIST_JOINS).order_by("appointment_time", "id")


def appointment_status_counts(queryset: QuerySet[Appointment]) -> dict[str, int]:
    """Per-status counts of a queryset in one aggregate query (every status present)."""
    aggregates = {value: Count("id", filter=Q(status=value)) for value in AppointmentStatus.values}
    row = queryset.order_by().aggregate(**aggregates)
    return {value: int(row[value] or 0) for value in AppointmentStatus.values}


def clinic_list_for_patient(*, patient: Any) -> QuerySet[Clinic]:
    """Active clinics where the patient has (or had) an appointment, by name."""
    has_appointment = Appointment.objects.filter(clinic=OuterRef("pk"), patient=patient)
    return Clinic.objects.filter(Exists(has_appointment), is_active=True).order_by("name", "id")


def admission_document_list(*, clinic_id: uuid.UUID) -> QuerySet[AdmissionDocument]:
    """A clinic's admission checklist (public information); 404 for an unknown or closed one."""
    if not Clinic.objects.filter(pk=clinic_id, is_active=True).exists():
        raise NotFound("Clinic not found.")
    return AdmissionDocument.objects.filter(clinic_id=clinic_id).order_by("display_order", "id")


def appointment_get_for_staff(*, user: Any, appointment_id: int) -> Appointment:
    """An appointment the doctor has, or one at a clinic the user owns or keeps the front desk
    of (an active receptionist); anything else is 404."""
    if user.role_id == RoleId.DOCTOR:
        scope = Q(doctor__user=user)
    elif user.role_id == RoleId.CLINIC_OWNER:
        scope = Q(clinic__owner=user)
    else:
        desks = ClinicMember.objects.filter(
            user=user, member_role=MemberRole.RECEPTIONIST, status=MemberStatus.ACTIVE
        ).values("clinic_id")
        scope = Q(clinic_id__in=desks)
    found = Appointment.objects.filter(scope, pk=appointment_id).select_related(*_LIST_JOINS)
    return _one_or_404(_with_history(found))
