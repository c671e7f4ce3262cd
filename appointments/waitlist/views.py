"""Waitlist endpoints (any account acting as a patient): join for oneself or a dependent, list
mine and my dependents', leave, accept or decline an offer."""

from typing import Any, cast

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from appointments import selectors as appointment_selectors
from appointments.serializers import AppointmentDetailOutputSerializer
from appointments.waitlist import selectors, services
from appointments.waitlist.models import WaitlistEntry
from appointments.waitlist.serializers import (
    WaitlistEntryOutputSerializer,
    WaitlistJoinInputSerializer,
)
from core.permissions import CanActAsPatient
from core.responses import created
from core.schema import error_responses
from users.models import User

WAITLIST_RULES = (
    "Wait for a slot of the doctor on the date (between `from_time` and `to_time`, both "
    "included, when given). When a matching slot frees (a cancel, a reschedule, a leave "
    "removed), the first waiting patient (a leave's displaced patients first, then in joining "
    "order) is offered it: the slot is held for them for WAITLIST_HOLD_MINUTES (default 10) "
    "and hidden from everyone else (`held`). 409 `waitlist_slots_free` (with "
    "`available_slots`) while matching slots are free, 409 `waitlist_already_joined` (one "
    "open entry per person, doctor and day). `patient_profile`: wait for one of your "
    "dependents (404 `patient_profile_not_found` otherwise); the hold is that person's and "
    "`accept` books for them."
)


def _user(request: Request) -> User:
    return cast(User, request.user)


class WaitlistListCreateView(generics.ListAPIView):
    permission_classes = [CanActAsPatient]
    serializer_class = WaitlistEntryOutputSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[WaitlistEntry]:
        if getattr(self, "swagger_fake_view", False):
            return WaitlistEntry.objects.none()
        # Offers that ran out are passed on before the patient reads them (lazy expiry).
        services.waitlist_expire_due(patient=_user(self.request))
        return selectors.waitlist_list_for_patient(patient=self.request.user)

    @extend_schema(
        request=WaitlistJoinInputSerializer,
        responses={
            201: WaitlistEntryOutputSerializer,
            **error_responses(400, 401, 403, 404, 409),
        },
        description=WAITLIST_RULES,
    )
    def post(self, request: Request) -> Response:
        data = WaitlistJoinInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        params = data.validated_data
        entry = services.waitlist_join(
            patient=_user(request),
            doctor_id=params["doctor"],
            date=params["date"],
            from_time=params.get("from_time"),
            to_time=params.get("to_time"),
            appointment_type=params["appointment_type"],
            mode=params["mode"],
            notes=params["notes"],
            patient_profile=params.get("patient_profile"),
        )
        fresh = selectors.waitlist_get_for_patient(patient=request.user, entry_id=entry.pk)
        body = WaitlistEntryOutputSerializer(fresh).data
        return created(request, body, "waitlist-detail", entry_id=entry.pk)


class WaitlistDetailView(APIView):
    permission_classes = [CanActAsPatient]

    @extend_schema(responses={200: WaitlistEntryOutputSerializer, **error_responses(401, 403, 404)})
    def get(self, request: Request, entry_id: int) -> Response:
        services.waitlist_expire_due(patient=_user(request))
        entry = selectors.waitlist_get_for_patient(patient=request.user, entry_id=entry_id)
        return Response(WaitlistEntryOutputSerializer(entry).data)

    @extend_schema(
        responses={
            204: OpenApiResponse(description="Left the waitlist."),
            **error_responses(400, 401, 403, 404),
        },
        description="Leave the waitlist; a slot your offer held goes to the next patient. "
        "400 `waitlist_closed` once the entry has ended.",
    )
    def delete(self, request: Request, entry_id: int) -> Response:
        entry = selectors.waitlist_get_for_patient(patient=request.user, entry_id=entry_id)
        services.waitlist_leave(entry=entry, patient=_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class WaitlistAcceptView(APIView):
    permission_classes = [CanActAsPatient]

    @extend_schema(
        request=None,
        responses={
            201: AppointmentDetailOutputSerializer,
            **error_responses(400, 401, 403, 404, 409),
        },
        description="Book the held slot (the booking rules apply; the hold makes the slot "
        "free for you only). 400 `waitlist_no_offer` without a live offer (an expired one "
        "has moved on to the next patient).",
    )
    def post(self, request: Request, entry_id: int) -> Response:
        entry = selectors.waitlist_get_for_patient(patient=request.user, entry_id=entry_id)
        appointment = services.waitlist_accept(entry=entry, patient=_user(request))
        fresh = appointment_selectors.appointment_get_for_patient(
            patient=request.user, appointment_id=appointment.pk
        )
        body = AppointmentDetailOutputSerializer(fresh).data
        return created(request, body, "appointment-my-detail", appointment_id=fresh.pk)


class WaitlistDeclineView(APIView):
    permission_classes = [CanActAsPatient]

    @extend_schema(
        request=None,
        responses={200: WaitlistEntryOutputSerializer, **error_responses(400, 401, 403, 404)},
        description="Turn the offer down (the entry ends `declined`); the slot goes to the "
        "next patient at once.",
    )
    def post(self, request: Request, entry_id: int) -> Response:
        entry = selectors.waitlist_get_for_patient(patient=request.user, entry_id=entry_id)
        services.waitlist_decline(entry=entry, patient=_user(request))
        fresh = selectors.waitlist_get_for_patient(patient=request.user, entry_id=entry_id)
        return Response(WaitlistEntryOutputSerializer(fresh).data)
