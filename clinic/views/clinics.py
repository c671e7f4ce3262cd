"""Clinic onboarding step 3, public browse, the owner's clinics, detail."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.filters import SearchFilter
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clinic import selectors, services
from clinic.filters import ClinicPublicFilterSet
from clinic.models import Clinic
from clinic.serializers import (
    ClinicCreateInputSerializer,
    ClinicOnboardingStep3InputSerializer,
    ClinicOutputSerializer,
    ClinicUpdateInputSerializer,
    ClinicWithSlotsOutputSerializer,
)
from clinic.views.common import PublicReadOwnerWriteMixin, request_user, validated_input
from core.cached_responses import cached_get
from core.filtering import FilterBackend
from core.pagination import cached_count_pagination
from core.permissions import IsClinicOwner
from core.response_cache import Namespace
from core.responses import created
from core.schema import error_responses


class ClinicOnboardingStep3View(APIView):
    permission_classes = [IsClinicOwner]

    @extend_schema(
        request=ClinicOnboardingStep3InputSerializer,
        responses={201: ClinicWithSlotsOutputSerializer, **error_responses(400, 401, 403, 409)},
        summary="Clinic owner registration step 3: clinic + weekly time slots",
    )
    def post(self, request: Request) -> Response:
        data = validated_input(
            ClinicOnboardingStep3InputSerializer, request, stored={"owner_id": request.user.pk}
        )
        slots = data.pop("time_slots", [])
        clinic = services.clinic_onboarding_step3(
            owner=request_user(request), data=data, time_slots=slots
        )
        clinic = selectors.clinic_get_visible(user=request.user, clinic_id=clinic.pk, counts=True)
        body = ClinicWithSlotsOutputSerializer(clinic).data
        return created(request, body, "clinic-detail", clinic_id=clinic.pk)


@extend_schema_view(get=extend_schema(summary="Browse active clinics (public)"))
class ClinicPublicListView(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = ClinicOutputSerializer
    filter_backends = [FilterBackend, SearchFilter]
    filterset_class = ClinicPublicFilterSet
    search_fields = ("name", "city", "address")
    pagination_class = cached_count_pagination(Namespace.DIRECTORY)

    def get_queryset(self) -> QuerySet[Clinic]:
        return selectors.clinic_public_list()

    # The same answer for every caller: stored for signed-in callers too.
    @cached_get(lambda request, kwargs: [Namespace.DIRECTORY])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class ClinicListCreateView(generics.ListAPIView):
    """The owner's clinics, soft-deleted ones included (`is_active: false`)."""

    permission_classes = [IsClinicOwner]
    serializer_class = ClinicOutputSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Clinic]:
        return selectors.clinic_list_for_owner(owner=self.request.user)

    @extend_schema(
        summary="My clinics (clinic owner)",
        responses={200: ClinicOutputSerializer(many=True), **error_responses(401, 403)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=ClinicCreateInputSerializer,
        responses={201: ClinicWithSlotsOutputSerializer, **error_responses(400, 401, 403)},
        summary="Create a clinic (optionally with weekly time slots)",
    )
    def post(self, request: Request) -> Response:
        data = validated_input(
            ClinicCreateInputSerializer, request, stored={"owner_id": request.user.pk}
        )
        slots = data.pop("time_slots", [])
        clinic = services.clinic_create(owner=request_user(request), data=data, time_slots=slots)
        clinic = selectors.clinic_get_visible(user=request.user, clinic_id=clinic.pk, counts=True)
        body = ClinicWithSlotsOutputSerializer(clinic).data
        return created(request, body, "clinic-detail", clinic_id=clinic.pk)


class ClinicDetailView(PublicReadOwnerWriteMixin, APIView):
    @extend_schema(
        responses={200: ClinicOutputSerializer, **error_responses(404)},
        summary="Clinic detail (public; the owner also sees an inactive clinic)",
    )
    # The owner also sees an inactive clinic: only anonymous answers are shared.
    @cached_get(lambda request, kwargs: [Namespace.DIRECTORY], anonymous_only=True)
    def get(self, request: Request, clinic_id: Any) -> Response:
        clinic = selectors.clinic_get_visible(user=request.user, clinic_id=clinic_id, counts=True)
        return Response(ClinicOutputSerializer(clinic).data)

    def _update(self, request: Request) -> Response:
        # PUT is partial too (the spec's only update verb): the fields sent change.
        clinic = self.get_clinic()
        data = validated_input(ClinicUpdateInputSerializer, request, partial=True, stored=clinic)
        services.clinic_update(clinic=clinic, data=data)
        clinic = selectors.clinic_get_visible(user=request.user, clinic_id=clinic.pk, counts=True)
        return Response(ClinicOutputSerializer(clinic).data)

    @extend_schema(
        request=ClinicUpdateInputSerializer(partial=True),
        responses={200: ClinicOutputSerializer, **error_responses(400, 401, 403, 404)},
        summary="Update a clinic (owner; partial: the fields sent change)",
    )
    def put(self, request: Request, clinic_id: Any) -> Response:
        return self._update(request)

    @extend_schema(
        request=ClinicUpdateInputSerializer,
        responses={200: ClinicOutputSerializer, **error_responses(400, 401, 403, 404)},
        summary="Partly update a clinic (owner)",
    )
    def patch(self, request: Request, clinic_id: Any) -> Response:
        return self._update(request)

    @extend_schema(
        responses={204: None, **error_responses(401, 403, 404)},
        summary="Soft-delete a clinic (owner): hidden publicly, staff released",
    )
    def delete(self, request: Request, clinic_id: Any) -> Response:
        services.clinic_deactivate(clinic=self.get_clinic())
        return Response(status=status.HTTP_204_NO_CONTENT)
