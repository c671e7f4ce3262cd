"""Thin views of consent: a doctor's request and requestable list, the patient's lists and
decisions, the signed artefact, the consents given."""

import uuid
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    extend_schema,
)
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.cached_responses import cached_get
from core.filtering import FilterBackend
from core.permissions import (
    ActingAsPatient,
    CanActAsPatient,
    IsDoctor,
)
from core.response_cache import Namespace, account_key
from core.responses import created
from core.schema import error_responses
from documents import audit, selectors, services
from documents.abdm import signed_artefact
from documents.access import access_context
from documents.filters import (
    ConsentFilter,
    RequestableDocumentFilter,
)
from documents.models import AccessAction
from documents.serializers import (
    ConsentActionInputSerializer,
    ConsentGivenOutputSerializer,
    ConsentOutputSerializer,
    ConsentPatientOutputSerializer,
    ConsentRequestInputSerializer,
    RequestableDocumentOutputSerializer,
)
from documents.throttles import ConsentRequestThrottle


class ConsentRequestView(APIView):
    permission_classes = [IsDoctor]
    throttle_classes = [ConsentRequestThrottle]

    @extend_schema(
        request=ConsentRequestInputSerializer,
        responses={201: ConsentOutputSerializer, **error_responses(400, 401, 403, 404, 409, 429)},
        description="Ask the owner for access to one document by its id (from the patient, a "
        "referral, or `consent/requestable/`); an unknown or deleted id answers 404. The answer "
        "is the consent record only: the document stays closed until the patient grants. One "
        "pending request per doctor and document (409); requests per doctor are rate-limited "
        "(429 with `Retry-After`).",
    )
    def post(self, request: Request) -> Response:
        data = ConsentRequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        consent = services.consent_request(
            user=request.user,
            document_id=data.validated_data["document"],
            purpose=data.validated_data["purpose"],
            expires_at=data.validated_data.get("expires_at"),
            hi_types=data.validated_data.get("hi_types"),
            date_from=data.validated_data.get("date_range", {}).get("from"),
            date_to=data.validated_data.get("date_range", {}).get("to"),
            data_erase_at=data.validated_data.get("data_erase_at"),
        )
        # No per-consent read view: the doctor's own list, narrowed to this document.
        body = ConsentOutputSerializer(consent, context={"request": request}).data
        query = f"?document={consent.document_id}"
        return created(request, body, "documents:consent-doctor", query=query)


class ConsentRequestableListView(generics.ListAPIView):
    """Documents I (a doctor) may ask consent for: titles only, each listing logged."""

    permission_classes = [IsDoctor]
    serializer_class = RequestableDocumentOutputSerializer
    filter_backends = [FilterBackend]
    filterset_class = RequestableDocumentFilter

    def get_queryset(self) -> Any:
        return selectors.requestable_documents_for(user=self.request.user)

    @extend_schema(
        responses={
            200: RequestableDocumentOutputSerializer(many=True),
            **error_responses(400, 401, 403),
        },
        description="Documents your patients attached to a (not cancelled) appointment with "
        "you, newest first: ids to pass to `consent/request/` (a discovery aid: any document "
        "id you know may be requested). Titles only, never the "
        "file or description; the patient's access log records that you saw each one "
        "(action `list`, detail `requestable`). `consent_status` is the status of your "
        "latest request, or null.",
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset())) or []
        audit.access_log_record(
            ctx=access_context(request),
            documents=page,
            actions=[AccessAction.LIST],
            detail="requestable",
        )
        data = RequestableDocumentOutputSerializer(page, many=True).data
        return self.get_paginated_response(data)


def _consent_versions(request: Request, kwargs: dict[str, Any]) -> list[str]:
    """The account's consents and documents, the doctors' names."""
    return [Namespace.DIRECTORY, Namespace.RECORDS, account_key(request.user.pk)]


class ConsentMineListView(generics.ListAPIView):
    """Consent requests on my documents; `?status=expired` for lapsed grants."""

    permission_classes = [CanActAsPatient]
    serializer_class = ConsentPatientOutputSerializer
    filter_backends = [FilterBackend]
    filterset_class = ConsentFilter

    def get_queryset(self) -> Any:
        return selectors.consent_list_for_patient(user=self.request.user)

    @cached_get(_consent_versions, private=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = self.list(request, *args, **kwargs)
        freshness = getattr(request, "cache_freshness", None)
        if freshness is not None:  # a grant lapses into "expired" with the clock, no write
            freshness.expires_at = selectors.next_consent_expiry(user=request.user)
        return response


class ConsentDoctorListView(generics.ListAPIView):
    """The requests I (a doctor) made."""

    permission_classes = [IsDoctor]
    serializer_class = ConsentOutputSerializer
    filter_backends = [FilterBackend]
    filterset_class = ConsentFilter

    def get_queryset(self) -> Any:
        return selectors.consent_list_for_doctor(user=self.request.user)


class ConsentActionView(APIView):
    permission_classes = [CanActAsPatient]

    @extend_schema(
        request=ConsentActionInputSerializer,
        responses={200: ConsentPatientOutputSerializer, **error_responses(400, 401, 403, 404)},
        description="pending → grant | reject; granted → revoke (the -ed forms are accepted "
        "too). Anything else answers 400 with `allowed_actions`.",
    )
    def patch(self, request: Request, consent_id: uuid.UUID) -> Response:
        data = ConsentActionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        consent = services.consent_action(
            user=request.user,
            consent_id=consent_id,
            action=data.validated_data["action"],
            expires_at=data.validated_data.get("expires_at"),
            hi_types=data.validated_data.get("hi_types"),
        )
        return Response(ConsentPatientOutputSerializer(consent, context={"request": request}).data)


class ConsentArtefactView(APIView):
    """The signed consent artefact, for the patient who granted it and the doctor it names."""

    permission_classes = [ActingAsPatient | IsDoctor]

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT, **error_responses(401, 403, 404)},
        description="`artefact` (ABDM-shaped JSON; `status` and `revokedAt` show a "
        "revocation), `jws` (compact JWS, EdDSA, of the artefact), `key_id`, `public_key` "
        "(base64 Ed25519). 404 until the consent was granted.",
    )
    def get(self, request: Request, consent_id: uuid.UUID) -> Response:
        consent = selectors.consent_artefact_for(user=request.user, consent_id=consent_id)
        return Response(signed_artefact(consent))


class ConsentsGivenListView(generics.ListAPIView):
    """Every consent I gave, across doctors, each with its signed artefact."""

    permission_classes = [CanActAsPatient]
    serializer_class = ConsentGivenOutputSerializer

    def get_queryset(self) -> Any:
        return selectors.consents_given_by(user=self.request.user)
