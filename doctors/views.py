"""Doctor endpoints: public profiles and availability; a doctor's own profile and leaves.

The free slots (`/api/doctors/<id>/availability/slots/`) are served by `appointments.views`,
where the taken times are."""

import functools
from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import SAFE_METHODS, AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.cached_responses import cached_get
from core.error_codes import ErrorCode
from core.exceptions import NotFound, NotPermitted
from core.permissions import IsDoctor, PerMethodPermissions
from core.response_cache import Namespace
from core.responses import created
from core.schema import error_responses
from doctors import directory, public_queries, selectors, services
from doctors.filters import (
    DOCTOR_LIST_PARAMS,
    doctor_list_params,
    schema_parameters,
)
from doctors.models import DoctorAvailability, DoctorProfile
from doctors.pagination import FetchedPagePagination
from doctors.policies import can_manage_availability
from doctors.serializers import (
    DoctorAvailabilityInputSerializer,
    DoctorAvailabilityOutputSerializer,
    DoctorAvailabilityUpdateInputSerializer,
    DoctorLeaveInputSerializer,
    DoctorLeaveOutputSerializer,
    DoctorMeOutputSerializer,
    DoctorOutputSerializer,
    DoctorProfileUpdateInputSerializer,
)

LEAVE_RULES = (
    "A leave is a date range (start_date <= end_date, not starting before today in the "
    "clinic's timezone), at one of your active clinics or, without `clinic`, at all of them. "
    "Overlapping leaves are refused with 409 (`leave_overlap`, naming "
    "`conflicting_leave_id`), never merged: an all-clinics leave overlaps every leave, a "
    "clinic leave overlaps leaves of the same clinic. Delete and re-create to change one. "
    "A leave over pending/confirmed appointments needs `on_conflict`; without it 409 "
    "`leave_has_appointments` lists them in `appointments` and nothing is created."
)


class PublicView(APIView):
    """Public reads: no authentication, so a stale token never breaks browsing."""

    authentication_classes = []
    permission_classes = [AllowAny]


def _doctor_or_404(doctor_id: int) -> DoctorProfile:
    doctor = selectors.doctor_get(doctor_id=doctor_id)
    if doctor is None:
        raise NotFound("Doctor not found.", code=ErrorCode.DOCTOR_NOT_FOUND)
    return doctor


def _own_doctor(request: Request, doctor_id: int) -> DoctorProfile:
    doctor = _doctor_or_404(doctor_id)
    if not can_manage_availability(user=request.user, doctor=doctor):
        raise NotPermitted(
            "You can only manage your own availability.", code=ErrorCode.NOT_OWN_PROFILE
        )
    return doctor


# --- profiles --------------------------------------------------------------------------


# The public reads render with the serializer's `to_representation` directly: `Serializer(...)
# .data` builds a serializer, a ListSerializer and a ReturnDict per request (about 35 calls) and
# adds nothing to the hand-built dict.
_render_doctor = DoctorOutputSerializer().to_representation


def _directory_versions(request: Request, kwargs: dict[str, Any]) -> list[str]:
    return [Namespace.DIRECTORY]


class DoctorListView(generics.ListAPIView, PublicView):
    """Doctors who are active members of an active clinic, by name then id (one query, and a
    cached count: `doctors.directory`)."""

    serializer_class = DoctorOutputSerializer
    filter_backends: list[Any] = []
    pagination_class = FetchedPagePagination
    queryset = DoctorProfile.objects.none()  # for the schema; rows come from selectors

    @extend_schema(
        parameters=schema_parameters(DOCTOR_LIST_PARAMS),
        responses={200: DoctorOutputSerializer(many=True), **error_responses(400)},
    )
    @cached_get(_directory_versions)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        filters = doctor_list_params(request.query_params)
        paginator = self.paginator
        assert isinstance(paginator, FetchedPagePagination)
        page = paginator.paginate_fetch(
            functools.partial(directory.directory_page, filters=filters), request
        )
        return paginator.get_paginated_response([_render_doctor(row) for row in page])


class DoctorDetailView(PublicView):
    @extend_schema(responses={200: DoctorOutputSerializer, **error_responses(404)})
    @cached_get(_directory_versions)
    def get(self, request: Request, doctor_id: int) -> Response:
        row = public_queries.doctor_public_detail(doctor_id=doctor_id)
        if row is None:
            raise NotFound("Doctor not found.", code=ErrorCode.DOCTOR_NOT_FOUND)
        return Response(_render_doctor(row))


class DoctorMeView(APIView):
    """The signed-in doctor's profile (created on first use if a clinic has not yet)."""

    permission_classes = [IsDoctor]
    # A doctor still onboarding reads it to prefill the form; writes wait for completion.
    allow_incomplete_onboarding = frozenset(SAFE_METHODS)

    @extend_schema(
        responses={200: DoctorMeOutputSerializer, **error_responses(401, 403)},
        description="Also open to a doctor still completing onboarding (to prefill the form); "
        "PUT and PATCH answer them 403 `onboarding_required` until it is complete.",
    )
    def get(self, request: Request) -> Response:
        profile = services.doctor_profile_get_or_create(user=request.user)  # type: ignore[arg-type]
        return self._render(profile)

    @extend_schema(
        request=DoctorProfileUpdateInputSerializer,
        responses={200: DoctorMeOutputSerializer, **error_responses(400, 401, 403)},
        description="PUT and PATCH both update only the fields sent. Fees must be >= 0.",
    )
    def put(self, request: Request) -> Response:
        profile = services.doctor_profile_get_or_create(user=request.user)  # type: ignore[arg-type]
        serializer = DoctorProfileUpdateInputSerializer(
            data=request.data, partial=True, stored=profile
        )
        serializer.is_valid(raise_exception=True)
        services.doctor_profile_update(profile=profile, changes=dict(serializer.validated_data))
        return self._render(profile)

    @extend_schema(
        request=DoctorProfileUpdateInputSerializer,
        responses={200: DoctorMeOutputSerializer, **error_responses(400, 401, 403)},
    )
    def patch(self, request: Request) -> Response:
        return self.put(request)

    def _render(self, profile: DoctorProfile) -> Response:
        row = selectors.doctor_profile_row(profile_id=profile.pk)
        context = {"allow_overbooking": profile.allow_overbooking}
        return Response(DoctorMeOutputSerializer(row, context=context).data)


# --- availability ----------------------------------------------------------------------


class AvailabilityQueryInputSerializer(serializers.Serializer):
    clinic_id = serializers.UUIDField(required=False)


class DoctorAvailabilityListView(PerMethodPermissions, generics.ListAPIView):
    """GET: the doctor's active weekly windows (public). POST: the doctor adds one."""

    serializer_class = DoctorAvailabilityOutputSerializer
    filter_backends: list[Any] = []
    method_permissions = {"POST": (IsDoctor,), "*": (AllowAny,)}

    def get_queryset(self) -> Any:
        query = AvailabilityQueryInputSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        doctor = _doctor_or_404(self.kwargs["doctor_id"])
        return selectors.availability_public_list(
            doctor=doctor, clinic_id=query.validated_data.get("clinic_id")
        )

    @extend_schema(
        parameters=[OpenApiParameter("clinic_id", str, description="Only this clinic (uuid).")],
        responses={200: DoctorAvailabilityOutputSerializer(many=True), **error_responses(400, 404)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=DoctorAvailabilityInputSerializer,
        responses={
            201: DoctorAvailabilityOutputSerializer,
            **error_responses(400, 401, 403, 404, 409),
        },
        description="Only the doctor themself, at a clinic where they are an active doctor "
        "(else 403 `not_clinic_member`). `day` is a weekday name (or send `day_of_week`, "
        "0 = Monday). Windows of one doctor may not overlap on a weekday, across clinics (409).",
    )
    def post(self, request: Request, doctor_id: int) -> Response:
        doctor = _own_doctor(request, doctor_id)
        serializer = DoctorAvailabilityInputSerializer(
            data=request.data, stored={"doctor_id": doctor.pk}
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        spec = services.WindowSpec(clinic_id=data.pop("clinic"), **data)
        row = services.availability_create(doctor=doctor, spec=spec)
        body = DoctorAvailabilityOutputSerializer(row).data
        return created(
            request, body, "doctor-availability-detail", doctor_id=doctor_id, availability_id=row.pk
        )


class DoctorAvailabilityDetailView(APIView):
    """The doctor updates (PUT and PATCH: the fields sent, checked merged with the stored
    window) or deactivates (DELETE) one window."""

    permission_classes = [IsDoctor]

    def _row(self, request: Request, doctor_id: int, availability_id: int) -> DoctorAvailability:
        doctor = _own_doctor(request, doctor_id)
        row = selectors.availability_get_for(doctor=doctor, availability_id=availability_id)
        if row is None:
            raise NotFound("Availability not found.")
        return row

    @extend_schema(
        request=DoctorAvailabilityUpdateInputSerializer(partial=True),
        responses={
            200: DoctorAvailabilityOutputSerializer,
            **error_responses(400, 401, 403, 404, 409),
        },
    )
    def put(self, request: Request, doctor_id: int, availability_id: int) -> Response:
        return self._update(request, doctor_id, availability_id)

    @extend_schema(
        request=DoctorAvailabilityUpdateInputSerializer,
        responses={
            200: DoctorAvailabilityOutputSerializer,
            **error_responses(400, 401, 403, 404, 409),
        },
    )
    def patch(self, request: Request, doctor_id: int, availability_id: int) -> Response:
        return self._update(request, doctor_id, availability_id)

    @extend_schema(
        responses={
            204: OpenApiResponse(description="Deactivated."),
            **error_responses(401, 403, 404),
        }
    )
    def delete(self, request: Request, doctor_id: int, availability_id: int) -> Response:
        row = self._row(request, doctor_id, availability_id)
        services.availability_deactivate(availability=row)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _update(self, request: Request, doctor_id: int, availability_id: int) -> Response:
        row = self._row(request, doctor_id, availability_id)
        serializer = DoctorAvailabilityUpdateInputSerializer(
            data=request.data, partial=True, stored=row
        )
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        if "clinic" in changes:
            changes["clinic_id"] = changes.pop("clinic")
        row = services.availability_update(availability=row, changes=changes)
        return Response(DoctorAvailabilityOutputSerializer(row).data)


# --- leaves ----------------------------------------------------------------------------


class DoctorLeaveListView(generics.ListAPIView):
    """The signed-in doctor's leaves, by start date."""

    permission_classes = [IsDoctor]
    serializer_class = DoctorLeaveOutputSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        return selectors.leave_list_for(user=self.request.user)  # type: ignore[arg-type]

    @extend_schema(
        request=DoctorLeaveInputSerializer,
        responses={201: DoctorLeaveOutputSerializer, **error_responses(400, 401, 403, 409)},
        description=LEAVE_RULES,
    )
    def post(self, request: Request) -> Response:
        serializer = DoctorLeaveInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        profile = services.doctor_profile_get_or_create(user=request.user)  # type: ignore[arg-type]
        leave = services.leave_create(
            doctor=profile,
            start_date=data["start_date"],
            end_date=data["end_date"],
            clinic_id=data.get("clinic"),
            reason=data["reason"],
            on_conflict=data.get("on_conflict"),
        )
        body = DoctorLeaveOutputSerializer(leave).data
        return created(request, body, "doctor-leave-detail", leave_id=leave.pk)


class DoctorLeaveDetailView(APIView):
    permission_classes = [IsDoctor]

    @extend_schema(
        responses={204: OpenApiResponse(description="Deleted."), **error_responses(401, 403, 404)}
    )
    def delete(self, request: Request, leave_id: int) -> Response:
        leave = selectors.leave_get_for(user=request.user, leave_id=leave_id)  # type: ignore[arg-type]
        if leave is None:
            raise NotFound("Leave not found.")
        services.leave_delete(leave=leave)
        return Response(status=status.HTTP_204_NO_CONTENT)
