"""Thin HTTP layer of the clinic app: parse, call one service or selector, serialize."""

from typing import Any, cast

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.filters import SearchFilter
from rest_framework.permissions import SAFE_METHODS, AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clinic import selectors, services
from clinic.filters import ClinicMemberFilterSet, ClinicPublicFilterSet, MyMembershipFilterSet
from clinic.models import Clinic, ClinicMember
from clinic.serializers import (
    AdmissionDocumentInputSerializer,
    AdmissionDocumentOutputSerializer,
    ClinicCreateInputSerializer,
    ClinicMemberCreateInputSerializer,
    ClinicMemberCreateOutputSerializer,
    ClinicMemberOutputSerializer,
    ClinicMemberUpdateInputSerializer,
    ClinicOnboardingStep3InputSerializer,
    ClinicOutputSerializer,
    ClinicUpdateInputSerializer,
    ClinicWithSlotsOutputSerializer,
    MemberOnboardingCompleteInputSerializer,
    MemberOnboardingCompleteOutputSerializer,
    MyMembershipOutputSerializer,
    TempPasswordReissueOutputSerializer,
    TimeSlotInputSerializer,
    TimeSlotOutputSerializer,
    TimeSlotUpdateInputSerializer,
)
from core.fields import contact_as_int
from core.permissions import IsClinicOwner, IsClinicStaff
from core.schema import error_responses
from users.models import User
from users.tokens import auth_time_of, issue_tokens

ONBOARDING_DONE_MESSAGE = "Onboarding complete! Welcome to QuickCare."


def _validated(serializer_class: Any, request: Request, **kwargs: Any) -> dict[str, Any]:
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    data: dict[str, Any] = serializer.validated_data
    return data


def _user(request: Request) -> User:
    """The authenticated user (the view's permission classes guarantee one)."""
    return cast(User, request.user)


class PublicReadOwnerWriteMixin(APIView):
    """GET is public (the clinic must be visible); every other method needs the clinic's owner."""

    def get_permissions(self) -> list[BasePermission]:
        if self.request.method in SAFE_METHODS:
            return [AllowAny()]
        return [IsClinicOwner()]

    def get_clinic(self) -> Clinic:
        if not hasattr(self, "_clinic"):
            clinic_id = self.kwargs["clinic_id"]
            user = self.request.user
            if self.request.method in SAFE_METHODS:
                self._clinic = selectors.clinic_get_visible(user=user, clinic_id=clinic_id)
            else:
                self._clinic = selectors.clinic_get_for_management(user=user, clinic_id=clinic_id)
        return self._clinic


# --- clinics ---------------------------------------------------------------------------


class ClinicOnboardingStep3View(APIView):
    permission_classes = [IsClinicOwner]

    @extend_schema(
        request=ClinicOnboardingStep3InputSerializer,
        responses={201: ClinicWithSlotsOutputSerializer, **error_responses(400, 401, 403, 409)},
        summary="Clinic owner registration step 3: clinic + weekly time slots",
    )
    def post(self, request: Request) -> Response:
        data = _validated(ClinicOnboardingStep3InputSerializer, request)
        slots = data.pop("time_slots", [])
        clinic = services.clinic_onboarding_step3(owner=_user(request), data=data, time_slots=slots)
        clinic = selectors.clinic_get_visible(user=request.user, clinic_id=clinic.pk, counts=True)
        return Response(ClinicWithSlotsOutputSerializer(clinic).data, status=201)


@extend_schema_view(get=extend_schema(summary="Browse active clinics (public)"))
class ClinicPublicListView(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = ClinicOutputSerializer
    filter_backends = [DjangoFilterBackend, SearchFilter]
    filterset_class = ClinicPublicFilterSet
    search_fields = ("name", "city", "address")

    def get_queryset(self) -> QuerySet[Clinic]:
        return selectors.clinic_public_list()


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
        data = _validated(ClinicCreateInputSerializer, request)
        slots = data.pop("time_slots", [])
        clinic = services.clinic_create(owner=_user(request), data=data, time_slots=slots)
        clinic = selectors.clinic_get_visible(user=request.user, clinic_id=clinic.pk, counts=True)
        return Response(ClinicWithSlotsOutputSerializer(clinic).data, status=201)


class ClinicDetailView(PublicReadOwnerWriteMixin, APIView):
    @extend_schema(
        responses={200: ClinicOutputSerializer, **error_responses(404)},
        summary="Clinic detail (public; the owner also sees an inactive clinic)",
    )
    def get(self, request: Request, clinic_id: Any) -> Response:
        clinic = selectors.clinic_get_visible(user=request.user, clinic_id=clinic_id, counts=True)
        return Response(ClinicOutputSerializer(clinic).data)

    def _update(self, request: Request, *, partial: bool) -> Response:
        clinic = self.get_clinic()
        data = _validated(ClinicUpdateInputSerializer, request, partial=partial)
        services.clinic_update(clinic=clinic, data=data)
        clinic = selectors.clinic_get_visible(user=request.user, clinic_id=clinic.pk, counts=True)
        return Response(ClinicOutputSerializer(clinic).data)

    @extend_schema(
        request=ClinicUpdateInputSerializer,
        responses={200: ClinicOutputSerializer, **error_responses(400, 401, 403, 404)},
        summary="Update a clinic (owner)",
    )
    def put(self, request: Request, clinic_id: Any) -> Response:
        return self._update(request, partial=False)

    @extend_schema(
        request=ClinicUpdateInputSerializer,
        responses={200: ClinicOutputSerializer, **error_responses(400, 401, 403, 404)},
        summary="Partly update a clinic (owner)",
    )
    def patch(self, request: Request, clinic_id: Any) -> Response:
        return self._update(request, partial=True)

    @extend_schema(
        responses={204: None, **error_responses(401, 403, 404)},
        summary="Soft-delete a clinic (owner): hidden publicly, staff released",
    )
    def delete(self, request: Request, clinic_id: Any) -> Response:
        services.clinic_deactivate(clinic=self.get_clinic())
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- members ---------------------------------------------------------------------------


class OwnerClinicMixin(APIView):
    def get_clinic(self) -> Clinic:
        if not hasattr(self, "_clinic"):
            self._clinic = selectors.clinic_get_for_management(
                user=self.request.user, clinic_id=self.kwargs["clinic_id"]
            )
        return self._clinic


class ClinicMemberListCreateView(OwnerClinicMixin, generics.ListAPIView):
    permission_classes = [IsClinicOwner]
    serializer_class = ClinicMemberOutputSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ClinicMemberFilterSet

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request
            return ClinicMember.objects.none()
        return selectors.clinic_member_list(clinic=self.get_clinic())

    @extend_schema(
        summary="List a clinic's members (owner)",
        responses={
            200: ClinicMemberOutputSerializer(many=True),
            **error_responses(400, 401, 403, 404),
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=ClinicMemberCreateInputSerializer,
        responses={
            201: ClinicMemberCreateOutputSerializer,
            **error_responses(400, 401, 403, 404, 409),
        },
        summary="Add a member (auto-creates the account of an unknown contact)",
    )
    def post(self, request: Request, clinic_id: Any) -> Response:
        clinic = self.get_clinic()
        data = _validated(ClinicMemberCreateInputSerializer, request)
        result = services.clinic_member_add(
            clinic=clinic,
            added_by=_user(request),
            contact=data.pop("contact"),
            member_role=data.pop("member_role"),
            name=data.pop("name", ""),
            data=data,
        )
        info = services.new_account_info(result.member) if result.account_created else None
        body = ClinicMemberCreateOutputSerializer(result.member, context={"info": info}).data
        return Response(body, status=201)


class ClinicMemberDetailView(OwnerClinicMixin, APIView):
    permission_classes = [IsClinicOwner]

    def get_member(self) -> Any:
        return selectors.clinic_member_get(
            clinic=self.get_clinic(), member_id=self.kwargs["member_id"]
        )

    @extend_schema(
        responses={200: ClinicMemberOutputSerializer, **error_responses(401, 403, 404)},
        summary="A member of the clinic (owner)",
    )
    def get(self, request: Request, clinic_id: Any, member_id: Any) -> Response:
        return Response(ClinicMemberOutputSerializer(self.get_member()).data)

    def _update(self, request: Request, *, partial: bool) -> Response:
        member = self.get_member()
        data = _validated(ClinicMemberUpdateInputSerializer, request, partial=partial)
        member = services.clinic_member_update(member=member, data=data)
        return Response(ClinicMemberOutputSerializer(member).data)

    @extend_schema(
        request=ClinicMemberUpdateInputSerializer,
        responses={200: ClinicMemberOutputSerializer, **error_responses(400, 401, 403, 404)},
        summary="Update a member's department, notes or joining date (owner)",
    )
    def put(self, request: Request, clinic_id: Any, member_id: Any) -> Response:
        return self._update(request, partial=False)

    @extend_schema(
        request=ClinicMemberUpdateInputSerializer,
        responses={200: ClinicMemberOutputSerializer, **error_responses(400, 401, 403, 404)},
        summary="Partly update a member (owner)",
    )
    def patch(self, request: Request, clinic_id: Any, member_id: Any) -> Response:
        return self._update(request, partial=True)

    @extend_schema(
        responses={204: None, **error_responses(401, 403, 404)},
        summary="Remove a member (soft: status inactive, left_at today)",
    )
    def delete(self, request: Request, clinic_id: Any, member_id: Any) -> Response:
        services.clinic_member_remove(member=self.get_member())
        return Response(status=status.HTTP_204_NO_CONTENT)


class ClinicMemberTempPasswordView(OwnerClinicMixin, APIView):
    permission_classes = [IsClinicOwner]

    @extend_schema(
        request=None,
        responses={
            200: TempPasswordReissueOutputSerializer,
            **error_responses(400, 401, 403, 404, 409),
        },
        summary="Send a new temporary password to a member who has not completed onboarding",
    )
    def post(self, request: Request, clinic_id: Any, member_id: Any) -> Response:
        member = selectors.clinic_member_get(clinic=self.get_clinic(), member_id=member_id)
        services.clinic_member_temp_password_reissue(member=member, issued_by=_user(request))
        contact = contact_as_int(member.user.contact)
        return Response({"message": f"A new temporary password has been sent to {contact}."})


@extend_schema_view(
    get=extend_schema(
        summary="My clinic memberships (doctor, receptionist, lab member)",
        responses={200: MyMembershipOutputSerializer(many=True), **error_responses(400, 401, 403)},
    )
)
class MyMembershipListView(generics.ListAPIView):
    permission_classes = [IsClinicStaff]
    serializer_class = MyMembershipOutputSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = MyMembershipFilterSet

    def get_queryset(self) -> Any:
        return selectors.membership_list_for(user=self.request.user)


class MemberOnboardingCompleteView(APIView):
    permission_classes = [IsClinicStaff]
    allow_incomplete_onboarding = True

    def _complete(self, request: Request) -> Response:
        data = _validated(MemberOnboardingCompleteInputSerializer, request)
        password = data.pop("password", None)
        user = services.member_onboarding_complete(
            user=_user(request), data=data, password=password
        )
        tokens = issue_tokens(user=user, auth_time=auth_time_of(request.auth))
        body = {"message": ONBOARDING_DONE_MESSAGE, **tokens, "user": user}
        return Response(MemberOnboardingCompleteOutputSerializer(body).data)

    @extend_schema(
        request=MemberOnboardingCompleteInputSerializer,
        responses={
            200: MemberOnboardingCompleteOutputSerializer,
            **error_responses(400, 401, 403, 409),
        },
        summary="Complete member onboarding (clinic staff); returns new tokens",
    )
    def put(self, request: Request) -> Response:
        return self._complete(request)

    @extend_schema(
        request=MemberOnboardingCompleteInputSerializer,
        responses={
            200: MemberOnboardingCompleteOutputSerializer,
            **error_responses(400, 401, 403, 409),
        },
        summary="Complete member onboarding (PATCH, same as PUT)",
    )
    def patch(self, request: Request) -> Response:
        return self._complete(request)


# --- time slots ------------------------------------------------------------------------


class TimeSlotListCreateView(PublicReadOwnerWriteMixin, generics.ListAPIView):
    serializer_class = TimeSlotOutputSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        return selectors.time_slot_list(user=self.request.user, clinic=self.get_clinic())

    @extend_schema(
        summary="Weekly opening windows of a clinic (public; the owner also sees inactive ones)",
        responses={200: TimeSlotOutputSerializer(many=True), **error_responses(404)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=TimeSlotInputSerializer,
        responses={201: TimeSlotOutputSerializer, **error_responses(400, 401, 403, 404, 409)},
        summary="Add a weekly window (owner)",
    )
    def post(self, request: Request, clinic_id: Any) -> Response:
        clinic = self.get_clinic()
        data = _validated(TimeSlotInputSerializer, request)
        slot = services.time_slot_create(clinic=clinic, data=data)
        return Response(TimeSlotOutputSerializer(slot).data, status=201)


class TimeSlotDetailView(PublicReadOwnerWriteMixin, APIView):
    def get_slot(self) -> Any:
        return selectors.time_slot_get(
            user=self.request.user, clinic=self.get_clinic(), slot_id=self.kwargs["slot_id"]
        )

    @extend_schema(
        responses={200: TimeSlotOutputSerializer, **error_responses(404)},
        summary="A weekly window (public)",
    )
    def get(self, request: Request, clinic_id: Any, slot_id: int) -> Response:
        return Response(TimeSlotOutputSerializer(self.get_slot()).data)

    def _update(self, request: Request, *, partial: bool) -> Response:
        slot = self.get_slot()
        serializer = TimeSlotUpdateInputSerializer(slot, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        slot = services.time_slot_update(slot=slot, data=serializer.validated_data)
        return Response(TimeSlotOutputSerializer(slot).data)

    @extend_schema(
        request=TimeSlotUpdateInputSerializer,
        responses={200: TimeSlotOutputSerializer, **error_responses(400, 401, 403, 404, 409)},
        summary="Change a weekly window (owner)",
    )
    def put(self, request: Request, clinic_id: Any, slot_id: int) -> Response:
        return self._update(request, partial=False)

    @extend_schema(
        request=TimeSlotUpdateInputSerializer,
        responses={200: TimeSlotOutputSerializer, **error_responses(400, 401, 403, 404, 409)},
        summary="Partly change a weekly window (owner)",
    )
    def patch(self, request: Request, clinic_id: Any, slot_id: int) -> Response:
        return self._update(request, partial=True)

    @extend_schema(
        responses={204: None, **error_responses(401, 403, 404)},
        summary="Deactivate a weekly window (owner)",
    )
    def delete(self, request: Request, clinic_id: Any, slot_id: int) -> Response:
        services.time_slot_deactivate(slot=self.get_slot())
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- admission documents ---------------------------------------------------------------


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
        data = _validated(AdmissionDocumentInputSerializer, request)
        document = services.admission_document_create(clinic=clinic, data=data)
        return Response(AdmissionDocumentOutputSerializer(document).data, status=201)


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

    def _update(self, request: Request, *, partial: bool) -> Response:
        document = self.get_document()
        data = _validated(AdmissionDocumentInputSerializer, request, partial=partial)
        document = services.admission_document_update(document=document, data=data)
        return Response(AdmissionDocumentOutputSerializer(document).data)

    @extend_schema(
        request=AdmissionDocumentInputSerializer,
        responses={200: AdmissionDocumentOutputSerializer, **error_responses(400, 401, 403, 404)},
        summary="Change an admission checklist item (owner)",
    )
    def put(self, request: Request, clinic_id: Any, doc_id: int) -> Response:
        return self._update(request, partial=False)

    @extend_schema(
        request=AdmissionDocumentInputSerializer,
        responses={200: AdmissionDocumentOutputSerializer, **error_responses(400, 401, 403, 404)},
        summary="Partly change an admission checklist item (owner)",
    )
    def patch(self, request: Request, clinic_id: Any, doc_id: int) -> Response:
        return self._update(request, partial=True)

    @extend_schema(
        responses={204: None, **error_responses(401, 403, 404)},
        summary="Remove an admission checklist item (owner)",
    )
    def delete(self, request: Request, clinic_id: Any, doc_id: int) -> Response:
        services.admission_document_delete(document=self.get_document())
        return Response(status=status.HTTP_204_NO_CONTENT)
