"""The inbox (`/api/notifications/`), preferences and devices (under `/api/users/me/`)."""

from typing import Any, cast

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.error_codes import ErrorCode
from core.exceptions import NotFound
from core.responses import created
from core.schema import LOCATION, PAGE_HEADERS, error_responses
from notifications import selectors, services
from notifications.models import Notification
from notifications.serializers import (
    DeviceDeleteQueryInputSerializer,
    DeviceInputSerializer,
    DeviceOutputSerializer,
    NotificationListQueryInputSerializer,
    NotificationOutputSerializer,
    NotificationPreferenceSerializer,
    NotificationUpdateInputSerializer,
    ReadAllOutputSerializer,
)
from users.models import User

TAGS = ["notifications"]
DEVICE_NOT_FOUND = "Device not found."


def _user(request: Request) -> User:
    return cast(User, request.user)


def _valid(serializer_class: Any, data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class NotificationListView(generics.ListAPIView):
    """Your inbox, newest first (a bare array; pages in `Link` and `X-Total-Count`)."""

    serializer_class = NotificationOutputSerializer
    filter_backends = []

    def get_queryset(self) -> QuerySet[Notification]:
        query = _valid(NotificationListQueryInputSerializer, self.request.query_params)
        return selectors.inbox_for(user=_user(self.request), unread=query["unread"])

    @extend_schema(
        tags=TAGS,
        parameters=[
            OpenApiParameter("unread", OpenApiTypes.BOOL, description="Only unread ones."),
            *PAGE_HEADERS,
        ],
        responses={200: NotificationOutputSerializer(many=True), **error_responses(400, 401, 403)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class NotificationDetailView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Mark one of your notifications read or unread",
        request=NotificationUpdateInputSerializer,
        responses={200: NotificationOutputSerializer, **error_responses(400, 401, 403, 404)},
    )
    def patch(self, request: Request, notification_id: int) -> Response:
        data = _valid(NotificationUpdateInputSerializer, request.data)
        found = selectors.inbox_item_for(user=_user(request), notification_id=notification_id)
        updated = services.inbox_mark(notification=found, read=data["read"])
        return Response(NotificationOutputSerializer(updated).data)


class NotificationReadAllView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Mark every notification in your inbox read",
        request=None,
        responses={200: ReadAllOutputSerializer, **error_responses(401, 403)},
    )
    def post(self, request: Request) -> Response:
        return Response({"updated": services.inbox_mark_all_read(user=_user(request))})


class NotificationPreferenceView(APIView):
    @extend_schema(
        tags=TAGS,
        responses={200: NotificationPreferenceSerializer, **error_responses(401, 403)},
    )
    def get(self, request: Request) -> Response:
        preference = services.preference_for(user=_user(request))
        return Response(NotificationPreferenceSerializer(preference).data)

    @extend_schema(
        tags=TAGS,
        summary="Change your notification preferences (fields left out keep their value)",
        request=NotificationPreferenceSerializer,
        responses={200: NotificationPreferenceSerializer, **error_responses(400, 401, 403)},
    )
    def put(self, request: Request) -> Response:
        serializer = NotificationPreferenceSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        preference = services.preference_update(
            user=_user(request), data=dict(serializer.validated_data)
        )
        return Response(NotificationPreferenceSerializer(preference).data)


class DeviceListView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Register this app install's push token (FCM)",
        request=DeviceInputSerializer,
        parameters=[LOCATION],
        responses={
            200: OpenApiResponse(DeviceOutputSerializer, description="Already registered."),
            201: DeviceOutputSerializer,
            **error_responses(400, 401, 403),
        },
    )
    def post(self, request: Request) -> Response:
        data = _valid(DeviceInputSerializer, request.data)
        device, is_new = services.device_register(user=_user(request), **data)
        body = DeviceOutputSerializer(device).data
        if is_new:
            return created(request, body, "device-detail", device_id=device.pk)
        return Response(body)

    @extend_schema(
        tags=TAGS,
        summary="Remove a push token (`?token=`), e.g. at sign-out",
        operation_id="users_me_devices_destroy_by_token",
        parameters=[OpenApiParameter("token", OpenApiTypes.STR, required=True)],
        request=None,
        responses={204: None, **error_responses(400, 401, 403, 404)},
    )
    def delete(self, request: Request) -> Response:
        query = _valid(DeviceDeleteQueryInputSerializer, request.query_params)
        if not services.device_remove(user=_user(request), token=query["token"]):
            raise NotFound(DEVICE_NOT_FOUND, code=ErrorCode.DEVICE_NOT_FOUND)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DeviceDetailView(APIView):
    @extend_schema(
        tags=TAGS,
        summary="Remove one of your devices by id",
        request=None,
        responses={204: None, **error_responses(401, 403, 404)},
    )
    def delete(self, request: Request, device_id: int) -> Response:
        if not services.device_remove(user=_user(request), device_id=device_id):
            raise NotFound(DEVICE_NOT_FOUND, code=ErrorCode.DEVICE_NOT_FOUND)
        return Response(status=status.HTTP_204_NO_CONTENT)
