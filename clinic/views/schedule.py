"""Weekly opening windows and the admission-documents checklist."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clinic import selectors, services
from clinic.serializers import (
    AdmissionDocumentInputSerializer,
    AdmissionDocumentOutputSerializer,
    TimeSlotInputSerializer,
    TimeSlotOutputSerializer,
    TimeSlotUpdateInputSerializer,
)
from clinic.views.common import PublicReadOwnerWriteMixin, validated_input
from core.cached_responses import cached_get
from core.response_cache import Namespace
from core.responses import created
from core.schema import error_responses


def _window_versions(request: Request, kwargs: dict[str, Any]) -> list[str]:
    return [Namespace.DIRECTORY, Namespace.CLINIC_SLOTS]


class TimeSlotListCreateView(PublicReadOwnerWriteMixin, generics.ListAPIView):
    serializer_class = TimeSlotOutputSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        return selectors.time_slot_list(user=self.request.user, clinic=self.get_clinic())

    @extend_schema(
        summary="Weekly opening windows of a clinic (public; the owner also sees inactive ones)",
        responses={200: TimeSlotOutputSerializer(many=True), **error_responses(404)},
    )
    # The owner also sees deactivated windows: only anonymous answers are shared.
    @cached_get(_window_versions, anonymous_only=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=TimeSlotInputSerializer,
        responses={201: TimeSlotOutputSerializer, **error_responses(400, 401, 403, 404, 409)},
        summary="Add a weekly window (owner)",
    )
    def post(self, request: Request, clinic_id: Any) -> Response:
        clinic = self.get_clinic()
        data = validated_input(TimeSlotInputSerializer, request, stored={"clinic_id": clinic.pk})
        slot = services.time_slot_create(clinic=clinic, data=data)
        body = TimeSlotOutputSerializer(slot).data
        return created(request, body, "clinic-slot-detail", clinic_id=clinic.pk, slot_id=slot.pk)


class TimeSlotDetailView(PublicReadOwnerWriteMixin, APIView):
    def get_slot(self) -> Any:
        return selectors.time_slot_get(
            user=self.request.user, clinic=self.get_clinic(), slot_id=self.kwargs["slot_id"]
        )

    @extend_schema(
        responses={200: TimeSlotOutputSerializer, **error_responses(404)},
        summary="A weekly window (public)",
    )
    @cached_get(_window_versions, anonymous_only=True)
    def get(self, request: Request, clinic_id: Any, slot_id: int) -> Response:
        return Response(TimeSlotOutputSerializer(self.get_slot()).data)

    def _update(self, request: Request) -> Response:
        # PUT is partial too (the spec's only update verb); the result is checked as merged.
        slot = self.get_slot()
        serializer = TimeSlotUpdateInputSerializer(slot, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        slot = services.time_slot_update(slot=slot, data=serializer.validated_data)
        return Response(TimeSlotOutputSerializer(slot).data)

    @extend_schema(
        request=TimeSlotUpdateInputSerializer(partial=True),
        responses={200: TimeSlotOutputSerializer, **error_responses(400, 401, 403, 404, 409)},
        summary="Change a weekly window (owner)",
    )
    def put(self, request: Request, clinic_id: Any, slot_id: int) -> Response:
        return self._update(request)

    @extend_schema(
        request=TimeSlotUpdateInputSerializer,
        responses={200: TimeSlotOutputSerializer, **error_responses(400, 401, 403, 404, 409)},
        summary="Partly change a weekly window (owner)",
    )
    def patch(self, request: Request, clinic_id: Any, slot_id: int) -> Response:
        return self._update(request)

    @extend_schema(
        responses={204: None, **error_responses(401, 403, 404)},
        summary="Deactivate a weekly window (owner)",
    )
    def delete(self, request: Request, clinic_id: Any, slot_id: int) -> Response:
        services.time_slot_deactivate(slot=self.get_slot())
        return Response(status=status.HTTP_204_NO_CONTENT)


class AdmissionDocumentListCreateView(PublicReadOwnerWriteMixin, generics.ListAPIView):
    serializer_class = AdmissionDocumentOutputSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        return selectors.admission_document_list(clinic=self.get_clinic())

    @extend_schema(
        summary="Documents the clinic asks patients to bring for an admission (public)",
        responses={200: AdmissionDocumentOutputSerializer(many=True), **error_responses(404)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=AdmissionDocumentInputSerializer,
        responses={201: AdmissionDocumentOutputSerializer, **error_responses(400, 401, 403, 404)},
        summary="Add an admission document to the checklist (owner)",
    )
    def post(self, request: Request, clinic_id: Any) -> Response:
        clinic = self.get_clinic()
        data = validated_input(
            AdmissionDocumentInputSerializer, request, stored={"clinic_id": clinic.pk}
        )
        document = services.admission_document_create(clinic=clinic, data=data)
        body = AdmissionDocumentOutputSerializer(document).data
        return created(
            request, body, "clinic-admission-doc-detail", clinic_id=clinic.pk, doc_id=document.pk
        )


class AdmissionDocumentDetailView(PublicReadOwnerWriteMixin, APIView):
    def get_document(self) -> Any:
        return selectors.admission_document_get(
            clinic=self.get_clinic(), doc_id=self.kwargs["doc_id"]
        )

    @extend_schema(
        responses={200: AdmissionDocumentOutputSerializer, **error_responses(404)},
        summary="An admission checklist item (public)",
    )
    def get(self, request: Request, clinic_id: Any, doc_id: int) -> Response:
        return Response(AdmissionDocumentOutputSerializer(self.get_document()).data)

    def _update(self, request: Request) -> Response:
        # PUT is partial too (the spec's only update verb): the fields sent change.
        document = self.get_document()
        data = validated_input(
            AdmissionDocumentInputSerializer, request, partial=True, stored=document
        )
        document = services.admission_document_update(document=document, data=data)
        return Response(AdmissionDocumentOutputSerializer(document).data)

    @extend_schema(
        request=AdmissionDocumentInputSerializer(partial=True),
        responses={200: AdmissionDocumentOutputSerializer, **error_responses(400, 401, 403, 404)},
        summary="Change an admission checklist item (owner)",
    )
    def put(self, request: Request, clinic_id: Any, doc_id: int) -> Response:
        return self._update(request)

    @extend_schema(
        request=AdmissionDocumentInputSerializer,
        responses={200: AdmissionDocumentOutputSerializer, **error_responses(400, 401, 403, 404)},
        summary="Partly change an admission checklist item (owner)",
    )
    def patch(self, request: Request, clinic_id: Any, doc_id: int) -> Response:
        return self._update(request)

    @extend_schema(
        responses={204: None, **error_responses(401, 403, 404)},
        summary="Remove an admission checklist item (owner)",
    )
    def delete(self, request: Request, clinic_id: Any, doc_id: int) -> Response:
        services.admission_document_delete(document=self.get_document())
        return Response(status=status.HTTP_204_NO_CONTENT)
