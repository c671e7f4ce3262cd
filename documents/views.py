"""Thin views: documents, the signed download, consent, and the access log."""

import uuid
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.cached_responses import cached_get
from core.error_codes import ErrorCode
from core.exceptions import QuickCareError
from core.filtering import FilterBackend
from core.permissions import (
    ActingAsPatient,
    CanActAsPatient,
    IsDoctor,
    IsLabMember,
    PerMethodPermissions,
)
from core.response_cache import Namespace, access_log_key, account_key
from core.responses import created
from core.schema import error_responses
from documents import audit, rows, selectors, services
from documents.access import access_context, request_meta
from documents.examples import UPLOAD_EXAMPLES
from documents.files import file_response_for, too_large
from documents.filters import (
    AccessLogFilter,
    DocumentFilter,
)
from documents.links import file_links, link_ttl_seconds
from documents.models import AccessAction, DocumentAccessLog
from documents.serializers import (
    AccessLogOutputSerializer,
    DocumentOutputSerializer,
    DocumentUploadInputSerializer,
)
from users.acting import acting_profile_id

# Multipart framing around the file part (field names, boundaries, other fields).
MULTIPART_OVERHEAD_BYTES = 64 * 1024


def _links(request: Request, documents: Sequence[audit.Accessed]) -> dict[uuid.UUID, str]:
    """A signed file link per document, bound to this user."""
    user_id: Any = request.user.pk
    return file_links(request=request, document_ids=[d.pk for d in documents], user_id=user_id)


def _present(
    request: Request,
    documents: Sequence[audit.Accessed],
    actions: Sequence[str],
    detail: str,
    emergency: set[Any] | None = None,
) -> dict[uuid.UUID, str]:
    """Mint the links, and log that they were handed out."""
    links = _links(request, documents)
    audit.access_log_record(
        ctx=access_context(request),
        documents=documents,
        actions=actions,
        detail=detail,
        emergency=emergency,
    )
    return links


class DocumentListCreateView(PerMethodPermissions, generics.ListAPIView):
    """Patients: their documents. Doctors: only documents with an active consent."""

    method_permissions = {
        "POST": (ActingAsPatient | IsDoctor | IsLabMember,),
        "*": (ActingAsPatient | IsDoctor,),
    }
    serializer_class = DocumentOutputSerializer
    filter_backends = [FilterBackend]
    filterset_class = DocumentFilter
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self) -> Any:
        return selectors.document_list_for(user=self.request.user)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One `.values()` page built into plain dicts (`documents.rows`; the serializer is the
        schema and the reference), each listed document's link logged."""
        user, now = request.user, timezone.now()
        as_doctor = selectors.lists_as_doctor(user=user)
        found = rows.DocumentRows(
            self.filter_queryset(selectors.document_list_for(user=user, now=now)),
            doctor_user=user if as_doctor else None,
            now=now,
            # What a patient's total depends on: their records (documents/cache_receivers.py)
            count_versions=() if as_doctor else (account_key(user.pk), Namespace.RECORDS),
        )
        page: list[dict[str, Any]] = self.paginate_queryset(found) or []  # type: ignore[arg-type]
        links = _present(
            request,
            rows.listed(page),
            [AccessAction.FILE_LINK],
            "list",
            emergency=rows.emergency_patients(page),
        )
        return self.get_paginated_response(rows.document_payloads(page, links=links))

    @extend_schema(
        request={"multipart/form-data": DocumentUploadInputSerializer},
        examples=UPLOAD_EXAMPLES,
        responses={201: DocumentOutputSerializer, **error_responses(400, 401, 403, 415)},
        description="Upload a PDF, JPEG or PNG (recognised by content). Doctors and lab "
        "members upload into a patient's record with `patient_id`.",
    )
    def post(self, request: Request) -> Response:
        length = request.META.get("CONTENT_LENGTH") or "0"
        cap = settings.DOCUMENT_MAX_UPLOAD_BYTES
        if not length.isdigit():
            raise QuickCareError(
                "The upload's Content-Length is not a number.",
                code=ErrorCode.INVALID_CONTENT_LENGTH,
            )
        if int(length) > cap + MULTIPART_OVERHEAD_BYTES:
            # Refused before the body is read, so the size named is the whole request's.
            raise too_large(size=int(length), limit=cap, approximate=True)
        data = DocumentUploadInputSerializer(
            data=request.data, stored=services.upload_server_set_fields(uploader=request.user)
        )
        data.is_valid(raise_exception=True)
        values = data.validated_data
        document = services.document_upload(
            uploader=request.user,
            ctx=access_context(request),
            title=values["title"],
            document_type=values["document_type"],
            description=values.get("description", ""),
            appointment_id=values.get("appointment"),
            patient_id=values.get("patient_id"),
            file=values["file"],
        )
        links: dict[uuid.UUID, str] = {}
        if document.patient_id == request.user.pk:
            links = _present(request, [document], [AccessAction.FILE_LINK], "upload")
        body = DocumentOutputSerializer(document, context={"links": links}).data
        return created(request, body, "documents:detail", document_id=document.pk)


class DocumentDetailView(PerMethodPermissions, APIView):
    method_permissions = {"DELETE": (CanActAsPatient,), "*": (ActingAsPatient | IsDoctor,)}

    @extend_schema(responses={200: DocumentOutputSerializer, **error_responses(401, 403, 404)})
    def get(self, request: Request, document_id: uuid.UUID) -> Response:
        document = services.document_view(
            actor=request.user, request_meta=request_meta(request), document_id=document_id
        )
        links = _links(request, [document])
        return Response(DocumentOutputSerializer(document, context={"links": links}).data)

    @extend_schema(responses={204: None, **error_responses(401, 403, 404)})
    def delete(self, request: Request, document_id: uuid.UUID) -> Response:
        services.document_delete(
            user=request.user, ctx=access_context(request), document_id=document_id
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class _AnyAccept(BaseContentNegotiation):
    """The download answers a file whatever the client accepts; errors are still JSON."""

    def select_parser(self, request: Request, parsers: Any) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(self, request: Request, renderers: Any, format_suffix: Any = None) -> Any:
        return renderers[0], renderers[0].media_type


class DocumentFileView(APIView):
    """The signed link is the credential; a bearer token, if sent, must be the link's user's."""

    permission_classes = [AllowAny]
    content_negotiation_class = _AnyAccept

    def perform_authentication(self, request: Request) -> None:
        """Deferred to `get`: the link is read first, and a bad token is logged before 401."""

    @extend_schema(
        parameters=[OpenApiParameter("token", str, required=True, description="Signed token.")],
        responses={
            200: OpenApiResponse(OpenApiTypes.BINARY, description="The file, as an attachment."),
            302: OpenApiResponse(description="Redirect to a short-lived S3 presigned URL."),
            **error_responses(401, 403, 404),
        },
        description=f"Valid for {link_ttl_seconds()} s after it was issued, and only while "
        "the user it was issued to may still see the document. Open it without an "
        "Authorization header, or with that user's own bearer token: anyone else's token "
        "answers 403 `link_not_yours` (logged), an invalid or expired one 401.",
    )
    def get(self, request: Request, document_id: uuid.UUID) -> HttpResponse | FileResponse:
        document = services.document_download(
            request_meta=request_meta(request),
            document_id=document_id,
            token=str(request.query_params.get("token", "")),
            bearer=lambda: request.user if request.user.is_authenticated else None,
        )
        return file_response_for(document)


@extend_schema_view(get=extend_schema(operation_id="documents_document_access_log_list"))
class DocumentAccessLogView(generics.ListAPIView):
    """Who saw one of my documents (owner only)."""

    permission_classes = [CanActAsPatient]
    serializer_class = AccessLogOutputSerializer
    filter_backends = [FilterBackend]
    filterset_class = AccessLogFilter

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return DocumentAccessLog.objects.none()
        document = services.access_log_open(
            actor=self.request.user,
            request_meta=request_meta(self.request),
            document_id=self.kwargs["document_id"],
        )
        return selectors.access_log_list_for(user=self.request.user, document=document)


def _access_log_versions(request: Request, kwargs: dict[str, Any]) -> list[str]:
    """The profile's log (its chain's access events), the actors' names and roles."""
    return [
        Namespace.DIRECTORY,
        Namespace.PEOPLE,
        Namespace.RECORDS,
        account_key(request.user.pk),
        access_log_key(acting_profile_id(request.user)),
    ]


class AccessLogListView(generics.ListAPIView):
    """Who saw any of my documents, newest first."""

    permission_classes = [CanActAsPatient]
    serializer_class = AccessLogOutputSerializer
    filter_backends = [FilterBackend]
    filterset_class = AccessLogFilter

    def get_queryset(self) -> Any:
        return selectors.access_log_list_for(user=self.request.user)

    @cached_get(_access_log_versions, private=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.list(request, *args, **kwargs)
