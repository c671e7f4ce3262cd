"""Clinic members, a staff member's memberships, member onboarding completion."""

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clinic import selectors, services
from clinic.filters import ClinicMemberFilterSet, MyMembershipFilterSet
from clinic.models import ClinicMember
from clinic.serializers import (
    ClinicMemberCreateInputSerializer,
    ClinicMemberCreateOutputSerializer,
    ClinicMemberOutputSerializer,
    ClinicMemberUpdateInputSerializer,
    MemberOnboardingCompleteInputSerializer,
    MemberOnboardingCompleteOutputSerializer,
    MyMembershipOutputSerializer,
    TempPasswordReissueOutputSerializer,
)
from clinic.views.common import OwnerClinicMixin, request_user, validated_input
from core.fields import contact_as_int
from core.filtering import FilterBackend
from core.permissions import IsClinicOwner, IsClinicStaff
from core.responses import created
from core.roles import PASSWORD_CHANGE_URL
from core.schema import error_responses
from users.tokens import auth_time_of, issue_tokens

ONBOARDING_DONE_MESSAGE = "Onboarding complete! Welcome to QuickCare."


class ClinicMemberListCreateView(OwnerClinicMixin, generics.ListAPIView):
    permission_classes = [IsClinicOwner]
    serializer_class = ClinicMemberOutputSerializer
    filter_backends = [FilterBackend]
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
        data = validated_input(ClinicMemberCreateInputSerializer, request)
        result = services.clinic_member_add(
            clinic=clinic,
            added_by=request_user(request),
            contact=data.pop("contact"),
            member_role=data.pop("member_role"),
            name=data.pop("name", ""),
            data=data,
        )
        info = services.new_account_info(result.member) if result.account_created else None
        body = ClinicMemberCreateOutputSerializer(result.member, context={"info": info}).data
        return created(
            request, body, "clinic-member-detail", clinic_id=clinic.pk, member_id=result.member.pk
        )


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

    def _update(self, request: Request) -> Response:
        # PUT is partial too (the spec's only update verb): the fields sent change.
        member = self.get_member()
        data = validated_input(
            ClinicMemberUpdateInputSerializer, request, partial=True, stored=member
        )
        member = services.clinic_member_update(member=member, data=data)
        return Response(ClinicMemberOutputSerializer(member).data)

    @extend_schema(
        request=ClinicMemberUpdateInputSerializer(partial=True),
        responses={200: ClinicMemberOutputSerializer, **error_responses(400, 401, 403, 404)},
        summary="Update a member's department, notes or joining date, or remove them with "
        "`status: inactive` (owner; partial)",
    )
    def put(self, request: Request, clinic_id: Any, member_id: Any) -> Response:
        return self._update(request)

    @extend_schema(
        request=ClinicMemberUpdateInputSerializer,
        responses={200: ClinicMemberOutputSerializer, **error_responses(400, 401, 403, 404)},
        summary="Partly update a member (owner)",
    )
    def patch(self, request: Request, clinic_id: Any, member_id: Any) -> Response:
        return self._update(request)

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
        services.clinic_member_temp_password_reissue(member=member, issued_by=request_user(request))
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
    filter_backends = [FilterBackend]
    filterset_class = MyMembershipFilterSet

    def get_queryset(self) -> Any:
        return selectors.membership_list_for(user=self.request.user)


class MemberOnboardingCompleteView(APIView):
    permission_classes = [IsClinicStaff]
    allow_incomplete_onboarding = True

    def _complete(self, request: Request) -> Response:
        data = validated_input(
            MemberOnboardingCompleteInputSerializer, request, stored=request_user(request)
        )
        password = data.pop("password", None)
        user = services.member_onboarding_complete(
            user=request_user(request), data=data, password=password
        )
        tokens = issue_tokens(user=user, auth_time=auth_time_of(request.auth))
        body: dict[str, Any] = {"message": ONBOARDING_DONE_MESSAGE, **tokens, "user": user}
        if user.password_change_required:  # no new password was sent: ask for one next
            body.update(password_change_required=True, password_change_url=PASSWORD_CHANGE_URL)
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
