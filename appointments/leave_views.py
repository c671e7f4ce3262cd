"""`GET /api/doctors/me/leaves/impact/`: what a leave would land on, served here where the
appointments are (doctors sits below appointments); creating the leave stays in doctors."""

from typing import Any, cast

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from appointments.leaves import leave_impact
from appointments.serializers import DoctorAppointmentOutputSerializer
from clinic.selectors import doctor_active_membership
from core.permissions import IsDoctor
from core.schema import error_responses
from doctors.models import DoctorProfile
from users.models import User


class LeaveImpactQueryInputSerializer(serializers.Serializer):
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    clinic = serializers.UUIDField(required=False, allow_null=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["start_date"] > attrs["end_date"]:
            raise serializers.ValidationError(
                {"end_date": ["End date must not be before start date."]}
            )
        return attrs


class DoctorLeaveImpactView(generics.ListAPIView):
    permission_classes = [IsDoctor]
    serializer_class = DoctorAppointmentOutputSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return []
        query = LeaveImpactQueryInputSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        user = cast(User, self.request.user)
        clinic_id = params.get("clinic")
        if clinic_id is not None and (
            doctor_active_membership(user_id=user.pk, clinic_id=clinic_id) is None
        ):
            raise serializers.ValidationError(
                {"clinic": ["You are not an active doctor at this clinic."]}
            )
        doctor = DoctorProfile.objects.filter(user=user).first()
        if doctor is None:
            return []
        return leave_impact(
            doctor=doctor,
            start_date=params["start_date"],
            end_date=params["end_date"],
            clinic_id=clinic_id,
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("start_date", str, required=True, description="YYYY-MM-DD"),
            OpenApiParameter("end_date", str, required=True, description="YYYY-MM-DD"),
            OpenApiParameter("clinic", str, description="Only this clinic (uuid), as the leave."),
        ],
        responses={
            200: DoctorAppointmentOutputSerializer(many=True),
            **error_responses(400, 401, 403),
        },
        description="The signed-in doctor's pending/confirmed appointments still to come "
        "between the dates (at `clinic`, else at every clinic), in time order: what a leave "
        "over these dates would land on. Creating such a leave needs `on_conflict`.",
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)
