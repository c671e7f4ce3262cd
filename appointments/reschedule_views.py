"""Reschedule endpoints: the patient moves their own appointment, the doctor or the clinic's
front desk (owner, receptionist) moves one of theirs. Rules in `appointments.reschedule`."""

from typing import cast

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from appointments import selectors
from appointments.reschedule import appointment_reschedule
from appointments.serializers import (
    SLOT_TIME_FORMATS,
    AppointmentDetailOutputSerializer,
    DoctorAppointmentDetailOutputSerializer,
)
from core.permissions import CanActAsPatient, IsClinicOwner, IsDoctor, IsReceptionist
from core.responses import created
from core.schema import error_responses
from users.models import User

RESCHEDULE_RULES = (
    "One transaction: the new time is booked under the booking rules (409 `booked`, "
    "`window_full`, `held`, `patient_already_booked` with `next_available_slots`; 400 "
    "`past_date`, `past_time`, `on_leave`, `not_on_grid`, ...) and only then the old "
    "appointment is cancelled; a refusal changes nothing. The new appointment copies type, "
    "mode and notes and links back (`rescheduled_from`; the old one gets `rescheduled_to`). "
    "400 `reschedule_same_time` for its own time, `not_cancellable` / `appointment_started` "
    "when the appointment can no longer move. 201 with the new appointment."
)


class AppointmentRescheduleInputSerializer(serializers.Serializer):
    appointment_date = serializers.DateField()
    appointment_time = serializers.TimeField(
        input_formats=SLOT_TIME_FORMATS, help_text='Slot start, "HH:MM".'
    )


def _params(request: Request) -> dict:
    data = AppointmentRescheduleInputSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


class PatientAppointmentRescheduleView(APIView):
    # Any account acting as a patient, for any appointment it holds (its own or a
    # dependent's: the new one stays that person's).
    permission_classes = [CanActAsPatient]

    @extend_schema(
        request=AppointmentRescheduleInputSerializer,
        responses={
            201: AppointmentDetailOutputSerializer,
            **error_responses(400, 401, 403, 404, 409),
        },
        description=RESCHEDULE_RULES,
    )
    def post(self, request: Request, appointment_id: int) -> Response:
        appointment = selectors.appointment_get_for_patient(
            patient=request.user, appointment_id=appointment_id
        )
        new = appointment_reschedule(
            appointment=appointment, actor=cast(User, request.user), **_params(request)
        )
        fresh = selectors.appointment_get_for_patient(patient=request.user, appointment_id=new.pk)
        body = AppointmentDetailOutputSerializer(fresh).data
        return created(request, body, "appointment-my-detail", appointment_id=fresh.pk)


class StaffAppointmentRescheduleView(APIView):
    permission_classes = [IsDoctor | IsReceptionist | IsClinicOwner]

    @extend_schema(
        request=AppointmentRescheduleInputSerializer,
        responses={
            201: DoctorAppointmentDetailOutputSerializer,
            **error_responses(400, 401, 403, 404, 409),
        },
        description="The appointment's doctor, or the owner or a receptionist of its clinic "
        "(others: 404). A confirmed appointment stays confirmed. " + RESCHEDULE_RULES,
    )
    def post(self, request: Request, appointment_id: int) -> Response:
        appointment = selectors.appointment_get_for_staff(
            user=request.user, appointment_id=appointment_id
        )
        new = appointment_reschedule(
            appointment=appointment, actor=cast(User, request.user), **_params(request)
        )
        fresh = selectors.appointment_get_for_staff(user=request.user, appointment_id=new.pk)
        body = DoctorAppointmentDetailOutputSerializer(fresh).data
        return created(request, body, "appointment-doctor-detail", appointment_id=fresh.pk)
