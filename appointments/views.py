"""Appointment endpoints: patients book and cancel, doctors run them, owners see the day; and
a doctor's free slots (the slot engine fed with the taken times gathered here)."""

import uuid
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from appointments import rows, selectors, services
from appointments.examples import BOOKING_EXAMPLES
from appointments.filters import DoctorAppointmentFilter, PatientAppointmentFilter
from appointments.leaves import clinic_leaves_with_impact
from appointments.models import Appointment, AppointmentStatus
from appointments.queue.selectors import clinic_queue_summary
from appointments.serializers import (
    AppointmentBookInputSerializer,
    AppointmentCancelInputSerializer,
    AppointmentDetailOutputSerializer,
    AppointmentDoctorUpdateInputSerializer,
    ClinicDashboardOutputSerializer,
    ClinicDashboardQueryInputSerializer,
    DashboardClinicOutputSerializer,
    DashboardLeaveOutputSerializer,
    DoctorAppointmentDetailOutputSerializer,
    DoctorAppointmentOutputSerializer,
    PatientAdmissionDocumentOutputSerializer,
    PatientAppointmentOutputSerializer,
    PatientClinicOutputSerializer,
)
from appointments.slots import doctor_slot_listing
from clinic.models import AdmissionDocument, Clinic
from clinic.rules import clinic_today
from core.cached_responses import cached_get
from core.filtering import FilterBackend
from core.pagination import page_headers
from core.permissions import CanActAsPatient, IsClinicOwner, IsDoctor
from core.response_cache import Namespace, account_key, doctor_records_key, slot_version_keys
from core.responses import created
from core.schema import PAGE_HEADERS, error_responses
from doctors.filters import SLOT_QUERY_PARAMS, clean_query, schema_parameters
from doctors.models import DoctorProfile
from doctors.serializers import DoctorSlotsOutputSerializer
from users.models import User


def _user(request: Request) -> User:
    # The role gates only let authenticated users through.
    return cast(User, request.user)


class _AppointmentRowsListMixin:
    """A list answered from `appointments.rows` (one `.values()` page, plain dicts) instead of
    its `serializer_class`, which stays the schema and the reference (tests/test_rows.py)."""

    row_kind: rows.Kind

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        view = cast(generics.ListAPIView, self)
        found = rows.AppointmentRows(view.filter_queryset(view.get_queryset()), kind=self.row_kind)
        page = view.paginate_queryset(found)  # type: ignore[arg-type]
        if page is None:
            return Response(found[:])
        return view.get_paginated_response(page)


def _patient_list_versions(request: Request, kwargs: dict[str, Any]) -> list[str]:
    """What the patient's list shows: their appointments and profiles, the directory."""
    return [Namespace.DIRECTORY, Namespace.RECORDS, account_key(request.user.pk)]


def _doctor_list_versions(request: Request, kwargs: dict[str, Any]) -> list[str]:
    """What the doctor's list shows: their appointments, the patients, the directory."""
    doctors = DoctorProfile.objects.filter(user=_user(request)).values_list("pk", flat=True)
    return [
        Namespace.DIRECTORY,
        Namespace.RECORDS,
        Namespace.PEOPLE,
        *(doctor_records_key(doctor_id) for doctor_id in doctors),
    ]


class PatientAppointmentListCreateView(_AppointmentRowsListMixin, generics.ListAPIView):
    """The patient's appointments (date, time, id order) and booking a new one."""

    row_kind = "patient"

    permission_classes = [CanActAsPatient]
    serializer_class = PatientAppointmentOutputSerializer
    filter_backends = [FilterBackend]
    filterset_class = PatientAppointmentFilter

    def get_queryset(self) -> QuerySet[Appointment]:
        if getattr(self, "swagger_fake_view", False):
            return Appointment.objects.none()
        return selectors.appointment_list_for_patient(patient=self.request.user)

    @cached_get(_patient_list_versions, private=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.list(request, *args, **kwargs)

    @extend_schema(
        request=AppointmentBookInputSerializer,
        responses={
            201: AppointmentDetailOutputSerializer,
            # 404: `patient_profile` is not one of the caller's profiles.
            **error_responses(400, 401, 403, 404, 409),
        },
        examples=BOOKING_EXAMPLES,
        description="Book a free slot (pending). Refusals carry `code` (past_date, past_time, "
        "on_leave, beyond_horizon, not_on_grid, outside_availability, video_not_offered, "
        "doctor_not_in_clinic, ...); 409 (booked, window_full, patient_already_booked) "
        "carries `next_available_slots`; 409 too_many_active_appointments (with "
        "`max_active_appointments`) when the patient already holds MAX_ACTIVE_APPOINTMENTS_PER_"
        "DOCTOR (default 20) pending/confirmed appointments with this doctor still to come.",
    )
    def post(self, request: Request) -> Response:
        data = AppointmentBookInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        params = data.validated_data
        appointment = services.appointment_book(
            patient=_user(request),
            doctor_id=params["doctor"],
            appointment_date=params["appointment_date"],
            appointment_time=params["appointment_time"],
            appointment_type=params["appointment_type"],
            mode=params["mode"],
            notes=params["notes"],
            patient_profile=params.get("patient_profile"),
        )
        body = rows.appointment_written_payload(
            appointment, history=services.history_written(appointment), kind="base"
        )
        return created(request, body, "appointment-my-detail", appointment_id=appointment.pk)


class PatientAppointmentDetailView(APIView):
    """One of the patient's appointments, with its history; PATCH/PUT only cancels."""

    permission_classes = [CanActAsPatient]

    @extend_schema(
        responses={200: AppointmentDetailOutputSerializer, **error_responses(401, 403, 404)}
    )
    def get(self, request: Request, appointment_id: int) -> Response:
        scoped = selectors.appointment_list_for_patient(patient=request.user)
        return Response(
            rows.appointment_detail_payload(scoped.filter(pk=appointment_id), kind="base")
        )

    @extend_schema(
        request=AppointmentCancelInputSerializer,
        responses={200: AppointmentDetailOutputSerializer, **error_responses(400, 401, 403, 404)},
        description='Cancel: `{"status": "cancelled", "cancellation_reason"?}`; only a pending '
        "or confirmed appointment that has not started. Anything else answers 400.",
    )
    def patch(self, request: Request, appointment_id: int) -> Response:
        appointment = selectors.appointment_get_for_patient(
            patient=request.user, appointment_id=appointment_id
        )
        data = AppointmentCancelInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.appointment_cancel_by_patient(
            appointment=appointment,
            patient=_user(request),
            reason=data.validated_data.get("cancellation_reason", ""),
        )
        return self.get(request, appointment_id)

    @extend_schema(
        request=AppointmentCancelInputSerializer,
        responses={200: AppointmentDetailOutputSerializer, **error_responses(400, 401, 403, 404)},
        description="Same as PATCH (the reference deployment's verb).",
    )
    def put(self, request: Request, appointment_id: int) -> Response:
        return self.patch(request, appointment_id)


class PatientClinicListView(generics.ListAPIView):
    """Clinics where the patient has appointments (public fields), by name."""

    permission_classes = [CanActAsPatient]
    serializer_class = PatientClinicOutputSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Clinic]:
        if getattr(self, "swagger_fake_view", False):
            return Clinic.objects.none()
        return selectors.clinic_list_for_patient(patient=self.request.user)


class PatientAdmissionDocumentListView(generics.ListAPIView):
    """A clinic's admission checklist: public information, so any patient may read it."""

    permission_classes = [CanActAsPatient]
    serializer_class = PatientAdmissionDocumentOutputSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[AdmissionDocument]:
        if getattr(self, "swagger_fake_view", False):
            return AdmissionDocument.objects.none()
        return selectors.admission_document_list(clinic_id=self.kwargs["clinic_id"])


# --- doctors ----------------------------------------------------------------------------------


class DoctorAppointmentListView(_AppointmentRowsListMixin, generics.ListAPIView):
    """The doctor's appointments (any clinic), by date, time and id."""

    row_kind = "doctor"

    permission_classes = [IsDoctor]
    serializer_class = DoctorAppointmentOutputSerializer
    filter_backends = [FilterBackend]
    filterset_class = DoctorAppointmentFilter

    def get_queryset(self) -> QuerySet[Appointment]:
        if getattr(self, "swagger_fake_view", False):
            return Appointment.objects.none()
        return selectors.appointment_list_for_doctor(doctor_user=self.request.user)

    @cached_get(_doctor_list_versions, private=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.list(request, *args, **kwargs)


class DoctorAppointmentDetailView(APIView):
    """One of the doctor's own appointments; PATCH moves its status and keeps notes/payment."""

    permission_classes = [IsDoctor]

    @extend_schema(
        responses={200: DoctorAppointmentDetailOutputSerializer, **error_responses(401, 403, 404)}
    )
    def get(self, request: Request, appointment_id: int) -> Response:
        scoped = selectors.appointment_list_for_doctor(doctor_user=request.user)
        return Response(
            rows.appointment_detail_payload(scoped.filter(pk=appointment_id), kind="doctor")
        )

    @extend_schema(
        request=AppointmentDoctorUpdateInputSerializer,
        responses={
            200: DoctorAppointmentDetailOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
        description="Transitions: pending -> confirmed | cancelled; confirmed -> completed | "
        "cancelled | no_show; others are final. An invalid one answers 400 with "
        "`allowed_transitions` (those its time permits now). `completed` is allowed from the "
        "start of the appointment's clinic-local day, `no_show` once its time plus "
        "NO_SHOW_GRACE_MINUTES (default 15) has passed; earlier, 400 `appointment_not_started` "
        "with `allowed_transitions` and `allowed_from`.",
    )
    def patch(self, request: Request, appointment_id: int) -> Response:
        appointment = selectors.appointment_get_for_doctor(
            doctor_user=request.user, appointment_id=appointment_id
        )
        data = AppointmentDoctorUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        params = data.validated_data
        services.appointment_update_by_doctor(
            appointment=appointment,
            doctor_user=_user(request),
            status=params.get("status"),
            reason=params.get("cancellation_reason", ""),
            doctor_notes=params.get("doctor_notes"),
            is_paid=params.get("is_paid"),
        )
        return self.get(request, appointment_id)


# --- clinic owners ----------------------------------------------------------------------------


class ClinicDashboardView(APIView):
    """The clinic's day: counts per status (the whole day) and the appointments, paginated
    with `page`/`page_size` (default 100, max 500) and the usual Link/X-Total-Count headers."""

    permission_classes = [IsClinicOwner]

    @extend_schema(
        parameters=[
            OpenApiParameter("date", OpenApiTypes.DATE, description="Default: clinic's today"),
            OpenApiParameter("status", str, enum=AppointmentStatus.values),
            OpenApiParameter("doctor_id", int),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
            *PAGE_HEADERS,
        ],
        responses={200: ClinicDashboardOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def get(self, request: Request, clinic_id: uuid.UUID) -> Response:
        clinic = selectors.clinic_get_for_owner(owner=request.user, clinic_id=clinic_id)
        query = ClinicDashboardQueryInputSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        date = params.get("date") or clinic_today(clinic)
        day = selectors.clinic_day_appointments(
            clinic=clinic, date=date, doctor_id=params.get("doctor_id")
        )
        counts = selectors.appointment_status_counts(day)
        total = sum(counts.values())
        listed, listed_total = day, total
        if params.get("status"):
            listed, listed_total = day.filter(status=params["status"]), counts[params["status"]]
        page, size = params["page"], params["page_size"]
        listed_rows = rows.appointment_values(listed)[(page - 1) * size : page * size]
        body = {
            "clinic": DashboardClinicOutputSerializer(clinic).data,
            "date": date.isoformat(),
            "counts": counts,
            "total": total,
            "appointments": rows.appointment_payloads(listed_rows, kind="base"),
            "queue": clinic_queue_summary(clinic=clinic, date=date),
            "leaves": DashboardLeaveOutputSerializer(
                clinic_leaves_with_impact(clinic=clinic, date=date), many=True
            ).data,
        }
        headers = _page_headers(request, page=page, size=size, count=listed_total)
        return Response(body, headers=headers)


def _page_headers(request: Request, *, page: int, size: int, count: int) -> dict[str, str]:
    url = request.build_absolute_uri()
    return page_headers(
        count=count,
        next_url=replace_query_param(url, "page", page + 1) if page * size < count else None,
        prev_url=replace_query_param(url, "page", page - 1) if page > 1 else None,
    )


# --- a doctor's free slots (under /api/doctors/, served here where the taken times are) -------


def _slot_versions(request: Request, kwargs: dict[str, Any]) -> list[str]:
    """The versions of the doctor's listing on the asked date, normalised (2026-1-5 and
    2026-01-05 are one date and must read one version). A bad date is a 400: never stored."""
    try:
        date = SLOT_QUERY_PARAMS["date"].clean(request.query_params.get("date"))
    except ValidationError:
        date = "invalid"
    return slot_version_keys(kwargs["doctor_id"], date)


class DoctorSlotsView(APIView):
    # Public: no authentication, so a stale token never breaks browsing.
    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=schema_parameters(SLOT_QUERY_PARAMS),
        responses={200: DoctorSlotsOutputSerializer, **error_responses(400, 404)},
        description="Free times (HH:MM, clinic-local) of the doctor at the clinic on the date: "
        "the same rules booking checks. `explain=true` adds `hidden` with the reason for each "
        "other candidate time, and `reason`: null, or `not_practising_at_clinic` when the "
        "doctor is not an active doctor at that (existing) clinic, which lists no times. 404 "
        "when the doctor or the clinic is unknown (or closed), or, without `clinic_id`, when "
        "the doctor is active at no clinic.",
    )
    @cached_get(_slot_versions)
    def get(self, request: Request, doctor_id: int) -> Response:
        query = clean_query(SLOT_QUERY_PARAMS, request.query_params)
        date = query["date"]
        listing = doctor_slot_listing(
            doctor_id=doctor_id, clinic_id=query.get("clinic_id"), date=date
        )
        freshness = getattr(request, "cache_freshness", None)
        if freshness is not None and listing.changes_at is not None:
            freshness.expires_at = listing.changes_at.timestamp()
        body: dict[str, Any] = {
            "doctor": doctor_id,
            "date": date.isoformat(),
            "available_slots": [moment.strftime("%H:%M") for moment in listing.result.free],
        }
        if query.get("explain"):
            body["hidden"] = [
                {"time": moment.strftime("%H:%M"), "reason": reason.value}
                for moment, reason in sorted(listing.result.hidden.items())
            ]
            body["reason"] = listing.reason
        return Response(body)
