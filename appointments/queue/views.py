"""The queue's endpoints: the front desk takes walk-ins, checks patients in and skips; the doctor
calls, starts and finishes; staff see the whole queue, a patient their own place. Thin: parse,
call one service or selector, shape the answer."""

from typing import Any, cast

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from appointments.models import Appointment
from appointments.queue import desk, selectors, services, walk_ins
from appointments.queue.payloads import queue_json
from appointments.queue.serializers import (
    NextCallOutputSerializer,
    QueueEntryOutputSerializer,
    QueueOutputSerializer,
    QueuePositionOutputSerializer,
    QueueQueryInputSerializer,
    WalkInInputSerializer,
    WalkInOutputSerializer,
    WalkInProfileOutputSerializer,
    WalkInProfilesQueryInputSerializer,
)
from appointments.selectors import appointment_with_history
from appointments.serializers import AppointmentDetailOutputSerializer
from core.permissions import CanActAsPatient, IsClinicOwner, IsDoctor, IsReceptionist
from core.responses import created
from core.schema import error_responses
from users.models import User

# Front desk views: the owner and receptionists of the doctor's clinic, and the doctor.
ORDER_RULE = (
    "Queue order: by due time, then token (arrival order). A checked-in patient is due at "
    "the later of their appointment time and their arrival (a late arrival queues from when "
    "they came); a walk-in at its slot, or, overbooked, at its arrival (not before the "
    "session starts); a booked patient not yet arrived stands in line at their time while it "
    "is still to come."
)


def _user(request: Request) -> User:
    return cast(User, request.user)


def _cache_headers() -> dict[str, str]:
    return {"Cache-Control": f"private, max-age={settings.QUEUE_CACHE_SECONDS}"}


def _detail(appointment: Appointment) -> dict[str, Any]:
    return AppointmentDetailOutputSerializer(appointment_with_history(appointment.pk)).data


class WalkInView(APIView):
    permission_classes = [IsReceptionist | IsClinicOwner | IsDoctor]

    @extend_schema(
        request=WalkInInputSerializer,
        responses={201: WalkInOutputSerializer, **error_responses(400, 401, 403, 404, 409)},
        description="A walk-in for the doctor's session today (the receptionist or owner of "
        "the doctor's clinic, or the doctor). The account is found by contact or registered "
        "(a temporary password by SMS; `name` needed then). The visit is for one of its "
        "people: `patient_profile` (one of the contact's profiles, see "
        "`GET /api/appointments/walk-in/profiles/`; else 404 `patient_profile_not_found`), "
        "or a new dependent added to the account (`dependent`), or by default the account "
        "holder. Any active account can be booked for: staff who never turned patient care on "
        "have it turned on (they are at the desk asking for care); a closed account is 409 "
        "`account_inactive`. Takes the session's first free slot, else queues without one "
        "when the doctor allows overbooking (`overbooked`), else 409 `session_full`; 409 "
        "`no_session_today`, `on_leave`. A refusal leaves nothing behind. Confirmed at once, "
        "with the next token. `Location`: its queue entry.",
    )
    def post(self, request: Request) -> Response:
        data = WalkInInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        params = data.validated_data
        walk_in = walk_ins.walk_in_create(
            actor=_user(request),
            doctor_id=params["doctor"],
            contact=params["contact"],
            name=params["name"],
            reason=params["reason"],
            patient_profile=params.get("patient_profile"),
            dependent=params.get("dependent"),
        )
        appointment = appointment_with_history(walk_in.appointment.pk)
        body = WalkInOutputSerializer(
            appointment, context={"account_created": walk_in.account_created}
        ).data
        return created(request, body, "appointment-queue-entry", appointment_id=appointment.pk)


class WalkInProfilesView(APIView):
    permission_classes = [IsReceptionist | IsClinicOwner | IsDoctor]

    @extend_schema(
        parameters=[
            OpenApiParameter("doctor", int, required=True),
            OpenApiParameter("contact", str, required=True, description="Mobile number"),
        ],
        responses={
            200: WalkInProfileOutputSerializer(many=True),
            **error_responses(400, 401, 403, 404),
        },
        description="Whom a number at the desk stands for, to pick a walk-in's "
        "`patient_profile`: the account holder first, then their dependents, each with name, "
        "relation, age and gender only (an empty list when the number is not registered). "
        "For the same people as the walk-in: the owner and receptionists of the doctor's "
        "clinic, and the doctor (404 for anyone else).",
    )
    def get(self, request: Request) -> Response:
        query = WalkInProfilesQueryInputSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        profiles = selectors.walk_in_profiles(
            user=request.user, doctor_id=params["doctor"], contact=params["contact"]
        )
        return Response(WalkInProfileOutputSerializer(profiles, many=True).data)


class CheckInView(APIView):
    permission_classes = [IsReceptionist | IsClinicOwner | IsDoctor]

    @extend_schema(
        request=None,
        responses={
            200: AppointmentDetailOutputSerializer,
            **error_responses(400, 401, 403, 404, 409),
        },
        description="The patient has arrived (front desk or the doctor): a pending booking is "
        "confirmed; they get the next token and join the line. Today's only (400 "
        "`not_today`), active only (400 `appointment_not_active`), once (409 "
        "`already_checked_in`; a skipped patient may check in again, keeping their token). "
        + ORDER_RULE,
    )
    def post(self, request: Request, appointment_id: int) -> Response:
        appointment = services.check_in(actor=_user(request), appointment_id=appointment_id)
        return Response(_detail(appointment))


class QueueSkipView(APIView):
    permission_classes = [IsReceptionist | IsClinicOwner | IsDoctor]

    @extend_schema(
        request=None,
        responses={200: AppointmentDetailOutputSerializer, **error_responses(401, 403, 404, 409)},
        description="A waiting or called patient who does not come is skipped (status stays); "
        "checking them in again puts them back from that moment. 409 `queue_state_invalid`.",
    )
    def post(self, request: Request, appointment_id: int) -> Response:
        appointment = services.queue_skip(actor=_user(request), appointment_id=appointment_id)
        return Response(_detail(appointment))


class QueueNextView(APIView):
    permission_classes = [IsDoctor]

    @extend_schema(
        request=None,
        responses={200: NextCallOutputSerializer, **error_responses(400, 401, 403)},
        description="The doctor calls the next patient of today's queue at their clinic. The "
        "current one moves on first: in consultation -> done (status completed); called but "
        "never started -> skipped. `called` is null when nobody is waiting. " + ORDER_RULE,
    )
    def post(self, request: Request) -> Response:
        call = services.queue_next(doctor_user=_user(request))
        called = None
        if call.called is not None:
            called = selectors.entry_of(call.called)
        previous = call.previous
        body = {
            "called": called,
            "previous": previous.pk if previous is not None else None,
            "previous_queue_state": previous.queue_state if previous is not None else None,
        }
        return Response(NextCallOutputSerializer(body).data)


class QueueStartView(APIView):
    permission_classes = [IsDoctor]

    @extend_schema(
        request=None,
        responses={200: AppointmentDetailOutputSerializer, **error_responses(401, 403, 404, 409)},
        description="The consultation starts (a called or waiting patient of the doctor). 409 "
        "`consultation_in_progress` while another one runs, `queue_state_invalid` otherwise.",
    )
    def post(self, request: Request, appointment_id: int) -> Response:
        appointment = services.queue_start(
            doctor_user=_user(request), appointment_id=appointment_id
        )
        return Response(_detail(appointment))


class QueueFinishView(APIView):
    permission_classes = [IsDoctor]

    @extend_schema(
        request=None,
        responses={200: AppointmentDetailOutputSerializer, **error_responses(401, 403, 404, 409)},
        description="The consultation ends: queue state done, status completed (through the "
        "status rules, with its history). 409 `queue_state_invalid` if it never started.",
    )
    def post(self, request: Request, appointment_id: int) -> Response:
        appointment = services.queue_finish(
            doctor_user=_user(request), appointment_id=appointment_id
        )
        return Response(_detail(appointment))


class QueueView(APIView):
    permission_classes = [IsReceptionist | IsClinicOwner | IsDoctor]

    @extend_schema(
        parameters=[
            OpenApiParameter("doctor", int, required=True),
            OpenApiParameter("date", OpenApiTypes.DATE, description="Default: clinic's today"),
        ],
        responses={200: QueueOutputSerializer, **error_responses(400, 401, 403, 404)},
        description="The doctor's whole queue that day, for the owner and receptionists of "
        "the doctor's clinic and the doctor (404 for anyone else). Three SQL statements; "
        "`Cache-Control: private, max-age=QUEUE_CACHE_SECONDS`. " + ORDER_RULE,
    )
    def get(self, request: Request) -> Response:
        query = QueueQueryInputSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        doctor_id, date = params["doctor"], params.get("date")
        day = desk.staff_queue(user=request.user, doctor_id=doctor_id, date=date)
        response = Response(queue_json(desk.queue_body(day)), headers=_cache_headers())
        desk.offer_route(request, self, doctor_id=doctor_id, date=date)
        return response


class QueueEntryView(APIView):
    permission_classes = [IsReceptionist | IsClinicOwner | IsDoctor]

    @extend_schema(
        operation_id="appointments_queue_entry_retrieve",
        responses={200: QueueEntryOutputSerializer, **error_responses(401, 403, 404)},
        description="One appointment's queue entry for the front desk (as in the queue "
        "listing). Three SQL statements; cacheable a few seconds.",
    )
    def get(self, request: Request, appointment_id: int) -> Response:
        entry = selectors.front_desk_entry(user=request.user, appointment_id=appointment_id)
        return Response(QueueEntryOutputSerializer(entry).data, headers=_cache_headers())


class PatientQueueView(APIView):
    # Any account acting as a patient, for any appointment it holds (a dependent's too).
    permission_classes = [CanActAsPatient]

    @extend_schema(
        responses={200: QueuePositionOutputSerializer, **error_responses(401, 403, 404)},
        description="Where the patient's own appointment (or a dependent's, for the account "
        "holding it) stands: `position` (1 = next; 0 = "
        "being seen; null = not in line), `ahead`, `eta`, how late the doctor runs and the "
        "token being seen. A booked patient not yet arrived sees their place as if they "
        "checked in now once their time has passed. Three SQL statements; cacheable a few "
        "seconds. " + ORDER_RULE,
    )
    def get(self, request: Request, appointment_id: int) -> Response:
        body = selectors.patient_position(patient=request.user, appointment_id=appointment_id)
        return Response(QueuePositionOutputSerializer(body).data, headers=_cache_headers())
