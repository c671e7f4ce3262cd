"""The signed-in user: profile, medical profile and addresses."""

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.permissions import Authenticated
from core.responses import created
from core.schema import error_responses
from users import selectors, services
from users.models import UserAddress
from users.serializers import (
    AddressInputSerializer,
    AddressOutputSerializer,
    MedicalProfileInputSerializer,
    MedicalProfileOutputSerializer,
    UserOutputSerializer,
    UserUpdateInputSerializer,
)
from users.views.common import (
    TAGS,
    request_user,
    validated,
)


class UserMeView(APIView):
    permission_classes = [Authenticated]
    allow_incomplete_onboarding = True
    allow_password_change_required = True

    @extend_schema(tags=TAGS, responses={200: UserOutputSerializer, **error_responses(401)})
    def get(self, request: Request) -> Response:
        return Response(UserOutputSerializer(request_user(request)).data)

    @extend_schema(
        tags=TAGS,
        summary="Update your profile (partial: send only what changes)",
        request=UserUpdateInputSerializer,
        responses={200: UserOutputSerializer, **error_responses(400, 401)},
    )
    def put(self, request: Request) -> Response:
        data = validated(
            UserUpdateInputSerializer, request.data, partial=True, stored=request_user(request)
        )
        user = services.user_profile_update(user=request_user(request), data=data)
        return Response(UserOutputSerializer(user).data)

    @extend_schema(
        tags=TAGS,
        request=UserUpdateInputSerializer,
        responses={200: UserOutputSerializer, **error_responses(400, 401)},
    )
    def patch(self, request: Request) -> Response:
        return self.put(request)


class MedicalProfileView(APIView):
    permission_classes = [Authenticated]

    @extend_schema(
        tags=TAGS, responses={200: MedicalProfileOutputSerializer, **error_responses(401, 403)}
    )
    def get(self, request: Request) -> Response:
        profile = selectors.medical_profile_for(user=request_user(request))
        return Response(MedicalProfileOutputSerializer(profile).data)

    @extend_schema(
        tags=TAGS,
        summary="Update your medical profile (partial)",
        request=MedicalProfileInputSerializer,
        responses={200: MedicalProfileOutputSerializer, **error_responses(400, 401, 403)},
    )
    def put(self, request: Request) -> Response:
        data = validated(
            MedicalProfileInputSerializer,
            request.data,
            partial=True,
            stored={"user_id": request_user(request).pk},
        )
        profile = services.medical_profile_update(user=request_user(request), data=data)
        return Response(MedicalProfileOutputSerializer(profile).data)

    @extend_schema(
        tags=TAGS,
        request=MedicalProfileInputSerializer,
        responses={200: MedicalProfileOutputSerializer, **error_responses(400, 401, 403)},
    )
    def patch(self, request: Request) -> Response:
        return self.put(request)


class AddressListCreateView(generics.ListAPIView):
    permission_classes = [Authenticated]
    serializer_class = AddressOutputSerializer
    filter_backends = []

    def get_queryset(self) -> Any:
        return selectors.address_list_for(user=request_user(self.request))

    @extend_schema(
        tags=TAGS, responses={200: AddressOutputSerializer(many=True), **error_responses(401, 403)}
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=TAGS,
        request=AddressInputSerializer,
        responses={201: AddressOutputSerializer, **error_responses(400, 401, 403, 409)},
    )
    def post(self, request: Request) -> Response:
        data = validated(AddressInputSerializer, request.data, stored={"user_id": request.user.pk})
        address = services.address_create(user=request_user(request), data=data)
        body = AddressOutputSerializer(address).data
        return created(request, body, "users:address-detail", address_id=address.pk)


class AddressDetailView(APIView):
    permission_classes = [Authenticated]

    def _address(self, request: Request, address_id: int) -> UserAddress:
        return selectors.address_get_for(user=request_user(request), address_id=address_id)

    @extend_schema(
        tags=TAGS, responses={200: AddressOutputSerializer, **error_responses(401, 403, 404)}
    )
    def get(self, request: Request, address_id: int) -> Response:
        return Response(AddressOutputSerializer(self._address(request, address_id)).data)

    @extend_schema(
        tags=TAGS,
        summary="Update an address (partial: send only what changes)",
        request=AddressInputSerializer,
        responses={200: AddressOutputSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def put(self, request: Request, address_id: int) -> Response:
        address = self._address(request, address_id)
        data = validated(AddressInputSerializer, request.data, partial=True, stored=address)
        address = services.address_update(address=address, data=data)
        return Response(AddressOutputSerializer(address).data)

    @extend_schema(
        tags=TAGS,
        request=AddressInputSerializer,
        responses={200: AddressOutputSerializer, **error_responses(400, 401, 403, 404, 409)},
    )
    def patch(self, request: Request, address_id: int) -> Response:
        return self.put(request, address_id)

    @extend_schema(
        tags=TAGS,
        responses={204: OpenApiResponse(description="Deleted."), **error_responses(401, 403, 404)},
    )
    def delete(self, request: Request, address_id: int) -> Response:
        services.address_delete(address=self._address(request, address_id))
        return Response(status=status.HTTP_204_NO_CONTENT)
